//! The Content-Security-Policy, in one place: pages allow only their own inline scripts, by a
//! nonce leptos writes fresh into every page it renders (and the page cache replaces in every
//! page it serves again), plus the site's own files; no inline styles at all.

use leptos::prelude::use_context;

/// The policy of a page whose inline scripts carry `nonce`.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy of everything else (files, plain answers, the server's own small pages): no
/// script at all.
pub const PLAIN_POLICY: &str = "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; \
                                object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The nonce a page's policy names, if it names one.
pub fn policy_nonce(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let end = policy[start..].find('\'')? + start;
    Some(&policy[start..end])
}

/// Sets the policy of the page being rendered, with the nonce leptos gives its scripts.
pub fn set_page_policy() {
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&page_policy(&nonce)) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_policy_allows_only_its_nonce_and_no_inline_style() {
        let p = page_policy("abc_DEF-123");
        assert_eq!(policy_nonce(&p), Some("abc_DEF-123"));
        assert!(
            !p.contains("unsafe-inline") && p.contains("style-src 'self';") && p.contains("frame-ancestors 'none'")
        );
        assert_eq!(policy_nonce(PLAIN_POLICY), None);
    }
}
