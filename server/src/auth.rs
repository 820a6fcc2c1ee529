//! Sessions and the signed-in person, for every request that reaches the app.
//!
//! Sessions live in PostgreSQL (tower-sessions), so any instance serves any request and
//! signing out anywhere ends the session everywhere. The cookie is HttpOnly and SameSite=Lax,
//! Secure unless configured for plain-HTTP local development, and carries only a random id.

use app::domain::account::{is_secret_field, Flash, FlashKind};
use app::error::AppError;
use app::server::auth::session::{self, now};
use app::server::auth::viewer::ClientAddr;
use app::server::db;
use app::server::state::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

pub const COOKIE_NAME: &str = "fv_session";

pub fn session_layer(state: &AppState) -> SessionManagerLayer<PostgresStore> {
    SessionManagerLayer::new(PostgresStore::new(state.pool.clone()))
        .with_name(COOKIE_NAME)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.secure_cookies)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(session::IDLE_SECONDS)))
}

/// Requests that never need to know who is asking: static files and the health check.
fn is_anonymous_path(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/healthz"
}

/// Works out who is asking (placing `Viewer`, the page's `Flash` and `ClientAddr` in the
/// request's extensions), and turns server-function errors into proper responses: the real
/// HTTP status for scripts, and for a plain form post a flash message with what was typed,
/// carried across the redirect back to the form.
pub async fn identify(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let addr = client_addr(&state, &req);
    req.extensions_mut().insert(ClientAddr(addr));
    if is_anonymous_path(req.uri().path()) {
        return next.run(req).await;
    }
    let Some(session) = req.extensions().get::<Session>().cloned() else {
        return next.run(req).await;
    };
    let signed_in = match load_viewer(&state, &session).await {
        Ok(Some(viewer)) => {
            req.extensions_mut().insert(viewer);
            true
        }
        Ok(None) => false,
        Err(e) => return e.into_response(),
    };
    if req.method() == Method::GET {
        if let Ok(Some(flash)) = session::take_flash(&session).await {
            req.extensions_mut().insert(flash);
        }
    }

    let form = if is_form_post(&req) {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, crate::routes::BODY_LIMIT).await else {
            return (StatusCode::PAYLOAD_TOO_LARGE, "The form was too large.").into_response();
        };
        let fields: Vec<(String, String)> = form_urlencoded::parse(&bytes)
            .filter(|(k, _)| !is_secret_field(k))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let path = parts.uri.path().to_owned();
        req = Request::from_parts(parts, Body::from(bytes));
        Some((path, fields))
    } else {
        None
    };

    let mut response = next.run(req).await;
    if signed_in {
        // Pages for a signed-in person are theirs alone.
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    }
    let failed = response.headers().contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER);
    if !failed {
        if form.is_some() {
            tidy_location(&mut response);
        }
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let error: AppError = serde_json::from_slice(&bytes).unwrap_or(AppError::Internal);
    match form {
        Some((path, fields)) => form_failed(&session, error, path, fields, parts).await,
        None => {
            parts.status = error.status();
            Response::from_parts(parts, Body::from(bytes))
        }
    }
}

/// A refused plain form post goes back to the form with the message and what was typed; too
/// many sign-in attempts get a 429 page of their own.
async fn form_failed(
    session: &Session,
    error: AppError,
    path: String,
    fields: Vec<(String, String)>,
    parts: axum::http::response::Parts,
) -> Response {
    if let AppError::TooManyRequests(message) = &error {
        let page = format!(
            "<!DOCTYPE html><html lang=\"en-GB\"><meta charset=\"utf-8\"><title>Too many attempts</title>\
             <link rel=\"stylesheet\" href=\"/pkg/forth.css\"><main class=\"wrap\"><h1>Too many attempts</h1>\
             <p role=\"alert\">{}</p><p><a href=\"/sign-in\">Back to sign in</a></p></main></html>",
            html_escape(message)
        );
        return (StatusCode::TOO_MANY_REQUESTS, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page)
            .into_response();
    }
    let flash = Flash {
        kind: FlashKind::Error,
        message: error.to_string(),
        form: Some(path),
        fields,
        error: Some(error),
        link: None,
    };
    if session::set_flash(session, flash).await.is_err() {
        return AppError::Internal.into_response();
    }
    let back = parts
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(without_error_params)
        .and_then(|v| HeaderValue::from_str(&v).ok())
        .unwrap_or(HeaderValue::from_static("/"));
    (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response()
}

fn tidy_location(response: &mut Response) {
    let tidy = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(without_error_params)
        .and_then(|v| HeaderValue::from_str(&v).ok());
    if let Some(location) = tidy {
        response.headers_mut().insert(header::LOCATION, location);
    }
}

/// The form's page without the `__path`/`__err` query parameters leptos adds for a refused
/// post: the flash message carries the error, and the address stays clean to share or reload.
fn without_error_params(location: &str) -> String {
    let Some((path, query)) = location.split_once('?') else {
        return location.to_owned();
    };
    let kept: Vec<&str> =
        query.split('&').filter(|p| !p.starts_with("__path=") && !p.starts_with("__err=") && !p.is_empty()).collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A browser's plain form submission to a server function (no JavaScript involved).
fn is_form_post(req: &Request) -> bool {
    let header_has =
        |name, needle: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains(needle));
    req.method() == Method::POST
        && req.uri().path().starts_with("/api/")
        && header_has(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        && header_has(header::ACCEPT, "text/html")
}

/// The session's person, if the session is signed in, still within its idle and absolute
/// limits, and signed in under the person's current password. Otherwise the session ends.
async fn load_viewer(
    state: &AppState,
    session: &Session,
) -> Result<Option<app::server::auth::viewer::Viewer>, AppError> {
    let Some(auth) = session::current(session).await.unwrap_or(None) else {
        return Ok(None);
    };
    let now = now();
    if auth.expired(now) {
        session::end(session).await?;
        return Ok(None);
    }
    let mut tx = db::begin_as(&state.pool, Some(auth.person_id)).await?;
    let loaded = db::people::load_viewer(&mut tx, auth.person_id).await?;
    tx.commit().await?;
    match loaded {
        Some((viewer, version)) if version == auth.auth_version => {
            session::touch(session, auth, now).await?;
            Ok(Some(viewer))
        }
        _ => {
            session::end(session).await?;
            Ok(None)
        }
    }
}

/// The peer address, or the first X-Forwarded-For hop when a trusted proxy sets it.
fn client_addr(state: &AppState, req: &Request) -> String {
    if state.trust_proxy {
        if let Some(forwarded) = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
            if let Some(first) = forwarded.split(',').next().map(str::trim).filter(|s| !s.is_empty()) {
                return first.to_owned();
            }
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}
