//! Signing in and out, sessions, throttling, forgery, invitations and password changes,
//! through the real router over a fresh database.

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use common::{database_digest, TestApp, HOST, ORIGIN};
use sqlx::PgPool;
use std::net::SocketAddr;

const LEAD: &str = "clacks.lead@example.org";
const MEMBER: &str = "clacks.member@example.org";

async fn sign_in_attempt(app: &TestApp, email: &str, password: &str, addr: &str) -> common::TestResponse {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("email", email), ("password", password), ("next", "/account")])
        .finish();
    let mut request = Request::post("/api/sign_in")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let addr: SocketAddr = format!("{addr}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(addr));
    app.send(request).await
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_in_issues_a_new_http_only_session_and_the_old_id_stays_anonymous(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    // A session id that exists before sign-in (here: someone else's, planted in the browser)
    // must not become the signed-in one: session fixation.
    let before = app.sign_in(MEMBER).await;

    let signed_in =
        app.post("/api/sign_in", &[("email", LEAD), ("password", server::demo::DEMO_PASSWORD)], Some(&before)).await;
    assert!(signed_in.status.is_success(), "{}", signed_in.status);
    let attributes = signed_in.set_cookie.clone().expect("a session cookie");
    let after = signed_in.session_cookie().unwrap();
    assert_ne!(before, after, "the session id changes at sign-in");
    for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(attributes.contains(attribute), "cookie lacks {attribute}: {attributes}");
    }

    assert_eq!(app.get_with_cookie("/account", &before).await.status, StatusCode::UNAUTHORIZED, "the old id is gone");
    let account = app.get_with_cookie("/account", &after).await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains("Isla Ferguson") && account.body.contains("Clackmannanshire"));
    assert_eq!(account.cache_control, "private, no-store", "a signed-in page must never be cached");
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_email_and_wrong_password_get_the_same_answer(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let wrong = app.post("/api/sign_in", &[("email", LEAD), ("password", "not the password")], None).await;
    let unknown = app.post("/api/sign_in", &[("email", "nobody@example.org"), ("password", "x")], None).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!((wrong.status, &wrong.body), (unknown.status, &unknown.body));
    assert!(wrong.session_cookie().is_none(), "no session for a failed sign-in");
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_out_ends_the_session_everywhere(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let cookie = app.sign_in(MEMBER).await;
    let sessions_before: i64 =
        sqlx::query_scalar("select count(*) from tower_sessions.session").fetch_one(&app.pool).await.unwrap();
    let out = app.post("/api/sign_out", &[], Some(&cookie)).await;
    assert!(out.status.is_success(), "{}", out.status);
    assert_eq!(app.get_with_cookie("/account", &cookie).await.status, StatusCode::UNAUTHORIZED);
    let sessions_after: i64 =
        sqlx::query_scalar("select count(*) from tower_sessions.session").fetch_one(&app.pool).await.unwrap();
    assert_eq!(sessions_after, sessions_before - 1, "the session is deleted from the store");
}

#[sqlx::test(migrations = "../migrations")]
async fn forged_and_expired_cookies_are_anonymous(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    for forged in ["fv_session=AAAAAAAAAAAAAAAAAAAAAA", "fv_session=not-base64!!", "fv_session="] {
        let page = app.get_with_cookie("/account", forged).await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{forged}");
        assert!(!page.body.contains("Signed in as"));
    }
    let cookie = app.sign_in(MEMBER).await;
    assert_eq!(app.get_with_cookie("/account", &cookie).await.status, StatusCode::OK);
    sqlx::query("update tower_sessions.session set expiry_date = now() - interval '1 minute'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(app.get_with_cookie("/account", &cookie).await.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn repeated_failures_are_throttled_per_account_and_address_and_per_address(pool: PgPool) {
    use app::domain::account::{ACCOUNT_ADDRESS_ATTEMPTS, ADDRESS_ATTEMPTS};
    let app = TestApp::with_demo(pool).await;
    for _ in 0..ACCOUNT_ADDRESS_ATTEMPTS {
        let r = sign_in_attempt(&app, LEAD, "guess", "192.0.2.1").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // From that address even the right password is refused for this account...
    let throttled = sign_in_attempt(&app, LEAD, server::demo::DEMO_PASSWORD, "192.0.2.1").await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.body.contains("Too many failed attempts"), "{}", throttled.body);
    assert!(throttled.session_cookie().is_none());
    // ...while the owner, from their own address, signs in, and other accounts are unaffected.
    let owner = sign_in_attempt(&app, LEAD, server::demo::DEMO_PASSWORD, "198.51.100.7").await;
    assert!(owner.status.is_success(), "{}", owner.status);
    let other = sign_in_attempt(&app, MEMBER, server::demo::DEMO_PASSWORD, "192.0.2.1").await;
    assert!(other.status.is_success(), "{}", other.status);

    // One address trying many accounts is stopped too, and only that address.
    for i in 0..ADDRESS_ATTEMPTS {
        let r = sign_in_attempt(&app, &format!("guess{i}@example.org"), "guess", "203.0.113.9").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let from_attacker =
        sign_in_attempt(&app, "falkirk.lead@example.org", server::demo::DEMO_PASSWORD, "203.0.113.9").await;
    assert_eq!(from_attacker.status, StatusCode::TOO_MANY_REQUESTS);
    let elsewhere = sign_in_attempt(&app, "falkirk.lead@example.org", server::demo::DEMO_PASSWORD, "192.0.2.44").await;
    assert!(elsewhere.status.is_success());

    // A browser without JavaScript gets the same refusal as a page with a 429 status.
    let form = app.post_form("/api/sign_in", &[("email", LEAD), ("password", "guess")], None, "/sign-in").await;
    let form = if form.status == StatusCode::TOO_MANY_REQUESTS {
        form
    } else {
        for _ in 0..ADDRESS_ATTEMPTS {
            app.post_form("/api/sign_in", &[("email", LEAD), ("password", "guess")], None, "/sign-in").await;
        }
        app.post_form("/api/sign_in", &[("email", LEAD), ("password", "guess")], None, "/sign-in").await
    };
    assert_eq!(form.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(form.body.contains("Too many failed attempts") && form.content_type.starts_with("text/html"));
}

#[sqlx::test(migrations = "../migrations")]
async fn state_changes_from_another_origin_or_by_get_are_refused(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let cookie = app.sign_in(LEAD).await;
    let before = database_digest(&app.pool).await;
    let fields = [("committee", "clackmannanshire"), ("plan", "2025-27")];
    for headers in [
        vec![("origin", "http://evil.example")],
        vec![("origin", "null")],
        vec![("sec-fetch-site", "cross-site"), ("origin", ORIGIN)],
        vec![("sec-fetch-site", "same-site")],
    ] {
        let r = app.post_with_headers("/api/publish_plan", &fields, Some(&cookie), &headers).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{headers:?}");
    }
    // Neither header (not a browser, or a stripped request): refused as well, failing closed.
    let bare = Request::post("/api/publish_plan")
        .header(header::HOST, HOST)
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("committee=clackmannanshire&plan=2025-27"))
        .unwrap();
    assert_eq!(app.send(bare).await.status, StatusCode::FORBIDDEN);
    // No state change over GET.
    let get = app.get_with_cookie("/api/publish_plan?committee=clackmannanshire&plan=2025-27", &cookie).await;
    assert!(get.status.is_client_error(), "{}", get.status);
    assert_eq!(database_digest(&app.pool).await, before, "nothing changed");

    // The same request from the site itself goes through.
    let ok = app.post("/api/publish_plan", &fields, Some(&cookie)).await;
    assert!(ok.status.is_success(), "{}: {}", ok.status, ok.body);
    assert_ne!(database_digest(&app.pool).await, before);
}

#[sqlx::test(migrations = "../migrations")]
async fn oversized_bodies_are_refused(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let huge = "x".repeat(3 * 1024 * 1024);
    let r = app.post("/api/sign_in", &[("email", &huge), ("password", "x")], None).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_password_change_ends_the_persons_other_sessions(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let here = app.sign_in(MEMBER).await;
    let elsewhere = app.sign_in(MEMBER).await;
    let new_password = "a much longer passphrase";
    let fields =
        [("current_password", server::demo::DEMO_PASSWORD), ("password", new_password), ("confirm", new_password)];
    let changed = app.post("/api/change_password", &fields, Some(&here)).await;
    assert!(changed.status.is_success(), "{}: {}", changed.status, changed.body);
    let renewed = changed.session_cookie().expect("this session continues under a new id");
    assert_eq!(app.get_with_cookie("/account", &renewed).await.status, StatusCode::OK);
    assert_eq!(app.get_with_cookie("/account", &elsewhere).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.post("/api/sign_in", &[("email", MEMBER), ("password", server::demo::DEMO_PASSWORD)], None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(app.post("/api/sign_in", &[("email", MEMBER), ("password", new_password)], None).await.status.is_success());

    // A wrong current password or a weak new one changes nothing, with a message per field.
    let before = database_digest(&app.pool).await;
    let wrong = app
        .post(
            "/api/change_password",
            &[("current_password", "nope"), ("password", new_password), ("confirm", new_password)],
            Some(&renewed),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("current_password"));
    let weak = app
        .post(
            "/api/change_password",
            &[("current_password", new_password), ("password", "short"), ("confirm", "other")],
            Some(&renewed),
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("\"password\"") && weak.body.contains("\"confirm\""), "{}", weak.body);
    assert_eq!(database_digest(&app.pool).await, before);
}

/// The one-time link in a page's flash message.
fn link_token(body: &str) -> String {
    let start = body.find("/invitations/").expect("a one-time link on the page") + "/invitations/".len();
    body[start..start + 64].to_owned()
}

#[sqlx::test(migrations = "../migrations")]
async fn an_invited_person_sets_a_password_once_and_is_signed_in(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let lead = app.sign_in(LEAD).await;
    let members = "/committees/clackmannanshire/members";
    let fields = [
        ("committee", "clackmannanshire"),
        ("display_name", "Jamie Newton"),
        ("email", "Jamie.Newton@example.org"),
        ("role", "contributor"),
    ];
    let invited = app.post_form("/api/invite_member", &fields, Some(&lead), members).await;
    if invited.status != StatusCode::FOUND {
        let page = app.get_with_cookie(members, &lead).await;
        let flash = page.body.find("class=\"flash").map(|i| &page.body[i..(i + 400).min(page.body.len())]);
        panic!("invitation refused: {flash:?}");
    }
    assert_eq!(invited.location, format!("{ORIGIN}{members}"));
    let page = app.get_with_cookie(members, &lead).await;
    assert!(page.body.contains("Jamie Newton") && page.body.contains("Invited, not signed in yet"));
    let token = link_token(&page.body);
    // The link is shown once: the next view of the page no longer has it.
    assert!(!app.get_with_cookie(members, &lead).await.body.contains(&token));
    let stored: i64 = sqlx::query_scalar("select count(*) from invitations where token_hash = $1")
        .bind(&token)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0, "only the token's hash is stored");

    let welcome = app.get(&format!("/invitations/{token}")).await;
    assert_eq!(welcome.status, StatusCode::OK);
    assert!(
        welcome.body.contains("Welcome, ")
            && welcome.body.contains("Jamie Newton")
            && welcome.body.contains("jamie.newton@example.org")
    );

    let mismatch = app
        .post_form(
            "/api/accept_invitation",
            &[("token", &token), ("password", "three random words"), ("confirm", "three random word")],
            None,
            &format!("/invitations/{token}"),
        )
        .await;
    // Anonymous: the form comes back in the answer itself, and no session is stored for it.
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.session_cookie().is_none());
    assert!(
        mismatch.body.contains("The two passwords do not match"),
        "the message is shown by the field: {}",
        &mismatch.body[mismatch.body.len().saturating_sub(3000)..]
    );
    assert!(!mismatch.body.contains("three random word"), "passwords are never carried back into the form");

    let accepted = app
        .post(
            "/api/accept_invitation",
            &[("token", &token), ("password", "three random words"), ("confirm", "three random words")],
            None,
        )
        .await;
    assert!(accepted.status.is_success(), "{}: {}", accepted.status, accepted.body);
    let session = accepted.session_cookie().expect("signed in");
    let account = app.get_with_cookie("/account", &session).await;
    assert!(account.body.contains("Jamie Newton") && account.body.contains("Contributor"));

    let reused = app
        .post(
            "/api/accept_invitation",
            &[("token", &token), ("password", "another three words"), ("confirm", "another three words")],
            None,
        )
        .await;
    assert_eq!(reused.status, StatusCode::NOT_FOUND, "the link works once");
    assert_eq!(app.get(&format!("/invitations/{token}")).await.status, StatusCode::NOT_FOUND);

    // Inviting someone who already has an account adds them without a link.
    let existing = [
        ("committee", "clackmannanshire"),
        ("display_name", "Fraser Halliday"),
        ("email", "stirling.lead@example.org"),
        ("role", "member"),
    ];
    app.post_form("/api/invite_member", &existing, Some(&lead), members).await;
    let page = app.get_with_cookie(members, &lead).await;
    assert!(page.body.contains("already have an account") && !page.body.contains("/invitations/"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refused_form_comes_back_with_the_message_and_what_was_typed(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let lead = app.sign_in(LEAD).await;
    let members = "/committees/clackmannanshire/members";
    let before = database_digest(&app.pool).await;
    let fields = [
        ("committee", "clackmannanshire"),
        ("display_name", "Jamie Newton"),
        ("email", "not-an-email"),
        ("role", "member"),
    ];
    let refused = app.post_form("/api/invite_member", &fields, Some(&lead), members).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert_eq!(refused.location, members);
    let page = app.get_with_cookie(members, &lead).await;
    assert!(page.body.contains("Enter an email address like name@example.org"));
    assert!(page.body.contains("value=\"Jamie Newton\"") && page.body.contains("value=\"not-an-email\""));
    assert!(page.body.contains("aria-invalid=\"true\""));
    assert_eq!(database_digest(&app.pool).await, before, "bad input changes nothing");

    // The last lead officer cannot be demoted or removed: the committee would be unmanaged.
    let lead_id: uuid::Uuid =
        sqlx::query_scalar("select id from people where email = $1").bind(LEAD).fetch_one(&app.pool).await.unwrap();
    let id = lead_id.to_string();
    let demote = app
        .post(
            "/api/change_member_role",
            &[("committee", "clackmannanshire"), ("person", &id), ("role", "member")],
            Some(&lead),
        )
        .await;
    assert_eq!(demote.status, StatusCode::CONFLICT);
    let remove =
        app.post("/api/remove_member", &[("committee", "clackmannanshire"), ("person", &id)], Some(&lead)).await;
    assert_eq!(remove.status, StatusCode::CONFLICT);
    assert_eq!(database_digest(&app.pool).await, before);
}

#[sqlx::test(migrations = "../migrations")]
async fn every_change_is_audited_with_who_before_and_after(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let lead = app.sign_in(LEAD).await;
    let member_id: uuid::Uuid =
        sqlx::query_scalar("select id from people where email = $1").bind(MEMBER).fetch_one(&app.pool).await.unwrap();
    let r = app
        .post(
            "/api/change_member_role",
            &[("committee", "clackmannanshire"), ("person", &member_id.to_string()), ("role", "contributor")],
            Some(&lead),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let event = sqlx::query!(
        r#"select p.email, e.before::text as "before!", e.after::text as "after!", e.entity_id
             from audit_events e join people p on p.id = e.person_id
            where e.entity = 'membership' and e.operation = 'update'"#
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(event.email, LEAD);
    assert_eq!(event.entity_id, Some(member_id));
    assert!(event.before.contains("member") && event.after.contains("contributor"));

    // Members read the trail, filtered by person and kind of object.
    let member = app.sign_in(MEMBER).await;
    let lead_id: uuid::Uuid =
        sqlx::query_scalar("select id from people where email = $1").bind(LEAD).fetch_one(&app.pool).await.unwrap();
    let page = app
        .get_with_cookie(&format!("/committees/clackmannanshire/audit?person={lead_id}&object=membership"), &member)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("role to contributor"));
    assert_eq!(page.body.matches("<tr>").count(), 2, "the header row and the one matching entry");
    let none = app.get_with_cookie("/committees/clackmannanshire/audit?from=2000-01-01&to=2000-01-02", &member).await;
    assert_eq!(none.body.matches("<tr>").count(), 1, "only the header row");
    let bad = app.get_with_cookie("/committees/clackmannanshire/audit?from=yesterday", &member).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_deactivated_leaver_is_signed_out_at_once_cannot_return_and_keeps_their_name_on_history(pool: PgPool) {
    let app = TestApp::with_demo(pool.clone()).await;
    const LEAVER: &str = "clacks.contributor@example.org";
    let leaver = app.sign_in(LEAVER).await;
    assert_eq!(app.get_with_cookie("/me", &leaver).await.status, StatusCode::OK);
    let (id, name): (uuid::Uuid, String) = sqlx::query_as("select id, display_name from people where email = $1")
        .bind(LEAVER)
        .fetch_one(&pool)
        .await
        .unwrap();
    let history = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).bind(id).fetch_one(&pool).await.unwrap() }
    };
    let updates_before = history("select count(*) from status_updates where person_id = $1").await;

    // Only an admin, and never on themselves.
    let lead = app.sign_in(LEAD).await;
    let refused = app.post("/api/deactivate_person", &[("person", &id.to_string())], Some(&lead)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let admin = app.sign_in("admin@example.org").await;
    let admin_id: uuid::Uuid =
        sqlx::query_scalar("select id from people where email = 'admin@example.org'").fetch_one(&pool).await.unwrap();
    let own = app.post("/api/deactivate_person", &[("person", &admin_id.to_string())], Some(&admin)).await;
    assert_eq!(own.status, StatusCode::CONFLICT, "{}", own.body);

    let done = app.post("/api/deactivate_person", &[("person", &id.to_string())], Some(&admin)).await;
    assert!(done.status.is_success(), "{} {}", done.status, done.body);
    // Their very next request is anonymous; their password no longer signs in; no link is issued.
    assert_eq!(app.get_with_cookie("/me", &leaver).await.status, StatusCode::UNAUTHORIZED);
    let again = sign_in_attempt(&app, LEAVER, server::demo::DEMO_PASSWORD, "10.9.8.7").await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED, "{}", again.body);
    assert!(again.body.contains("BadCredentials"), "the same answer as for an unknown address: {}", again.body);
    let link = app.post("/api/issue_sign_in_link", &[("person", &id.to_string())], Some(&admin)).await;
    assert_eq!(link.status, StatusCode::FORBIDDEN);
    assert_eq!(history("select count(*) from invitations where person_id = $1 and expires_at > now()").await, 0);
    let twice = app.post("/api/deactivate_person", &[("person", &id.to_string())], Some(&admin)).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    // Memberships gone, each with an audit event in its trail; the person and their history stay.
    assert_eq!(history("select count(*) from committee_memberships where person_id = $1").await, 0);
    assert_eq!(history("select count(*) from subgroup_memberships where person_id = $1").await, 0);
    assert!(
        history("select count(*) from audit_events where entity_id = $1 and summary like '% left: deactivated by a platform admin'")
            .await
            >= 1
    );
    assert_eq!(history("select count(*) from status_updates where person_id = $1").await, updates_before);
    let admin_page = app.get_with_cookie("/admin", &admin).await;
    assert!(admin_page.body.contains(&name) && admin_page.body.contains("Deactivated"));
}

/// A new deployment has no admin and no demo: `server create-admin` makes the first one, whose
/// one-time link sets their password. Run again, it withdraws the earlier link; bad input and a
/// deactivated account are refused with a message.
#[sqlx::test(migrations = "../migrations")]
async fn the_first_admin_comes_from_the_command_line(pool: PgPool) {
    let token_of = |out: &str| out.rsplit("/invitations/").next().unwrap().trim().to_owned();
    let out = server::cli::run_create_admin(
        &pool,
        " First.Admin@Council.example ",
        "Morag Hay",
        Some("https://plans.example"),
    )
    .await
    .unwrap();
    assert!(out.starts_with("The database had no region: created Forth Valley.\nCreated: first.admin@council.example is a platform admin"), "{out}");
    assert!(out.contains("\nhttps://plans.example/invitations/"), "{out}");
    let first = token_of(&out);

    // Again: the same person, still one admin, and only the newest link works.
    let out = server::cli::run_create_admin(&pool, "first.admin@council.example", "Morag Hay", None).await.unwrap();
    assert!(out.starts_with("Updated: "), "{out}");
    let token = token_of(&out);
    let admins: i64 =
        sqlx::query_scalar("select count(*) from people where is_platform_admin").fetch_one(&pool).await.unwrap();
    assert_eq!(admins, 1);

    let app = TestApp::new(pool.clone());
    assert_eq!(app.get(&format!("/invitations/{first}")).await.status, StatusCode::NOT_FOUND, "withdrawn");
    let welcome = app.get(&format!("/invitations/{token}")).await;
    assert_eq!(welcome.status, StatusCode::OK);
    assert!(welcome.body.contains("Morag Hay"));
    let accepted = app
        .post(
            "/api/accept_invitation",
            &[("token", &token), ("password", "three random words"), ("confirm", "three random words")],
            None,
        )
        .await;
    assert!(accepted.status.is_success(), "{}: {}", accepted.status, accepted.body);
    let session = accepted.session_cookie().expect("signed in");
    assert_eq!(app.get_with_cookie("/admin", &session).await.status, StatusCode::OK, "an admin");
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_events where summary like '%(server create-admin)'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(audited, 2);

    // Refused, with a message, changing nothing.
    let before = database_digest(&pool).await;
    let bad = server::cli::run_create_admin(&pool, "not an address", "Someone", None).await.unwrap_err();
    assert!(bad.starts_with("--email: "), "{bad}");
    let bad = server::cli::run_create_admin(&pool, "a@council.example", "  ", None).await.unwrap_err();
    assert!(bad.starts_with("--name: "), "{bad}");
    sqlx::query("update people set deactivated_at = now() where email = 'first.admin@council.example'")
        .execute(&pool)
        .await
        .unwrap();
    let before_deactivated = database_digest(&pool).await;
    assert_ne!(before, before_deactivated);
    let gone =
        server::cli::run_create_admin(&pool, "first.admin@council.example", "Morag Hay", None).await.unwrap_err();
    assert!(gone.contains("deactivated"), "{gone}");
    assert_eq!(database_digest(&pool).await, before_deactivated);
}
