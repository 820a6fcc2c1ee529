//! The pages alone, as a router of their own: for rendering a form's page again in answer to
//! a refused anonymous form (a layer of the main router sees only the route it wraps, so it
//! cannot send a request to another route).

use app::server::state::AppState;
use app::{shell, App};
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};

/// The router of the pages, put into every request's extensions by the main router.
#[derive(Clone)]
pub struct PageRenderer(pub Router);

pub fn pages(state: &AppState) -> Router {
    Router::new()
        .leptos_routes_with_context(state, generate_route_list(App), || (), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state.clone())
}
