//! Seeing the server work: a request id on every request (its log lines, the `x-request-id`
//! header, the error page), and Prometheus metrics served on a listener of their own
//! (`FV_METRICS_ADDR`), never on the public site.
//!
//! The metrics are counted here with atomics and a small map, and written in the Prometheus
//! text format on each scrape: requests and latencies by route and method, database pool use,
//! open live streams, events delivered and streams refused, page-cache hits and misses.

use crate::live::LiveHub;
use crate::page_cache::PageCache;
use app::server::request::RequestId;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Gives the request its id (a new random one: an id sent by a client is not trusted, since it
/// would let anyone write into the log's correlation), before the trace span is made.
pub async fn request_id(mut request: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().simple().to_string();
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

/// Keeps the request's trace span (current here, inside the trace layer) in the request, for
/// what is logged in tasks that do not run inside it (`request::in_request_span`).
pub async fn remember_span(mut request: Request, next: Next) -> Response {
    request.extensions_mut().insert(app::server::request::RequestSpan(tracing::Span::current()));
    next.run(request).await
}

/// Latency buckets, in seconds (Prometheus histogram `le` bounds).
const BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Default)]
struct RouteStats {
    /// Requests by status class ("2xx" …).
    by_class: BTreeMap<&'static str, u64>,
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_seconds: f64,
}

/// The counts a scrape reports; one per instance.
#[derive(Default)]
pub struct Metrics {
    routes: Mutex<BTreeMap<(String, String), RouteStats>>,
}

impl Metrics {
    pub fn new() -> Arc<Self> {
        Arc::new(Metrics::default())
    }

