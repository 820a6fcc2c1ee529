//! Two-step sign-in: turning it on from the account page, the code after the password (once
//! each, throttled), recovery codes, what a committee or the platform can require, and an
//! admin's reset, through the real router over a fresh database.

mod common;

use app::domain::two_step::PlatformRequirement;
use app::server::auth::two_step::{code_at, step_of};
use axum::http::StatusCode;
use common::TestApp;
use sqlx::PgPool;

const MEMBER: &str = "clacks.member@example.org";
const CONTRIBUTOR: &str = "clacks.contributor@example.org";
const LEAD: &str = "clacks.lead@example.org";
const ADMIN: &str = "admin@example.org";
const PASSWORD: &str = server::demo::DEMO_PASSWORD;

fn now() -> i64 {
    app::server::auth::session::now()
}

/// The secret the database keeps for `email` (confirmed or being set up), read as the owner.
async fn secret_of(pool: &PgPool, email: &str) -> Vec<u8> {
    sqlx::query_scalar("select t.secret from auth.two_step t join people p on p.id = t.person_id where p.email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Turns two-step on for `email` behind the app's back, with a known secret.
async fn enable(pool: &PgPool, email: &str) -> Vec<u8> {
    let secret = b"a twenty byte secret".to_vec();
    sqlx::query(
        "insert into auth.two_step (person_id, secret, confirmed_at) select id, $2, now() from people where email = $1",
    )
    .bind(email)
    .bind(&secret)
    .execute(pool)
    .await
    .unwrap();
    secret
}

/// Signs in with the password only; the session cookie and where the app sent them.
async fn password_step(app: &TestApp, email: &str) -> (String, String) {
    let r = app.post("/api/sign_in", &[("email", email), ("password", PASSWORD), ("next", "/me")], None).await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
    (r.session_cookie().expect("a session"), r.location)
}

async fn is_signed_in(app: &TestApp, cookie: &str) -> bool {
    let status = app.get_with_cookie("/me", cookie).await.status;
    assert!(matches!(status, StatusCode::OK | StatusCode::UNAUTHORIZED), "{status}");
    status == StatusCode::OK
}

async fn person_events(pool: &PgPool, like: &str) -> i64 {
    sqlx::query_scalar("select count(*) from audit_events where entity = 'person' and summary like $1")
        .bind(like)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The recovery codes a page shows (in the flash after turning it on).
fn recovery_codes(body: &str) -> Vec<String> {
    let Some(start) = body.find("data-testid=\"recovery-codes\"") else { return vec![] };
    let list = &body[start..body[start..].find("</ol>").map_or(body.len(), |e| start + e)];
    list.split("<code>").skip(1).filter_map(|c| c.split("</code>").next()).map(str::to_owned).collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn turned_on_from_the_account_page_it_asks_for_a_code_after_the_password_once_each(pool: PgPool) {
    let app = TestApp::with_demo(pool.clone()).await;
    let cookie = app.sign_in(MEMBER).await;
    let elsewhere = app.sign_in(MEMBER).await;
    let account = app.get_with_cookie("/account", &cookie).await;
    assert!(account.body.contains("action=\"/api/begin_two_step\""), "the account page offers it");

    let begun = app.post("/api/begin_two_step", &[], Some(&cookie)).await;
    assert!(begun.location.ends_with("/account/two-step"), "{}", begun.location);
    let page = app.get_with_cookie("/account/two-step", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.cache_control.contains("no-store"), "a page with a secret is never cached");
    let secret = secret_of(&pool, MEMBER).await;
    let key = data_encoding_base32(&secret);
    assert!(page.body.contains(&key), "the page shows the key being set up");
    assert!(page.body.contains("otpauth://totp/"), "and the address an authenticator app opens");

    // The server's role cannot read secrets or recovery codes; only the database's functions can.
    for table in ["auth.two_step", "auth.recovery_codes"] {
        let read = sqlx::query(&format!("select * from {table}")).fetch_all(&app.app_pool).await;
        assert!(read.is_err(), "fv_app read {table}");
    }

    // A wrong password or a wrong code changes nothing.
    let code = code_at(&secret, step_of(now())).unwrap();
    let wrong_password = app
        .post("/api/confirm_two_step", &[("code", &code), ("current_password", "not my password")], Some(&cookie))
        .await;
    assert_eq!(wrong_password.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong_password.body);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let wrong_code =
        app.post("/api/confirm_two_step", &[("code", wrong), ("current_password", PASSWORD)], Some(&cookie)).await;
    assert_eq!(wrong_code.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong_code.body);
    assert_eq!(person_events(&pool, "%turned on two-step%").await, 0);

    // The right code turns it on: this session carries on under a new id, every other ends.
    let on = app.post("/api/confirm_two_step", &[("code", &code), ("current_password", PASSWORD)], Some(&cookie)).await;
    assert!(on.location.ends_with("/account"), "{} {}", on.status, on.body);
    let cookie = on.session_cookie().expect("the session is renewed");
    assert!(!is_signed_in(&app, &elsewhere).await, "the other session ended");
    let account = app.get_with_cookie("/account", &cookie).await;
    let codes = recovery_codes(&account.body);
    assert_eq!(codes.len(), app::domain::two_step::RECOVERY_CODES, "recovery codes are shown once");
    assert!(account.body.contains("data-testid=\"two-step-on\""));
    assert!(recovery_codes(&app.get_with_cookie("/account", &cookie).await.body).is_empty(), "and only once");
    assert_eq!(person_events(&pool, "%turned on two-step sign-in%").await, 1);
    let stored: Vec<String> =
        sqlx::query_scalar("select code_hash from auth.recovery_codes").fetch_all(&pool).await.unwrap();
    for code in &codes {
        assert!(!stored.iter().any(|h| h.contains(&code.replace('-', ""))), "codes are kept only as hashes");
    }

    // Next sign-in: the password is not enough.
    let (pending, location) = password_step(&app, MEMBER).await;
    assert!(location.ends_with("/sign-in/code"), "{location}");
    assert!(!is_signed_in(&app, &pending).await, "a matched password alone signs nobody in");
    // The code that turned it on was used: it is not accepted again, nor is an earlier one.
    for used in [code.clone(), code_at(&secret, step_of(now()) - 1).unwrap()] {
        let replay = app.post("/api/sign_in_code", &[("code", &used)], Some(&pending)).await;
        assert_eq!(replay.status, StatusCode::UNPROCESSABLE_ENTITY, "{used} was accepted again");
    }
    let next = code_at(&secret, step_of(now()) + 1).unwrap();
    let done = app.post("/api/sign_in_code", &[("code", &next)], Some(&pending)).await;
    assert!(done.location.ends_with("/me"), "{} {}", done.status, done.body);
    let signed_in = done.session_cookie().expect("a new session id once signed in");
    assert_ne!(signed_in, pending);
    assert!(is_signed_in(&app, &signed_in).await);
    assert!(!is_signed_in(&app, &pending).await, "the half-done session's id is gone");

    // A recovery code signs in once.
    let (pending, _) = password_step(&app, MEMBER).await;
    let done = app.post("/api/sign_in_code", &[("code", &codes[0].to_uppercase())], Some(&pending)).await;
    let cookie = done.session_cookie().expect("signed in with a recovery code");
    let me = app.get_with_cookie("/me", &cookie).await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(me.body.contains("9 left"), "the notice says how many are left");
    assert_eq!(person_events(&pool, "%signed in with a recovery code; 9 left").await, 1);
    let (pending, _) = password_step(&app, MEMBER).await;
    let again = app.post("/api/sign_in_code", &[("code", &codes[0])], Some(&pending)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "a used recovery code works once");

    // Without a pending sign-in the code form sends people back to sign in.
    let lost = app.post("/api/sign_in_code", &[("code", &next)], None).await;
    assert!(lost.location.ends_with("/sign-in?again=1"), "{}", lost.location);

    // New recovery codes need the password; the old ones stop working.
    let renewed = app.post("/api/new_recovery_codes", &[("current_password", PASSWORD)], Some(&cookie)).await;
    assert!(renewed.status.is_success() || renewed.status.is_redirection(), "{}", renewed.body);
    let fresh = recovery_codes(&app.get_with_cookie("/account", &cookie).await.body);
    assert_eq!(fresh.len(), app::domain::two_step::RECOVERY_CODES);
    let (pending, _) = password_step(&app, MEMBER).await;
    let old = app.post("/api/sign_in_code", &[("code", &codes[1])], Some(&pending)).await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY, "an old recovery code no longer works");

    // Turning it off needs the password too; then the password alone signs in again.
    let refused = app.post("/api/turn_off_two_step", &[("current_password", "wrong")], Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let off = app.post("/api/turn_off_two_step", &[("current_password", PASSWORD)], Some(&cookie)).await;
    assert!(off.status.is_success() || off.status.is_redirection(), "{}", off.body);
    assert_eq!(person_events(&pool, "%turned off two-step sign-in").await, 1);
    let (cookie, location) = password_step(&app, MEMBER).await;
    assert!(location.ends_with("/me") && is_signed_in(&app, &cookie).await, "{location}");
}

/// Base32 (RFC 4648, no padding), as authenticator apps are given the key, grouped in fours.
fn data_encoding_base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u32;
    let mut held = 0;
    let mut out = String::new();
    for &b in bytes {
        bits = (bits << 8) | b as u32;
        held += 8;
        while held >= 5 {
            held -= 5;
            out.push(ALPHABET[((bits >> held) & 31) as usize] as char);
        }
    }
    if held > 0 {
        out.push(ALPHABET[((bits << (5 - held)) & 31) as usize] as char);
    }
    out.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

#[sqlx::test(migrations = "../migrations")]
async fn wrong_codes_are_throttled_per_person_and_a_right_password_does_not_lift_it(pool: PgPool) {
    let app = TestApp::with_demo(pool.clone()).await;
    let secret = enable(&pool, MEMBER).await;
    let right = code_at(&secret, step_of(now())).unwrap();
    let wrong = if right == "123456" { "654321" } else { "123456" };
    let (pending, _) = password_step(&app, MEMBER).await;
    for n in 0..app::domain::two_step::CODE_ATTEMPTS {
        let r = app.post("/api/sign_in_code", &[("code", wrong)], Some(&pending)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "attempt {n}");
    }
    let blocked = app.post("/api/sign_in_code", &[("code", &right)], Some(&pending)).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS, "even the right code, once too many were wrong");
    // The password again (it is right) does not reset the count of wrong codes.
    let (pending, _) = password_step(&app, MEMBER).await;
    let still = app.post("/api/sign_in_code", &[("code", &right)], Some(&pending)).await;
    assert_eq!(still.status, StatusCode::TOO_MANY_REQUESTS);
    // Someone else is not affected.
    let other = enable(&pool, CONTRIBUTOR).await;
    let (pending, _) = password_step(&app, CONTRIBUTOR).await;
    let fine =
        app.post("/api/sign_in_code", &[("code", &code_at(&other, step_of(now())).unwrap())], Some(&pending)).await;
    assert!(fine.session_cookie().is_some_and(|_| fine.location.ends_with("/me")), "{} {}", fine.status, fine.body);
    // A malformed code is refused with a message and not counted as a wrong one.
    let lead = enable(&pool, LEAD).await;
    let (pending, _) = password_step(&app, LEAD).await;
    for _ in 0..=app::domain::two_step::CODE_ATTEMPTS {
        let r = app.post("/api/sign_in_code", &[("code", "12")], Some(&pending)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("6-digit code"), "{}", r.body);
    }
    let fine =
        app.post("/api/sign_in_code", &[("code", &code_at(&lead, step_of(now())).unwrap())], Some(&pending)).await;
    assert!(fine.location.ends_with("/me"), "{} {}", fine.status, fine.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_committee_can_require_it_of_its_lead_officers(pool: PgPool) {
    let app = TestApp::with_demo(pool.clone()).await;
    let lead = app.sign_in(LEAD).await;
    let contributor = app.sign_in(CONTRIBUTOR).await;
    let member = app.sign_in(MEMBER).await;
    let members = "/committees/clackmannanshire/members";
    let fields = [("committee", "clackmannanshire"), ("required", "yes")];

    // Only those who manage the committee's members may; a refusal changes nothing.
    let refused = app.post("/api/set_two_step_for_leads", &fields, Some(&member)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let falkirk = app.sign_in("falkirk.lead@example.org").await;
    assert_eq!(app.post("/api/set_two_step_for_leads", &fields, Some(&falkirk)).await.status, StatusCode::FORBIDDEN);
    let bad = app
        .post("/api/set_two_step_for_leads", &[("committee", "clackmannanshire"), ("required", "maybe")], Some(&lead))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    let set = app.post("/api/set_two_step_for_leads", &fields, Some(&lead)).await;
    assert!(set.status.is_success() || set.status.is_redirection(), "{}", set.body);
    let page = app.get_with_cookie(members, &lead).await;
    assert_eq!(page.status, StatusCode::OK, "the lead officer who set it is not signed out");
    assert!(page.body.contains("You have not turned it on yourself"), "they are told they will set it up");
    assert!(page.body.contains("is required of this committee"));
    let trail: i64 = sqlx::query_scalar(
        "select count(*) from audit_events e join committees c on c.id = e.committee_id
          where c.slug = 'clackmannanshire' and e.entity = 'committee' and e.summary like 'Required two-step%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(trail, 1, "the change is in the committee's audit trail");

    // Someone made a lead officer without two-step is signed out, and must set it up.
    let contributor_id: String = sqlx::query_scalar("select id::text from people where email = $1")
        .bind(CONTRIBUTOR)
        .fetch_one(&pool)
        .await
        .unwrap();
    let promoted = app
        .post(
            "/api/change_member_role",
            &[("committee", "clackmannanshire"), ("person", &contributor_id), ("role", "lead_officer")],
            Some(&lead),
        )
        .await;
    assert!(promoted.status.is_success() || promoted.status.is_redirection(), "{}", promoted.body);
    assert!(!is_signed_in(&app, &contributor).await, "a new lead officer without it is signed out");
    assert!(is_signed_in(&app, &member).await, "members are not affected");

    let (pending, location) = password_step(&app, CONTRIBUTOR).await;
    assert!(location.ends_with("/sign-in/two-step"), "{location}");
    assert!(!is_signed_in(&app, &pending).await);
    let page = app.get_with_cookie("/sign-in/two-step", &pending).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("required for your role") && !page.body.contains("name=\"current_password\""));
    let secret = secret_of(&pool, CONTRIBUTOR).await;
    let done = app
        .post("/api/confirm_two_step", &[("code", &code_at(&secret, step_of(now())).unwrap())], Some(&pending))
        .await;
    assert!(done.location.ends_with("/me"), "{} {}", done.status, done.body);
    let cookie = done.session_cookie().unwrap();
    let me = app.get_with_cookie("/me", &cookie).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(recovery_codes(&me.body).len(), app::domain::two_step::RECOVERY_CODES, "shown where they land");
    // Required of them, so it stays on.
    let off = app.post("/api/turn_off_two_step", &[("current_password", PASSWORD)], Some(&cookie)).await;
    assert_eq!(off.status, StatusCode::CONFLICT, "{}", off.body);
    // The members page tells its managers who has it on.
    let page = app.get_with_cookie(members, &lead).await;
    assert!(page.body.contains("<td>On</td>") && page.body.contains("<td>Off</td>"));
    assert!(!app.get_with_cookie(members, &member).await.body.contains("Two-step"), "members do not see it");

    // A member's sign-in is unchanged.
    let (cookie, location) = password_step(&app, MEMBER).await;
    assert!(location.ends_with("/me") && is_signed_in(&app, &cookie).await);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_platform_can_require_it_of_admins_and_lead_officers(pool: PgPool) {
    assert!(server::demo::load_if_empty(&pool).await.unwrap());
    let app = TestApp::configured(pool.clone(), 4, |s| s.two_step_required = PlatformRequirement::Admins);
    let (_, admin) = password_step(&app, ADMIN).await;
    assert!(admin.ends_with("/sign-in/two-step"), "{admin}");
    let (_, lead) = password_step(&app, LEAD).await;
    assert!(lead.ends_with("/me"), "lead officers only with admins-and-leads: {lead}");

    let app = TestApp::configured(pool.clone(), 4, |s| s.two_step_required = PlatformRequirement::AdminsAndLeads);
    let (_, lead) = password_step(&app, LEAD).await;
    assert!(lead.ends_with("/sign-in/two-step"), "{lead}");
    let (_, member) = password_step(&app, MEMBER).await;
    assert!(member.ends_with("/me"), "{member}");
}

#[sqlx::test(migrations = "../migrations")]
async fn an_admin_turns_it_off_for_someone_who_lost_their_phone(pool: PgPool) {
    let app = TestApp::with_demo(pool.clone()).await;
    let member = app.sign_in(MEMBER).await;
    enable(&pool, MEMBER).await;
    let id: String =
        sqlx::query_scalar("select id::text from people where email = $1").bind(MEMBER).fetch_one(&pool).await.unwrap();
    let lead = app.sign_in(LEAD).await;
    assert_eq!(app.post("/api/reset_two_step", &[("person", &id)], Some(&lead)).await.status, StatusCode::FORBIDDEN);
    let admin = app.sign_in(ADMIN).await;
    assert!(app.get_with_cookie("/admin", &admin).await.body.contains("Turn off two-step sign-in for"));
    let reset = app.post("/api/reset_two_step", &[("person", &id)], Some(&admin)).await;
    assert!(reset.status.is_success() || reset.status.is_redirection(), "{}", reset.body);
    assert!(!is_signed_in(&app, &member).await, "their sessions end");
    assert_eq!(person_events(&pool, "Turned off two-step sign-in for %").await, 1);
    let (cookie, location) = password_step(&app, MEMBER).await;
    assert!(location.ends_with("/me") && is_signed_in(&app, &cookie).await, "the password alone signs in again");
    let unknown = app.post("/api/reset_two_step", &[("person", "not-an-id")], Some(&admin)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}
