//! The holes found by trying the accounts as an attacker would, each proved closed through the
//! real router over a fresh database: return paths, pending accounts, session floods and the
//! throttling race. (Pages, caches, headers and input: `security_pages.rs`.)

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
