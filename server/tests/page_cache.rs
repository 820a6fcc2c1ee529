//! The page cache: anonymous reads come from memory; a committed change, announced through
//! PostgreSQL NOTIFY, makes every instance render afresh.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use sqlx::PgPool;
use std::time::Duration;

const PLAN: &str = "/committees/clackmannanshire/plans/2023-25";

#[sqlx::test(migrations = "../migrations")]
async fn a_second_anonymous_read_is_served_from_memory_with_the_same_bytes(pool: PgPool) {
    let app = TestApp::with_demo(pool).await.with_live_cache().await;
    let first = app.get(PLAN).await;
    let second = app.get(PLAN).await;
    assert_eq!((first.cache.as_str(), second.cache.as_str()), ("miss", "hit"));
    // The same page, but for the nonce its scripts carry, which is fresh in every answer.
    let nonce = |r: &common::TestResponse| {
        let csp = r.headers.get("content-security-policy").unwrap().to_str().unwrap().to_owned();
        app::server::security::policy_nonce(&csp).unwrap().to_owned()
    };
    let (a, b) = (nonce(&first), nonce(&second));
    assert_ne!(a, b);
    assert_eq!(first.body.replace(&a, "NONCE"), second.body.replace(&b, "NONCE"));
    assert_eq!(second.content_type, first.content_type);
    // Another address (a filter) is another page.
    assert_eq!(app.get(&format!("{PLAN}?status=p")).await.cache, "miss");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_committed_change_reaches_the_next_read(pool: PgPool) {
    let app = TestApp::with_demo(pool).await.with_live_cache().await;
    assert!(!app.get("/").await.body.contains("/committees/falkirk/plans/2026-28"));
    assert_eq!(app.get("/").await.cache, "hit");

    // Another process (the CLI importer) commits a new plan.
    common::import(&app.pool, "falkirk", "2026-28", server::demo::FALKIRK_CSV).await.unwrap();

    let mut shown = false;
    for _ in 0..100 {
        if app.get("/").await.body.contains("/committees/falkirk/plans/2026-28") {
            shown = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(shown, "the overview never showed the new plan");
}

#[sqlx::test(migrations = "../migrations")]
async fn requests_with_cookies_and_error_pages_are_never_served_from_memory(pool: PgPool) {
    let app = TestApp::with_demo(pool).await.with_live_cache().await;
    app.get(PLAN).await;
    let with_cookie = app.get_with_cookie(PLAN, "id=abc").await;
    assert_eq!(with_cookie.status, StatusCode::OK);
    assert_eq!(with_cookie.cache, "", "a signed-in view bypasses the shared cache");

    let missing = "/committees/clackmannanshire/plans/1999-01";
    assert_eq!(app.get(missing).await.status, StatusCode::NOT_FOUND);
    let again = app.get(missing).await;
    assert_eq!((again.status, again.cache.as_str()), (StatusCode::NOT_FOUND, ""));
}

#[sqlx::test(migrations = "../migrations")]
async fn nothing_is_served_from_memory_until_the_listener_is_connected(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    app.get(PLAN).await;
    assert_eq!(app.get(PLAN).await.cache, "miss");
}
