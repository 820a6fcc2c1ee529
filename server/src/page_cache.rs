//! A cache of rendered pages for anonymous readers. Published plans are read far more often
//! than they change, so a page is rendered once and served from memory until a change is
//! announced. Every change to what pages show is a change event from the database (`live`);
//! each instance's hub follows them and the cache drops everything when one about published
//! material arrives, so instances behind a load balancer never serve a page older than the last
//! commit they were told about. While the hub is not following the log nothing is served from
//! the cache (a missed event must not leave a stale page), and entries also expire after `ttl`
//! because some pages depend on the date (overdue reviews).

use crate::live::hub::Change;
use crate::live::LiveHub;
use app::domain::address::canonical_address;
use app::domain::live::Kind;
use app::server::security::policy_nonce;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

const MAX_BODY: usize = 8 * 1024 * 1024;
/// A page marks itself with this response header (value `skip`) when its address is not one
/// to share, e.g. a filter naming a lead the plan does not have; the header never leaves.
pub const SKIP_HEADER: &str = "x-page-cache";

pub struct PageCache {
    generation: AtomicU64,
    /// Anonymous cacheable requests answered from the cache, and rendered, for the metrics.
    hits: AtomicU64,
    misses: AtomicU64,
    listening: AtomicBool,
    entries: RwLock<Entries>,
    max_entries: usize,
    max_bytes: usize,
    ttl: Duration,
    /// Where pages are rendered from when a streaming replica is configured (`replica`).
    replica: OnceLock<Arc<crate::replica::Replica>>,
}

/// The stored pages, and their order of storing so the oldest go first when full.
#[derive(Default)]
struct Entries {
    by_key: HashMap<String, Entry>,
    order: BTreeMap<u64, String>,
    next: u64,
    bytes: usize,
}

struct Entry {
    generation: u64,
    stored: Instant,
    sequence: u64,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    /// The nonce the page's policy and scripts carry, and where it stands in the body: each
    /// page served again gets a fresh one, so no two answers share a nonce.
    nonce: Option<(String, Vec<usize>)>,
}

impl Entry {
    fn new(generation: u64, sequence: u64, status: StatusCode, headers: &HeaderMap, body: Bytes) -> Self {
        let nonce = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .and_then(policy_nonce)
            .filter(|n| n.len() >= 16)
            .map(|n| (n.to_owned(), find_all(&body, n.as_bytes())));
        Entry { generation, stored: Instant::now(), sequence, status, headers: headers.clone(), body, nonce }
    }

    /// The stored page as a fresh answer.
    fn response(&self) -> Response {
        let mut headers = self.headers.clone();
        let body = match &self.nonce {
            None => self.body.clone(),
            Some((old, at)) => {
                let fresh = leptos::nonce::Nonce::new().to_string();
                if let Some(policy) = headers.get(header::CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()) {
                    if let Ok(value) = HeaderValue::from_str(&policy.replace(old.as_str(), &fresh)) {
                        headers.insert(header::CONTENT_SECURITY_POLICY, value);
                    }
                }
                let mut body = Vec::with_capacity(self.body.len() + at.len() * fresh.len());
                let mut from = 0;
                for &position in at {
                    body.extend_from_slice(&self.body[from..position]);
                    body.extend_from_slice(fresh.as_bytes());
                    from = position + old.len();
                }
                body.extend_from_slice(&self.body[from..]);
                Bytes::from(body)
            }
        };
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = self.status;
        *response.headers_mut() = headers;
        response.headers_mut().insert(SKIP_HEADER, HeaderValue::from_static("hit"));
        response
    }
}

/// Where `needle` starts in `haystack`, every time, without overlaps.
fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut i = 0;
    while i + needle.len() <= haystack.len() {
        if &haystack[i..i + needle.len()] == needle {
            found.push(i);
            i += needle.len();
        } else {
            i += 1;
        }
    }
    found
}

impl Entries {
    fn clear(&mut self) {
        self.by_key.clear();
        self.order.clear();
        self.bytes = 0;
    }

    fn remove(&mut self, key: &str) {
        if let Some(old) = self.by_key.remove(key) {
            self.order.remove(&old.sequence);
            self.bytes -= entry_size(key, &old.body);
        }
    }

    fn evict_oldest(&mut self) {
        if let Some((_, key)) = self.order.pop_first() {
            if let Some(old) = self.by_key.remove(&key) {
                self.bytes -= entry_size(&key, &old.body);
            }
        }
    }
}

