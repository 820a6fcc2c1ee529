//! Memory for signed-in people, per instance: each person's memberships (their `Viewer`) and
//! the pages rendered for them.
//!
//! Two things keep it correct. What a person may see changes only with their memberships or
//! account, and every such change moves their access version in the same transaction
//! (`access_versions`); each request reads that one number (a primary-key read) and uses only
//! what was remembered under it. So a member removed from a committee is refused on their very
//! next request, on any instance, whatever was cached. What a page shows changes with
//! everything else, and every change is announced by a change event: each one drops every
//! page remembered here (and the viewers, whose membership names pages show), and while the hub
//! is not following the log nothing is used at all, exactly as the anonymous page cache.

use crate::live::LiveHub;
use crate::page_cache::{self, PageCache};
use app::domain::account::Flash;
use app::domain::address::canonical_address;
use app::server::auth::viewer::Viewer;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use uuid::Uuid;

/// Who a request is from, as far as what it may see goes: placed in the request's extensions
/// by the session middleware for a signed-in person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    pub person: Uuid,
    pub access: i64,
}

pub struct SignedIn {
    viewers: RwLock<HashMap<Uuid, Remembered>>,
    max_viewers: usize,
    /// Whether pages are remembered at all (viewers always are).
    keep_pages: bool,
    pages: Arc<PageCache>,
}

#[derive(Clone)]
struct Remembered {
    access: i64,
    auth_version: i32,
    generation: u64,
    viewer: Viewer,
}

impl SignedIn {
    /// At most `max_pages` pages (0: none, every page is rendered), 64 MB of them, each for a
    /// minute at most (pages showing dates move on with the day).
    pub fn new(max_pages: usize) -> Arc<Self> {
        Self::with_limits(10_000, max_pages, 64 * 1024 * 1024, Duration::from_secs(60))
    }

    pub fn with_limits(max_viewers: usize, max_pages: usize, max_bytes: usize, ttl: Duration) -> Arc<Self> {
        Arc::new(SignedIn {
            viewers: RwLock::new(HashMap::new()),
            max_viewers,
            keep_pages: max_pages > 0,
            pages: PageCache::with_limits(max_pages.max(1), max_bytes, ttl),
        })
    }

    /// Follows `hub`: every change event, whatever it is about, drops every page remembered
    /// here (a signed-in person's pages show unpublished material too).
    pub fn follow(self: &Arc<Self>, hub: Arc<LiveHub>) -> tokio::task::JoinHandle<()> {
        page_cache::follow_where(hub, self.pages.clone(), |_| true)
    }

    /// Moves whenever what was remembered here goes stale: take it before loading a viewer.
    pub fn generation(&self) -> u64 {
        self.pages.generation()
    }

    /// The person's viewer and the password version it was loaded under, if remembered
    /// under `access` since the last change event.
    pub fn viewer(&self, person: Uuid, access: i64) -> Option<(Viewer, i32)> {
        if !self.pages.is_listening() {
            return None;
        }
        let generation = self.pages.generation();
        let viewers = self.viewers.read().unwrap_or_else(|e| e.into_inner());
        let found = viewers.get(&person).filter(|r| r.access == access && r.generation == generation)?;
        Some((found.viewer.clone(), found.auth_version))
    }

    /// Remembers a viewer loaded from the database under `access`, read in the same
    /// transaction before the memberships (so never newer than them), and `generation`, taken
    /// before the load began.
    pub fn remember(&self, access: i64, generation: u64, auth_version: i32, viewer: &Viewer) {
        if !self.pages.is_listening() || generation != self.pages.generation() {
            return;
        }
        let mut viewers = self.viewers.write().unwrap_or_else(|e| e.into_inner());
        if viewers.len() >= self.max_viewers {
            viewers.retain(|_, r| r.generation == generation);
            if viewers.len() >= self.max_viewers {
                viewers.clear();
            }
        }
        viewers.insert(viewer.id, Remembered { access, auth_version, generation, viewer: viewer.clone() });
    }
}

/// The pages worth remembering, and made only of what change events announce: the overview,
/// committees' dashboards, plans and their actions, subgroups, protocols and `/me`. Not the
/// pages of forms and lists whose rows no event announces (members with their invitations,
/// the audit trail, imports, editing, the account and admin pages).
fn remembered_path(path: &str) -> bool {
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    match parts.as_slice() {
        [] | ["me"] | ["protocols"] | ["protocols", _] | ["subgroups", _] | ["committees", _] => true,
        ["committees", _, "plans", plan] => *plan != "import",
        ["committees", _, "plans", _, "actions", _] => true,
        _ => false,
    }
}

/// Serves a signed-in person's page from memory when it was rendered for them under their
/// current access version and nothing has changed since; otherwise renders and remembers it.
/// Pages carrying a one-time message (a flash) are never remembered or served from memory.
/// Whatever a signed-in person changes, they see on their next request here: their post
/// drops every remembered page before it is answered, without waiting for its change event.
pub async fn pages(State(memory): State<Arc<SignedIn>>, request: Request, next: Next) -> Response {
    let Some(known) = request.extensions().get::<Known>().copied() else {
        return next.run(request).await;
    };
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let response = next.run(request).await;
        memory.pages.invalidate();
        return response;
    }
    if !memory.keep_pages
        || request.method() != Method::GET
        || request.extensions().get::<Flash>().is_some()
        || !remembered_path(request.uri().path())
    {
        return next.run(request).await;
    }
    let Some(address) = canonical_address(request.uri().path(), request.uri().query()) else {
        return next.run(request).await;
    };
    let key = format!("{}/{}{address}", known.person, known.access);
    page_cache::through(&memory.pages, key, request, next).await
}

#[cfg(test)]
mod tests {
    use super::remembered_path;

    #[test]
    fn only_pages_made_of_announced_rows_are_remembered() {
        for path in [
            "/",
            "/me",
            "/protocols",
            "/protocols/ird-procedure",
            "/subgroups/ird-steering-group",
            "/committees/stirling",
            "/committees/stirling/plans/2024-26",
            "/committees/stirling/plans/2024-26/actions/0b7c",
        ] {
            assert!(remembered_path(path), "{path}");
        }
        for path in [
            "/account",
            "/account/two-step",
            "/admin",
            "/sign-in",
            "/committees/stirling/members",
            "/committees/stirling/audit",
            "/committees/stirling/plans/import",
            "/committees/stirling/plans/import/5f1e",
            "/committees/stirling/plans/2024-26/edit",
            "/committees/stirling/plans/2024-26/actions/0b7c/history",
        ] {
            assert!(!remembered_path(path), "{path}");
        }
    }
}
