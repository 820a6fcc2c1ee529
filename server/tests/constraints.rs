//! Database errors keep their meaning: a named constraint's refusal reaches the person as the
//! field it concerns (422) or a conflict (409), also when two requests race past each other,
//! never as a 500.

mod common;

use axum::http::StatusCode;
use common::{database_digest, TestApp};
use sqlx::PgPool;

async fn create_committee(app: &TestApp, cookie: &str) -> (StatusCode, String) {
    let fields = [("name", "West Lothian CPC"), ("short_name", "West Lothian"), ("slug", "west-lothian")];
    let r = app.post("/api/create_committee", &fields, Some(cookie)).await;
    (r.status, r.body)
}

#[sqlx::test(migrations = "../migrations")]
async fn two_admins_creating_the_same_committee_at_once_get_one_committee_and_one_clear_refusal(pool: PgPool) {
    let app = TestApp::with_demo_and_pool_size(pool, 4).await;
    let admin = app.sign_in("admin@example.org").await;
    let (a, b) = tokio::join!(create_committee(&app, &admin), create_committee(&app, &admin));
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY], "{a:?} {b:?}");
    let refused = if a.0 == StatusCode::OK { b.1 } else { a.1 };
    assert!(
        refused.contains("\"slug\"") && refused.contains("Another committee already uses this web address"),
        "{refused}"
    );
    let n: i64 = sqlx::query_scalar("select count(*) from committees where slug = 'west-lothian'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(n, 1);
    // And afterwards, one at a time: the same answer, nothing changed.
    let before = database_digest(&app.pool).await;
    assert_eq!(create_committee(&app, &admin).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(database_digest(&app.pool).await, before);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_protocol_title_or_version_name_taken_is_a_field_message(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let chair = app.sign_in("chair.protocols@example.org").await;
    let protocol = [
        ("subgroup", "fv-policies-procedures-protocols"),
        ("title", "FV Child Protection Guidance"),
        ("summary", ""),
        ("owner_name", ""),
        ("label", "1"),
        ("document_url", "https://example.org/p.pdf"),
        ("body", ""),
        ("review_due_on", ""),
    ];
    let before = database_digest(&app.pool).await;
    let r = app.post("/api/create_protocol", &protocol, Some(&chair)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("\"title\""), "{}", r.body);
    let version = [
        ("protocol", "fv-child-protection-guidance"),
        ("label", "2024"),
        ("document_url", "https://example.org/v.pdf"),
        ("body", ""),
        ("review_due_on", ""),
    ];
    let r = app.post("/api/add_protocol_version", &version, Some(&chair)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("\"label\""), "{}", r.body);
    assert_eq!(database_digest(&app.pool).await, before);
}
