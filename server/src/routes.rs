//! The HTTP surface: health, the CSV export, the leptos pages and server functions, static
//! files, and the layers every request passes through.

use crate::handlers::{export_csv, healthz};
use crate::live::LiveHub;
use crate::page_cache::{self, PageCache};
use crate::renderer::{pages, PageRenderer};
use crate::signed_in::{self, SignedIn};
use crate::{auth, headers, import_upload, live, observe, report_files, security};
use app::server::state::AppState;
use app::{shell, App};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::{Extension, Router};
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

/// Largest request body accepted (`domain::text::MAX_BODY_BYTES`).
pub const BODY_LIMIT: usize = app::domain::text::MAX_BODY_BYTES;

pub const HEALTHZ: &str = "/healthz";
pub const EXPORT_CSV: &str = "/committees/{committee}/plans/{plan}/export.csv";
pub const EXPORT_XLSX: &str = "/committees/{committee}/plans/{plan}/export.xlsx";
/// The upload page's own address: GET is the leptos page, POST takes the file.
pub const PLAN_UPLOAD: &str = "/committees/{committee}/plans/import";
/// The risk upload pages' own addresses: GET is the leptos page, POST takes the file.
pub const COMMITTEE_RISK_UPLOAD: &str = "/committees/{committee}/risks/import";
pub const SUBGROUP_RISK_UPLOAD: &str = "/subgroups/{subgroup}/risks/import";
/// Server-Sent Events of every change the viewer may see (`live::stream`).
pub const LIVE: &str = "/live";
/// Routes outside the leptos page tree (the permission matrix test enumerates these with the
/// pages and server functions, so a route added here without a matrix entry fails it).
pub const PLAIN_ROUTES: [&str; 8] = [
    HEALTHZ,
    EXPORT_CSV,
    EXPORT_XLSX,
    PLAN_UPLOAD,
    COMMITTEE_RISK_UPLOAD,
    SUBGROUP_RISK_UPLOAD,
    LIVE,
    report_files::REPORT_FILE,
];

/// Layers run outside in: trace, security headers, body limit, the same-origin check for anything that changes
/// state, compression, the page cache (anonymous pages only, stored uncompressed), sessions,
/// then working out who is asking, then a signed-in person's own remembered pages.
pub fn router(state: AppState, cache: Arc<PageCache>, hub: Arc<LiveHub>) -> Router {
    router_with(state, cache, hub, SignedIn::new(2_000))
}

/// As `router`, with signed-in people's memberships and pages remembered in `memory`, kept as
/// the change events say (`signed_in`).
pub fn router_with(state: AppState, cache: Arc<PageCache>, hub: Arc<LiveHub>, memory: Arc<SignedIn>) -> Router {
    router_observed(state, cache, hub, memory, observe::Metrics::new())
}

/// As `router_with`, counting every request into `metrics` (served on the metrics listener).
pub fn router_observed(
    state: AppState,
    cache: Arc<PageCache>,
    hub: Arc<LiveHub>,
    memory: Arc<SignedIn>,
    metrics: Arc<observe::Metrics>,
) -> Router {
    let routes = generate_route_list(App);
    let renderer = PageRenderer(pages(&state));
    memory.follow(hub.clone());
    Router::new()
        .route(HEALTHZ, get(healthz))
        .route(EXPORT_CSV, get(export_csv))
        .route(EXPORT_XLSX, get(import_upload::export_xlsx))
        .route(PLAN_UPLOAD, post(import_upload::upload_plan))
        .route(COMMITTEE_RISK_UPLOAD, post(import_upload::upload_committee_risks))
        .route(SUBGROUP_RISK_UPLOAD, post(import_upload::upload_subgroup_risks))
        .route(LIVE, get(live::stream::live))
        .route(report_files::REPORT_FILE, get(report_files::download))
        .leptos_routes_with_context(&state, routes, || (), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(from_fn_with_state(memory.clone(), signed_in::pages))
        .layer(from_fn_with_state(state.clone(), auth::identify))
        .layer(Extension(memory))
        .layer(Extension(renderer))
        .layer(Extension(hub))
        .layer(auth::session_layer(&state))
        .layer(axum::middleware::from_fn(auth::unsaved_session_is_unavailable))
        .layer(from_fn_with_state(cache, page_cache::middleware))
        .layer(CompressionLayer::new())
        .layer(from_fn_with_state(state.clone(), security::same_origin_only))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(from_fn_with_state(headers::SecurityHeaders::new(state.secure_cookies), headers::middleware))
        .layer(axum::middleware::from_fn(observe::remember_span))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                // An error is logged once, where it is converted (`AppError`), with this span.
                .on_failure(tower_http::trace::DefaultOnFailure::new().level(tracing::Level::DEBUG)),
        )
        // Outermost: the id exists before the trace span is made; the metrics time everything.
        .layer(axum::middleware::from_fn(observe::request_id))
        .layer(from_fn_with_state(metrics, observe::track))
        .with_state(state)
}

/// The span every request's log lines carry: its method and path, so an error's one log line
/// says where it happened. One-time links carry their secret in the path: never logged.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let path = request.uri().path();
    let path = if path.starts_with("/invitations/") { "/invitations/…" } else { path };
    let id = request.extensions().get::<app::server::request::RequestId>().map(|id| id.0.as_str()).unwrap_or("-");
    tracing::info_span!("request", id = %id, method = %request.method(), path = %path)
}
