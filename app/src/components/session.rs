//! Who is signed in and the flash message, as the page being rendered sees them. Pages render
//! on the server only (islands), so these read the request directly; in the browser they are
//! never called and return nothing.

use crate::domain::account::{Flash, SignedIn};

pub fn signed_in() -> Option<SignedIn> {
    #[cfg(feature = "ssr")]
    {
        crate::server::request::viewer().map(|v| v.shown)
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

pub fn flash() -> Option<Flash> {
    #[cfg(feature = "ssr")]
    {
        crate::server::request::flash()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The path of the page being rendered, for "sign in and come back here".
pub fn current_path() -> String {
    #[cfg(feature = "ssr")]
    {
        // The page's canonical address, so a page shared from the cache links back to itself.
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| crate::domain::address::canonical_address(p.uri.path(), p.uri.query()))
            .unwrap_or_else(|| "/".into())
    }
    #[cfg(not(feature = "ssr"))]
    {
        "/".into()
    }
}

/// Marks the page being rendered as not to be shared through the page cache (its address
/// names something that does not exist, so every such address would be an entry of its own).
pub fn not_shared() {
    #[cfg(feature = "ssr")]
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(http::HeaderName::from_static("x-page-cache"), http::HeaderValue::from_static("skip"));
    }
}
