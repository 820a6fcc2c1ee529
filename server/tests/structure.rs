//! Shaping a plan: lead officers add, re-word, reorder and retire its parts and actions, record
//! reviews and compare the plan with them; stale edits are refused; others may not.

mod common;

use axum::http::StatusCode;
use common::{database_digest, TestApp};
use sqlx::PgPool;
use uuid::Uuid;

const LEAD: &str = "clacks.lead@example.org";
const PLAN: &str = "/committees/clackmannanshire/plans/2023-25";

fn with_plan<'a>(more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![("committee", "clackmannanshire"), ("plan", "2023-25")];
    fields.extend_from_slice(more);
    fields
}

async fn objective(pool: &PgPool, outcome: i32, minor: i32) -> (Uuid, i32) {
    let r = sqlx::query!(
        r#"select ob.id, ob.version from objectives ob join plans p on p.id = ob.plan_id join committees c on c.id = p.committee_id
            where c.slug = 'clackmannanshire' and p.slug = '2023-25' and ob.outcome_number = $1 and ob.minor = $2"#,
        outcome,
        minor
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (r.id, r.version)
}

/// (action id, position, placement version, action version) under an objective, in order.
async fn actions_under(pool: &PgPool, objective: Uuid) -> Vec<(Uuid, i32, i32, i32)> {
    sqlx::query!(
        r#"select pa.action_id, pa.position, pa.version as pv, a.version as av from plan_actions pa join actions a on a.id = pa.action_id
            where pa.objective_id = $1 and pa.retired_at is null order by pa.position"#,
        objective
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .map(|r| (r.action_id, r.position, r.pv, r.av))
    .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_lead_officer_adds_rewords_moves_and_retires_actions_and_renumbers(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let cookie = app.sign_in(LEAD).await;
    let (objective_id, _) = objective(&app.pool, 1, 1).await;
    let before = actions_under(&app.pool, objective_id).await;
    let oid = objective_id.to_string();

    let added = app
        .post(
            "/api/add_plan_action",
            &with_plan(&[
                ("objective", &oid),
                ("description", "Run a members' development day"),
                ("lead", "Lead Officer"),
                ("timescale", "May 2026"),
                ("evidence", ""),
            ]),
            Some(&cookie),
        )
        .await;
    assert!(added.status.is_success(), "{} {}", added.status, added.body);
    let after = actions_under(&app.pool, objective_id).await;
    assert_eq!(after.len(), before.len() + 1);
    let (new_id, new_position, placement_version, version) = *after.last().unwrap();
    assert_eq!(new_position, before.last().unwrap().1 + 1, "added last under the objective");
    let plan = app.get(PLAN).await;
    assert!(
        plan.body.contains("Run a members&#x27; development day")
            || plan.body.contains("Run a members' development day")
    );

    let nid = new_id.to_string();
    let v = version.to_string();
    let reworded = app
        .post(
            "/api/reword_action",
            &with_plan(&[
                ("action", &nid),
                ("version", &v),
                ("description", "Run two members' development days"),
                ("lead", "Lead Officer"),
                ("timescale", "June 2026"),
                ("evidence", "Attendance"),
            ]),
            Some(&cookie),
        )
        .await;
    assert!(reworded.status.is_success(), "{}", reworded.status);
    let stale = app
        .post(
            "/api/reword_action",
            &with_plan(&[
                ("action", &nid),
                ("version", &v),
                ("description", "Something else"),
                ("lead", ""),
                ("timescale", ""),
                ("evidence", ""),
            ]),
            Some(&cookie),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "a re-wording based on the old version is refused");
    assert!(stale.body.contains("Run two members"), "and shows what is saved now: {}", stale.body);

    let pv = placement_version.to_string();
    let moved = app
        .post("/api/move_action", &with_plan(&[("action", &nid), ("version", &pv), ("direction", "up")]), Some(&cookie))
        .await;
    assert!(moved.status.is_success(), "{} {}", moved.status, moved.body);
    let order = actions_under(&app.pool, objective_id).await;
    assert_eq!(order[order.len() - 2].0, new_id, "moved up one place");
    assert_eq!(order[order.len() - 2].1, new_position - 1, "taking the number of the place");

    // Retire the first action: the others keep their numbers until the lead officer renumbers.
    let (first, _, first_pv, _) = order[0];
    let retired = app
        .post(
            "/api/retire_action",
            &with_plan(&[("action", &first.to_string()), ("version", &first_pv.to_string())]),
            Some(&cookie),
        )
        .await;
    assert!(retired.status.is_success(), "{}", retired.status);
    let kept = actions_under(&app.pool, objective_id).await;
    assert_eq!(kept[0].1, 2, "numbers stay stable after retiring");
    assert_eq!(app.get(&format!("{PLAN}/actions/{first}")).await.status, StatusCode::NOT_FOUND);
    let renumbered = app.post("/api/renumber_plan", &with_plan(&[]), Some(&cookie)).await;
    assert!(renumbered.status.is_success(), "{}", renumbered.status);
    let positions: Vec<i32> = actions_under(&app.pool, objective_id).await.iter().map(|a| a.1).collect();
    assert_eq!(positions, (1..=positions.len() as i32).collect::<Vec<_>>(), "renumbered without gaps");
}

#[sqlx::test(migrations = "../migrations")]
async fn parts_are_added_renamed_moved_and_retired_with_versions(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let cookie = app.sign_in(LEAD).await;
    let (objective_id, version) = objective(&app.pool, 1, 2).await;
    let oid = objective_id.to_string();
    let v = version.to_string();
    let renamed = app
        .post(
            "/api/rename_part",
            &with_plan(&[
                ("kind", "objective"),
                ("id", &oid),
                ("version", &v),
                ("title", "Members are supported in their role"),
            ]),
            Some(&cookie),
        )
        .await;
    assert!(renamed.status.is_success(), "{}", renamed.status);
    let stale = app
        .post(
            "/api/rename_part",
            &with_plan(&[("kind", "objective"), ("id", &oid), ("version", &v), ("title", "Other")]),
            Some(&cookie),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("Members are supported in their role"), "{}", stale.body);
    let empty = app
        .post(
            "/api/rename_part",
            &with_plan(&[
                ("kind", "objective"),
                ("id", &oid),
                ("version", &(version + 1).to_string()),
                ("title", "  "),
            ]),
            Some(&cookie),
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "an objective needs a title");

    let (o13, _) = objective(&app.pool, 1, 1).await;
    let moved = app
        .post(
            "/api/move_part",
            &with_plan(&[
                ("kind", "objective"),
                ("id", &oid),
                ("version", &(version + 1).to_string()),
                ("direction", "up"),
            ]),
            Some(&cookie),
        )
        .await;
    assert!(moved.status.is_success(), "{} {}", moved.status, moved.body);
    assert_eq!(objective(&app.pool, 1, 1).await.0, objective_id, "objective 1.2 is now 1.1");
    assert_eq!(objective(&app.pool, 1, 2).await.0, o13, "and 1.1 is now 1.2");
    let page = app.get(PLAN).await;
    assert!(
        page.body.find("Members are supported in their role").unwrap()
            < page.body.find("Committee members understand").unwrap()
    );

    let outcome: Uuid = sqlx::query_scalar!(
        "select o.id from outcomes o join plans p on p.id = o.plan_id where p.slug = '2023-25' and o.number = 2 and o.committee_id = (select id from committees where slug = 'clackmannanshire')"
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let added = app
        .post(
            "/api/add_part",
            &with_plan(&[
                ("kind", "objective"),
                ("parent", &outcome.to_string()),
                ("title", "Children's voices shape services"),
            ]),
            Some(&cookie),
        )
        .await;
    assert!(added.status.is_success(), "{}", added.status);
    let page = app.get(PLAN).await;
    assert!(
        page.body.contains("Children&#x27;s voices shape services")
            || page.body.contains("Children's voices shape services")
    );

    let (retire_id, retire_version) = objective(&app.pool, 3, 1).await;
    let retired = app
        .post(
            "/api/retire_part",
            &with_plan(&[
                ("kind", "objective"),
                ("id", &retire_id.to_string()),
                ("version", &retire_version.to_string()),
            ]),
            Some(&cookie),
        )
        .await;
    assert!(retired.status.is_success());
    let page = app.get(PLAN).await;
    assert!(!page.body.contains("objective-number\">3.1<"), "a retired objective leaves the plan");
    assert!(page.body.contains(">3.2<"), "the others keep their numbers");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_review_keeps_the_plan_so_it_can_be_compared_side_by_side(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let lead = app.sign_in(LEAD).await;
    let reviewed = app
        .post(
            "/api/record_review",
            &with_plan(&[("reviewed_on", "2026-11-20"), ("note", "Autumn review")]),
            Some(&lead),
        )
        .await;
    assert!(reviewed.status.is_success(), "{} {}", reviewed.status, reviewed.body);
    let bad =
        app.post("/api/record_review", &with_plan(&[("reviewed_on", "2026-02-30"), ("note", "")]), Some(&lead)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "no such date");
    let review: Uuid = sqlx::query_scalar!("select id from plan_reviews where note = 'Autumn review'")
        .fetch_one(&app.pool)
        .await
        .unwrap();

    let compare = format!("{PLAN}/compare/{review}");
    let unchanged = app.get(&compare).await;
    assert_eq!(unchanged.status, StatusCode::OK);
    assert!(
        unchanged.body.contains("Nothing has changed since the review of 20 November 2026"),
        "{}",
        &unchanged.body[..500]
    );

    // A status update and a re-wording after the review.
    let (objective_id, _) = objective(&app.pool, 2, 1).await;
    let actions = actions_under(&app.pool, objective_id).await;
    let (a, _, _, av) = actions[0];
    let contributor = app.sign_in("clacks.contributor@example.org").await;
    let (id, v) = (a.to_string(), av.to_string());
    let updated = app
        .post(
            "/api/update_action",
            &[("action", id.as_str()), ("version", &v), ("status", "A"), ("progress", "Slipping"), ("evidence", "")],
            Some(&contributor),
        )
        .await;
    assert!(updated.status.is_success());
    let (b, _, _, bv) = actions[1];
    let reworded = app
        .post(
            "/api/reword_action",
            &with_plan(&[
                ("action", &b.to_string()),
                ("version", &bv.to_string()),
                ("description", "A clearer wording"),
                ("lead", "x"),
                ("timescale", "2026"),
                ("evidence", ""),
            ]),
            Some(&lead),
        )
        .await;
    assert!(reworded.status.is_success());

    let page = app.get(&compare).await;
    assert!(page.body.contains("Status changed"), "status changes are listed");
    assert!(page.body.contains("Re-worded") && page.body.contains("A clearer wording"), "re-wordings side by side");
    assert!(page.body.contains("Timescale changed"));
    let plan = app.get(PLAN).await;
    assert!(
        plan.body.contains(&format!("{PLAN}/compare/{review}")),
        "the plan links to the comparison with its latest review"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn only_lead_officers_shape_the_plan(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let before = database_digest(&app.pool).await;
    let (objective_id, version) = objective(&app.pool, 1, 1).await;
    let (oid, v) = (objective_id.to_string(), version.to_string());
    let fields = with_plan(&[("kind", "objective"), ("id", &oid), ("version", &v), ("title", "Hijacked")]);
    assert_eq!(app.post("/api/rename_part", &fields, None).await.status, StatusCode::UNAUTHORIZED);
    for who in [
        "clacks.contributor@example.org",
        "clacks.member@example.org",
        "stirling.lead@example.org",
        "admin@example.org",
    ] {
        let cookie = app.sign_in(who).await;
        assert_eq!(app.post("/api/rename_part", &fields, Some(&cookie)).await.status, StatusCode::FORBIDDEN, "{who}");
        assert_eq!(app.get_with_cookie(&format!("{PLAN}/edit"), &cookie).await.status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(database_digest(&app.pool).await, before);
    let lead = app.sign_in(LEAD).await;
    let page = app.get_with_cookie(&format!("{PLAN}/edit"), &lead).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Record a review") && page.body.contains("Renumber without gaps"));
    assert!(
        app.get_with_cookie(PLAN, &lead).await.body.contains(&format!("{PLAN}/edit")),
        "the plan links lead officers to it"
    );
}
