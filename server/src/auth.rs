//! Sessions and the signed-in person, for every request that reaches the app.
//!
//! Sessions live in PostgreSQL (tower-sessions), so any instance serves any request and
//! signing out anywhere ends the session everywhere. The cookie is HttpOnly and SameSite=Lax,
//! Secure unless configured for plain-HTTP local development, and carries only a random id.

use crate::signed_in::{Known, SignedIn};
use app::domain::account::Flash;
use app::domain::text::{clean_address_text, field_problem};
use app::error::{AppError, FieldError};
use app::server::auth::session::{self, now};
use app::server::auth::viewer::{ClientAddr, Viewer};
use app::server::db;
use app::server::state::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::Arc;
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
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(state.retention.session_idle_seconds())))
}

/// The session layer answers a bare 500 (no body, no type) when it cannot save a session at
/// the end of a request: the session store is the database, so that is the database being
/// unreachable, and the answer is a 503 with a retry hint. The request's own work may have been
/// saved by then (its transaction committed first), so the answer says so rather than "nothing
/// was done": nothing is lost, only the answer.
pub async fn unsaved_session_is_unavailable(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let bare = response.status() == StatusCode::INTERNAL_SERVER_ERROR
        && !response.headers().contains_key(header::CONTENT_TYPE)
        && axum::body::HttpBody::size_hint(response.body()).exact() == Some(0);
    if bare {
        tracing::warn!("a session could not be saved; answered 503");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [
                (header::RETRY_AFTER, "5"),
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            "The service is busy at the moment. What you sent may have been saved: reload the page to check \
             before you send it again.",
        )
            .into_response();
    }
    response
}

/// Requests that never need to know who is asking (static files, the health check), and the
/// live stream, which works it out itself without counting as activity.
fn is_anonymous_path(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/healthz" || path == crate::routes::LIVE
}

/// Works out who is asking (placing `Viewer`, the page's `Flash` and `ClientAddr` in the
/// request's extensions), checks text at the edge, and turns server-function errors into
/// proper responses: the real HTTP status for scripts, and for a plain form post the form
/// again with the message and what was typed.
pub async fn identify(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if !clean_address(req.uri()) {
        return bad_address();
    }
    let addr = client_addr(&state, &req);
    req.extensions_mut().insert(ClientAddr(addr));
    if is_anonymous_path(req.uri().path()) {
        return next.run(req).await;
    }
    let Some(session) = req.extensions().get::<Session>().cloned() else {
        return next.run(req).await;
    };
    let memory = req.extensions().get::<Arc<SignedIn>>().cloned();
    let signed_in = match load_viewer(&state, memory.as_deref(), &session).await {
        Ok(Some((viewer, access))) => {
            req.extensions_mut().insert(Known { person: viewer.id, access });
            req.extensions_mut().insert(viewer);
            true
        }
        Ok(None) => false,
        Err(e) => return e.into_response(),
    };
    if req.method() == Method::GET && signed_in {
        if let Ok(Some(flash)) = session::take_flash(&session).await {
            req.extensions_mut().insert(flash);
        }
    }

    // Every field of every server-function call is checked here, whichever function it is:
    // nothing with a control character, or longer than any field takes, reaches one.
    let mut form = None;
    if is_server_fn_form(&req) {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, app::domain::text::MAX_BODY_BYTES).await else {
            return (StatusCode::PAYLOAD_TOO_LARGE, "The form was too large.").into_response();
        };
        let fields: Vec<(String, String)> =
            form_urlencoded::parse(&bytes).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let refused = edge_problems(&fields);
        let submission = Submission {
            path: parts.uri.path().to_owned(),
            back: back_path(&parts.headers),
            html: accepts_html(&parts.headers),
            fields,
            template: (parts.headers.clone(), parts.extensions.clone()),
        };
        if let Some(error) = refused {
            let page = parts.extensions.get::<crate::renderer::PageRenderer>().cloned();
            return refused_form(&session, signed_in, error, submission, page).await;
        }
        req = Request::from_parts(parts, Body::from(bytes));
        form = Some(submission);
    }

    let page = req.extensions().get::<crate::renderer::PageRenderer>().cloned();
    let mut response = next.run(req).await;
    if signed_in {
        // Pages for a signed-in person are theirs alone.
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    }
    let failed = response.headers().contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER);
    if !failed {
        if form.as_ref().is_some_and(|f| f.html) {
            tidy_location(&mut response);
        }
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // A server function's own error, so bounded by what they say (a stale edit lists at most
    // STALE_CHANGES_SHOWN changes); one that cannot be read is logged, never passed off as
    // an empty 500.
    let bytes = match axum::body::to_bytes(body, app::domain::text::MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "a server function's error answer could not be read");
            Default::default()
        }
    };
    let error: AppError = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
        tracing::error!("a server function's error answer was not an error");
        AppError::Internal
    });
    match form {
        Some(submission) if submission.html => refused_form(&session, signed_in, error, submission, page).await,
        _ => {
            parts.status = error.status();
            Response::from_parts(parts, Body::from(bytes))
        }
    }
}

