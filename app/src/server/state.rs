use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;

/// Everything a request needs, handed to axum handlers and (through context) to server
/// functions. No globals: tests build their own with their own pool.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
}

/// The state of the current server function or page render.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the request context");
        crate::error::AppError::Internal
    })
}