    fn record(&self, route: String, method: String, status: u16, seconds: f64) {
        let class = match status {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let stats = routes.entry((route, method)).or_default();
        *stats.by_class.entry(class).or_default() += 1;
        for (bound, n) in BUCKETS.iter().zip(stats.buckets.iter_mut()) {
            if seconds <= *bound {
                *n += 1;
            }
        }
        stats.count += 1;
        stats.sum_seconds += seconds;
    }

    /// Everything, in the Prometheus text format (version 0.0.4).
    pub fn render(&self, sources: &Sources) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# HELP fv_http_requests_total Requests answered, by route, method and status class.");
        let _ = writeln!(out, "# TYPE fv_http_requests_total counter");
        let routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        for ((route, method), stats) in routes.iter() {
            for (class, n) in &stats.by_class {
                let _ = writeln!(
                    out,
                    "fv_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{class}\"}} {n}",
                    label(route),
                    label(method)
                );
            }
        }
        let _ = writeln!(out, "# HELP fv_http_request_duration_seconds Time to answer, by route and method.");
        let _ = writeln!(out, "# TYPE fv_http_request_duration_seconds histogram");
        for ((route, method), stats) in routes.iter() {
            let (route, method) = (label(route), label(method));
            for (bound, n) in BUCKETS.iter().zip(stats.buckets) {
                let _ = writeln!(
                    out,
                    "fv_http_request_duration_seconds_bucket{{route=\"{route}\",method=\"{method}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "fv_http_request_duration_seconds_bucket{{route=\"{route}\",method=\"{method}\",le=\"+Inf\"}} {}",
                stats.count
            );
            let _ = writeln!(
                out,
                "fv_http_request_duration_seconds_sum{{route=\"{route}\",method=\"{method}\"}} {}",
                stats.sum_seconds
            );
            let _ = writeln!(
                out,
                "fv_http_request_duration_seconds_count{{route=\"{route}\",method=\"{method}\"}} {}",
                stats.count
            );
        }
        drop(routes);
        let size = sources.pool.size();
        let idle = u32::try_from(sources.pool.num_idle()).unwrap_or(u32::MAX);
        let (entries, bytes) = sources.cache.usage();
        let mut gauges: Vec<(&str, &str, &str, u64)> = vec![
            ("fv_db_pool_connections", "gauge", "Connections the pool holds open.", u64::from(size)),
            ("fv_db_pool_in_use", "gauge", "Connections lent to requests now.", u64::from(size.saturating_sub(idle))),
            ("fv_db_pool_max", "gauge", "The pool's limit (FV_DB_POOL_SIZE).", u64::from(sources.pool_max)),
            ("fv_live_streams_open", "gauge", "Live streams open on this instance.", sources.hub.open_streams() as u64),
            (
                "fv_live_events_delivered_total",
                "counter",
                "Change events read from the log and fanned out.",
                sources.hub.delivered(),
            ),
            (
                "fv_live_streams_refused_total",
                "counter",
                "Live streams refused: the instance or the address at its limit.",
                sources.hub.refused(),
            ),
            ("fv_page_cache_hits_total", "counter", "Anonymous pages answered from the cache.", sources.cache.hits()),
            ("fv_page_cache_misses_total", "counter", "Cacheable anonymous pages rendered.", sources.cache.misses()),
            ("fv_page_cache_entries", "gauge", "Pages in the cache.", entries as u64),
            ("fv_page_cache_bytes", "gauge", "Bytes the cached pages take.", bytes as u64),
        ];
        if let Some(replica) = sources.cache.replica() {
            let (reads, primary_reads, failures) = replica.counts();
            gauges.extend([
                ("fv_replica_page_reads_total", "counter", "Anonymous pages rendered from the read replica.", reads),
                (
                    "fv_replica_primary_reads_total",
                    "counter",
                    "Anonymous pages rendered from the primary: the replica behind, unreachable or failing.",
                    primary_reads,
                ),
                (
                    "fv_replica_failures_total",
                    "counter",
                    "Times the read replica did not answer or failed a page.",
                    failures,
                ),
                (
                    "fv_replica_lag_bytes",
                    "gauge",
                    "WAL bytes the replica was last seen behind what pages must show.",
                    replica.lag_bytes(),
                ),
            ]);
        }
        for (name, kind, help, value) in gauges {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}");
        }
        out
    }
}

/// A label value with Prometheus's escapes.
fn label(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Counts every request by its route (the pattern it matched, never the address itself, so
/// slugs, ids and one-time tokens never reach the metrics) and how long it took.
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned()).unwrap_or_else(|| {
        // Static files and addresses no route matched.
        if request.uri().path().starts_with("/pkg/") { "/pkg/{file}" } else { "unmatched" }.to_owned()
    });
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    metrics.record(route, method, response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}

/// What a scrape reads besides the counters.
#[derive(Clone)]
pub struct Sources {
    pub metrics: Arc<Metrics>,
    pub pool: sqlx::PgPool,
    pub pool_max: u32,
    pub hub: Arc<LiveHub>,
    pub cache: Arc<PageCache>,
}

/// The metrics listener's one route: `GET /metrics`.
pub fn metrics_router(sources: Sources) -> axum::Router {
    axum::Router::new().route("/metrics", axum::routing::get(scrape)).with_state(sources)
}

async fn scrape(State(sources): State<Sources>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
        sources.metrics.render(&sources),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_fall_into_every_bucket_at_or_above_them() {
        let m = Metrics::default();
        m.record("/committees/{committee}".into(), "GET".into(), 200, 0.02);
        m.record("/committees/{committee}".into(), "GET".into(), 404, 3.0);
        let routes = m.routes.lock().unwrap();
        let stats = &routes[&("/committees/{committee}".to_owned(), "GET".to_owned())];
        assert_eq!(stats.count, 2);
        assert_eq!((stats.by_class["2xx"], stats.by_class["4xx"]), (1, 1));
        assert_eq!(stats.buckets[2], 1, "0.02 s is within 0.025");
        assert_eq!(stats.buckets[1], 0, "but not within 0.01");
        assert_eq!(stats.buckets[BUCKETS.len() - 1], 2, "both within 10 s");
        assert_eq!(label("a\"b\\c"), "a\\\"b\\\\c");
    }
}