/// A form post to a server function, as the edge saw it.
struct Submission {
    /// The server function's path.
    path: String,
    /// The page the form was on (from Referer), to show it again.
    back: String,
    /// A browser's plain form post (it wants a page back), not a script.
    html: bool,
    fields: Vec<(String, String)>,
    /// The request's headers and extensions, for rendering the form's page again.
    template: (HeaderMap, axum::http::Extensions),
}

/// The first problem any field has, as a refusal naming every such field.
fn edge_problems(fields: &[(String, String)]) -> Option<AppError> {
    let errors: Vec<FieldError> = fields
        .iter()
        .filter_map(|(name, value)| {
            field_problem(value)
                .map(|message| FieldError { field: name.chars().take(100).collect(), message: message.into() })
        })
        .collect();
    (!errors.is_empty()).then_some(AppError::Invalid(errors))
}

/// A refused form post. Scripts get the status and the error as JSON. A browser gets the
/// form again with the message and what was typed: a signed-in person through their session
/// (redirected back to the form, so a reload does not post again); an anonymous visitor in
/// the response itself, with nothing stored, since anyone can send these. Too many sign-in
/// attempts get a 429 page of their own.
async fn refused_form(
    session: &Session,
    signed_in: bool,
    error: AppError,
    form: Submission,
    page: Option<crate::renderer::PageRenderer>,
) -> Response {
    if !form.html {
        return json_error(&error);
    }
    if let AppError::TooManyRequests(message) = &error {
        let page = format!(
            "<!DOCTYPE html><html lang=\"en-GB\"><meta charset=\"utf-8\"><title>Too many attempts</title>\
             <link rel=\"stylesheet\" href=\"/pkg/forth.css\"><main class=\"wrap\"><h1>Too many attempts</h1>\
             <p role=\"alert\">{}</p><p><a href=\"/sign-in\">Back to sign in</a></p></main></html>",
            html_escape(message)
        );
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
            page,
        )
            .into_response();
    }
    let status = error.status();
    let flash = Flash::refused(error, form.path, form.fields);
    if signed_in {
        if session::set_flash(session, flash).await.is_err() {
            return AppError::Internal.into_response();
        }
        let back = HeaderValue::from_str(&form.back).unwrap_or(HeaderValue::from_static("/"));
        return (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response();
    }
    // The form's page, rendered for this response only.
    let Ok(mut again) = Request::builder().method(Method::GET).uri(form.back.as_str()).body(Body::empty()) else {
        return AppError::Internal.into_response();
    };
    let (headers, extensions) = form.template;
    for name in [header::HOST, header::ACCEPT_LANGUAGE, header::USER_AGENT] {
        if let Some(value) = headers.get(&name) {
            again.headers_mut().insert(name, value.clone());
        }
    }
    // Only what a page reads of the request: the routing of the form's own path stays behind.
    if let Some(addr) = extensions.get::<ClientAddr>() {
        again.extensions_mut().insert(addr.clone());
    }
    if let Some(connect) = extensions.get::<ConnectInfo<SocketAddr>>() {
        again.extensions_mut().insert(*connect);
    }
    again.extensions_mut().insert(session.clone());
    again.extensions_mut().insert(flash);
    let Some(crate::renderer::PageRenderer(pages)) = page else {
        tracing::error!("no page renderer in front of a form post");
        return AppError::Internal.into_response();
    };
    let Ok(mut response) = tower::ServiceExt::oneshot(pages, again).await;
    *response.status_mut() = status;
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().remove(header::LOCATION);
    response
}

/// A refusal as a script gets it: the status, and the error as the server function's JSON.
fn json_error(error: &AppError) -> Response {
    let body = serde_json::to_string(error).unwrap_or_else(|_| "\"Internal\"".into());
    (error.status(), [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], body)
        .into_response()
}

/// The page a form was posted from, as a path on this site ("/" when unknown or elsewhere).
fn back_path(headers: &HeaderMap) -> String {
    let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok()).unwrap_or("/");
    // Only the path and query of our own page: the same-origin check has passed already.
    let path = match referer.split_once("://") {
        Some((_, rest)) => rest.find('/').map(|i| &rest[i..]).unwrap_or("/"),
        None => referer,
    };
    app::domain::account::safe_return_path(&without_error_params(path))
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
}

