//! Cross-site request forgery defence: every state-changing request (anything but GET, HEAD
//! and OPTIONS: server functions and form posts alike) must come from this site's own pages.
//! Browsers say so with Sec-Fetch-Site, or failing that with Origin; a request with neither is
//! refused, so the check fails closed. SameSite=Lax cookies are the second line.

use app::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn same_origin_only(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if is_same_origin(req.headers(), state.public_origin.as_deref()) {
        return next.run(req).await;
    }
    tracing::warn!(method = %req.method(), path = %req.uri().path(), "refused a cross-site state-changing request");
    (
        StatusCode::FORBIDDEN,
        [(header::CACHE_CONTROL, "no-store")],
        "This request did not come from this site's own pages, so it was refused. Nothing was changed.",
    )
        .into_response()
}

pub fn is_same_origin(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = get("sec-fetch-site") {
        // "none" is the person typing the address or using a bookmark.
        return site == "same-origin" || site == "none";
    }
    let Some(origin) = get("origin") else {
        return false;
    };
    match public_origin {
        Some(expected) => origin.eq_ignore_ascii_case(expected.trim_end_matches('/')),
        None => {
            let host = get("host").unwrap_or_default();
            let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or_default();
            !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn same_origin_requests_pass_and_others_fail_closed() {
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "same-origin")]), None));
        assert!(!is_same_origin(&headers(&[("sec-fetch-site", "cross-site"), ("origin", "http://a")]), None));
        assert!(!is_same_origin(&headers(&[("sec-fetch-site", "same-site")]), None));
        assert!(is_same_origin(&headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]), None));
        assert!(!is_same_origin(&headers(&[("origin", "http://evil.example"), ("host", "127.0.0.1:3000")]), None));
        assert!(!is_same_origin(&headers(&[("origin", "null"), ("host", "127.0.0.1:3000")]), None));
        assert!(!is_same_origin(&headers(&[("host", "127.0.0.1:3000")]), None));
        let public = Some("https://plans.example.org");
        assert!(is_same_origin(&headers(&[("origin", "https://plans.example.org")]), public));
        assert!(!is_same_origin(&headers(&[("origin", "http://plans.example.org")]), public));
    }
}
