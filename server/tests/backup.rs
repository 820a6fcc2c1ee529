//! One committee's backup: export → restore → export gives the same file; a restore into an
//! empty database brings back everything the committee owns, matches people by email, gives
//! new members one-time links and leaves out (and says so) the shared actions it only
//! references; a committee that exists already is refused and nothing changes.

mod common;

use common::database_digest;
use serde_json::Value;
use server::backup::{run_export, run_restore};
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

const CLACK: &str = "clackmannanshire";

/// A new, migrated, empty database beside the test's own; dropped by the caller.
async fn empty_database(pool: &PgPool, name: &str) -> (PgPool, PgPool) {
    let master_options = pool.connect_options().as_ref().clone().database("postgres");
    let master = PgPoolOptions::new().max_connections(1).connect_with(master_options.clone()).await.unwrap();
    common::drop_database(&master, name).await;
    sqlx::query(&format!("create database \"{name}\"")).execute(&master).await.unwrap();
    let other = PgPoolOptions::new().max_connections(2).connect_with(master_options.database(name)).await.unwrap();
    sqlx::migrate!("../migrations").run(&other).await.unwrap();
    (master, other)
}

/// Removes the committee and everything it owns, as an operator repairing by hand would (the
/// quarter snapshots' guards off for it): the "deleted by mistake" a backup is for.
async fn remove_committee(pool: &PgPool, slug: &str) {
    let mut tx = pool.begin().await.unwrap();
    for sql in [
        "alter table period_snapshots disable trigger user",
        "alter table period_summaries disable trigger user",
        "create temp table gone on commit drop as select id from committees where slug = $1",
    ] {
        let q = sqlx::query(sql);
        let q = if sql.contains("$1") { q.bind(slug) } else { q };
        q.execute(&mut *tx).await.unwrap();
    }
    for sql in [
        "delete from audit_events where committee_id in (select id from gone)",
        "delete from risk_assessments where committee_id in (select id from gone)",
        "delete from risk_actions where committee_id in (select id from gone)",
        "delete from risks where committee_id in (select id from gone)",
        "delete from period_summaries where committee_id in (select id from gone)",
        "delete from period_snapshots where committee_id in (select id from gone)",
        "delete from reporting_periods where committee_id in (select id from gone)",
        "delete from protocol_ratifications where committee_id in (select id from gone)",
        "delete from plan_actions where committee_id in (select id from gone)",
        "delete from status_updates where action_id in (select id from actions where owner_committee_id in (select id from gone))",
        "delete from actions where owner_committee_id in (select id from gone)",
        "delete from objectives where committee_id in (select id from gone)",
        "delete from outcomes where committee_id in (select id from gone)",
        "delete from priorities where committee_id in (select id from gone)",
        "delete from plan_reviews where committee_id in (select id from gone)",
        "delete from plan_imports where committee_id in (select id from gone)",
        "delete from risk_imports where committee_id in (select id from gone)",
        "delete from plans where committee_id in (select id from gone)",
        "delete from committees where id in (select id from gone)",
        "alter table period_snapshots enable trigger user",
        "alter table period_summaries enable trigger user",
    ] {
        sqlx::query(sql).execute(&mut *tx).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    tx.commit().await.unwrap();
}

fn accepted(r: &common::TestResponse) {
    assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
}

/// History of the committee's own, made through the app as its people would: an update to one
/// of its actions, a risk and its assessment, and last quarter closed (a snapshot).
async fn some_history(app: &common::TestApp) {
    let pool = &app.pool;
    let lead = app.sign_in("clacks.lead@example.org").await;
    let (action, version): (String, String) = sqlx::query_as(
        "select a.id::text, a.version::text from actions a join committees c on c.id = a.owner_committee_id
          where c.slug = 'clackmannanshire' order by a.id limit 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let fields = [
        ("action", action.as_str()),
        ("version", version.as_str()),
        ("status", "A"),
        ("progress", "Backed up"),
        ("evidence", ""),
    ];
    accepted(&app.post("/api/update_action", &fields, Some(&lead)).await);
    let risk = [
        ("register", "committees/clackmannanshire"),
        ("reference", "R9"),
        ("title", "Backups are never tried"),
        ("description", "A restore has never been rehearsed"),
        ("cause", "Time"),
        ("consequence", "Data lost"),
        ("owner", "Lead Officer"),
        ("controls", "This test"),
        ("likelihood", "2"),
        ("impact", "3"),
        ("target_score", "4"),
        ("review_on", "2027-03-31"),
    ];
    accepted(&app.post("/api/add_risk", &risk, Some(&lead)).await);
    let (id, version): (String, String) =
        sqlx::query_as("select id::text, version::text from risks where reference = 'R9'")
            .fetch_one(pool)
            .await
            .unwrap();
    let assess = [
        ("register", "committees/clackmannanshire"),
        ("risk", id.as_str()),
        ("version", version.as_str()),
        ("likelihood", "3"),
        ("impact", "3"),
        ("note", "Reassessed"),
    ];
    accepted(&app.post("/api/assess_risk", &assess, Some(&lead)).await);
    let today: String = sqlx::query_scalar("select current_date::text").fetch_one(pool).await.unwrap();
    let quarter =
        app::domain::period::Quarter::of(app::domain::dates::IsoDate::parse(&today).unwrap()).previous().slug();
    accepted(&app.post("/api/close_period", &[("committee", CLACK), ("period", &quarter)], Some(&lead)).await);
}

fn section<'a>(doc: &'a Value, name: &str) -> &'a Vec<Value> {
    doc[name].as_array().unwrap_or_else(|| panic!("the backup has no {name}"))
}

