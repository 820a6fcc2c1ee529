//! An error is logged once, with the method and path of the request it happened in, and the
//! client sees only a generic message. (A binary of its own: it installs the log subscriber.)

mod common;

use common::TestApp;
use sqlx::PgPool;
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// A fault of ours, not of the database's availability (which is a 503): a table the server's
/// queries name is gone, as after a botched manual change.
async fn break_plans(app: &TestApp) {
    sqlx::query("alter table plans rename to plans_gone").execute(&app.pool).await.unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn an_internal_error_is_logged_once_with_the_request_and_shown_to_no_one(pool: PgPool) {
    let captured = Captured::default();
    let subscriber =
        tracing_subscriber::fmt().with_env_filter("info").with_ansi(false).with_writer(captured.clone()).finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = TestApp::with_demo(pool).await;
    break_plans(&app).await;
    let answer = app.get("/committees/clackmannanshire/plans/2023-25?status=p").await;
    assert_eq!(answer.status, axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    assert!(answer.body.contains("Something went wrong on our side"));
    assert!(!answer.body.to_lowercase().contains("pool"), "no internal detail in the page");

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let errors: Vec<&str> = log.lines().filter(|l| l.contains("ERROR")).collect();
    assert_eq!(errors.len(), 1, "one log line for one error:\n{log}");
    assert!(
        errors[0].contains("method=GET") && errors[0].contains("path=/committees/clackmannanshire/plans/2023-25"),
        "the line names the request: {}",
        errors[0]
    );
    // A one-time link's secret is never written to the log.
    let token = "a".repeat(64);
    app.get(&format!("/invitations/{token}")).await;
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(!log.contains(&token), "a one-time link reached the log");
}

#[sqlx::test(migrations = "../migrations")]
async fn json_log_lines_carry_the_request_id_that_the_person_sees_on_the_error_page(pool: PgPool) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_current_span(false)
        .with_span_list(true)
        .with_env_filter("info")
        .with_writer(captured.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = TestApp::with_demo(pool).await;
    let fine = app.get("/").await;
    let first = fine.headers["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(first.len(), 32, "{first}");
    assert_ne!(app.get("/").await.headers["x-request-id"].to_str().unwrap(), first, "one id per request");

    break_plans(&app).await;
    let answer = app.get("/committees/clackmannanshire/plans/2023-25?status=g").await;
    assert_eq!(answer.status, axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    let id = answer.headers["x-request-id"].to_str().unwrap().to_owned();
    assert!(answer.body.contains(&format!("quote the reference {id}")), "the page shows the id");

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let errors: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .filter(|v| v["level"] == "ERROR")
        .collect();
    assert_eq!(errors.len(), 1, "{log}");
    let request = errors[0]["spans"]
        .as_array()
        .and_then(|spans| spans.iter().find(|s| s["name"] == "request"))
        .unwrap_or_else(|| panic!("no request span: {}", errors[0]));
    assert_eq!(request["id"], id.as_str(), "the error's line carries the page's id: {}", errors[0]);
    assert_eq!(request["path"], "/committees/clackmannanshire/plans/2023-25");
}

#[sqlx::test(migrations = "../migrations")]
async fn metrics_count_requests_by_route_pattern_on_their_own_router(pool: PgPool) {
    use tower::ServiceExt;
    let app = TestApp::with_demo(pool).await;
    let options = leptos::config::LeptosOptions::builder().output_name("forth").site_root("target/site").build();
    let state = server::state(app.app_pool.clone(), options);
    let metrics = server::observe::Metrics::new();
    let router = server::routes::router_observed(
        state,
        app.cache.clone(),
        app.hub.clone(),
        server::signed_in::SignedIn::new(10),
        metrics.clone(),
    );
    for path in ["/committees/clackmannanshire", "/committees/stirling", "/committees/no-such-committee", "/healthz"] {
        let request =
            axum::http::Request::get(path).header("host", "localhost").body(axum::body::Body::empty()).unwrap();
        router.clone().oneshot(request).await.unwrap();
    }
    let sources = server::observe::Sources {
        metrics: metrics.clone(),
        pool: app.app_pool.clone(),
        pool_max: 5,
        hub: app.hub.clone(),
        cache: app.cache.clone(),
    };
    let scrape = server::observe::metrics_router(sources)
        .oneshot(axum::http::Request::get("/metrics").body(axum::body::Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(scrape.status(), 200);
    let text =
        String::from_utf8(http_body_util::BodyExt::collect(scrape.into_body()).await.unwrap().to_bytes().to_vec())
            .unwrap();
    assert!(
        text.contains("fv_http_requests_total{route=\"/committees/{committee}\",method=\"GET\",status=\"2xx\"} 2"),
        "{text}"
    );
    assert!(text.contains("fv_http_requests_total{route=\"/committees/{committee}\",method=\"GET\",status=\"4xx\"} 1"));
    assert!(text.contains("fv_http_request_duration_seconds_count{route=\"/healthz\",method=\"GET\"} 1"));
    assert!(!text.contains("clackmannanshire"), "addresses never reach the metrics, only route patterns");
    for name in
        ["fv_db_pool_in_use", "fv_live_streams_open", "fv_live_events_delivered_total", "fv_page_cache_hits_total"]
    {
        assert!(text.contains(&format!("# TYPE {name} ")), "{name}");
    }
    // The public site does not answer it.
    assert_eq!(app.get("/metrics").await.status, 404);
}
