//! Retention: the sweeper removes what the operator's settings no longer keep (ended
//! sessions, old sign-in failures, old change events, unconfirmed uploads) and nothing else;
//! the session lifetime an operator sets is the one sessions get. Real database, fresh per test.

mod common;

use app::domain::retention::Retention;
use app::server::db::housekeeping;
use common::{stage_matrix_upload, TestApp, MATRIX_RISK_UPLOAD, MATRIX_UPLOAD};
use sqlx::PgPool;

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_sweep_removes_what_retention_no_longer_keeps_and_nothing_else(pool: PgPool) {
    let app = TestApp::with_demo(pool.clone()).await;
    // Two sessions: one its idle limit has passed, one in use.
    app.sign_in("clacks.member@example.org").await;
    sqlx::query("update tower_sessions.session set expiry_date = now() - interval '1 minute'")
        .execute(&pool)
        .await
        .unwrap();
    let active = app.sign_in("stirling.member@example.org").await;
    assert_eq!(count(&pool, "select count(*) from tower_sessions.session").await, 2);

    // Sign-in failures: one from 30 hours ago, one from 2 hours ago.
    sqlx::query(
        "insert into auth.sign_in_failures (key, failed_at) values
             ('address:192.0.2.1', now() - interval '30 hours'), ('address:192.0.2.1', now() - interval '2 hours')",
    )
    .execute(&pool)
    .await
    .unwrap();

    // The change-event log: the demo's events, half of them made three days old.
    let events = count(&pool, "select count(*) from live.change_events").await;
    assert!(events >= 2, "the demo load leaves change events ({events})");
    sqlx::query(
        "update live.change_events set occurred_at = now() - interval '3 days'
          where (xid, seq) in (select xid, seq from live.change_events order by xid, seq limit $1)",
    )
    .bind(events / 2)
    .execute(&pool)
    .await
    .unwrap();

    // Uploads: the plan upload three hours old, the two risk uploads just made.
    stage_matrix_upload(&pool).await;
    sqlx::query("update plan_imports set created_at = now() - interval '3 hours' where id = $1::uuid")
        .bind(MATRIX_UPLOAD)
        .execute(&pool)
        .await
        .unwrap();
    let audit_before = count(&pool, "select count(*) from audit_events").await;
    let history_before = count(&pool, "select count(*) from status_updates").await;

    let keep = Retention { sign_in_failures_hours: 24, events_days: 2, uploads_hours: 2, ..Retention::default() };
    // As the server's role, through row-level security, as the server's sweeper runs.
    let swept = housekeeping::sweep(&app.app_pool, &keep).await.unwrap();
    assert_eq!(
        swept,
        housekeeping::Swept { sessions: 1, sign_in_failures: 1, events: events / 2, uploads: 1 },
        "each kind swept by its own setting"
    );

    // What is left is what the settings keep.
    assert_eq!(count(&pool, "select count(*) from tower_sessions.session").await, 1);
    assert!(app.get_with_cookie("/me", &active).await.status.is_success(), "the session in use still works");
    assert_eq!(count(&pool, "select count(*) from auth.sign_in_failures").await, 1);
    assert_eq!(
        count(&pool, "select count(*) from live.change_events where occurred_at < now() - interval '2 days'").await,
        0
    );
    assert_eq!(count(&pool, "select count(*) from live.change_events").await, events - events / 2);
    assert_eq!(count(&pool, "select count(*) from live.pruned").await, 1, "readers from before the cut reload");
    assert_eq!(count(&pool, "select count(*) from plan_imports").await, 0);
    let risk_uploads: Vec<uuid::Uuid> =
        sqlx::query_scalar("select id from risk_imports order by id").fetch_all(&pool).await.unwrap();
    assert_eq!(risk_uploads.len(), 2, "uploads younger than the setting stay");
    assert!(risk_uploads.iter().any(|id| id.to_string() == MATRIX_RISK_UPLOAD));
    // The record is never swept.
    assert_eq!(count(&pool, "select count(*) from audit_events").await, audit_before);
    assert_eq!(count(&pool, "select count(*) from status_updates").await, history_before);

    // Again with the defaults: nothing more is old enough.
    let again = housekeeping::sweep(&app.app_pool, &Retention::default()).await.unwrap();
    assert_eq!(again, housekeeping::Swept::default());
}

/// Seconds from now until the newest session's row expires.
async fn session_lifetime(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select extract(epoch from max(expiry_date) - now())::bigint from tower_sessions.session")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn sessions_last_as_long_as_the_operator_says(pool: PgPool) {
    server::demo::load_if_empty(&pool).await.unwrap();
    let short = Retention { session_idle_minutes: 20, session_max_hours: 1, ..Retention::default() };
    let app = TestApp::configured(pool.clone(), 4, |state| state.retention = short);
    let cookie = app.sign_in("clacks.member@example.org").await;
    let lifetime = session_lifetime(&pool).await;
    assert!((19 * 60..=20 * 60).contains(&lifetime), "idle limit of 20 minutes, got {lifetime} s");
    assert!(app.get_with_cookie("/me", &cookie).await.status.is_success());

    let usual = TestApp::new(pool.clone());
    usual.sign_in("stirling.member@example.org").await;
    let lifetime = session_lifetime(&pool).await;
    assert!((8 * 3600 - 60..=8 * 3600).contains(&lifetime), "the default idle limit is 8 hours, got {lifetime} s");
}