fn entry_size(key: &str, body: &Bytes) -> usize {
    key.len() + body.len() + 512
}

impl PageCache {
    pub fn new(max_entries: usize, ttl: Duration) -> Arc<Self> {
        Self::with_limits(max_entries, 64 * 1024 * 1024, ttl)
    }

    /// At most `max_entries` pages and `max_bytes` of them; the oldest make way.
    pub fn with_limits(max_entries: usize, max_bytes: usize, ttl: Duration) -> Arc<Self> {
        Arc::new(PageCache {
            generation: AtomicU64::new(0),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            listening: AtomicBool::new(false),
            entries: RwLock::new(Entries::default()),
            max_entries,
            max_bytes,
            ttl,
            replica: OnceLock::new(),
        })
    }

    /// Renders the pages this cache misses from `replica` when it has caught up.
    pub fn read_from(&self, replica: Arc<crate::replica::Replica>) {
        let _ = self.replica.set(replica);
    }

    pub fn replica(&self) -> Option<&Arc<crate::replica::Replica>> {
        self.replica.get()
    }

    /// Forgets every page: something they may show has changed. The replica, if any, is not
    /// read from again until it has replayed the change.
    pub fn invalidate(&self) {
        if let Some(replica) = self.replica.get() {
            replica.mark_stale();
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.entries.write().unwrap_or_else(|e| e.into_inner()).clear();
    }

    pub fn is_listening(&self) -> bool {
        self.listening.load(Ordering::SeqCst)
    }

    /// Pages held now, and their size in bytes.
    pub fn usage(&self) -> (usize, usize) {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        (entries.by_key.len(), entries.bytes)
    }

    /// Moves on every invalidation: something remembered under an older one is stale.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    pub fn misses(&self) -> u64 {
        self.misses.load(Ordering::Relaxed)
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    fn lookup(&self, key: &str) -> Option<Response> {
        if !self.is_listening() {
            return None;
        }
        let generation = self.generation();
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let entry = entries.by_key.get(key).filter(|e| e.generation == generation && e.stored.elapsed() < self.ttl)?;
        Some(entry.response())
    }

    fn store(&self, key: String, generation: u64, status: StatusCode, headers: &HeaderMap, body: Bytes) {
        // A change committed while this page was rendering makes it stale already.
        if !self.is_listening() || generation != self.generation() {
            return;
        }
        let size = entry_size(&key, &body);
        if size > self.max_bytes {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        entries.remove(&key);
        while !entries.by_key.is_empty()
            && (entries.by_key.len() >= self.max_entries || entries.bytes + size > self.max_bytes)
        {
            entries.evict_oldest();
        }
        let sequence = entries.next;
        entries.next += 1;
        entries.order.insert(sequence, key.clone());
        entries.bytes += size;
        entries.by_key.insert(key, Entry::new(generation, sequence, status, headers, body));
    }
}

/// Only anonymous page reads are shared: no cookie (a signed-in person sees their own view,
/// remembered apart: `signed_in`).
fn cacheable_request(request: &Request) -> bool {
    request.method() == Method::GET
        && !request.headers().contains_key(header::COOKIE)
        && !request.headers().contains_key(header::AUTHORIZATION)
        && page_path(request.uri().path())
}

/// A page's address: not a server function, not a static file, not the health check.
fn page_path(path: &str) -> bool {
    !path.starts_with("/api/")
        && !path.starts_with("/pkg/")
        && path != "/healthz"
        && path != crate::routes::LIVE
        // One-time links carry a secret in the address and stop working once used.
        && !path.starts_with("/invitations/")
        // Its form carries the return address from the query: cheap to render, never shared;
        // the steps after it belong to one half-done sign-in (and carry a cookie anyway).
        && path != "/sign-in"
        && !path.starts_with("/sign-in/")
}

fn cacheable_response(response: &Response) -> bool {
    let private = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store") || v.contains("private"));
    response.status() == StatusCode::OK
        && !private
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"))
}

pub async fn middleware(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    if !cacheable_request(&request) {
        return next.run(request).await;
    }
    // One entry per page, whatever junk parameters the address carries.
    let Some(key) = canonical_address(request.uri().path(), request.uri().query()) else {
        return next.run(request).await;
    };
    through(&cache, key, request, next).await
}

/// The page under `key` from `cache`, or rendered by `next` and remembered there when it may be.
pub async fn through(cache: &PageCache, key: String, request: Request, next: Next) -> Response {
    if let Some(hit) = cache.lookup(&key) {
        cache.hits.fetch_add(1, Ordering::Relaxed);
        return hit;
    }
    cache.misses.fetch_add(1, Ordering::Relaxed);
    let generation = cache.generation();
    // Only while the hub follows the log: otherwise changes go unseen, and so does the WAL
    // position the replica would have to reach.
    let mut response = match cache.replica().filter(|_| cache.is_listening()) {
        Some(replica) => replica.render(request, next).await,
        None => next.run(request).await,
    };
    let skip = response.headers_mut().remove(SKIP_HEADER).is_some();
    if skip || !cacheable_response(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "reading a rendered page failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    cache.store(key, generation, parts.status, &parts.headers, bytes.clone());
    parts.headers.insert(SKIP_HEADER, HeaderValue::from_static("miss"));
    Response::from_parts(parts, Body::from(bytes))
}

/// Keeps `cache` in step with the database for as long as the server runs: every change
/// event about published material (or about a person, whose name pages may show) drops it,
/// and while the hub is not following the log nothing is served from it.
pub fn follow(hub: Arc<LiveHub>, cache: Arc<PageCache>) -> tokio::task::JoinHandle<()> {
    follow_where(hub, cache, |change| change.public || change.kind == Kind::Person)
}

/// As `follow`, dropping the cache on every change event that `relevant` picks.
pub fn follow_where(
    hub: Arc<LiveHub>,
    cache: Arc<PageCache>,
    relevant: fn(&Change) -> bool,
) -> tokio::task::JoinHandle<()> {
    let mut changes = hub.subscribe();
    let mut connected = hub.connected();
    tokio::spawn(async move {
        let mut following = *connected.borrow_and_update();
        cache.listening.store(following, Ordering::SeqCst);
        if following {
            caught_up(&cache);
        }
        loop {
            tokio::select! {
                changed = connected.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    let now = *connected.borrow_and_update();
                    if now != following {
                        // Whatever was committed while not following is not in the cache either.
                        cache.invalidate();
                        following = now;
                        cache.listening.store(now, Ordering::SeqCst);
                        if now {
                            caught_up(&cache);
                        }
                    }
                }
                received = changes.recv() => match received {
                    Ok(change) => {
                        if relevant(&change) {
                            cache.invalidate();
                        }
                        if let Some(replica) = cache.replica() {
                            replica.cover(change.position);
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => caught_up(&cache),
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    })
}

/// Everything up to the hub's head may have changed unseen: drop the cache, and the replica
/// waits for the primary's present position.
fn caught_up(cache: &PageCache) {
    cache.invalidate();
    if let Some(replica) = cache.replica() {
        replica.cover_head();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize) -> Bytes {
        Bytes::from(vec![b'x'; n])
    }

    #[test]
    fn a_full_cache_makes_way_for_new_pages_oldest_first_by_count_and_by_bytes() {
        let cache = PageCache::with_limits(3, 10 * 1024, Duration::from_secs(60));
        cache.listening.store(true, Ordering::SeqCst);
        let headers = HeaderMap::new();
        for key in ["a", "b", "c", "d"] {
            cache.store(key.into(), 0, StatusCode::OK, &headers, page(100));
        }
        assert_eq!(cache.usage().0, 3);
        assert!(cache.lookup("a").is_none(), "the oldest made way");
        assert!(cache.lookup("d").is_some() && cache.lookup("b").is_some());
        // A big page pushes out as many as it needs to fit in the bytes allowed.
        cache.store("big".into(), 0, StatusCode::OK, &headers, page(8 * 1024));
        let (entries, bytes) = cache.usage();
        assert!(bytes <= 10 * 1024, "{bytes}");
        assert!(cache.lookup("big").is_some() && cache.lookup("b").is_none(), "{entries}");
        // Bigger than the whole cache: not stored at all.
        cache.store("huge".into(), 0, StatusCode::OK, &headers, page(20 * 1024));
        assert!(cache.lookup("huge").is_none());
        // Storing a page again replaces it without counting it twice.
        cache.store("big".into(), 0, StatusCode::OK, &headers, page(8 * 1024));
        assert_eq!(cache.usage().1, bytes);
    }
}
