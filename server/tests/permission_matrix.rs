//! The permission matrix: every page, server function and plain route × every kind of person
//! (DESIGN.md, "Who may do what"), with Clackmannanshire's objects as the target: its own
//! members, another committee's officers replaying the same form fields and ids, a Forth Valley
//! subgroup's chair, a platform admin and the public.
//!
//! The matrix enumerates the registered server functions and routes itself and fails when one
//! has no entry, so everything added later joins it. Refusals must carry the right status,
//! show nothing of Clackmannanshire's unpublished material, and change nothing in the database.

mod common;

use common::{database_digest, drop_database, TestApp};
use sqlx::PgPool;
use std::collections::BTreeSet;

use common::surface::*;

#[sqlx::test(migrations = "../migrations")]
async fn every_route_and_server_function_has_an_entry_and_enforces_it(pool: PgPool) {
    // Coverage first: the registered surface, not a list kept by hand.
    let mut registered: BTreeSet<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
    registered.extend(leptos_axum::generate_route_list(app::App).iter().map(|r| r.path().to_owned()));
    registered.extend(server::routes::PLAIN_ROUTES.iter().map(|r| (*r).to_owned()));
    let entries = entries();
    let covered: BTreeSet<String> = entries.iter().map(|e| e.key.to_owned()).collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&registered).collect();
    assert!(missing.is_empty(), "routes or server functions without a permission-matrix entry: {missing:?}");
    assert!(stale.is_empty(), "matrix entries for routes that no longer exist: {stale:?}");

    // The demo, every actor signed in once (sessions live in the database, so they carry over
    // into the copies below), a subgroup member to remove and an open invitation.
    let app = TestApp::with_demo(pool.clone()).await;
    let mut cookies = Vec::new();
    for actor in ACTORS {
        cookies.push(match actor.email() {
            Some(email) => Some(app.sign_in(email).await),
            None => None,
        });
    }
    let targets = setup_targets(&app.pool).await;

    // The flags pages show agree with the rules the server enforces (and the matrix checks
    // below): a button shown is a request accepted, a button hidden is a request refused.
    for flag in flags() {
        let page = (flag.page)(&targets);
        let marker = (flag.marker)(&targets);
        for (actor, cookie) in ACTORS.iter().zip(&cookies) {
            let body = match cookie {
                Some(c) => app.get_with_cookie(&page, c).await.body,
                None => app.get(&page).await.body,
            };
            let shown = body.contains(&marker);
            let allowed = expected(flag.rule, *actor).is_ok();
            assert_eq!(shown, allowed, "{actor:?} sees {} at {page}: {shown}, may: {allowed}", flag.what);
        }
    }

    // Everything denied, and every read, against one database: a refusal must change nothing.
    let mut checked = 0;
    let mut writes = Vec::new();
    for entry in &entries {
        for (actor, cookie) in ACTORS.iter().zip(cookies.iter_mut()) {
            let expect = expected(entry.rule, *actor);
            if entry.kind == Kind::Write && expect.is_ok() {
                writes.push((entry, *actor, cookie.clone()));
                continue;
            }
            let before = database_digest(&app.pool).await;
            let response = call(&app, entry, &targets, *actor, cookie.as_deref()).await;
            // As a browser would: a re-issued session id replaces the old one.
            if let (Some(renewed), false) = (response.session_cookie(), *actor == Actor::Anonymous) {
                *cookie = Some(renewed);
            }
            match expect {
                Ok(()) => assert!(
                    is_allowed_status(response.status),
                    "{actor:?} should be allowed {} but got {}: {}",
                    entry.key,
                    response.status,
                    &response.body[..response.body.len().min(300)]
                ),
                Err(status) => {
                    assert_eq!(
                        response.status,
                        status,
                        "{actor:?} at {}: {}",
                        entry.key,
                        &response.body[..response.body.len().min(300)]
                    );
                    assert_eq!(
                        database_digest(&app.pool).await,
                        before,
                        "{actor:?}'s refused {} changed the database",
                        entry.key
                    );
                }
            }
            assert_nothing_foreign(*actor, entry.key, &response.body);
            checked += 1;
        }
    }

    // Each allowed change on its own copy of that database.
    let template: String = sqlx::query_scalar("select current_database()::text").fetch_one(&app.pool).await.unwrap();
    let master_options = pool.connect_options().as_ref().clone().database("postgres");
    let master =
        sqlx::postgres::PgPoolOptions::new().max_connections(1).connect_with(master_options.clone()).await.unwrap();
    app.app_pool.close().await;
    app.pool.close().await;
    pool.close().await;
    for (n, (entry, actor, cookie)) in writes.iter().enumerate() {
        // Database names stop at 63 bytes; the template's is already long.
        let copy = format!("fv_matrix_{}_{n}", std::process::id());
        sqlx::query(&format!("create database \"{copy}\" template \"{template}\"")).execute(&master).await.unwrap();
        let owner = sqlx::postgres::PgPoolOptions::new()
            .max_connections(2)
            .connect_with(master_options.clone().database(&copy))
            .await
            .unwrap();
        let copy_app = TestApp::new(owner.clone());
        let before = database_digest(&owner).await;
        let response = call(&copy_app, entry, &targets, *actor, cookie.as_deref()).await;
        assert!(
            is_allowed_status(response.status),
            "{actor:?} should be allowed {} but got {}: {}",
            entry.key,
            response.status,
            response.body
        );
        if entry.key != "/api/sign_out" {
            assert_ne!(database_digest(&owner).await, before, "{actor:?}'s {} changed nothing", entry.key);
        }
        assert_nothing_foreign(*actor, entry.key, &response.body);
        copy_app.app_pool.close().await;
        owner.close().await;
        drop_database(&master, &copy).await;
        checked += 1;
    }
    assert_eq!(checked, entries.len() * ACTORS.len());
}
