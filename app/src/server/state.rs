use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;

/// Everything a request needs, handed to axum handlers and (through context) to server
/// functions. No globals: tests build their own with their own pool.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    /// e.g. https://plans.forthvalley.example, when set (FV_PUBLIC_ORIGIN): used for links
    /// shown to users and to check the Origin of state-changing requests.
    #[from_ref(skip)]
    pub public_origin: Option<String>,
    /// Session cookies carry Secure (FV_COOKIE_SECURE=false only for plain-HTTP development).
    #[from_ref(skip)]
    pub secure_cookies: bool,
    /// How many proxies in front of the server add to X-Forwarded-For (FV_PROXY_HOPS): the
    /// client address is the entry that many from the right. 0: the peer's address.
    #[from_ref(skip)]
    pub proxy_hops: usize,
}

/// The state of the current server function or page render.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the request context");
        crate::error::AppError::Internal
    })
}
