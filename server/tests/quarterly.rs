//! The quarterly cycle against a real database: closing a quarter freezes a snapshot that
//! later edits never change (and the database refuses to change, whoever asks), the COG
//! report's exceptions are exactly what the plan holds, risk scores and bands, and the
//! report's files (CSV, workbook, PDF).

mod common;

use common::TestApp;
use sqlx::PgPool;

const CLACK: &str = "clackmannanshire";
const PLAN: &str = "2023-25";
const LEAD: &str = "clacks.lead@example.org";
const CONTRIBUTOR: &str = "clacks.contributor@example.org";

fn logs() {
    let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("error").try_init();
}

/// Last quarter, which has ended whenever the tests run.
async fn last_quarter(pool: &PgPool) -> String {
    let today: String = sqlx::query_scalar("select current_date::text").fetch_one(pool).await.unwrap();
    let today = app::domain::dates::IsoDate::parse(&today).unwrap();
    app::domain::period::Quarter::of(today).previous().slug()
}

async fn close(app: &TestApp, cookie: &str, period: &str, reason: Option<&str>) -> common::TestResponse {
    let mut fields = vec![("committee", CLACK), ("period", period)];
    if let Some(r) = reason {
        fields.push(("reason", r));
    }
    app.post("/api/close_period", &fields, Some(cookie)).await
}

/// A refused request would answer 4xx: this one was taken (200 to a script, 303 to a form).
fn accepted(response: &common::TestResponse) {
    assert!(response.status.is_success() || response.status.is_redirection(), "{}: {}", response.status, response.body);
}

/// Adds a risk to Clackmannanshire's register as `cookie`'s person, with `fields`.
async fn add_risk(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) {
    let mut all = vec![("register", "committees/clackmannanshire")];
    all.extend_from_slice(fields);
    accepted(&app.post("/api/add_risk", &all, Some(cookie)).await);
}

async fn snapshot_rows(pool: &PgPool) -> Vec<(uuid::Uuid, serde_json::Value, Option<uuid::Uuid>)> {
    sqlx::query_as("select id, data, supersedes from period_snapshots order by taken_at, id")
        .fetch_all(pool)
        .await
        .unwrap()
}

