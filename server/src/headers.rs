//! Security headers on every response: the Content-Security-Policy (a page's own, with its
//! nonce, set while it renders; otherwise one that allows no script), no framing, no MIME
//! sniffing, no referrer to other sites, and HSTS when cookies are Secure (so the site is
//! served over HTTPS).

use app::server::security::PLAIN_POLICY;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

#[derive(Clone)]
pub struct SecurityHeaders {
    hsts: Option<HeaderValue>,
}

impl SecurityHeaders {
    pub fn new(secure: bool) -> Arc<Self> {
        Arc::new(SecurityHeaders {
            hsts: secure.then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains")),
        })
    }
}

/// The text of every inline `<script>` in `html` (those without `src`), with its nonce.
pub fn inline_scripts(html: &str) -> Vec<(Option<String>, String)> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        rest = &rest[start..];
        let Some(open_end) = rest.find('>') else { break };
        let tag = &rest[..open_end];
        let Some(close) = rest.find("</script>") else { break };
        if !tag.contains(" src=") {
            let nonce = tag.split_once("nonce=\"").and_then(|(_, n)| n.split_once('"')).map(|(n, _)| n.to_owned());
            scripts.push((nonce, rest[open_end + 1..close].to_owned()));
        }
        rest = &rest[close + "</script>".len()..];
    }
    scripts
}

pub async fn middleware(State(headers): State<Arc<SecurityHeaders>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let set = response.headers_mut();
    if !set.contains_key(header::CONTENT_SECURITY_POLICY) {
        set.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PLAIN_POLICY));
    }
    set.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    set.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    set.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    set.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    if let Some(hsts) = &headers.hsts {
        set.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_found_with_their_nonce_and_external_ones_skipped() {
        let html =
            r#"<script type="module" nonce="n1">run(1);</script><script src="/pkg/x.js"></script><script>b()</script>"#;
        assert_eq!(inline_scripts(html), vec![(Some("n1".into()), "run(1);".into()), (None, "b()".into())]);
    }
}
