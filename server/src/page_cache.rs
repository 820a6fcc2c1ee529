//! A cache of rendered pages for anonymous readers. Published plans are read far more often
//! than they change, so a page is rendered once and served from memory until a change is
//! announced. Every write to plan data sends `NOTIFY plan_changed` in its transaction; each
//! server instance LISTENs and drops its whole cache when one arrives, so instances behind a
//! load balancer never serve a page older than the last commit they were told about. While the
//! listener is not connected nothing is served from the cache (a missed notification must not
//! leave a stale page), and entries also expire after `ttl` because some pages depend on the
//! date (overdue reviews).

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

pub const CHANNEL: &str = "plan_changed";
const MAX_BODY: usize = 8 * 1024 * 1024;

pub struct PageCache {
    generation: AtomicU64,
    listening: AtomicBool,
    entries: RwLock<HashMap<String, Entry>>,
    max_entries: usize,
    ttl: Duration,
}

struct Entry {
    generation: u64,
    stored: Instant,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl PageCache {
    pub fn new(max_entries: usize, ttl: Duration) -> Arc<Self> {
        Arc::new(PageCache {
            generation: AtomicU64::new(0),
            listening: AtomicBool::new(false),
            entries: RwLock::new(HashMap::new()),
            max_entries,
            ttl,
        })
    }

    /// Forgets every page: something they may show has changed.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.entries.write().unwrap_or_else(|e| e.into_inner()).clear();
    }

    pub fn is_listening(&self) -> bool {
        self.listening.load(Ordering::SeqCst)
    }

    fn lookup(&self, key: &str) -> Option<Response> {
        if !self.is_listening() {
            return None;
        }
        let generation = self.generation.load(Ordering::SeqCst);
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(key).filter(|e| e.generation == generation && e.stored.elapsed() < self.ttl)?;
        let mut response = Response::new(Body::from(entry.body.clone()));
        *response.status_mut() = entry.status;
        *response.headers_mut() = entry.headers.clone();
        response.headers_mut().insert("x-page-cache", HeaderValue::from_static("hit"));
        Some(response)
    }

    fn store(&self, key: String, generation: u64, status: StatusCode, headers: &HeaderMap, body: Bytes) {
        // A change committed while this page was rendering makes it stale already.
        if !self.is_listening() || generation != self.generation.load(Ordering::SeqCst) {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.max_entries {
            entries.retain(|_, e| e.generation == generation && e.stored.elapsed() < self.ttl);
            if entries.len() >= self.max_entries {
                return; // Filter combinations are unbounded; memory is not.
            }
        }
        entries.insert(key, Entry { generation, stored: Instant::now(), status, headers: headers.clone(), body });
    }
}

/// Only anonymous page reads are shared: no cookie (a signed-in person sees their own view),
/// not a server function, not a static file, not the health check.
fn cacheable_request(request: &Request) -> bool {
    let path = request.uri().path();
    request.method() == Method::GET
        && !request.headers().contains_key(header::COOKIE)
        && !request.headers().contains_key(header::AUTHORIZATION)
        && !path.starts_with("/api/")
        && !path.starts_with("/pkg/")
        && path != "/healthz"
        // One-time links carry a secret in the address and stop working once used.
        && !path.starts_with("/invitations/")
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
    let key = request.uri().to_string();
    if let Some(hit) = cache.lookup(&key) {
        return hit;
    }
    let generation = cache.generation.load(Ordering::SeqCst);
    let response = next.run(request).await;
    if !cacheable_response(&response) {
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
    parts.headers.insert("x-page-cache", HeaderValue::from_static("miss"));
    Response::from_parts(parts, Body::from(bytes))
}

/// Keeps `cache` in step with the database for as long as the server runs.
pub fn spawn_listener(pool: PgPool, cache: Arc<PageCache>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match listen(&pool, &cache).await {
                Ok(()) => {}
                Err(error) => tracing::warn!(%error, "change listener lost its connection; reconnecting"),
            }
            cache.listening.store(false, Ordering::SeqCst);
            cache.invalidate();
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    })
}

async fn listen(pool: &PgPool, cache: &PageCache) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    // Anything committed before LISTEN took effect is not in the cache either: start clean.
    cache.invalidate();
    cache.listening.store(true, Ordering::SeqCst);
    loop {
        // `None`: the connection dropped and notifications may have been missed.
        match listener.try_recv().await? {
            Some(_) => cache.invalidate(),
            None => return Ok(()),
        }
    }
}