#[sqlx::test(migrations = "../migrations")]
async fn export_restore_export_gives_the_same_file(pool: PgPool) {
    assert!(server::demo::load_if_empty(&pool).await.unwrap());
    let app = common::TestApp::new(pool.clone());
    some_history(&app).await;
    let first = run_export(&pool, CLACK).await.unwrap();
    let doc: Value = serde_json::from_str(&first).unwrap();
    // It holds what the committee owns, and no secrets.
    for (name, at_least) in [
        ("plans", 2),
        ("actions", 10),
        ("plan_actions", 10),
        ("status_updates", 1),
        ("period_summaries", 1),
        ("committee_memberships", 3),
        ("risks", 1),
        ("risk_assessments", 1),
        ("reporting_periods", 1),
        ("period_snapshots", 1),
        ("audit_events", 10),
        ("referenced_actions", 1),
    ] {
        assert!(section(&doc, name).len() >= at_least, "{name}: {}", section(&doc, name).len());
    }
    assert!(!first.contains("password") && !first.contains("$argon2"), "no password or hash in a backup");
    assert!(!first.contains("Stirling Child Protection Committee\","), "nothing of another committee's own");
    assert_eq!(run_export(&pool, CLACK).await.unwrap(), first, "two exports of the same data are the same file");

    // Refused while the committee exists, and nothing changes.
    let before = database_digest(&pool).await;
    let refused = run_restore(&pool, &first, None).await.unwrap_err();
    assert!(refused.contains("already has the committee clackmannanshire"), "{refused}");
    assert_eq!(database_digest(&pool).await, before);

    // Deleted by mistake, restored from the file: the same file again.
    remove_committee(&pool, CLACK).await;
    assert!(run_export(&pool, CLACK).await.is_err(), "gone");
    let report = run_restore(&pool, &first, Some("https://plans.example")).await.unwrap();
    assert!(report.contains("Restored Clackmannanshire"), "{report}");
    assert!(report.contains("matched by email"), "{report}");
    assert!(!report.contains("left out"), "the same deployment has every shared action: {report}");
    let again = run_export(&pool, CLACK).await.unwrap();
    assert_eq!(again, first, "export → restore → export");
    // The restored plans read as before through the app.
    let page = app.get("/committees/clackmannanshire/plans/2023-25").await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_restore_into_an_empty_database_brings_back_what_the_committee_owns(pool: PgPool) {
    assert!(server::demo::load_if_empty(&pool).await.unwrap());
    some_history(&common::TestApp::new(pool.clone())).await;
    let text = run_export(&pool, CLACK).await.unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let name = format!("fv_restore_{}", std::process::id());
    let (master, other) = empty_database(&pool, &name).await;

    let report = run_restore(&other, &text, Some("https://plans.example")).await.unwrap();
    // Every member is new here: each gets a link; the shared actions it only references are
    // left out, and the report says how many.
    let members = section(&doc, "committee_memberships").len();
    assert_eq!(report.matches("https://plans.example/invitations/").count(), members, "{report}");
    assert!(report.contains("left out: not in this database"), "{report}");
    let placements = section(&doc, "plan_actions").len();
    let shared: Vec<&str> = section(&doc, "referenced_actions").iter().filter_map(|a| a["id"].as_str()).collect();
    let shared_placements = section(&doc, "plan_actions")
        .iter()
        .filter(|p| shared.contains(&p["action_id"].as_str().unwrap_or("")))
        .count();
    assert!(shared_placements > 0);
    assert!(
        report.contains(&format!(
            "placements in plans: {} ({shared_placements} left out",
            placements - shared_placements
        )),
        "{report}"
    );
    let hashes: i64 = sqlx::query_scalar("select count(*) from people where password_hash is not null")
        .fetch_one(&other)
        .await
        .unwrap();
    assert_eq!(hashes, 0, "restored people have no passwords");

    // What it brought back is the committee's own, exactly: the export from the new database
    // is the first one without the shared placements it left out (and no shared actions to
    // reference).
    let restored: Value = serde_json::from_str(&run_export(&other, CLACK).await.unwrap()).unwrap();
    let mut expected = doc.clone();
    expected["plan_actions"] = Value::Array(
        section(&doc, "plan_actions")
            .iter()
            .filter(|p| !shared.contains(&p["action_id"].as_str().unwrap_or("")))
            .cloned()
            .collect(),
    );
    expected["risk_actions"] = Value::Array(
        section(&doc, "risk_actions")
            .iter()
            .filter(|r| !shared.contains(&r["action_id"].as_str().unwrap_or("")))
            .cloned()
            .collect(),
    );
    expected["referenced_actions"] = Value::Array(vec![]);
    expected["subgroup_committees"] = Value::Array(vec![]);
    expected["protocol_ratifications"] = Value::Array(vec![]);
    expected["action_protocols"] = Value::Array(vec![]);
    expected["action_subgroups"] = Value::Array(vec![]);
    for key in doc.as_object().unwrap().keys() {
        assert_eq!(restored[key], expected[key], "{key}");
    }

    // A restored member signs in with their link and sees the committee's draft.
    let link = report.lines().find(|l| l.contains("clacks.lead@example.org")).expect("the lead officer's link");
    let token = link.rsplit("/invitations/").next().unwrap().trim();
    let app = common::TestApp::new(other.clone());
    let set = app
        .post(
            "/api/accept_invitation",
            &[("token", token), ("password", "a restored passphrase"), ("confirm", "a restored passphrase")],
            None,
        )
        .await;
    let cookie = set.session_cookie().expect("signed in");
    let draft = app.get_with_cookie("/committees/clackmannanshire/plans/2025-27", &cookie).await;
    assert_eq!(draft.status, axum::http::StatusCode::OK);

    // Again: refused, and nothing changes.
    let before = database_digest(&other).await;
    assert!(run_restore(&other, &text, None).await.unwrap_err().contains("already has the committee"));
    assert_eq!(database_digest(&other).await, before);
    // Not a backup: refused with a reason.
    assert!(run_restore(&other, "{\"format\": \"something else\"}", None)
        .await
        .unwrap_err()
        .contains("not a committee backup"));
    assert!(run_restore(&other, "not json", None).await.unwrap_err().contains("JSON"));
    app.app_pool.close().await;
    app.pool.close().await;
    other.close().await;
    common::drop_database(&master, &name).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn people_are_matched_by_email_in_another_deployment(pool: PgPool) {
    assert!(server::demo::load_if_empty(&pool).await.unwrap());
    let text = run_export(&pool, CLACK).await.unwrap();
    let name = format!("fv_restore_match_{}", std::process::id());
    let (master, other) = empty_database(&pool, &name).await;
    // The other deployment knows the lead officer already, under another id and in capitals.
    let existing: uuid::Uuid = sqlx::query_scalar(
        "insert into people (email, display_name) values ('CLACKS.LEAD@example.org', 'Already Here') returning id",
    )
    .fetch_one(&other)
    .await
    .unwrap();
    let report = run_restore(&other, &text, Some("https://plans.example")).await.unwrap();
    assert!(report.contains(", 1 matched by email"), "{report}");
    assert!(!report.contains("clacks.lead@example.org: https"), "no link for someone who has an account: {report}");
    let role: String = sqlx::query_scalar(
        "select m.role from committee_memberships m join committees c on c.id = m.committee_id
          where c.slug = 'clackmannanshire' and m.person_id = $1",
    )
    .bind(existing)
    .fetch_one(&other)
    .await
    .unwrap();
    assert_eq!(role, "lead_officer", "their membership is theirs here");
    let authored: i64 = sqlx::query_scalar("select count(*) from audit_events where person_id = $1")
        .bind(existing)
        .fetch_one(&other)
        .await
        .unwrap();
    assert!(authored > 0, "and so is the history they wrote");
    other.close().await;
    common::drop_database(&master, &name).await;
}