/// An action of the published plan, with its version.
async fn published_action(pool: &PgPool, nth: i64) -> (String, String) {
    sqlx::query_as(
        "select a.id::text, a.version::text from actions a join plan_actions pa on pa.action_id = a.id
           join plans p on p.id = pa.plan_id
          where p.slug = $1 and pa.retired_at is null and a.status is distinct from 'P' and a.owner_committee_id is not null
          order by a.id offset $2 limit 1",
    )
    .bind(PLAN)
    .bind(nth)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn update(
    app: &TestApp,
    cookie: &str,
    action: &(String, String),
    fields: &[(&str, &str)],
) -> common::TestResponse {
    let mut all = vec![("action", action.0.as_str()), ("version", action.1.as_str()), ("evidence", "")];
    all.extend_from_slice(fields);
    app.post("/api/update_action", &all, Some(cookie)).await
}

#[sqlx::test(migrations = "../migrations")]
async fn a_closed_quarter_never_changes_and_the_database_refuses_to_change_it(pool: PgPool) {
    logs();
    let app = TestApp::with_demo(pool.clone()).await;
    let lead = app.sign_in(LEAD).await;
    let contributor = app.sign_in(CONTRIBUTOR).await;
    let period = last_quarter(&pool).await;
    let closed = close(&app, &lead, &period, None).await;
    accepted(&closed);
    let before = snapshot_rows(&pool).await;
    assert_eq!(before.len(), 1);
    let report_before = app.get_with_cookie(&format!("/committees/{CLACK}/periods/{period}"), &lead).await;
    assert_eq!(report_before.status, 200);

    // Later edits: an action goes red, its wording is untouched, a risk is added.
    let action = published_action(&pool, 0).await;
    let r = update(&app, &contributor, &action, &[("status", "A"), ("progress", "Later: now amber")]).await;
    accepted(&r);
    let after = snapshot_rows(&pool).await;
    assert_eq!(before, after, "a later edit changed the snapshot");
    let report_after = app.get_with_cookie(&format!("/committees/{CLACK}/periods/{period}"), &lead).await;
    assert!(!report_after.body.contains("Later: now amber"), "the report shows an edit made after it closed");

    // The database refuses to change or remove it, as its owner and as the server's role.
    for (who, db) in [("owner", &app.pool), ("fv_app", &app.app_pool)] {
        for sql in [
            "update period_snapshots set reason = 'tampered'",
            "update period_snapshots set data = '{}'::jsonb",
            "delete from period_snapshots",
            "truncate period_snapshots cascade",
        ] {
            let result = sqlx::query(sql).execute(db).await;
            assert!(result.is_err(), "{who} could run {sql}");
        }
    }
    assert_eq!(snapshot_rows(&pool).await, before);

    // Closing again without a reason is refused and changes nothing; with one, the first
    // snapshot is kept, marked superseded by the new one.
    let refused = close(&app, &lead, &period, None).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(snapshot_rows(&pool).await, before);
    let again = close(&app, &lead, &period, Some("Closed before the last updates were in")).await;
    accepted(&again);
    let both = snapshot_rows(&pool).await;
    assert_eq!(both.len(), 2);
    assert_eq!(both[0], before[0], "the superseded snapshot changed");
    assert_eq!(both[1].2, Some(before[0].0));
    let page = app.get_with_cookie(&format!("/committees/{CLACK}/periods/{period}"), &lead).await;
    assert!(page.body.contains("Later: now amber"), "the new report is made from the plan as it stands");
    assert!(page.body.contains("Superseded"));

    // The audit trail says who closed it and when.
    let audited: Vec<(String, String)> = sqlx::query_as(
        "select e.summary, p.email from audit_events e join people p on p.id = e.person_id
          where e.entity = 'period_snapshot' order by e.occurred_at",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(audited.len(), 2, "{audited:?}");
    assert!(audited.iter().all(|(_, email)| email == LEAD));
}

/// The report's exception lists, against what the database says of the published plan at the
/// moment of closing.
#[sqlx::test(migrations = "../migrations")]
async fn the_reports_exceptions_are_exactly_what_the_plan_holds(pool: PgPool) {
    logs();
    let app = TestApp::with_demo(pool.clone()).await;
    let lead = app.sign_in(LEAD).await;
    let contributor = app.sign_in(CONTRIBUTOR).await;
    // One action red with a reason and a revised timescale, moved twice.
    let red = published_action(&pool, 1).await;
    let r = update(
        &app,
        &contributor,
        &red,
        &[
            ("status", "R"),
            ("progress", "Blocked on data sharing"),
            ("revised_timescale", "June 2026"),
            ("reason", "Awaiting the data sharing agreement"),
        ],
    )
    .await;
    accepted(&r);
    let version: i32 = sqlx::query_scalar("select version from actions where id = $1::uuid")
        .bind(&red.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    let red = (red.0, version.to_string());
    let r = update(
        &app,
        &contributor,
        &red,
        &[
            ("status", "R"),
            ("progress", "Blocked on data sharing"),
            ("revised_timescale", "December 2026"),
            ("reason", "The agreement was delayed again"),
        ],
    )
    .await;
    accepted(&r);
    // One action left alone for 100 days.
    let stale = published_action(&pool, 2).await;
    sqlx::query("update actions set updated_at = now() - interval '100 days' where id = $1::uuid")
        .bind(&stale.0)
        .execute(&pool)
        .await
        .unwrap();

    let period = last_quarter(&pool).await;
    let closed = close(&app, &lead, &period, None).await;
    accepted(&closed);
    let data: serde_json::Value =
        sqlx::query_scalar("select data from period_snapshots").fetch_one(&pool).await.unwrap();
    let snapshot: app::domain::report::Snapshot = serde_json::from_value(data).unwrap();
    let report = app::domain::report::cog_report(&snapshot, None);
    let plan = report.plans.iter().find(|p| p.slug == PLAN).expect("the published plan is in the report");

    let ids = |actions: &[app::domain::report::ReportAction]| {
        let mut v: Vec<String> = actions.iter().map(|a| a.action.id.to_string()).collect();
        v.sort();
        v
    };
    let expected = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            let mut v: Vec<String> = sqlx::query_scalar(sql).bind(PLAN).fetch_all(&pool).await.unwrap();
            v.sort();
            v
        }
    };
    let live = "from actions a join plan_actions pa on pa.action_id = a.id join plans p on p.id = pa.plan_id
                where p.slug = $1 and pa.retired_at is null";
    let red_or_amber =
        expected(Box::leak(format!("select a.id::text {live} and a.status in ('R', 'A')").into_boxed_str())).await;
    assert!(red_or_amber.contains(&red.0));
    assert_eq!(ids(&plan.attention), red_or_amber, "red and amber");
    let stale_expected = expected(Box::leak(
        format!(
            "select a.id::text {live} and a.status is distinct from 'P' and (now()::date - a.updated_at::date) >= 90"
        )
        .into_boxed_str(),
    ))
    .await;
    assert!(stale_expected.contains(&stale.0));
    assert_eq!(ids(&plan.not_updated), stale_expected, "not updated for 90 days");
    let shown = plan.attention.iter().find(|a| a.action.id.to_string() == red.0).unwrap();
    assert_eq!(shown.action.revision_reason.as_deref(), Some("The agreement was delayed again"));
    assert_eq!(shown.action.revised_timescale.as_deref(), Some("December 2026"));
    // Commitment integrity: moved twice, the published timescale kept beside the current one.
    let moved = plan.moved.iter().find(|a| a.action.id.to_string() == red.0).expect("the moved action is listed");
    assert_eq!(moved.timescale_moves, 2);
    assert_eq!(moved.current_timescale(), "December 2026");
    let published: String = sqlx::query_scalar("select timescale from actions where id = $1::uuid")
        .bind(&red.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(moved.original_timescale, published);
    // Nothing else moved in the demo plan.
    assert_eq!(plan.moved.len(), 1, "{:?}", plan.moved.iter().map(|a| &a.action.reference).collect::<Vec<_>>());

    // The page puts the exceptions before the whole plan.
    let page = app.get_with_cookie(&format!("/committees/{CLACK}/periods/{period}"), &lead).await;
    let at = |text: &str| page.body.find(text).unwrap_or_else(|| panic!("{text:?} is not on the report page"));
    assert!(at("Exceptions") < at("The whole plan"));
    assert!(at("The agreement was delayed again") < at("The whole plan"), "the reason is not among the exceptions");
}

#[sqlx::test(migrations = "../migrations")]
async fn risk_scores_and_bands_follow_each_assessment(pool: PgPool) {
    logs();
    let app = TestApp::with_demo(pool.clone()).await;
    let lead = app.sign_in(LEAD).await;
    let contributor = app.sign_in(CONTRIBUTOR).await;
    add_risk(
        &app,
        &lead,
        &[
            ("reference", "R7"),
            ("title", "Staff turnover in social work"),
            ("description", "Vacancies slow the response"),
            ("cause", "Recruitment"),
            ("consequence", "Delays"),
            ("owner", "Chief Social Work Officer"),
            ("controls", "Agency cover"),
            ("likelihood", "2"),
            ("impact", "2"),
            ("target_score", "4"),
            ("review_on", "2027-03-31"),
        ],
    )
    .await;
    let (id, version): (uuid::Uuid, i32) =
        sqlx::query_as("select id, version from risks where reference = 'R7'").fetch_one(&pool).await.unwrap();
    let register = app.get_with_cookie(&format!("/committees/{CLACK}/risks"), &contributor).await;
    assert!(register.body.contains("Staff turnover in social work"));
    for (l, i, band) in [("4", "4", "Very high"), ("3", "4", "High"), ("1", "3", "Low"), ("2", "3", "Medium")] {
        let version: i32 =
            sqlx::query_scalar("select version from risks where id = $1").bind(id).fetch_one(&pool).await.unwrap();
        let r = app
            .post(
                "/api/assess_risk",
                &[
                    ("register", "committees/clackmannanshire"),
                    ("risk", &id.to_string()),
                    ("version", &version.to_string()),
                    ("likelihood", l),
                    ("impact", i),
                    ("note", ""),
                ],
                Some(&contributor),
            )
            .await;
        accepted(&r);
        let score: i32 = l.parse::<i32>().unwrap() * i.parse::<i32>().unwrap();
        let page = app.get_with_cookie(&format!("/committees/{CLACK}/risks/{id}"), &contributor).await;
        assert!(
            page.body.contains(&app::domain::risk::rating(score as u8))
                && app::domain::risk::rating(score as u8).ends_with(band),
            "score {score} is not shown as {band}"
        );
    }
    // A stale version is refused and changes nothing.
    let stale = app
        .post(
            "/api/assess_risk",
            &[
                ("register", "committees/clackmannanshire"),
                ("risk", &id.to_string()),
                ("version", &version.to_string()),
                ("likelihood", "5"),
                ("impact", "5"),
                ("note", ""),
            ],
            Some(&contributor),
        )
        .await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    let (l, i): (i16, i16) =
        sqlx::query_as("select likelihood, impact from risks where id = $1").bind(id).fetch_one(&pool).await.unwrap();
    assert_eq!((l, i), (2, 3));
    let history: i64 = sqlx::query_scalar("select count(*) from risk_assessments where risk_id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(history, 5, "the first assessment and four more");
    // Out-of-range input is refused with the field named.
    let bad = app
        .post(
            "/api/assess_risk",
            &[
                ("register", "committees/clackmannanshire"),
                ("risk", &id.to_string()),
                ("version", "99"),
                ("likelihood", "6"),
                ("impact", "0"),
                ("note", ""),
            ],
            Some(&contributor),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_report_downloads_as_csv_workbook_and_pdf(pool: PgPool) {
    logs();
    let app = TestApp::with_demo(pool.clone()).await;
    let lead = app.sign_in(LEAD).await;
    let contributor = app.sign_in(CONTRIBUTOR).await;
    let action = published_action(&pool, 0).await;
    let r =
        update(&app, &contributor, &action, &[("status", "A"), ("progress", "=HYPERLINK(\"http://evil.example\")")])
            .await;
    accepted(&r);
    let period = last_quarter(&pool).await;
    let base = format!("/committees/{CLACK}/periods/{period}/download");
    // Open: no files yet.
    let open = app.get_raw(&format!("{base}/report.pdf"), Some(&lead)).await;
    assert_eq!(open.status, 409);
    close(&app, &lead, &period, None).await;

    let csv = app.get_raw(&format!("{base}/attention.csv"), Some(&lead)).await;
    assert_eq!(csv.status, 200);
    assert!(csv.headers[axum::http::header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    assert_eq!(csv.headers[axum::http::header::CACHE_CONTROL], "private, no-store");
    let text = String::from_utf8(csv.bytes).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header[..3], ["Plan", "Ref", "Action"].map(str::to_owned));
    let progress: Vec<String> = reader.records().map(|r| r.unwrap()[5].to_owned()).collect();
    assert!(
        progress.contains(&"'=HYPERLINK(\"http://evil.example\")".to_owned()),
        "the formula is not neutralised: {progress:?}"
    );
    assert_eq!(app.get_raw(&format!("{base}/nothing.csv"), Some(&lead)).await.status, 404);

    let xlsx = app.get_raw(&format!("{base}/report.xlsx"), Some(&lead)).await;
    assert_eq!(xlsx.status, 200);
    let workbook: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.bytes)).unwrap();
    use calamine::Reader;
    let names = workbook.sheet_names();
    let expected: Vec<String> = app::domain::report::SECTIONS.iter().map(|(_, n)| (*n).to_owned()).collect();
    assert_eq!(names, expected);

    let pdf = app.get_raw(&format!("{base}/report.pdf"), Some(&lead)).await;
    assert_eq!(pdf.status, 200, "{}", String::from_utf8_lossy(&pdf.bytes));
    assert!(pdf.bytes.starts_with(b"%PDF"));
    assert_eq!(pdf.headers[axum::http::header::CONTENT_TYPE], "application/pdf");
    let dir = std::env::temp_dir().join(format!("fv-pdf-test-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.pdf");
    std::fs::write(&file, &pdf.bytes).unwrap();
    let out =
        std::process::Command::new("pdftotext").arg("-layout").arg(&file).arg("-").output().expect("pdftotext runs");
    std::fs::remove_dir_all(&dir).ok();
    let text = String::from_utf8_lossy(&out.stdout);
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages.len() > 1, "the report fits on one page: {text}");
    let committee_name: String =
        sqlx::query_scalar("select name from committees where slug = $1").bind(CLACK).fetch_one(&pool).await.unwrap();
    for (n, page) in pages.iter().enumerate() {
        assert!(page.contains(&committee_name) && page.contains("Reported on"), "page {} has no running header", n + 1);
    }
    let exceptions = text.find("Exceptions").expect("the exceptions are in the PDF");
    let whole = text.find("The whole plan").expect("the whole plan is in the PDF");
    assert!(exceptions < whole, "the exceptions do not come first");
    assert!(
        !text.contains("Skip to main content") && !text.contains("Download as PDF"),
        "navigation chrome is printed"
    );

    // Never public, and not for another committee's people.
    assert_eq!(app.get_raw(&format!("{base}/report.pdf"), None).await.status, 401);
    let falkirk = app.sign_in("falkirk.lead@example.org").await;
    assert_eq!(app.get_raw(&format!("{base}/attention.csv"), Some(&falkirk)).await.status, 403);
}

/// Every private text of the demo that could leak into a public page: leads, evidence, update
/// notes, people's names and emails, the risk register, closing reasons.
async fn private_texts(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "select t from (
             select lead as t from actions union select evidence from actions
             union select note from status_updates
             union select display_name from people union select email from people
             union select title from risks union select description from risks union select owner from risks
             union select controls from risks union select cause from risks union select consequence from risks
             union select reason from period_snapshots
         ) x where length(t) >= 8",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_public_summary_shows_the_latest_quarter_in_public_words_only(pool: PgPool) {
    logs();
    let app = TestApp::with_demo(pool.clone()).await.with_live_cache().await;
    let lead = app.sign_in(LEAD).await;
    let contributor = app.sign_in(CONTRIBUTOR).await;
    let summary = format!("/committees/{CLACK}/plans/{PLAN}/summary");
    let before = app.get(&summary).await;
    assert_eq!(before.status, 200);
    assert!(before.body.contains("No quarter of this plan has been reported yet."));
    // Private words around a delayed action: a note on the update, evidence, a risk.
    let action = published_action(&pool, 3).await;
    let r = update(
        &app,
        &contributor,
        &action,
        &[
            ("status", "R"),
            ("progress", "Paused while the team is recruited"),
            ("revised_timescale", "September 2027"),
            ("reason", "Two posts are vacant in the review team"),
            ("note", "Private note: Dr Example is on long-term leave"),
        ],
    )
    .await;
    accepted(&r);
    add_risk(
        &app,
        &lead,
        &[
            ("reference", "R9"),
            ("title", "Confidential: staffing of the review team"),
            ("description", "Only the committee sees this"),
            ("cause", "Vacancies"),
            ("consequence", "Delays to reviews"),
            ("owner", "Head of Children's Services"),
            ("controls", "Agency cover arranged"),
            ("likelihood", "4"),
            ("impact", "4"),
            ("target_score", "6"),
            ("review_on", ""),
        ],
    )
    .await;
    let period = last_quarter(&pool).await;
    let closed = close(&app, &lead, &period, None).await;
    accepted(&closed);

    // The cached "not reported yet" page is gone: the closing is a public event.
    let page = app.get(&summary).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("No quarter of this plan has been reported yet."), "a stale cached page");
    assert!(page.body.contains("Two posts are vacant in the review team"), "the public reason is missing");
    assert!(page.body.contains("September 2027"));
    let (total, complete): (i64, i64) = sqlx::query_as(
        "select count(*), count(*) filter (where a.status = 'P')
           from actions a join plan_actions pa on pa.action_id = a.id join plans p on p.id = pa.plan_id
          where p.slug = $1 and pa.retired_at is null",
    )
    .bind(PLAN)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(page.body.contains(&format!("of the plan's {total} actions, {complete} were complete")), "counts");
    // The page's main content, not the site's frame, holds nothing private.
    let main = page.body.split("<main").nth(1).unwrap_or_default();
    let public: String =
        sqlx::query_scalar("select string_agg(data::text, ' ') from period_summaries").fetch_one(&pool).await.unwrap();
    let mut checked = 0;
    for private in private_texts(&pool).await {
        // A lead's words that the plan also publishes (an action described with them) are public.
        if public.contains(&private) || private.trim().is_empty() {
            continue;
        }
        checked += 1;
        assert!(!main.contains(&private), "the public summary shows {private:?}");
    }
    assert!(checked > 50, "only {checked} private texts were checked");
    for private in ["Dr Example", "Confidential: staffing", "Isla Ferguson", LEAD] {
        assert!(!main.contains(private), "{private}");
    }
    // A draft has no public summary.
    assert_eq!(app.get(&format!("/committees/{CLACK}/plans/2025-27/summary")).await.status, 404);
}

#[sqlx::test(migrations = "../migrations")]
async fn two_closed_quarters_compare_side_by_side(pool: PgPool) {
    logs();
    let app = TestApp::with_demo(pool.clone()).await;
    let lead = app.sign_in(LEAD).await;
    let contributor = app.sign_in(CONTRIBUTOR).await;
    let later = last_quarter(&pool).await;
    let today: String = sqlx::query_scalar("select current_date::text").fetch_one(&pool).await.unwrap();
    let earlier = app::domain::period::Quarter::of(app::domain::dates::IsoDate::parse(&today).unwrap())
        .previous()
        .previous()
        .slug();
    let closed = close(&app, &lead, &earlier, None).await;
    accepted(&closed);
    let action = published_action(&pool, 4).await;
    let reference: String = sqlx::query_scalar(
        "select r.reference from (select (jsonb_array_elements(jsonb_array_elements(data->'plans')->'actions')) as a from period_snapshots) x,
                lateral (select x.a->>'reference' as reference, x.a->>'id' as id) r where r.id = $1 limit 1",
    )
    .bind(&action.0)
    .fetch_one(&pool)
    .await
    .unwrap();
    let r = update(&app, &contributor, &action, &[("status", "A"), ("progress", "Slipped this quarter")]).await;
    accepted(&r);
    let closed = close(&app, &lead, &later, None).await;
    accepted(&closed);

    // Either order of the address shows the earlier period first.
    for (a, b) in [(&later, &earlier), (&earlier, &later)] {
        let page = app.get_with_cookie(&format!("/committees/{CLACK}/periods/{a}/compare/{b}"), &lead).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let row =
            page.body.split("<tr>").find(|row| row.contains("Status changed")).expect("a status change is listed");
        assert!(row.contains(&reference), "the changed action {reference} is not the one listed");
        let label = |slug: &str| app::domain::period::Quarter::parse(slug).unwrap().label();
        assert!(
            page.body.contains(&format!("{} compared with {}", label(&earlier), label(&later))),
            "the earlier period does not come first"
        );
    }
    // An open period cannot be compared.
    let open = app::domain::period::Quarter::of(app::domain::dates::IsoDate::parse(&today).unwrap()).slug();
    let refused = app.get_with_cookie(&format!("/committees/{CLACK}/periods/{later}/compare/{open}"), &lead).await;
    assert_eq!(refused.status, 409);
    // The report links to the comparison.
    let report = app.get_with_cookie(&format!("/committees/{CLACK}/periods/{later}"), &lead).await;
    assert!(report.body.contains(&format!("/periods/{later}/compare/{earlier}")));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_year_in_one_place_combines_its_closed_quarters(pool: PgPool) {
    logs();
    let app = TestApp::with_demo(pool.clone()).await;
    let lead = app.sign_in(LEAD).await;
    let contributor = app.sign_in(CONTRIBUTOR).await;
    let today: String = sqlx::query_scalar("select current_date::text").fetch_one(&pool).await.unwrap();
    let this = app::domain::period::Quarter::of(app::domain::dates::IsoDate::parse(&today).unwrap());
    let year = this.slug().rsplit_once("-q").unwrap().0.to_owned();
    let address = format!("/committees/{CLACK}/years/{year}");
    let none = app.get_with_cookie(&address, &lead).await;
    assert_eq!(none.status, 200);
    assert!(none.body.contains("No quarter of this year has been closed yet."));
    // Close every begun quarter of this year; one action is completed in between.
    let action = published_action(&pool, 5).await;
    let quarters: Vec<_> =
        (1..=this.number).map(|n| app::domain::period::Quarter { year: this.year, number: n }).collect();
    for (i, q) in quarters.iter().enumerate() {
        if i == quarters.len() - 1 {
            let r = update(&app, &contributor, &action, &[("status", "P"), ("progress", "Done this year")]).await;
            accepted(&r);
        }
        let closed = close(&app, &lead, &q.slug(), None).await;
        accepted(&closed);
    }
    let year_page = app.get_with_cookie(&address, &lead).await;
    assert_eq!(year_page.status, 200, "{}", year_page.body);
    for q in &quarters {
        assert!(year_page.body.contains(&q.label()), "{} is missing", q.label());
    }
    let description: String = sqlx::query_scalar("select description from actions where id = $1::uuid")
        .bind(&action.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    let completed =
        year_page.body.split("id=\"completed-heading\"").nth(1).unwrap().split("moved-heading").next().unwrap();
    let escaped = description.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    assert!(completed.contains(&escaped), "the action completed this year is not listed");
    assert_eq!(app.get_with_cookie(&format!("/committees/{CLACK}/years/not-a-year"), &lead).await.status, 404);
    let falkirk = app.sign_in("falkirk.lead@example.org").await;
    assert_eq!(app.get_with_cookie(&format!("/committees/{CLACK}/years/{year}"), &falkirk).await.status, 403);
}

/// How many of the given risk rows `email`'s person reads through row-level security (as fv_app).
async fn risks_seen_by(app: &TestApp, email: &str, risk: uuid::Uuid) -> i64 {
    let person: uuid::Uuid =
        sqlx::query_scalar("select id from people where email = $1").bind(email).fetch_one(&app.pool).await.unwrap();
    let mut tx = app.app_pool.begin().await.unwrap();
    sqlx::query("select set_config('app.person_id', $1, true)")
        .bind(person.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let n = sqlx::query_scalar("select (select count(*) from risks where id = $1) + (select count(*) from risk_assessments where risk_id = $1)")
        .bind(risk)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    n
}

#[sqlx::test(migrations = "../migrations")]
async fn a_subgroup_keeps_a_register_its_members_and_its_committees_lead_officers_read_and_its_chair_writes(
    pool: PgPool,
) {
    logs();
    let app = TestApp::with_demo(pool.clone()).await;
    const IRD: &str = "subgroups/ird-steering-group";
    let chair = app.sign_in("chair.ird@example.org").await;
    let fields = [
        ("register", IRD),
        ("reference", "IRD1"),
        ("title", "Joint interviews delayed by rota gaps"),
        ("description", "Police and social work rotas do not always allow a joint interview within the day"),
        ("cause", "Rota gaps"),
        ("consequence", "Children wait"),
        ("owner", "IRD Steering Group chair"),
        ("controls", "Weekly rota check"),
        ("likelihood", "3"),
        ("impact", "4"),
        ("target_score", "6"),
        ("review_on", ""),
    ];
    accepted(&app.post("/api/add_risk", &fields, Some(&chair)).await);
    let (id, version): (uuid::Uuid, i32) = sqlx::query_as(
        "select r.id, r.version from risks r join subgroups s on s.id = r.subgroup_id
          where s.slug = 'ird-steering-group' and r.reference = 'IRD1' and r.committee_id is null",
    )
    .fetch_one(&pool)
    .await
    .unwrap();

    // Readers: the subgroup's members and the lead officers of the committees taking part; not a
    // committee's other members, not another subgroup's chair, not the public.
    for (email, reads) in [
        ("chair.ird@example.org", true),
        ("both.committees@example.org", true),
        (LEAD, true),
        ("stirling.lead@example.org", true),
        ("clacks.member@example.org", false),
        (CONTRIBUTOR, false),
        ("chair.protocols@example.org", false),
        ("admin@example.org", false),
    ] {
        let cookie = app.sign_in(email).await;
        let page = app.get_with_cookie("/subgroups/ird-steering-group/risks", &cookie).await;
        assert_eq!(page.status == 200, reads, "{email}: {}", page.status);
        assert_eq!(page.body.contains("Joint interviews delayed by rota gaps"), reads, "{email}");
        let detail = app.get_with_cookie(&format!("/subgroups/ird-steering-group/risks/{id}"), &cookie).await;
        assert_eq!(detail.status == 200, reads, "{email}: {}", detail.status);
        let subgroup = app.get_with_cookie("/subgroups/ird-steering-group", &cookie).await;
        assert_eq!(subgroup.body.contains("/subgroups/ird-steering-group/risks\""), reads, "{email}: the link");
        // Row-level security agrees, underneath.
        assert_eq!(risks_seen_by(&app, email, id).await > 0, reads, "{email}: row-level security");
    }
    let anonymous = app.get("/subgroups/ird-steering-group/risks").await;
    assert!(!anonymous.body.contains("Joint interviews delayed"), "{}", anonymous.status);
    assert!(anonymous.status == 401 || anonymous.status == 303, "{}", anonymous.status);

    // Writers: its chair only. A member and a participating lead officer are refused and
    // nothing changes.
    let assess = |v: i32| {
        vec![
            ("register", IRD.to_owned()),
            ("risk", id.to_string()),
            ("version", v.to_string()),
            ("likelihood", "4".to_owned()),
            ("impact", "4".to_owned()),
            ("note", "Two rota gaps this month".to_owned()),
        ]
    };
    for email in ["both.committees@example.org", LEAD] {
        let cookie = app.sign_in(email).await;
        let fields = assess(version);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = app.post("/api/assess_risk", &fields, Some(&cookie)).await;
        assert_eq!(refused.status, 403, "{email}: {}", refused.body);
    }
    let fields = assess(version);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    accepted(&app.post("/api/assess_risk", &fields, Some(&chair)).await);
    let (l, i, v): (i16, i16, i32) = sqlx::query_as("select likelihood, impact, version from risks where id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!((l, i, v), (4, 4, version + 1));

    // Its mitigations are the subgroup's own shared actions; a committee's own action is refused.
    let shared: uuid::Uuid = sqlx::query_scalar(
        "select a.id from actions a join subgroups s on s.id = a.owner_subgroup_id
          where s.slug = 'ird-steering-group' and exists (select 1 from plan_actions pa where pa.action_id = a.id)
          order by a.created_at limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let own: uuid::Uuid = sqlx::query_scalar(
        "select a.id from actions a join committees c on c.id = a.owner_committee_id where c.slug = $1 limit 1",
    )
    .bind(CLACK)
    .fetch_one(&pool)
    .await
    .unwrap();
    let link = |action: uuid::Uuid| {
        vec![("register", IRD.to_owned()), ("risk", id.to_string()), ("action", action.to_string())]
    };
    let refused = link(own);
    let refused: Vec<(&str, &str)> = refused.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.post("/api/link_risk_action", &refused, Some(&chair)).await.status, 422);
    let linked = link(shared);
    let linked: Vec<(&str, &str)> = linked.iter().map(|(k, v)| (*k, v.as_str())).collect();
    accepted(&app.post("/api/link_risk_action", &linked, Some(&chair)).await);
    let links: Vec<uuid::Uuid> = sqlx::query_scalar("select action_id from risk_actions where risk_id = $1")
        .bind(id)
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(links, vec![shared]);

    // Audited as the subgroup's, announced to the subgroup's members, and never in a
    // committee's register.
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_events e join subgroups s on s.id = e.subgroup_id
          where s.slug = 'ird-steering-group' and e.entity_id = $1 and e.committee_id is null",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 3, "added, assessed, linked");
    let named: Vec<(Vec<uuid::Uuid>, Vec<uuid::Uuid>)> =
        sqlx::query_as("select committees, subgroups from live.change_events where kind = 'risk' and object_id = $1")
            .bind(id)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(!named.is_empty() && named.iter().all(|(c, s)| c.is_empty() && s.len() == 1), "{named:?}");
    let lead = app.sign_in(LEAD).await;
    let clack = app.get_with_cookie(&format!("/committees/{CLACK}/risks"), &lead).await;
    assert_eq!(clack.status, 200);
    assert!(!clack.body.contains("Joint interviews delayed"));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_forth_valley_report_covers_every_committee_and_shows_subgroup_risks_only_to_their_readers(pool: PgPool) {
    logs();
    let app = TestApp::with_demo(pool.clone()).await;
    const REPORT: &str = "/forth-valley/report";
    let lead = app.sign_in(LEAD).await;
    let red = published_action(&pool, 0).await;
    accepted(
        &update(
            &app,
            &lead,
            &red,
            &[
                ("status", "R"),
                ("progress", "Blocked on data sharing"),
                ("revised_timescale", "June 2027"),
                ("reason", "Awaiting the regional data sharing agreement"),
            ],
        )
        .await,
    );
    let chair = app.sign_in("chair.ird@example.org").await;
    let risk = [
        ("register", "subgroups/ird-steering-group"),
        ("reference", "IRD9"),
        ("title", "Joint interviews delayed by rota gaps"),
        ("description", ""),
        ("cause", ""),
        ("consequence", ""),
        ("owner", ""),
        ("controls", ""),
        ("likelihood", "4"),
        ("impact", "4"),
        ("target_score", "6"),
        ("review_on", ""),
    ];
    accepted(&app.post("/api/add_risk", &risk, Some(&chair)).await);
    let (shared, shared_id): (String, uuid::Uuid) = sqlx::query_as(
        "select a.description, a.id from actions a where a.owner_subgroup_id is not null
          and exists (select 1 from plan_actions pa join plans p on p.id = pa.plan_id
                       where pa.action_id = a.id and p.status = 'published' and pa.retired_at is null)
          order by a.created_at limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let adopters: i64 = sqlx::query_scalar(
        "select count(*) from plan_actions pa join plans p on p.id = pa.plan_id
          where pa.action_id = $1 and p.status = 'published' and pa.retired_at is null",
    )
    .bind(shared_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let protocol: String = sqlx::query_scalar("select title from protocols where is_public order by title limit 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let draft: String = sqlx::query_scalar(
        "select a.description from actions a join plan_actions pa on pa.action_id = a.id join plans p on p.id = pa.plan_id
          where p.status = 'draft' and a.owner_committee_id is not null
            and not exists (select 1 from plan_actions q join plans pp on pp.id = q.plan_id
                             where q.action_id = a.id and pp.status = 'published')
          order by a.created_at limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();

    // Another committee's member reads it all, from published plans only.
    let stirling = app.sign_in("stirling.member@example.org").await;
    let page = app.get_with_cookie(REPORT, &stirling).await;
    assert_eq!(page.status, 200, "{}", &page.body[..page.body.len().min(2000)]);
    let body = page.body.replace("&#x27;", "'").replace("&quot;", "\"").replace("&amp;", "&");
    for committee in ["Clackmannanshire", "Stirling", "Falkirk"] {
        assert!(body.contains(&format!("exceptions-{}", committee.to_lowercase())), "{committee}'s part");
    }
    assert!(body.contains("Awaiting the regional data sharing agreement"), "the red action and its reason");
    assert!(body.contains("June 2027"), "its revised timescale");
    assert!(body.contains(&shared), "the shared action");
    let shared_section =
        &body[body.find("id=\"shared-heading\"").unwrap()..body.find("id=\"protocols-heading\"").unwrap()];
    assert_eq!(
        shared_section.matches(&format!("/actions/{shared_id}\"")).count() as i64,
        adopters,
        "one link per published plan adopting it"
    );
    assert!(body.contains(&protocol), "the protocols");
    assert!(!body.contains(&draft), "nothing of a draft plan");
    assert!(body.contains("data-testid=\"running-header\""));
    let exceptions = body.find("Exceptions by committee").unwrap();
    assert!(exceptions < body.find("Shared actions").unwrap(), "exceptions come first");

    // The subgroup's risks: for the readers of its register only.
    assert!(!body.contains("Joint interviews delayed by rota gaps"));
    let member = app.sign_in("clacks.member@example.org").await;
    let theirs = app.get_with_cookie(REPORT, &member).await.body;
    assert!(!theirs.contains("Joint interviews delayed by rota gaps"));
    assert!(theirs.contains("not shown: a subgroup"), "withheld registers are counted, not shown");
    for reader in [LEAD, "chair.ird@example.org"] {
        let cookie = app.sign_in(reader).await;
        let theirs = app.get_with_cookie(REPORT, &cookie).await.body;
        assert!(theirs.contains("Joint interviews delayed by rota gaps"), "{reader} reads the IRD register");
    }

    // Not for the public, nor for someone who belongs to no committee or subgroup any more.
    let anonymous = app.get(REPORT).await;
    assert_eq!(anonymous.status, 401);
    assert!(!anonymous.body.contains("Awaiting the regional data sharing agreement"));
    let leaver = app.sign_in("falkirk.member@example.org").await;
    sqlx::query("delete from committee_memberships where person_id = (select id from people where email = 'falkirk.member@example.org')")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "delete from subgroup_memberships where person_id = (select id from people where email = 'falkirk.member@example.org')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let refused = app.get_with_cookie(REPORT, &leaver).await;
    assert_eq!(refused.status, 403, "refused on the next request");
    let api = app.post("/api/regional_report", &[], Some(&leaver)).await;
    assert_eq!(api.status, 403);
}