/// Whether the path and query, percent-decoded, are free of control characters.
fn clean_address(uri: &axum::http::Uri) -> bool {
    let path = percent_encoding::percent_decode_str(uri.path()).decode_utf8_lossy();
    clean_address_text(&path)
        && uri.query().is_none_or(|q| {
            form_urlencoded::parse(q.as_bytes()).all(|(k, v)| clean_address_text(&k) && clean_address_text(&v))
        })
}

fn bad_address() -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
        "<!DOCTYPE html><html lang=\"en-GB\"><meta charset=\"utf-8\"><title>Address not understood</title>\
         <link rel=\"stylesheet\" href=\"/pkg/forth.css\"><main class=\"wrap\"><h1>Address not understood</h1>\
         <p>This address contains characters that no page here uses.</p><p><a href=\"/\">Forth Valley overview</a></p>\
         </main></html>",
    )
        .into_response()
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

/// A form-encoded call of a server function: a browser's plain form, the form enhancer, or a
/// script.
fn is_server_fn_form(req: &Request) -> bool {
    req.method() == Method::POST
        && req.uri().path().starts_with("/api/")
        && req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// The session's sign-in record. A store that cannot be reached in time (a slow or restarting
/// database) is "busy" (503), never "signed out": that would answer a member's page 401, or as
/// to the public. A record this build cannot read (an older format) counts as no sign-in.
async fn sign_in_record(session: &Session) -> Result<Option<session::SessionAuth>, AppError> {
    match session::current(session).await {
        Ok(auth) => Ok(auth),
        Err(AppError::Unavailable) => Err(AppError::Unavailable),
        Err(_) => Ok(None),
    }
}

/// The session's person, if the session is signed in, still within its idle and absolute
/// limits, and signed in under the person's current password. Otherwise the session ends.
async fn load_viewer(
    state: &AppState,
    memory: Option<&SignedIn>,
    session: &Session,
) -> Result<Option<(Viewer, i64)>, AppError> {
    let Some(auth) = sign_in_record(session).await? else {
        return Ok(None);
    };
    let now = now();
    if auth.expired(now, &state.retention) {
        session::end(session).await?;
        return Ok(None);
    }
    match person_viewer(state, memory, &auth).await? {
        Some(found) => {
            session::touch(session, auth, now).await?;
            Ok(Some(found))
        }
        None => {
            session::end(session).await?;
            Ok(None)
        }
    }
}

/// The signed-in person of a session, read without counting as activity (a live stream is
/// not someone using the site) and without ending anything: `None` when the session has no
/// sign-in, has expired, or no longer matches its person.
pub async fn signed_in_quietly(
    state: &AppState,
    session: &Session,
) -> Result<Option<(Viewer, session::SessionAuth)>, AppError> {
    let Some(auth) = sign_in_record(session).await? else {
        return Ok(None);
    };
    if auth.expired(now(), &state.retention) {
        return Ok(None);
    }
    Ok(person_viewer(state, None, &auth).await?.map(|(viewer, _)| (viewer, auth)))
}

/// The person a session's sign-in names, with their memberships as they are now, and their
/// access version, while the sign-in still holds (their password has not changed since).
/// One primary-key read when `memory` has them under their current access version; otherwise
/// loaded from the database and remembered there.
pub async fn person_viewer(
    state: &AppState,
    memory: Option<&SignedIn>,
    auth: &session::SessionAuth,
) -> Result<Option<(Viewer, i64)>, AppError> {
    let remembered = match memory {
        Some(memory) => match db::people::access_version(&state.pool, auth.person_id).await? {
            None => return Ok(None),
            Some(access) => memory.viewer(auth.person_id, access).map(|(viewer, version)| (viewer, version, access)),
        },
        None => None,
    };
    let (viewer, version, access) = match remembered {
        Some(found) => found,
        None => {
            let generation = memory.map(SignedIn::generation);
            let mut tx = db::begin_as(&state.pool, Some(auth.person_id)).await?;
            let loaded = db::people::load_signed_in(&mut tx, auth.person_id).await?;
            tx.commit().await?;
            let Some(loaded) = loaded else { return Ok(None) };
            if let (Some(memory), Some(generation)) = (memory, generation) {
                memory.remember(loaded.access, generation, loaded.auth_version, &loaded.viewer);
            }
            (loaded.viewer, loaded.auth_version, loaded.access)
        }
    };
    Ok((version == auth.auth_version).then_some((viewer, access)))
}

/// The client's address: the peer's, or behind trusted proxies the X-Forwarded-For entry the
/// outermost of them added, `proxy_hops` from the right. Entries to the left of it are the
/// client's own say and are never used.
fn client_addr(state: &AppState, req: &Request) -> String {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    if state.proxy_hops == 0 {
        return peer;
    }
    let entries: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    entries
        .len()
        .checked_sub(state.proxy_hops)
        .and_then(|i| entries[i].parse::<std::net::IpAddr>().ok())
        .map(|ip| ip.to_string())
        .unwrap_or(peer)
}
