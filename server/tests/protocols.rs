//! Protocols: the owning subgroup adds protocols and versions (each asking every committee of
//! the subgroup to ratify it), committees record decisions, overdue reviews and pending
//! ratifications are flagged, and actions link to the protocols they deliver.

mod common;

use axum::http::StatusCode;
use common::{database_digest, TestApp};
use sqlx::PgPool;

const CHAIR: &str = "chair.protocols@example.org";

#[sqlx::test(migrations = "../migrations")]
async fn a_subgroup_adds_a_protocol_and_every_committee_is_asked_to_ratify_it(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let chair = app.sign_in(CHAIR).await;
    let fields = [
        ("subgroup", "fv-policies-procedures-protocols"),
        ("title", "FV Neglect Toolkit"),
        ("summary", "Assessing neglect across agencies."),
        ("owner_name", "Lead officer, Falkirk"),
        ("label", "Version 1"),
        ("document_url", "https://example.org/neglect.pdf"),
        ("body", ""),
        ("review_due_on", "2020-01-31"),
    ];
    let created = app.post("/api/create_protocol", &fields, Some(&chair)).await;
    assert!(created.status.is_success(), "{} {}", created.status, created.body);
    let states: Vec<String> = sqlx::query_scalar!(
        r#"select r.state from protocol_ratifications r join protocol_versions v on v.id = r.protocol_version_id
            join protocols p on p.id = v.protocol_id where p.slug = 'fv-neglect-toolkit'"#
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(states, vec!["pending"; 3], "each of the three committees is asked");

    let page = app.get("/protocols/fv-neglect-toolkit").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Review overdue"), "a past review date is flagged");
    assert!(page.body.contains("Ratification pending: 3"), "pending ratifications are flagged");

    let again = app.post("/api/create_protocol", &fields, Some(&chair)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "one protocol per title");
    let mut no_document = fields;
    no_document[1] = ("title", "Another protocol");
    no_document[5] = ("document_url", "");
    let refused = app.post("/api/create_protocol", &no_document, Some(&chair)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("document_url"), "a link or the text is needed: {}", refused.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn committees_record_decisions_on_new_versions(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let chair = app.sign_in(CHAIR).await;
    let added = app
        .post(
            "/api/add_protocol_version",
            &[
                ("protocol", "fv-learning-review-protocol"),
                ("label", "3.0"),
                ("document_url", ""),
                ("body", "Revised text."),
                ("review_due_on", "2029-03-31"),
            ],
            Some(&chair),
        )
        .await;
    assert!(added.status.is_success(), "{} {}", added.status, added.body);
    let row = sqlx::query!(
        r#"select v.id, r.version from protocol_versions v join protocols p on p.id = v.protocol_id
            join protocol_ratifications r on r.protocol_version_id = v.id join committees c on c.id = r.committee_id
            where p.slug = 'fv-learning-review-protocol' and v.label = '3.0' and c.slug = 'falkirk'"#
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let (vid, v) = (row.id.to_string(), row.version.to_string());
    let lead = app.sign_in("falkirk.lead@example.org").await;
    let no_reason = app
        .post(
            "/api/record_ratification",
            &[
                ("protocol_version", &vid),
                ("committee", "falkirk"),
                ("state", "declined"),
                ("decided_on", "2026-11-20"),
                ("reason", ""),
                ("version", &v),
            ],
            Some(&lead),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY, "a decline needs its reason");
    let ratified = app
        .post(
            "/api/record_ratification",
            &[
                ("protocol_version", &vid),
                ("committee", "falkirk"),
                ("state", "ratified"),
                ("decided_on", "2026-11-20"),
                ("reason", ""),
                ("version", &v),
            ],
            Some(&lead),
        )
        .await;
    assert!(ratified.status.is_success(), "{} {}", ratified.status, ratified.body);
    let stale = app
        .post(
            "/api/record_ratification",
            &[
                ("protocol_version", &vid),
                ("committee", "falkirk"),
                ("state", "pending"),
                ("decided_on", ""),
                ("reason", ""),
                ("version", &v),
            ],
            Some(&lead),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "a decision based on an old version is refused");
    let page = app.get("/protocols/fv-learning-review-protocol").await;
    assert!(page.body.contains("Ratification pending: 2"), "the other two are still pending");

    let before = database_digest(&app.pool).await;
    let other = app
        .post(
            "/api/record_ratification",
            &[
                ("protocol_version", &vid),
                ("committee", "falkirk"),
                ("state", "ratified"),
                ("decided_on", "2026-11-20"),
                ("reason", ""),
                ("version", "2"),
            ],
            Some(&app.sign_in("stirling.lead@example.org").await),
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "only Falkirk's lead officers decide for Falkirk");
    assert_eq!(database_digest(&app.pool).await, before);
}

#[sqlx::test(migrations = "../migrations")]
async fn lead_officers_link_actions_to_the_protocols_they_deliver(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let action: uuid::Uuid = sqlx::query_scalar!(
        r#"select a.id from actions a join committees c on c.id = a.owner_committee_id join plan_actions pa on pa.action_id = a.id
            join plans p on p.id = pa.plan_id where c.slug = 'clackmannanshire' and p.slug = '2023-25'
              and not exists (select 1 from action_protocols ap where ap.action_id = a.id) limit 1"#
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let lead = app.sign_in("clacks.lead@example.org").await;
    let page = format!("/committees/clackmannanshire/plans/2023-25/actions/{action}");
    assert!(app.get_with_cookie(&page, &lead).await.body.contains("Link a protocol it delivers"));
    let id = action.to_string();
    let linked = app
        .post(
            "/api/link_protocol",
            &[("action", &id), ("protocol", "fv-ird-procedure"), ("linked", "true")],
            Some(&lead),
        )
        .await;
    assert!(linked.status.is_success(), "{}", linked.status);
    assert!(app.get(&page).await.body.contains("/protocols/fv-ird-procedure"));
    assert!(
        app.get("/protocols/fv-ird-procedure").await.body.contains(&page),
        "the protocol lists the action delivering it"
    );

    let contributor = app.sign_in("clacks.contributor@example.org").await;
    let refused = app
        .post(
            "/api/link_protocol",
            &[("action", &id), ("protocol", "fv-ird-procedure"), ("linked", "false")],
            Some(&contributor),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "contributors update, lead officers shape");
    let unlinked = app
        .post(
            "/api/link_protocol",
            &[("action", &id), ("protocol", "fv-ird-procedure"), ("linked", "false")],
            Some(&lead),
        )
        .await;
    assert!(unlinked.status.is_success());
    assert!(!app.get(&page).await.body.contains("/protocols/fv-ird-procedure"));
}
