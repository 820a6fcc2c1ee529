//! The current request as server functions see it: who is acting, their session, and the one
//! transaction each server function works in, opened with the acting person set for row-level
//! security.

use crate::domain::account::Flash;
use crate::error::AppError;
use crate::server::auth::viewer::{ClientAddr, Viewer};
use crate::server::db;
use crate::server::state::app_state;
use leptos::prelude::use_context;
use sqlx::{Postgres, Transaction};
use tower_sessions::Session;

fn parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The signed-in person, if any.
pub fn viewer() -> Option<Viewer> {
    parts().and_then(|p| p.extensions.get::<Viewer>().cloned())
}

/// The flash message the session middleware took for this page, if any.
pub fn flash() -> Option<Flash> {
    parts().and_then(|p| p.extensions.get::<Flash>().cloned())
}

pub fn session() -> Result<Session, AppError> {
    parts().and_then(|p| p.extensions.get::<Session>().cloned()).ok_or_else(|| {
        tracing::error!("no session layer in front of this request");
        AppError::Internal
    })
}

pub fn client_addr() -> String {
    parts().and_then(|p| p.extensions.get::<ClientAddr>().map(|a| a.0.clone())).unwrap_or_else(|| "unknown".into())
}

/// The request's transaction, with the acting person set (or none: then only public rows).
pub async fn begin() -> Result<(Option<Viewer>, Transaction<'static, Postgres>), AppError> {
    let viewer = viewer();
    let tx = db::begin_as(&app_state()?.pool, viewer.as_ref().map(|v| v.id)).await?;
    Ok((viewer, tx))
}

/// The signed-in person, or 401.
pub fn signed_in(viewer: Option<Viewer>) -> Result<Viewer, AppError> {
    viewer.ok_or(AppError::Unauthorized)
}

/// A confirmation shown on the page the browser lands on next.
pub async fn notice(message: impl Into<String>) -> Result<(), AppError> {
    crate::server::auth::session::set_flash(&session()?, Flash::success(message)).await
}

/// A confirmation with a one-time link to pass on; the link is shown once and never logged.
pub async fn notice_with_link(message: impl Into<String>, token: &str) -> Result<(), AppError> {
    let link = format!("{}/invitations/{token}", origin());
    let flash = Flash { link: Some(link), ..Flash::success(message) };
    crate::server::auth::session::set_flash(&session()?, flash).await
}

/// This site's origin as browsers reach it: the configured public origin, or the Host header.
pub fn origin() -> String {
    if let Some(origin) = app_state().ok().and_then(|s| s.public_origin) {
        return origin;
    }
    let host = parts()
        .and_then(|p| p.headers.get(http::header::HOST).and_then(|h| h.to_str().ok()).map(str::to_owned))
        .unwrap_or_else(|| "localhost".into());
    format!("http://{host}")
}
