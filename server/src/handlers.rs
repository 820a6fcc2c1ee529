//! Plain axum handlers, outside the leptos page tree.

use app::domain::plan_csv::{rows_from_view, write_csv};
use app::error::AppError;
use app::server::db;
use app::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
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

/// `GET /committees/{committee}/plans/{plan}/export.csv`: the plan in the import format.
pub async fn export_csv(
    State(state): State<AppState>,
    Path((committee, plan)): Path<(String, String)>,
) -> Result<impl IntoResponse, AppError> {
    let mut tx = state.pool.begin().await?;
    let view = db::plans::load_published_plan(&mut tx, &committee, &plan)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a published plan {plan} for the committee \"{committee}\"")))?;
    tx.commit().await?;
    let body = write_csv(&rows_from_view(&view));
    let disposition = format!("attachment; filename=\"{committee}-{plan}.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
        ],
        body,
    ))
}
