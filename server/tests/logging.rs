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

#[sqlx::test(migrations = "../migrations")]
async fn an_internal_error_is_logged_once_with_the_request_and_shown_to_no_one(pool: PgPool) {
    let captured = Captured::default();
    let subscriber =
        tracing_subscriber::fmt().with_env_filter("info").with_ansi(false).with_writer(captured.clone()).finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = TestApp::with_demo(pool).await;
    // The database goes away under the server's feet.
    app.app_pool.close().await;
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
