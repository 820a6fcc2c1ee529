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
    /// The newest change event this instance has delivered (kept by the live hub).
    #[from_ref(skip)]
    pub live_head: LiveHead,
    /// How long sessions last and what the sweeper keeps (FV_SESSION_*, FV_RETAIN_*).
    #[from_ref(skip)]
    pub retention: crate::domain::retention::Retention,
    /// Who the platform requires two-step sign-in of (FV_TWO_STEP_REQUIRED).
    #[from_ref(skip)]
    pub two_step_required: crate::domain::two_step::PlatformRequirement,
}

/// The newest change event an instance has delivered. Every page carries it, read before the
/// page reads the database, so the browser's live view starts where the page was read: what
/// came after reaches it from the stream, and nothing in between is missed.
#[derive(Clone, Default)]
pub struct LiveHead(std::sync::Arc<std::sync::Mutex<Option<crate::domain::live::Position>>>);

impl LiveHead {
    /// `None` until the hub has read the log's head (or when no hub runs, as in some tests).
    pub fn get(&self) -> Option<crate::domain::live::Position> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set(&self, position: crate::domain::live::Position) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(position);
    }
}

/// Put in an anonymous page request's extensions by the server when the page may be read from
/// the streaming replica (`server::replica`): the replica's pool, and the change log position
/// the page then shows as where it was read. The replica has replayed every change up to that
/// position that anonymous pages can show, so the live view that starts there misses nothing.
/// Signed-in people never get it: what they write and then read comes from the primary.
#[derive(Clone)]
pub struct ReplicaRead {
    pub pool: sqlx::PgPool,
    pub position: Option<crate::domain::live::Position>,
}

/// The state of the current server function or page render.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the request context");
        crate::error::AppError::Internal
    })
}
