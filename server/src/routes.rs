//! The HTTP surface: health, the CSV export, the leptos pages and server functions, static
//! files, and the layers every request passes through.

use crate::handlers::{export_csv, healthz};
use crate::page_cache::{self, PageCache};
use app::server::state::AppState;
use app::{shell, App};
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

/// Largest request body accepted; plan uploads in a later issue stay well below it.
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Layers run outside in: trace, body limit, compression, then the page cache (which stores
/// uncompressed pages and so serves every encoding).
pub fn router(state: AppState, cache: Arc<PageCache>) -> Router {
    let routes = generate_route_list(App);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/committees/{committee}/plans/{plan}/export.csv", get(export_csv))
        .leptos_routes_with_context(&state, routes, || (), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(from_fn_with_state(cache, page_cache::middleware))
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
