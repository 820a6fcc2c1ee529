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
/// An anonymous page the server has cleared for the replica reads there; everything else
/// reads and writes the primary.
pub async fn begin() -> Result<(Option<Viewer>, Transaction<'static, Postgres>), AppError> {
    let viewer = viewer();
    let tx = match (&viewer, replica_read()) {
        (None, Some(replica)) => db::begin_as(&replica.pool, None).await?,
        _ => db::begin_as(&app_state()?.pool, viewer.as_ref().map(|v| v.id)).await?,
    };
    Ok((viewer, tx))
}

/// The replica this anonymous page may read from, when the server cleared it for one.
pub fn replica_read() -> Option<crate::server::state::ReplicaRead> {
    parts().and_then(|p| p.extensions.get::<crate::server::state::ReplicaRead>().cloned())
}

/// A confirmation shown on the page the browser lands on next.
pub async fn notice(message: impl Into<String>) -> Result<(), AppError> {
    crate::server::auth::session::set_flash(&session()?, Flash::success(message)).await
}

/// The confirmation of an invitation, with the one-time link to pass on when there is one.
pub async fn notice_invited(message: String, invited: &crate::server::accounts::Invited) -> Result<(), AppError> {
    match invited {
        crate::server::accounts::Invited::Link(token) => notice_with_link(message, token).await,
        _ => notice(message).await,
    }
}

/// A confirmation with a one-time link to pass on; the link is shown once and never logged.
pub async fn notice_with_link(message: impl Into<String>, token: &str) -> Result<(), AppError> {
    let link = format!("{}/invitations/{token}", origin());
    let flash = Flash { link: Some(link), ..Flash::success(message) };
    crate::server::auth::session::set_flash(&session()?, flash).await
}

/// A confirmation with two-step recovery codes, shown once to their owner and never logged.
pub async fn notice_with_codes(message: impl Into<String>, codes: &[String]) -> Result<(), AppError> {
    let codes = codes.iter().map(|c| crate::domain::two_step::show_recovery_code(c)).collect();
    let flash = Flash { codes, ..Flash::success(message) };
    crate::server::auth::session::set_flash(&session()?, flash).await
}

/// After this server function, send the browser to `location` (a path on this site). The one
/// way server functions redirect: a location that is not a valid header value (which would
/// make leptos panic while building the response) is refused, never sent.
pub fn redirect(location: &str) -> Result<(), AppError> {
    if !location.starts_with('/') || location.starts_with("//") || http::HeaderValue::from_str(location).is_err() {
        tracing::error!("refused to redirect to a location that is not a path on this site");
        return Err(AppError::Internal);
    }
    leptos_axum::redirect(location);
    Ok(())
}

/// This site's origin as browsers reach it, for links shown to people (one-time links): the
/// configured public origin. Outside demo mode the server does not start without one; in
/// demo mode on one's own machine the request's Host is used.
pub fn origin() -> String {
    if let Some(origin) = app_state().ok().and_then(|s| s.public_origin) {
        return origin;
    }
    let host = parts()
        .and_then(|p| p.headers.get(http::header::HOST).and_then(|h| h.to_str().ok()).map(str::to_owned))
        .unwrap_or_else(|| "localhost".into());
    format!("http://{host}")
}

/// The id of the request being answered: on every log line of it (the request span), in the
/// `x-request-id` response header and on the error page a person sees, so a report of "it went
/// wrong" can be matched to the log. Set by the server's outermost layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// The request's trace span (its id, method and path), kept in the request so that what is
/// logged where that span is not current still carries it: leptos loads a page's data in
/// tasks of its own, outside the span the request's middleware entered.
#[derive(Clone)]
pub struct RequestSpan(pub tracing::Span);

/// Runs `f` (which logs) inside the current request's span when there is one and it is not
/// already current; otherwise just runs it.
pub fn in_request_span<R>(f: impl FnOnce() -> R) -> R {
    let span = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestSpan>().map(|s| s.0.clone()));
    match span {
        Some(span) if span.id().is_some() && tracing::Span::current().id() != span.id() => span.in_scope(f),
        _ => f(),
    }
}

/// The current request's id, while a page renders on the server.
pub fn request_id() -> Option<String> {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestId>().map(|id| id.0.clone()))
}
