//! Importing and exporting plan files in the app, over HTTP against a real database: upload a
//! CSV or a workbook, see every row and problem, import into a new draft plan; export as a
//! workbook. Forms are posted as a browser without JavaScript posts them.

mod common;

use app::domain::plan_csv::{parse_plan_csv, write_csv};
use axum::http::{header, StatusCode};
use common::{database_digest, TestApp};
use server::demo::CLACKMANNANSHIRE_CSV;
use server::plan_xlsx;
use sqlx::PgPool;

const LEAD: &str = "clacks.lead@example.org";
const UPLOAD_PAGE: &str = "/committees/clackmannanshire/plans/import";
const HEADER: &str =
    "priority,outcome_number,outcome,objective_number,objective,action,lead,timescale,evidence,progress,status\n";

/// Uploads `file` as `cookie`'s browser does; returns the preview's address.
async fn upload(app: &TestApp, cookie: &str, file: (&str, &[u8])) -> String {
    let response = app.post_file_form(UPLOAD_PAGE, file, Some(cookie), UPLOAD_PAGE).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let preview = response.location;
    assert!(preview.starts_with(&format!("{UPLOAD_PAGE}/")), "{preview}");
    preview
}

fn upload_id(preview: &str) -> &str {
    preview.rsplit('/').next().unwrap()
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// The error message shown in the field of the form posted to `form`, if any.
fn field_error(body: &str) -> Option<&str> {
    let start = body.find("class=\"field-error\"")?;
    let text = &body[start..];
    let open = text.find('>')? + 1;
    let close = text.find("</p>")?;
    Some(&text[open..close])
}

#[sqlx::test(migrations = "../migrations")]
async fn a_lead_officer_uploads_a_csv_checks_every_row_then_imports_it_as_a_new_draft(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let lead = app.sign_in(LEAD).await;
    let plans_before = count(&app.pool, "select count(*) from plans").await;
    let actions_before = count(&app.pool, "select count(*) from actions").await;

    // The committee page leads there; the upload page explains the format.
    let committee = app.get_with_cookie("/committees/clackmannanshire", &lead).await;
    assert!(committee.body.contains(&format!("href=\"{UPLOAD_PAGE}\"")));
    let page = app.get_with_cookie(UPLOAD_PAGE, &lead).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("enctype=\"multipart/form-data\"") && page.body.contains("objective_number"));

    let preview = upload(&app, &lead, ("clackmannanshire.csv", CLACKMANNANSHIRE_CSV.as_bytes())).await;
    // Staged only: no plan or action yet.
    assert_eq!(count(&app.pool, "select count(*) from plans").await, plans_before);
    assert_eq!(count(&app.pool, "select count(*) from actions").await, actions_before);

    let shown = app.get_with_cookie(&preview, &lead).await;
    assert_eq!(shown.status, StatusCode::OK);
    let source = parse_plan_csv(CLACKMANNANSHIRE_CSV.as_bytes()).unwrap();
    assert!(shown.body.contains("Ready to import"), "{}", &shown.body[..shown.body.len().min(2000)]);
    assert!(shown.body.contains(&format!("{} actions under", source.action_count())));
    assert!(shown.body.contains("Nothing has been saved to any plan yet"));
    assert_eq!(shown.body.matches("<tr").count() - 1, source.action_count(), "one table row per action");
    assert!(shown.body.contains("value=\"2027-29\""), "the next period is suggested");

    let imported = app
        .post_form(
            "/api/import_uploaded_plan",
            &[
                ("committee", "clackmannanshire"),
                ("upload", upload_id(&preview)),
                ("plan", "2027-29"),
                ("title", "Strategic Improvement Plan 2027–29"),
            ],
            Some(&lead),
            &preview,
        )
        .await;
    assert!(imported.status.is_redirection(), "{} {}", imported.status, imported.body);
    assert!(imported.location.ends_with("/committees/clackmannanshire/plans/2027-29"), "{}", imported.location);

    let plan = app.get_with_cookie("/committees/clackmannanshire/plans/2027-29", &lead).await;
    assert_eq!(plan.status, StatusCode::OK);
    assert!(plan.body.contains(&format!("Imported {} actions from clackmannanshire.csv", source.action_count())));
    let state: String =
        sqlx::query_scalar("select status from plans where slug = '2027-29'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(state, "draft");
    assert_eq!(count(&app.pool, "select count(*) from plan_imports").await, 0, "the upload is used up");
    assert_eq!(
        count(&app.pool, "select count(*) from audit_events where summary like 'Imported plan 2027-29 with %'").await,
        1
    );
    // A draft: the public does not see it.
    assert_eq!(app.get("/committees/clackmannanshire/plans/2027-29").await.status, StatusCode::NOT_FOUND);
    // And it holds exactly the file's rows.
    let export = app.get_with_cookie("/committees/clackmannanshire/plans/2027-29/export.csv", &lead).await;
    assert_eq!(export.body, write_csv(&source.rows()));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_workbook_with_the_same_columns_imports_the_same_plan_as_the_csv(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let lead = app.sign_in(LEAD).await;
    let source = parse_plan_csv(CLACKMANNANSHIRE_CSV.as_bytes()).unwrap();
    let workbook = plan_xlsx::write_xlsx(&source.rows()).unwrap();

    let preview = upload(&app, &lead, ("plan.xlsx", &workbook)).await;
    let shown = app.get_with_cookie(&preview, &lead).await;
    assert!(shown.body.contains("Excel workbook uploaded") && shown.body.contains("Ready to import"));
    let imported = app
        .post_form(
            "/api/import_uploaded_plan",
            &[
                ("committee", "clackmannanshire"),
                ("upload", upload_id(&preview)),
                ("plan", "2029-31"),
                ("title", "From Excel"),
            ],
            Some(&lead),
            &preview,
        )
        .await;
    assert!(imported.status.is_redirection(), "{}", imported.status);
    let export = app.get_with_cookie("/committees/clackmannanshire/plans/2029-31/export.csv", &lead).await;
    assert_eq!(export.body, write_csv(&source.rows()));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_workbook_export_reads_back_as_the_same_rows_as_the_csv_export(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let plan = "/committees/clackmannanshire/plans/2023-25";
    let xlsx = app.get_raw(&format!("{plan}/export.xlsx"), None).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(xlsx.headers[header::CONTENT_TYPE], plan_xlsx::CONTENT_TYPE);
    assert_eq!(xlsx.headers[header::CONTENT_DISPOSITION], "attachment; filename=\"clackmannanshire-2023-25.xlsx\"");
    let csv = app.get(&format!("{plan}/export.csv")).await;

    let (sheet, problems) = plan_xlsx::sheet_as_csv(&xlsx.bytes).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let rows = parse_plan_csv(&sheet).expect("the workbook passes the import checks").rows();
    assert_eq!(write_csv(&rows), csv.body);
    // The plan page offers both.
    let page = app.get(plan).await;
    assert!(page.body.contains("export.csv") && page.body.contains("export.xlsx"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_draft_exports_as_a_workbook_only_to_its_committees_members(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let path = "/committees/clackmannanshire/plans/2025-27/export.xlsx";
    assert_eq!(app.get_raw(path, None).await.status, StatusCode::NOT_FOUND);
    let falkirk = app.sign_in("falkirk.lead@example.org").await;
    assert_eq!(app.get_raw(path, Some(&falkirk)).await.status, StatusCode::NOT_FOUND);
    let member = app.sign_in("clacks.member@example.org").await;
    let own = app.get_raw(path, Some(&member)).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.headers[header::CACHE_CONTROL], "private, no-store");
    assert!(own.bytes.starts_with(b"PK\x03\x04"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_file_with_problems_is_previewed_with_every_problem_and_cannot_be_imported(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let lead = app.sign_in(LEAD).await;
    let csv = format!(
        "{HEADER}Leadership,1,,1.1,Members know their role,Induction,Lead,,,,\n\
         Leadership,1,,2.1,Members know their role,Under the wrong outcome,Lead,,,,Purple\n\
         Leadership,1,,1.2,Plans are delivered,,Lead,,,,\n"
    );
    let preview = upload(&app, &lead, ("broken.csv", csv.as_bytes())).await;
    let mut shown = app.get_with_cookie(&preview, &lead).await;
    shown.body = shown.body.replace("&quot;", "\"");
    assert!(shown.body.contains("3 problems to correct"), "{}", &shown.body[..shown.body.len().min(3000)]);
    for problem in [
        "row 3, column objective_number: objective 2.1 does not belong to outcome 1",
        "row 3, column status: \"Purple\" is not a status",
        "row 4, column action: is empty",
    ] {
        assert!(shown.body.contains(problem), "{problem} missing");
    }
    assert!(shown.body.contains("Under the wrong outcome"), "every row is listed, good or not");
    assert!(!shown.body.contains("Import into a new draft plan"));
    assert!(shown.body.contains("Upload and check again"));

    // Even posted by hand, the import is refused and nothing changes.
    let before = database_digest(&app.pool).await;
    let refused = app
        .post(
            "/api/import_uploaded_plan",
            &[("committee", "clackmannanshire"), ("upload", upload_id(&preview)), ("plan", "2027-29"), ("title", "T")],
            Some(&lead),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("3 problems to correct first"), "{}", refused.body);
    assert_eq!(database_digest(&app.pool).await, before);
}

#[sqlx::test(migrations = "../migrations")]
async fn files_that_cannot_be_read_are_refused_with_a_clear_message_and_change_nothing(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let lead = app.sign_in(LEAD).await;
    let before = database_digest(&app.pool).await;
    let too_large = vec![b'a'; 1600 * 1024];
    let cases: [(&str, &[u8], &str); 6] = [
        (
            "plan.csv",
            b"priority,outcome,objective\nP,1,1.1\n",
            "row 1: the header must be exactly: priority,outcome_number",
        ),
        ("plan.csv", HEADER.as_bytes(), "the file has a header but no actions"),
        ("", b"", "Choose a CSV file or an Excel workbook (.xlsx) to upload."),
        ("old.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest", "This is an older Excel file (.xls)."),
        ("plan.xlsx", b"PK\x03\x04 broken", "could not be read as an Excel workbook"),
        ("big.csv", &too_large, "The file is larger than 1.5 MB"),
    ];
    for (name, bytes, message) in cases {
        // A browser goes back to the upload page, which shows the reason by the file field.
        let response = app.post_file_form(UPLOAD_PAGE, (name, bytes), Some(&lead), UPLOAD_PAGE).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{name}");
        assert_eq!(response.location, UPLOAD_PAGE, "{name}");
        let page = app.get_with_cookie(UPLOAD_PAGE, &lead).await;
        let shown = field_error(&page.body).unwrap_or_default().replace("&quot;", "\"");
        assert!(shown.contains(message), "{name}: {shown:?}");
        assert!(page.body.contains("aria-invalid=\"true\""));
        assert_eq!(database_digest(&app.pool).await, before, "{name} changed the database");
    }
    // A script gets the status.
    let script = app.post_upload(UPLOAD_PAGE, &[("file", "a,b\n")], Some(&lead)).await;
    assert_eq!(script.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(database_digest(&app.pool).await, before);
}

#[sqlx::test(migrations = "../migrations")]
async fn only_the_committees_lead_officers_may_upload_and_each_sees_only_their_own_uploads(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let csv = format!("{HEADER}Leadership,1,,1.1,Members know their role,Induction,Lead,,,,\n");
    let before = database_digest(&app.pool).await;
    let refused =
        |status| move |response: common::TestResponse| assert_eq!(response.status, status, "{}", response.body);
    refused(StatusCode::UNAUTHORIZED)(app.post_upload(UPLOAD_PAGE, &[("file", &csv)], None).await);
    for email in
        ["clacks.member@example.org", "clacks.contributor@example.org", "falkirk.lead@example.org", "admin@example.org"]
    {
        let cookie = app.sign_in(email).await;
        refused(StatusCode::FORBIDDEN)(app.post_upload(UPLOAD_PAGE, &[("file", &csv)], Some(&cookie)).await);
        assert_eq!(app.get_with_cookie(UPLOAD_PAGE, &cookie).await.status, StatusCode::FORBIDDEN, "{email}");
    }
    assert_eq!(database_digest(&app.pool).await, before);

    let lead = app.sign_in(LEAD).await;
    let preview = upload(&app, &lead, ("plan.csv", csv.as_bytes())).await;
    // Another lead officer of the same committee: the upload is not theirs.
    sqlx::query(
        "update committee_memberships set role = 'lead_officer'
          where person_id = (select id from people where email = 'clacks.contributor@example.org')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let other = app.sign_in("clacks.contributor@example.org").await;
    assert_eq!(app.get_with_cookie(&preview, &other).await.status, StatusCode::NOT_FOUND);
    let before = database_digest(&app.pool).await;
    let taken = app
        .post(
            "/api/import_uploaded_plan",
            &[("committee", "clackmannanshire"), ("upload", upload_id(&preview)), ("plan", "2027-29"), ("title", "T")],
            Some(&other),
        )
        .await;
    assert_eq!(taken.status, StatusCode::NOT_FOUND);
    assert_eq!(database_digest(&app.pool).await, before);
    // A member who is not a lead officer is refused before the upload is even looked up.
    let member = app.sign_in("clacks.member@example.org").await;
    assert_eq!(app.get_with_cookie(&preview, &member).await.status, StatusCode::FORBIDDEN);

    // Row-level security says the same, whatever the application asks.
    let app_pool = common::app_pool(&app.pool, 1);
    for (email, sees) in [(LEAD, 1), ("clacks.contributor@example.org", 0), ("falkirk.lead@example.org", 0)] {
        let person: uuid::Uuid = sqlx::query_scalar("select id from people where email = $1")
            .bind(email)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        let mut tx = app::server::db::begin_as(&app_pool, Some(person)).await.unwrap();
        let n: i64 = sqlx::query_scalar("select count(*) from plan_imports").fetch_one(&mut *tx).await.unwrap();
        assert_eq!(n, sees, "{email}");
        let deleted = sqlx::query("delete from plan_imports").execute(&mut *tx).await.unwrap().rows_affected();
        assert_eq!(deleted as i64, sees, "{email} may delete only their own upload");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_new_plan_form_is_checked_on_the_server_and_a_refusal_keeps_the_upload(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let lead = app.sign_in(LEAD).await;
    let csv = format!("{HEADER}Leadership,1,,1.1,Members know their role,Induction,Lead,,,,\n");
    let preview = upload(&app, &lead, ("plan.csv", csv.as_bytes())).await;
    let before = database_digest(&app.pool).await;
    for (plan, title, field_message) in [
        ("2025-27", "Another", "Clackmannanshire Child Protection Committee already has a plan for 2025-27"),
        ("27-29", "A title", "period like 2027-29"),
        ("2027-29", "  ", "Give the plan a title"),
    ] {
        let response = app
            .post_form(
                "/api/import_uploaded_plan",
                &[("committee", "clackmannanshire"), ("upload", upload_id(&preview)), ("plan", plan), ("title", title)],
                Some(&lead),
                &preview,
            )
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER);
        assert_eq!(response.location, preview);
        let page = app.get_with_cookie(&preview, &lead).await;
        assert_eq!(page.status, StatusCode::OK, "the upload is still there");
        let shown = field_error(&page.body).unwrap_or_default();
        assert!(shown.contains(field_message), "{plan}: {shown}");
        assert!(page.body.contains(&format!("value=\"{plan}\"")), "what was typed comes back");
        assert_eq!(database_digest(&app.pool).await, before, "{plan} changed the database");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn an_upload_imports_once_and_expires_after_a_day(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let lead = app.sign_in(LEAD).await;
    let csv = format!("{HEADER}Leadership,1,,1.1,Members know their role,Induction,Lead,,,,\n");
    let first = upload(&app, &lead, ("plan.csv", csv.as_bytes())).await;
    let fields =
        |plan| [("committee", "clackmannanshire"), ("upload", upload_id(&first)), ("plan", plan), ("title", "T")];
    assert!(app.post("/api/import_uploaded_plan", &fields("2027-29"), Some(&lead)).await.status.is_success());
    let before = database_digest(&app.pool).await;
    let again = app.post("/api/import_uploaded_plan", &fields("2029-31"), Some(&lead)).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "a double submission imports once");
    assert_eq!(database_digest(&app.pool).await, before);

    let stale = upload(&app, &lead, ("plan.csv", csv.as_bytes())).await;
    sqlx::query("update plan_imports set created_at = now() - interval '25 hours'").execute(&app.pool).await.unwrap();
    assert_eq!(app.get_with_cookie(&stale, &lead).await.status, StatusCode::NOT_FOUND);
    // The next upload to the committee clears it away.
    let fresh = upload(&app, &lead, ("plan.csv", csv.as_bytes())).await;
    let left: Vec<uuid::Uuid> = sqlx::query_scalar("select id from plan_imports").fetch_all(&app.pool).await.unwrap();
    assert_eq!(left.iter().map(ToString::to_string).collect::<Vec<_>>(), vec![upload_id(&fresh).to_owned()]);
}

// Risk registers: an existing register imported from a file, checked row by row first.

const RISK_IMPORT: &str = "/committees/clackmannanshire/risks/import";

/// Uploads a risk file as `cookie`'s browser does to `page`; returns the preview's address.
async fn upload_risks(app: &TestApp, cookie: &str, page: &str, file: (&str, &[u8])) -> String {
    let response = app.post_file_form(page, file, Some(cookie), page).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert!(response.location.starts_with(&format!("{page}/")), "{}", response.location);
    response.location
}

#[sqlx::test(migrations = "../migrations")]
async fn a_lead_officer_imports_an_existing_risk_register_after_checking_every_row(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let lead = app.sign_in(LEAD).await;
    let register = app.get_with_cookie("/committees/clackmannanshire/risks", &lead).await;
    assert!(register.body.contains(&format!("href=\"{RISK_IMPORT}\"")), "the register leads there");
    let page = app.get_with_cookie(RISK_IMPORT, &lead).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("enctype=\"multipart/form-data\"") && page.body.contains("Controls in place"));
    let risks_before = count(&app.pool, "select count(*) from risks").await;

    // A register as councils keep them: their own column names, words for levels, British dates.
    let broken = "Risk Ref,Risk,Risk Owner,Likelihood,Impact,Target,Next review,Score\n\
                  CR1,Staff turnover in social work,CSWO,4 - Likely,Major,6,31/03/2027,16\n\
                  CR2,Data sharing fails,,7,Severe,30,,\n\
                  cr1,Repeated reference,,2,2,4,,\n";
    let preview = upload_risks(&app, &lead, RISK_IMPORT, ("register.csv", broken.as_bytes())).await;
    let shown = app.get_with_cookie(&preview, &lead).await;
    let body = shown.body.replace("&quot;", "\"");
    assert!(body.contains("3 problems to correct"), "{}", &body[..body.len().min(3000)]);
    for problem in [
        "row 3, column Likelihood: \"7\" is not accepted",
        "row 3, column Target score: \"30\" is not accepted",
        "row 4, column Reference: cr1 is also on row 2",
    ] {
        assert!(body.contains(problem), "{problem} missing");
    }
    assert!(body.contains("Not imported (not part of a risk here): \"Score\""));
    assert!(!body.contains("to the register</button>"), "no import button while a row is wrong");
    let before = database_digest(&app.pool).await;
    let refused = app
        .post(
            "/api/import_uploaded_risks",
            &[("register", "committees/clackmannanshire"), ("upload", upload_id(&preview))],
            Some(&lead),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(database_digest(&app.pool).await, before, "a refused import changes nothing");

    let good = broken
        .replace("CR2,Data sharing fails,,7,Severe,30", "CR2,Data sharing fails,,Possible,Severe,8")
        .replace("cr1,Repeated", "CR3,Repeated");
    let preview = upload_risks(&app, &lead, RISK_IMPORT, ("register.csv", good.as_bytes())).await;
    let shown = app.get_with_cookie(&preview, &lead).await;
    assert!(shown.body.contains("Ready to import"), "{}", &shown.body[..shown.body.len().min(3000)]);
    assert!(shown.body.contains("Add 3 risks to the register"));
    assert_eq!(count(&app.pool, "select count(*) from risks").await, risks_before, "nothing added before confirming");

    let imported = app
        .post_form(
            "/api/import_uploaded_risks",
            &[("register", "committees/clackmannanshire"), ("upload", upload_id(&preview))],
            Some(&lead),
            &preview,
        )
        .await;
    assert!(imported.status.is_redirection(), "{} {}", imported.status, imported.body);
    assert!(imported.location.ends_with("/committees/clackmannanshire/risks"), "{}", imported.location);
    let (likelihood, impact, target, review, owner): (i16, i16, i16, String, String) = sqlx::query_as(
        "select likelihood, impact, target_score, review_on::text, owner from risks where reference = 'CR1'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((likelihood, impact, target, review.as_str(), owner.as_str()), (4, 4, 6, "2027-03-31", "CSWO"));
    assert_eq!(count(&app.pool, "select count(*) from risks").await, risks_before + 3);
    assert_eq!(
        count(
            &app.pool,
            "select count(*) from risk_assessments a join risks r on r.id = a.risk_id
              where r.reference in ('CR1', 'CR2', 'CR3') and a.note = 'As imported from register.csv'"
        )
        .await,
        3,
        "each risk's levels are its first assessment"
    );
    assert_eq!(
        count(&app.pool, "select count(*) from audit_events where summary like 'Imported risk CR_ %from register.csv'")
            .await,
        3
    );
    assert_eq!(
        count(&app.pool, "select count(*) from risk_imports").await,
        1,
        "the used upload is gone; the broken one waits"
    );
    let register = app.get_with_cookie("/committees/clackmannanshire/risks", &lead).await;
    assert!(register.body.contains("Imported 3 risks from register.csv"));
    assert!(register.body.contains("Staff turnover in social work") && register.body.contains("16 · Very high"));

    // The same file again: its references are now taken.
    let again = upload_risks(&app, &lead, RISK_IMPORT, ("register.csv", good.as_bytes())).await;
    let shown = app.get_with_cookie(&again, &lead).await.body.replace("&quot;", "\"");
    assert!(
        shown.contains("row 2, column Reference: CR1 is already in the register"),
        "{}",
        &shown[..shown.len().min(3000)]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_subgroup_chair_imports_a_workbook_into_the_subgroups_register_and_nobody_else_may(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let page = "/subgroups/fv-policies-procedures-protocols/risks/import";
    let sheet = vec![
        vec!["Reference".into(), "Risk".into(), "Likelihood".into(), "Impact".into(), "Target score".into()],
        vec!["PR1".into(), "Protocols not ratified in time".into(), "3".into(), "4".into(), "6".into()],
    ];
    let workbook = plan_xlsx::write_tables(&[("Risks", sheet)]).unwrap();

    // A committee's lead officer reads the subgroup's register but does not write it; a
    // committee's contributor cannot upload to their own committee's register either.
    for (email, path) in [
        ("clacks.lead@example.org", page),
        ("clacks.contributor@example.org", RISK_IMPORT),
        ("falkirk.lead@example.org", RISK_IMPORT),
    ] {
        let cookie = app.sign_in(email).await;
        assert_eq!(app.get_with_cookie(path, &cookie).await.status, StatusCode::FORBIDDEN, "{email} {path}");
        let posted = app
            .post_upload(path, &[(common::UPLOAD_FILE_FIELD, "Reference,Risk,L,I,Target\nX1,x,1,1,1\n")], Some(&cookie))
            .await;
        assert_eq!(posted.status, StatusCode::FORBIDDEN, "{email} {path}: {}", posted.body);
    }
    assert_eq!(count(&app.pool, "select count(*) from risk_imports").await, 0, "nothing staged for them");

    let chair = app.sign_in("chair.protocols@example.org").await;
    let preview = upload_risks(&app, &chair, page, ("subgroup.xlsx", &workbook)).await;
    let shown = app.get_with_cookie(&preview, &chair).await;
    assert!(shown.body.contains("Excel workbook uploaded") && shown.body.contains("Add 1 risk to the register"));
    // Only the uploader sees the upload, even another who may write the register would not.
    let lead = app.sign_in("clacks.lead@example.org").await;
    assert_ne!(app.get_with_cookie(&preview, &lead).await.status, StatusCode::OK);
    let imported = app
        .post_form(
            "/api/import_uploaded_risks",
            &[("register", "subgroups/fv-policies-procedures-protocols"), ("upload", upload_id(&preview))],
            Some(&chair),
            &preview,
        )
        .await;
    assert!(imported.status.is_redirection(), "{} {}", imported.status, imported.body);
    let holder: (Option<uuid::Uuid>, String) = sqlx::query_as(
        "select r.committee_id, s.slug from risks r join subgroups s on s.id = r.subgroup_id where r.reference = 'PR1'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(holder, (None, "fv-policies-procedures-protocols".to_owned()));
}
