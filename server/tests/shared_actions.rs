//! Shared actions: a subgroup's chair creates one, lead officers place it in their plans with
//! their own numbering and a local note, its one update shows everywhere, and a committee can
//! stop adopting it without losing its history.

mod common;

use axum::http::StatusCode;
use common::{database_digest, TestApp};
use sqlx::PgPool;
use uuid::Uuid;

const SUBGROUP: &str = "fv-policies-procedures-protocols";
const CHAIR: &str = "chair.protocols@example.org";
const DESCRIPTION: &str = "Agree one Forth Valley chronology template for all agencies";

async fn created_action(pool: &PgPool) -> Uuid {
    sqlx::query_scalar!("select id from actions where description = $1", DESCRIPTION).fetch_one(pool).await.unwrap()
}

async fn create(app: &TestApp, cookie: &str) -> common::TestResponse {
    app.post(
        "/api/create_shared_action",
        &[
            ("subgroup", SUBGROUP),
            ("description", DESCRIPTION),
            ("lead", "FV Policies, Procedures and Protocols subgroup"),
            ("timescale", "June 2026"),
            ("evidence", "Template in use in all three areas"),
        ],
        Some(cookie),
    )
    .await
}

#[sqlx::test(migrations = "../migrations")]
async fn a_chair_creates_and_committees_adopt_with_their_own_numbering_and_notes(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let chair = app.sign_in(CHAIR).await;
    let created = create(&app, &chair).await;
    assert!(created.status.is_success(), "{} {}", created.status, created.body);
    let action = created_action(&app.pool).await;

    let clacks_lead = app.sign_in("clacks.lead@example.org").await;
    let page = app.get_with_cookie(&format!("/subgroups/{SUBGROUP}"), &clacks_lead).await;
    assert!(page.body.contains(DESCRIPTION), "committees taking part see the new shared action");
    assert!(page.body.contains("No plan has adopted it yet"));
    assert!(page.body.contains("clackmannanshire/2023-25/1.1"), "their lead officers get the adopt form");

    let adopted = app
        .post(
            "/api/adopt_action",
            &[
                ("action", &action.to_string()),
                ("placement", "clackmannanshire/2023-25/1.1"),
                ("local_note", "Clacks: via the CPC business group"),
            ],
            Some(&clacks_lead),
        )
        .await;
    assert!(adopted.status.is_success(), "{} {}", adopted.status, adopted.body);
    let stirling_lead = app.sign_in("stirling.lead@example.org").await;
    let adopted = app
        .post(
            "/api/adopt_action",
            &[("action", &action.to_string()), ("placement", "stirling/2024-26/2.1")],
            Some(&stirling_lead),
        )
        .await;
    assert!(adopted.status.is_success(), "{} {}", adopted.status, adopted.body);

    let placements = sqlx::query!(
        r#"select c.slug, ob.outcome_number, ob.minor, pa.position, pa.local_note,
                  (select max(position) from plan_actions x where x.objective_id = pa.objective_id and x.action_id <> pa.action_id) as before
             from plan_actions pa join plans p on p.id = pa.plan_id join committees c on c.id = p.committee_id
             join objectives ob on ob.id = pa.objective_id where pa.action_id = $1 order by c.slug"#,
        action
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(placements.len(), 2);
    assert_eq!(
        (placements[0].slug.as_str(), placements[0].outcome_number, placements[0].minor),
        ("clackmannanshire", 1, 1)
    );
    assert_eq!(Some(placements[0].position - 1), placements[0].before, "placed last under the objective");
    assert_eq!(placements[0].local_note, "Clacks: via the CPC business group");
    assert_eq!((placements[1].slug.as_str(), placements[1].outcome_number, placements[1].minor), ("stirling", 2, 1));

    let clacks_plan = app.get("/committees/clackmannanshire/plans/2023-25").await;
    assert!(clacks_plan.body.contains(DESCRIPTION) && clacks_plan.body.contains("Clacks: via the CPC business group"));
    let subgroup = app.get(&format!("/subgroups/{SUBGROUP}")).await;
    assert!(
        subgroup.body.contains(&format!("action 1.1.{}", placements[0].position)),
        "the subgroup page lists each adopting plan"
    );
    assert!(subgroup.body.contains(&format!("action 2.1.{}", placements[1].position)));

    let again = app
        .post(
            "/api/adopt_action",
            &[("action", &action.to_string()), ("placement", "clackmannanshire/2023-25/2.1")],
            Some(&clacks_lead),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "a plan holds a shared action once");
}

#[sqlx::test(migrations = "../migrations")]
async fn stopping_adoption_leaves_the_plan_keeps_the_history_and_can_be_undone(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let (action, placement_version): (Uuid, i32) = {
        let r = sqlx::query!(
            r#"select pa.action_id, pa.version from plan_actions pa join plans p on p.id = pa.plan_id
                join actions a on a.id = pa.action_id join subgroups s on s.id = a.owner_subgroup_id
                where p.slug = '2023-25' and s.slug = $1 order by pa.action_id limit 1"#,
            SUBGROUP
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        (r.action_id, r.version)
    };
    let chair = app.sign_in(CHAIR).await;
    let version: i32 =
        sqlx::query_scalar!("select version from actions where id = $1", action).fetch_one(&app.pool).await.unwrap();
    let fields = [
        ("action", action.to_string()),
        ("version", version.to_string()),
        ("status", "A".to_owned()),
        ("progress", "Drafting with the three areas".to_owned()),
        ("evidence", String::new()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert!(app.post("/api/update_action", &fields, Some(&chair)).await.status.is_success());

    let lead = app.sign_in("clacks.lead@example.org").await;
    let page = format!("/committees/clackmannanshire/plans/2023-25/actions/{action}");
    assert!(app.get_with_cookie(&page, &lead).await.body.contains("Stop adopting"));
    let stale = app
        .post(
            "/api/stop_adopting",
            &[
                ("committee", "clackmannanshire"),
                ("plan", "2023-25"),
                ("action", &action.to_string()),
                ("version", &(placement_version + 5).to_string()),
            ],
            Some(&lead),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "an edit from an old version is refused");
    let stopped = app
        .post_form(
            "/api/stop_adopting",
            &[
                ("committee", "clackmannanshire"),
                ("plan", "2023-25"),
                ("action", &action.to_string()),
                ("version", &placement_version.to_string()),
            ],
            Some(&lead),
            &page,
        )
        .await;
    assert!(stopped.status.is_redirection(), "{}", stopped.status);
    assert!(
        stopped.location.ends_with("/committees/clackmannanshire/plans/2023-25"),
        "back to the plan: {}",
        stopped.location
    );
    assert_eq!(app.get(&page).await.status, StatusCode::NOT_FOUND, "the action has left this plan");
    assert_eq!(
        app.get(&format!("/committees/stirling/plans/2024-26/actions/{action}")).await.status,
        StatusCode::OK,
        "other plans keep it"
    );
    let history = sqlx::query_scalar!("select count(*) from status_updates where action_id = $1", action)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(history, Some(1), "the history is kept");
    let retired = sqlx::query_scalar!(
        r#"select retired_at is not null as "retired!" from plan_actions pa join plans p on p.id = pa.plan_id
            where pa.action_id = $1 and p.slug = '2023-25'"#,
        action
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(retired, "the placement is retired, not deleted");

    let back = app
        .post(
            "/api/adopt_action",
            &[("action", &action.to_string()), ("placement", "clackmannanshire/2023-25/1.2")],
            Some(&lead),
        )
        .await;
    assert!(back.status.is_success(), "{} {}", back.status, back.body);
    assert_eq!(app.get(&page).await.status, StatusCode::OK, "adopted again, same record");
}

#[sqlx::test(migrations = "../migrations")]
async fn only_chairs_create_and_only_lead_officers_adopt(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let before = database_digest(&app.pool).await;
    let stirling_member = app.sign_in("stirling.member@example.org").await;
    assert_eq!(create(&app, &stirling_member).await.status, StatusCode::FORBIDDEN);
    let contributor = app.sign_in("clacks.contributor@example.org").await;
    assert_eq!(create(&app, &contributor).await.status, StatusCode::FORBIDDEN);
    let bad = app
        .post(
            "/api/create_shared_action",
            &[("subgroup", SUBGROUP), ("description", "  "), ("lead", ""), ("timescale", ""), ("evidence", "")],
            Some(&app.sign_in(CHAIR).await),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "an action needs words");

    let own: Uuid = sqlx::query_scalar!(
        "select a.id from actions a join committees c on c.id = a.owner_committee_id where c.slug = 'stirling' limit 1"
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let shared: Uuid = sqlx::query_scalar!(
        "select a.id from actions a join subgroups s on s.id = a.owner_subgroup_id where s.slug = $1 limit 1",
        SUBGROUP
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let adopt = |cookie: String, action: Uuid, placement: &'static str| {
        let app = &app;
        async move {
            app.post("/api/adopt_action", &[("action", &action.to_string()), ("placement", placement)], Some(&cookie))
                .await
        }
    };
    assert_eq!(adopt(contributor.clone(), shared, "clackmannanshire/2025-27/1.1").await.status, StatusCode::FORBIDDEN);
    let lead = app.sign_in("clacks.lead@example.org").await;
    assert_eq!(
        adopt(lead.clone(), own, "clackmannanshire/2025-27/1.1").await.status,
        StatusCode::NOT_FOUND,
        "only shared actions are adopted"
    );
    assert_eq!(
        adopt(lead.clone(), shared, "stirling/2024-26/1.1").await.status,
        StatusCode::FORBIDDEN,
        "not into another committee's plan"
    );
    let missing = adopt(lead.clone(), shared, "clackmannanshire/2025-27/9.9").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("placement"), "{}", missing.body);
    assert_eq!(database_digest(&app.pool).await, before, "nothing refused changed anything");
}
