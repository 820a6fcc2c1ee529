//! Every page and the export over HTTP, through the real router, on the demo data.

mod common;

use app::domain::plan_csv::parse_plan_csv;
use axum::http::StatusCode;
use common::TestApp;
use sqlx::PgPool;

const PLAN: &str = "/committees/clackmannanshire/plans/2023-25";

async fn shared_action(pool: &PgPool) -> uuid::Uuid {
    sqlx::query_scalar!("select id from actions where owner_subgroup_id is not null order by created_at limit 1")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_overview_lists_committees_plans_subgroups_and_protocols(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type.starts_with("text/html"));
    for text in [
        "Clackmannanshire Child Protection Committee",
        "Stirling Child Protection Committee",
        "Falkirk Child Protection Committee",
        "href=\"/committees/clackmannanshire/plans/2023-25\"",
        "IRD Steering Group",
        "FV Policies, Procedures and Protocols Subgroup",
        "Forth Valley Learning Review Protocol",
        "Sample plan, for illustration",
    ] {
        assert!(page.body.contains(text), "overview lacks {text:?}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_committee_page_lists_its_plans_and_subgroups(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let page = app.get("/committees/falkirk").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Falkirk Child Protection Committee"));
    assert!(page.body.contains("href=\"/committees/falkirk/plans/2024-26\""));
    assert!(page.body.contains("href=\"/subgroups/ird-steering-group\""));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_plan_page_shows_every_action_with_its_status_in_words(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let actions: i64 = sqlx::query_scalar!(
        r#"select count(*) as "n!" from plan_actions pa join plans p on p.id = pa.plan_id
             join committees c on c.id = p.committee_id where c.slug = 'clackmannanshire' and p.slug = '2023-25'"#
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let page = app.get(PLAN).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("class=\"action-row").count(), actions as usize);
    assert!(page.body.contains("Reviewed and updated November 2023"));
    assert!(page.body.contains("Outcome 8"));
    assert!(page.body.contains("8.1</span>"), "objective 8.1 numbered as in the repaired source");
    assert!(page.body.contains("Not yet assessed") && page.body.contains(">★</span>Complete"));
    assert!(page.body.contains("Shared · "), "shared actions are marked with their subgroup");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_plan_filters_by_status_lead_and_subgroup_from_the_url(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let complete = app.get(&format!("{PLAN}?status=p")).await;
    assert_eq!(complete.body.matches("class=\"action-row").count(), common::source_complete_count());
    assert_eq!(complete.body.matches("class=\"action-row status-row-p").count(), common::source_complete_count());

    let ird = app.get(&format!("{PLAN}?subgroup=ird-steering-group")).await;
    assert_eq!(ird.body.matches("class=\"action-row").count(), 1);
    assert!(ird.body.contains("Inter-Agency Referral Discussions"));

    let led = app.get(&format!("{PLAN}?lead=NHS+Lead")).await;
    assert_eq!(led.body.matches("class=\"action-row").count(), 1);
    assert!(led.body.contains("pre birth pathway"));

    let none = app.get(&format!("{PLAN}?status=r")).await;
    assert!(none.body.contains("No action matches these filters"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_shared_action_page_lists_all_three_adopting_plans(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let id = shared_action(&app.pool).await;
    let page = app.get(&format!("/committees/stirling/plans/2024-26/actions/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for committee in ["clackmannanshire", "stirling", "falkirk"] {
        let plan = if committee == "clackmannanshire" { "2023-25" } else { "2024-26" };
        assert!(
            page.body.contains(&format!("href=\"/committees/{committee}/plans/{plan}/actions/{id}\"")),
            "{committee} missing"
        );
    }
    assert!(page.body.contains("Shared Forth Valley action owned by the"));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_subgroup_page_shows_its_shared_actions_across_committees(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let page = app.get("/subgroups/ird-steering-group").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Inter-Agency Referral Discussions"));
    for name in [
        "Clackmannanshire Child Protection Committee",
        "Stirling Child Protection Committee",
        "Falkirk Child Protection Committee",
    ] {
        assert!(page.body.contains(name), "{name} missing");
    }
    assert!(page.body.contains("FV IRD Procedure"));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_protocol_register_shows_ratification_per_committee(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let page = app.get("/protocols").await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "FV Child Protection Guidance",
        "ratification-ratified",
        "ratification-pending",
        "ratification-declined",
        "Overdue",
    ] {
        assert!(page.body.contains(text), "register lacks {text:?}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_committees_plans_actions_and_pages_are_helpful_404s(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let unknown_action = uuid::Uuid::new_v4();
    let shared = shared_action(&app.pool).await;
    for path in [
        "/committees/nowhere".to_owned(),
        "/committees/nowhere/plans/2023-25".to_owned(),
        "/committees/clackmannanshire/plans/2019-21".to_owned(),
        format!("{PLAN}/actions/{unknown_action}"),
        format!("{PLAN}/actions/not-an-id"),
        // A real action, but under a plan that does not hold it.
        format!("/committees/clackmannanshire/plans/2024-26/actions/{shared}"),
        "/subgroups/nothing-here".to_owned(),
        "/no/such/page".to_owned(),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.body.contains("Page not found"), "{path}: {}", &page.body[..page.body.len().min(300)]);
        assert!(page.body.contains("href=\"/\""), "{path} offers a way back");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn healthz_answers_200_while_the_database_answers_and_503_after(pool: PgPool) {
    let app = TestApp::new(pool);
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    app.app_pool.close().await;
    assert_eq!(app.get("/healthz").await.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_export_holds_the_whole_clackmannanshire_plan(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let export = app.get(&format!("{PLAN}/export.csv")).await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(export.content_type, "text/csv; charset=utf-8");
    assert_eq!(export.disposition, "attachment; filename=\"clackmannanshire-2023-25.csv\"");

    let plan = parse_plan_csv(export.body.as_bytes()).expect("the export is valid import input");
    assert_eq!(plan.priorities.len(), 4);
    let outcomes: Vec<u32> = plan.priorities.iter().flat_map(|p| &p.outcomes).map(|o| o.number).collect();
    assert_eq!(outcomes, (1..=8).collect::<Vec<_>>());
    let objectives: Vec<String> = plan
        .priorities
        .iter()
        .flat_map(|p| &p.outcomes)
        .flat_map(|o| &o.objectives)
        .map(|o| o.number.to_string())
        .collect();
    let expected =
        "1.1 1.2 1.3 1.4 1.5 1.6 1.7 2.1 2.2 2.3 3.1 3.2 3.3 4.1 4.2 4.3 4.4 4.5 4.6 5.1 5.2 6.1 7.1 8.1 8.2 8.3";
    assert_eq!(objectives.join(" "), expected);

    let source = parse_plan_csv(server::demo::CLACKMANNANSHIRE_CSV.as_bytes()).unwrap();
    assert_eq!(plan, source, "every action of the source with its fields");
    let complete: Vec<_> = plan
        .priorities
        .iter()
        .flat_map(|p| &p.outcomes)
        .flat_map(|o| &o.objectives)
        .flat_map(|o| &o.actions)
        .filter(|a| a.status.is_some())
        .collect();
    assert_eq!(complete.len(), common::source_complete_count());
    assert!(complete
        .iter()
        .all(|a| a.status == Some(app::domain::status::Status::Complete) && a.progress == "Complete"));
}

#[sqlx::test(migrations = "../migrations")]
async fn exporting_an_unknown_plan_is_a_404(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let export = app.get("/committees/clackmannanshire/plans/2030-32/export.csv").await;
    assert_eq!(export.status, StatusCode::NOT_FOUND);
    assert!(!export.body.contains("priority,"));
}

/// Every connection busy past the wait (or the database restarting) is "busy, try again":
/// 503 with Retry-After, which nginx may retry on another instance, and no detail of why.
#[sqlx::test(migrations = "../migrations")]
async fn a_database_that_cannot_be_reached_in_time_is_a_503_with_retry_after(pool: PgPool) {
    server::demo::load_if_empty(&pool).await.unwrap();
    let app_pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_millis(300))
        .connect_lazy_with(common::app_options(&pool));
    let app = TestApp::over(pool.clone(), app_pool.clone(), |_| {});
    assert_eq!(app.get(PLAN).await.status, StatusCode::OK, "served while a connection is free");
    let member = app.sign_in("clacks.member@example.org").await;

    let held = app_pool.acquire().await.unwrap();
    // Signed in, the session itself cannot be read: the same 503, not a 500.
    let busy = app.get_with_cookie("/me", &member).await;
    assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE, "{}", busy.body);
    assert_eq!(busy.headers.get("retry-after").map(|v| v.to_str().unwrap()), Some("5"));
    for path in ["/protocols", "/committees/stirling"] {
        let busy = app.get(path).await;
        assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_eq!(busy.headers.get("retry-after").map(|v| v.to_str().unwrap()), Some("5"), "{path}");
        assert!(busy.body.contains("busy at the moment"), "{path}: {}", busy.body);
        assert!(!busy.body.to_lowercase().contains("pool"), "no internals: {}", busy.body);
    }
    let signing_in = app
        .post(
            "/api/sign_in",
            &[("email", "clacks.member@example.org"), ("password", server::demo::DEMO_PASSWORD)],
            None,
        )
        .await;
    assert_eq!(signing_in.status, StatusCode::SERVICE_UNAVAILABLE);
    drop(held);
    assert_eq!(app.get("/protocols").await.status, StatusCode::OK, "served again once a connection is free");
}

/// A slow database (here: a table held locked, as a long migration or a stuck job would) must
/// not hold requests, and with them the pool's connections, for as long as it lasts: the
/// server's statement limits cancel the wait, and the page says "busy" and to try again.
#[sqlx::test(migrations = "../migrations")]
async fn a_query_held_up_by_a_lock_is_cancelled_and_answered_503(pool: PgPool) {
    server::demo::load_if_empty(&pool).await.unwrap();
    let limits = server::config::StatementLimits {
        statement: std::time::Duration::from_secs(5),
        lock: std::time::Duration::from_millis(300),
    };
    let app_pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect_lazy_with(server::with_statement_limits(common::app_options(&pool), limits));
    let app = TestApp::over(pool.clone(), app_pool, |_| {});
    let member = app.sign_in("clacks.member@example.org").await;
    assert_eq!(app.get_with_cookie(PLAN, &member).await.status, StatusCode::OK);

    let mut locker = pool.begin().await.unwrap();
    sqlx::query("lock table actions in access exclusive mode").execute(&mut *locker).await.unwrap();
    // Without the limits this request waits for as long as the lock is held (here: for ever,
    // so the guard's timeout would fail the test instead).
    let busy = tokio::time::timeout(std::time::Duration::from_secs(20), app.get_with_cookie(PLAN, &member))
        .await
        .expect("the request is answered while the lock is still held");
    assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE, "{}", busy.body);
    assert_eq!(busy.headers.get("retry-after").map(|v| v.to_str().unwrap()), Some("5"));
    assert!(busy.body.contains("busy at the moment"), "{}", busy.body);
    assert!(!busy.body.contains("lock"), "no internals: {}", busy.body);
    locker.rollback().await.unwrap();
    assert_eq!(app.get_with_cookie(PLAN, &member).await.status, StatusCode::OK, "served again once the lock is gone");

    // The sessions themselves held up: still "busy", never "signed out" (401, or the public's
    // page for a member).
    let mut locker = pool.begin().await.unwrap();
    sqlx::query("lock table tower_sessions.session in access exclusive mode").execute(&mut *locker).await.unwrap();
    for path in ["/me", PLAN] {
        let busy = tokio::time::timeout(std::time::Duration::from_secs(20), app.get_with_cookie(path, &member))
            .await
            .expect("answered while the lock is held");
        assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE, "{path}: {}", busy.body);
    }
    locker.rollback().await.unwrap();
    assert_eq!(app.get_with_cookie("/me", &member).await.status, StatusCode::OK, "still signed in afterwards");
}
