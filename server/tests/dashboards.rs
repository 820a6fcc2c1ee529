//! Dashboards on the committee and subgroup pages, through the real router over the demo:
//! who sees which plans, what lands in each list, and the chart with its table.

mod common;

use common::TestApp;
use sqlx::PgPool;
use uuid::Uuid;

const CLACKS: &str = "/committees/clackmannanshire";

/// A Clackmannanshire-owned action of the published plan, not yet assessed.
async fn clacks_action(pool: &PgPool) -> (Uuid, i32, String) {
    let row = sqlx::query!(
        r#"select a.id, a.version, a.description from actions a join committees c on c.id = a.owner_committee_id
            join plan_actions pa on pa.action_id = a.id join plans p on p.id = pa.plan_id
            where c.slug = 'clackmannanshire' and p.slug = '2023-25' and a.status is null
            order by a.created_at, a.id limit 1"#
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (row.id, row.version, row.description)
}

/// The text of the dashboard section whose heading starts with `heading`, up to the next one.
fn section<'a>(body: &'a str, heading: &str) -> &'a str {
    let at = body.find(heading).unwrap_or_else(|| panic!("no section {heading:?}"));
    let rest = &body[at..];
    let end = rest[1..].find("<h3").map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

#[sqlx::test(migrations = "../migrations")]
async fn the_committee_page_is_its_dashboard_with_drafts_for_members_only(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let public = app.get(CLACKS).await;
    assert_eq!(public.status, 200);
    assert!(public.body.contains("Strategic Improvement Plan 2023-25"));
    assert!(public.body.contains("Status by priority and outcome"));
    let draft_title: String = sqlx::query_scalar!("select title from plans where status = 'draft' limit 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(!public.body.contains(&draft_title), "the public saw the draft's dashboard");
    let member = app.sign_in("clacks.member@example.org").await;
    let theirs = app.get_with_cookie(CLACKS, &member).await;
    assert!(theirs.body.contains(&draft_title), "a member sees the draft's dashboard");
    let stirling = app.sign_in("stirling.lead@example.org").await;
    assert!(!app.get_with_cookie(CLACKS, &stirling).await.body.contains(&draft_title));
    // Status over time: a chart and the same figures as a table.
    assert!(public.body.contains("<svg") && public.body.contains("role=\"img\""));
    assert!(public.body.contains("Show the figures as a table"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_move_to_red_lists_the_action_with_its_reason_and_as_changed_since_the_review(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let (action, version, description) = clacks_action(&app.pool).await;
    // As the page writes it: the action picked may hold an ampersand.
    let excerpt =
        app::domain::update::excerpt(&description).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let lead = app.sign_in("clacks.lead@example.org").await;
    let before = app.get(CLACKS).await.body;
    assert!(!section(&before, "Red and amber").contains(&excerpt));
    // A review recorded in the past, then the update after it.
    let reviewed = app
        .post(
            "/api/record_review",
            &[("committee", "clackmannanshire"), ("plan", "2023-25"), ("reviewed_on", "2026-01-15"), ("note", "")],
            Some(&lead),
        )
        .await;
    assert!(reviewed.status.is_success(), "{} {}", reviewed.status, reviewed.body);
    let fields = [
        ("action", action.to_string()),
        ("version", version.to_string()),
        ("status", "R".to_owned()),
        ("progress", "The provider withdrew.".to_owned()),
        ("evidence", String::new()),
        ("revised_timescale", "September 2027".to_owned()),
        ("reason", "A new provider must be commissioned".to_owned()),
        ("note", String::new()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = app.post("/api/update_action", &fields, Some(&lead)).await;
    assert!(saved.status.is_success(), "{} {}", saved.status, saved.body);

    let after = app.get(CLACKS).await.body;
    let red = section(&after, "Red and amber");
    assert!(red.contains(&excerpt), "the red action is listed");
    assert!(red.contains("A new provider must be commissioned"), "with the reason for its revision");
    assert!(red.contains("September 2027"));
    assert!(red.contains(&format!("data-live-action=\"{action}\"")), "live views keep it current");
    let changed = section(&after, "Changed since the review of 15 January 2026");
    assert!(changed.contains(&excerpt));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_subgroup_page_shows_its_shared_actions_across_the_committees(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let page = app.get("/subgroups/fv-policies-procedures-protocols").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Dashboard: its shared actions in every committee"));
    let groups = section(&page.body, "Status by committees adopting");
    assert!(groups.contains("Clackmannanshire") && groups.contains("Falkirk") && groups.contains("Stirling"));
}
