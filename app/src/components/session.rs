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
        leptos::prelude::use_context::<http::request::Parts>()
            .map(|p| p.uri.path_and_query().map(|pq| pq.to_string()).unwrap_or_else(|| "/".into()))
            .unwrap_or_else(|| "/".into())
    }
    #[cfg(not(feature = "ssr"))]
    {
        "/".into()
    }
}
