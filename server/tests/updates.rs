//! Updating actions: the form, its rules, who may, stale edits, shared actions and many
//! concurrent editors, through the real router or the real data layer over a fresh database.

mod common;

use app::domain::update::{check_update, UpdateForm};
use app::error::AppError;
use app::server::db::{begin_as, updates};
use axum::http::StatusCode;
use common::{database_digest, TestApp};
use sqlx::PgPool;
use uuid::Uuid;

const CONTRIBUTOR: &str = "clacks.contributor@example.org";
const LEAD: &str = "clacks.lead@example.org";
const CLACKS_PLAN: &str = "/committees/clackmannanshire/plans/2023-25";

/// A Clackmannanshire-owned action of the published plan, not yet assessed, with its version.
async fn clacks_action(pool: &PgPool) -> (Uuid, i32, String) {
    let row = sqlx::query!(
        r#"select a.id, a.version, a.timescale from actions a join committees c on c.id = a.owner_committee_id
            join plan_actions pa on pa.action_id = a.id join plans p on p.id = pa.plan_id
            where c.slug = 'clackmannanshire' and p.slug = '2023-25' and a.status is null
            order by a.created_at, a.id limit 1"#
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (row.id, row.version, row.timescale)
}

/// A shared action the demo places in all three committees' plans, and its owning subgroup.
async fn shared_action(pool: &PgPool) -> (Uuid, i32, String) {
    let row = sqlx::query!(
        r#"select a.id, a.version, s.slug from actions a join subgroups s on s.id = a.owner_subgroup_id
            where (select count(*) from plan_actions pa where pa.action_id = a.id and pa.retired_at is null) = 3
            order by s.slug, a.id limit 1"#
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (row.id, row.version, row.slug)
}

async fn person(pool: &PgPool, email: &str) -> Uuid {
    sqlx::query_scalar!("select id from people where email = $1", email).fetch_one(pool).await.unwrap()
}

fn action_page(action: Uuid) -> String {
    format!("{CLACKS_PLAN}/actions/{action}")
}

fn update_fields<'a>(action: &'a str, version: &'a str, status: &'a str, progress: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("action", action),
        ("version", version),
        ("status", status),
        ("progress", progress),
        ("evidence", "Minutes of the November meeting"),
        ("revised_timescale", ""),
        ("reason", ""),
        ("note", ""),
    ]
}

