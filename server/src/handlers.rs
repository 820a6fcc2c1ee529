//! Plain axum handlers, outside the leptos page tree.

use app::domain::plan_csv::{rows_from_view, write_csv};
use app::error::AppError;
use app::server::auth::viewer::{Access, Viewer};
use app::server::db;
use app::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Extension;
use std::time::Duration;

/// 200 when the database answers within two seconds, 503 otherwise.
pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let up = tokio::time::timeout(Duration::from_secs(2), db::ping(&state.pool)).await.unwrap_or(false);
    let headers = [(header::CACHE_CONTROL, "no-store")];
    if up {
        (StatusCode::OK, headers, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, headers, "database unavailable")
    }
}

/// `GET /committees/{committee}/plans/{plan}/export.csv`: the plan in the import format, for
/// anyone who may read the plan (drafts for the committee's members only).
pub async fn export_csv(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Path((committee, plan)): Path<(String, String)>,
) -> Result<impl IntoResponse, AppError> {
    let viewer = viewer.map(|Extension(v)| v);
    let mut tx = db::begin_as(&state.pool, viewer.as_ref().map(|v| v.id)).await?;
    let view = db::plans::load_readable_plan(&mut tx, &Access::of(viewer.as_ref()), &committee, &plan)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a published plan {plan} for the committee \"{committee}\"")))?;
    tx.commit().await?;
    let body = write_csv(&rows_from_view(&view));
    let disposition = format!("attachment; filename=\"{committee}-{plan}.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, if viewer.is_some() { "private, no-store" } else { "no-cache" }.to_owned()),
        ],
        body,
    ))
}