#[sqlx::test(migrations = "../migrations")]
async fn a_contributor_updates_an_action_and_its_history_records_who_what_and_when(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let (action, version, _) = clacks_action(&app.pool).await;
    let cookie = app.sign_in(CONTRIBUTOR).await;
    let id = action.to_string();
    let v = version.to_string();
    let progress = "Training dates agreed with all three agencies.";
    let old_status: Option<String> = sqlx::query_scalar!("select status::text from actions where id = $1", action)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let new_status = if old_status.as_deref() == Some("G") { "A" } else { "G" };

    let page = app.get_with_cookie(&action_page(action), &cookie).await;
    assert!(page.body.contains("data-testid=\"update-form\""), "contributors get the update form");
    let plan = app.get_with_cookie(CLACKS_PLAN, &cookie).await;
    assert!(plan.body.contains(&format!("{}#update", action_page(action))), "the plan table links to the form");

    let saved = app
        .post_form(
            "/api/update_action",
            &update_fields(&id, &v, new_status, progress),
            Some(&cookie),
            &action_page(action),
        )
        .await;
    assert!(saved.status.is_redirection(), "{}", saved.status);
    assert_eq!(saved.location, format!("http://plans.test{}", action_page(action)));
    let after = app.get_with_cookie(&action_page(action), &cookie).await;
    assert!(after.body.contains("Saved."), "a confirmation follows the redirect");
    assert!(after.body.contains(progress));

    let row = sqlx::query!(
        r#"select a.status::text as "status!", a.progress, a.version, su.from_status::text as from_status,
                  su.to_status::text as to_status, su.person_id, su.to_progress, su.action_version
             from actions a join status_updates su on su.action_id = a.id where a.id = $1"#,
        action
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((row.status.as_str(), row.progress.as_str(), row.version), (new_status, progress, version + 1));
    assert_eq!((row.from_status, row.to_status.as_deref()), (old_status, Some(new_status)));
    assert_eq!(row.person_id, Some(person(&app.pool, CONTRIBUTOR).await));
    assert_eq!(row.action_version, Some(version + 1));
    let audit =
        sqlx::query_scalar!("select count(*) from audit_events where entity = 'action' and entity_id = $1", action)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(audit, Some(1));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_move_to_r_needs_a_revised_timescale_and_reason_and_keeps_the_original(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let (action, version, timescale) = clacks_action(&app.pool).await;
    let cookie = app.sign_in(LEAD).await;
    let (id, v) = (action.to_string(), version.to_string());
    let before = database_digest(&app.pool).await;

    let refused = app.post("/api/update_action", &update_fields(&id, &v, "R", "Behind"), Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("revised_timescale") && refused.body.contains("reason"), "{}", refused.body);
    assert_eq!(database_digest(&app.pool).await, before, "a refused update changes nothing");

    let mut fields = update_fields(&id, &v, "R", "Behind");
    fields.retain(|(k, _)| *k != "revised_timescale" && *k != "reason");
    fields.extend([("revised_timescale", "June 2026"), ("reason", "The trainer left in September.")]);
    let saved = app.post("/api/update_action", &fields, Some(&cookie)).await;
    assert!(saved.status.is_success(), "{} {}", saved.status, saved.body);
    let row = sqlx::query!("select timescale, revised_timescale, revision_reason from actions where id = $1", action)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(row.timescale, timescale, "the original timescale is kept");
    assert_eq!(row.revised_timescale.as_deref(), Some("June 2026"));
    assert_eq!(row.revision_reason.as_deref(), Some("The trainer left in September."));
    let page = app.get_with_cookie(&action_page(action), &cookie).await;
    assert!(page.body.contains("June 2026") && page.body.contains("originally"), "both timescales are shown");
    assert!(page.body.contains("The trainer left in September."), "the reason is in the history");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stale_edit_is_refused_showing_the_other_change_and_keeping_the_typed_text(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let (action, version, _) = clacks_action(&app.pool).await;
    let first = app.sign_in(LEAD).await;
    let second = app.sign_in(CONTRIBUTOR).await;
    let (id, v) = (action.to_string(), version.to_string());
    let theirs = "Lead officer: the audit report went to the committee.";
    let mine = "Contributor: twelve staff trained so far.";

    let won = app
        .post_form("/api/update_action", &update_fields(&id, &v, "G", theirs), Some(&first), &action_page(action))
        .await;
    assert!(won.status.is_redirection(), "{}", won.status);
    let before = database_digest(&app.pool).await;
    let lost = app
        .post_form("/api/update_action", &update_fields(&id, &v, "A", mine), Some(&second), &action_page(action))
        .await;
    assert_eq!(lost.status, StatusCode::SEE_OTHER, "a plain form goes back to the page");
    assert_eq!(database_digest(&app.pool).await, before, "the stale edit saved nothing");

    let page = app.get_with_cookie(&action_page(action), &second).await;
    assert!(page.body.contains("data-testid=\"conflict\""), "the conflict is explained");
    assert!(page.body.contains("Isla Ferguson") || page.body.contains(theirs), "who changed it, and what");
    assert!(page.body.contains(theirs), "their words are shown");
    assert!(page.body.contains(mine), "this person's text is kept in the form");
    let next = format!("name=\"version\" value=\"{}\"", version + 1);
    assert!(page.body.contains(&next), "the form now starts from the saved version: one press re-applies");

    let reapplied =
        app.post("/api/update_action", &update_fields(&id, &(version + 1).to_string(), "A", mine), Some(&second)).await;
    assert!(reapplied.status.is_success(), "{}", reapplied.status);
    let history: Vec<String> = sqlx::query_scalar!(
        "select to_progress from status_updates where action_id = $1 order by action_version",
        action
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(history, vec![theirs.to_owned(), mine.to_owned()], "neither person's words are lost");

    // A script gets the details as JSON with 409.
    let stale = app.post("/api/update_action", &update_fields(&id, &v, "A", "late"), Some(&first)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("current_version") && stale.body.contains(mine), "{}", stale.body);
}

/// Found by bench/faults/run: an edit based on a version hundreds of updates old answered 500
/// with an empty body, because every change since was listed and the answer outgrew what the
/// edge reads back. It lists the latest few and says how many came before.
#[sqlx::test(migrations = "../migrations")]
async fn a_very_stale_edit_is_a_409_listing_the_latest_changes_and_how_many_came_before(pool: PgPool) {
    let app = TestApp::with_demo(pool.clone()).await;
    let cookie = app.sign_in(CONTRIBUTOR).await;
    let (action, base, _) = clacks_action(&pool).await;
    let id = action.to_string();
    let shown = app::error::STALE_CHANGES_SHOWN;
    for n in 0..shown + 5 {
        let version = (base + n as i32).to_string();
        let progress = format!("Update {n}: {}", "a long progress report. ".repeat(200));
        let r = app.post("/api/update_action", &update_fields(&id, &version, "A", &progress), Some(&cookie)).await;
        assert!(r.status.is_success(), "update {n}: {} {}", r.status, r.body);
    }
    let stale =
        app.post("/api/update_action", &update_fields(&id, &base.to_string(), "G", "late"), Some(&cookie)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", &stale.body[..stale.body.len().min(200)]);
    let error: AppError = serde_json::from_str(&stale.body).unwrap();
    let stale = error.stale().expect("a stale edit");
    assert_eq!(stale.changes.len() as i64, shown, "the latest {shown} only");
    assert_eq!(stale.earlier, 5, "and how many came before");
    assert!(stale.changes.last().unwrap().fields.iter().any(|f| f.to.starts_with(&format!("Update {}:", shown + 4))));
    assert!(stale.changes[0].fields.iter().any(|f| f.to.starts_with("Update 5:")), "oldest first");
}

#[sqlx::test(migrations = "../migrations")]
async fn only_the_people_who_run_an_action_may_update_it(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let (action, version, _) = clacks_action(&app.pool).await;
    let (shared, shared_version, _) = shared_action(&app.pool).await;
    let before = database_digest(&app.pool).await;
    let post = |who: Option<String>, action: Uuid, version: i32| {
        let app = &app;
        async move {
            let (id, v) = (action.to_string(), version.to_string());
            app.post("/api/update_action", &update_fields(&id, &v, "G", "x"), who.as_deref()).await.status
        }
    };
    assert_eq!(post(None, action, version).await, StatusCode::UNAUTHORIZED);
    for (who, target, v) in [
        ("clacks.member@example.org", action, version),
        ("stirling.lead@example.org", action, version),
        ("admin@example.org", action, version),
        ("chair.protocols@example.org", action, version),
        (CONTRIBUTOR, shared, shared_version),
        (LEAD, shared, shared_version),
    ] {
        let cookie = app.sign_in(who).await;
        assert_eq!(post(Some(cookie), target, v).await, StatusCode::FORBIDDEN, "{who}");
    }
    let cookie = app.sign_in(CONTRIBUTOR).await;
    assert_eq!(post(Some(cookie.clone()), Uuid::new_v4(), 1).await, StatusCode::NOT_FOUND);
    let page = app.get_with_cookie(&action_page(action), &app.sign_in("clacks.member@example.org").await).await;
    assert!(!page.body.contains("data-testid=\"update-form\""), "members read, they do not update");
    assert_eq!(database_digest(&app.pool).await, before, "no refused update changed anything");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_subgroup_members_update_of_a_shared_action_shows_in_all_three_plans_with_one_history(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let (action, version, subgroup) = shared_action(&app.pool).await;
    let chair: String = sqlx::query_scalar!(
        r#"select pe.email from subgroup_memberships m join people pe on pe.id = m.person_id
            join subgroups s on s.id = m.subgroup_id where s.slug = $1 and m.role = 'chair' limit 1"#,
        subgroup
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let cookie = app.sign_in(&chair).await;
    let progress = "Forth Valley: the protocol was signed off by all three chief officers groups.";
    let (id, v) = (action.to_string(), version.to_string());
    let saved = app.post("/api/update_action", &update_fields(&id, &v, "P", progress), Some(&cookie)).await;
    assert!(saved.status.is_success(), "{} {}", saved.status, saved.body);

    for plan in [
        "/committees/clackmannanshire/plans/2023-25",
        "/committees/stirling/plans/2024-26",
        "/committees/falkirk/plans/2024-26",
    ] {
        let page = app.get(plan).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(progress), "{plan} shows the subgroup's update");
        let history = app.get(&format!("{plan}/actions/{action}")).await;
        assert_eq!(history.body.matches(progress).count(), 2, "{plan}: the action and its one history entry");
    }
    let rows = sqlx::query_scalar!("select count(*) from status_updates where action_id = $1", action)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(rows, Some(1), "one record, one history, for every adopting plan");
}

/// Many editors, each starting from the version they last read: of those starting from one
/// version exactly one is accepted; the rest are refused and re-apply on the new version.
#[sqlx::test(migrations = "../migrations")]
async fn concurrent_editors_never_lose_an_accepted_edit(pool: PgPool) {
    let app = TestApp::with_demo_and_pool_size(pool, 12).await;
    let (action, start, _) = clacks_action(&app.pool).await;
    let editors = [
        person(&app.pool, CONTRIBUTOR).await,
        person(&app.pool, LEAD).await,
        person(&app.pool, "both.committees@example.org").await,
    ];
    const EDITORS: usize = 12;
    const EDITS_EACH: usize = 3;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..EDITORS {
        let pool = app.app_pool.clone();
        let who = editors[n % editors.len()];
        tasks.spawn(async move {
            let mut accepted = Vec::new();
            let mut refused = 0;
            for k in 0..EDITS_EACH {
                let text = format!("editor {n}, edit {k}");
                let mut base: Option<i32> = None;
                loop {
                    let mut tx = begin_as(&pool, Some(who)).await.unwrap();
                    let state = updates::action_state(&mut tx, action).await.unwrap().unwrap();
                    let version = base.unwrap_or(state.version);
                    let form = UpdateForm { status: "A", progress: &text, ..Default::default() };
                    let update = check_update(&form, state.status).unwrap();
                    match updates::apply_update(&mut tx, &state, version, &update).await {
                        Ok(new_version) => {
                            tx.commit().await.unwrap();
                            accepted.push((new_version, text));
                            break;
                        }
                        Err(AppError::Stale(stale)) => {
                            refused += 1;
                            tx.rollback().await.unwrap();
                            base = Some(stale.current_version);
                        }
                        Err(other) => panic!("unexpected {other:?}"),
                    }
                }
            }
            (accepted, refused)
        });
    }
    let mut accepted = Vec::new();
    let mut refused = 0;
    while let Some(result) = tasks.join_next().await {
        let (mine, theirs) = result.unwrap();
        accepted.extend(mine);
        refused += theirs;
    }
    accepted.sort();
    let total = EDITORS * EDITS_EACH;
    assert_eq!(accepted.len(), total, "every edit is eventually accepted by re-applying");
    let versions: Vec<i32> = accepted.iter().map(|(v, _)| *v).collect();
    let expected: Vec<i32> = (start + 1..=start + total as i32).collect();
    assert_eq!(versions, expected, "exactly one accepted edit per version, none skipped");
    assert!(refused > 0, "the editors really did collide (refused {refused})");

    let history = sqlx::query!(
        r#"select action_version as "v!", to_progress from status_updates where action_id = $1 order by action_version"#,
        action
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let history: Vec<(i32, String)> = history.into_iter().map(|r| (r.v, r.to_progress)).collect();
    assert_eq!(history, accepted, "every accepted edit is in the history, in version order");
    let last =
        sqlx::query!("select version, progress from actions where id = $1", action).fetch_one(&app.pool).await.unwrap();
    assert_eq!(
        (last.version, last.progress),
        accepted.last().cloned().unwrap(),
        "the final state is the last accepted edit"
    );
}
