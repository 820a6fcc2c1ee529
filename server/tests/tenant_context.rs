//! The acting person is set per transaction and must never outlive it: with a pool of one or
//! two connections, requests of different committees interleave, handlers fail half way, and
//! every request still sees exactly its own committee's material.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use futures_util::future::join_all;
use sqlx::PgPool;

const DRAFT: &str = "/committees/clackmannanshire/plans/2025-27";
const DRAFT_TITLE: &str = "2025-27 (draft)";

#[sqlx::test(migrations = "../migrations")]
async fn the_person_never_leaks_through_a_pool_of_one(pool: PgPool) {
    check_isolation(pool, 1).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn the_person_never_leaks_through_a_pool_of_two(pool: PgPool) {
    check_isolation(pool, 2).await;
}

async fn check_isolation(pool: PgPool, size: u32) {
    {
        let app = TestApp::with_demo_and_pool_size(pool, size).await;
        let clacks = app.sign_in("clacks.member@example.org").await;
        let falkirk = app.sign_in("falkirk.lead@example.org").await;
        let lead = app.sign_in("clacks.lead@example.org").await;
        let last_lead: String =
            sqlx::query_scalar("select id::text from people where email = 'clacks.lead@example.org'")
                .fetch_one(&app.pool)
                .await
                .unwrap();

        for round in 0..5 {
            // Interleaved: a member, another committee's lead officer, the public, and a
            // handler that fails after writing (demoting the last lead officer is refused
            // after the update ran, so its transaction rolls back).
            let demote = [("committee", "clackmannanshire"), ("person", last_lead.as_str()), ("role", "member")];
            let (member_page, falkirk_page, public_page, failed, after) = tokio::join!(
                app.get_with_cookie(DRAFT, &clacks),
                app.get_with_cookie(DRAFT, &falkirk),
                app.get(DRAFT),
                app.post("/api/change_member_role", &demote, Some(&lead)),
                app.get(DRAFT),
            );
            assert_eq!(member_page.status, StatusCode::OK, "pool {size}, round {round}");
            assert!(member_page.body.contains(DRAFT_TITLE));
            for (who, page) in [("falkirk", &falkirk_page), ("public", &public_page), ("public after", &after)] {
                assert_eq!(page.status, StatusCode::NOT_FOUND, "{who}, pool {size}, round {round}");
                assert!(!page.body.contains(DRAFT_TITLE), "{who}, pool {size}, round {round}");
            }
            assert_eq!(failed.status, StatusCode::CONFLICT);
        }

        // Many at once, alternating people, through one or two connections.
        let requests = (0..24).map(|i| {
            let cookie = if i % 2 == 0 { Some(clacks.clone()) } else { Some(falkirk.clone()) };
            let app = &app;
            async move { (i, app.get_with_cookie(DRAFT, cookie.as_deref().unwrap()).await) }
        });
        for (i, page) in join_all(requests).await {
            let expected = if i % 2 == 0 { StatusCode::OK } else { StatusCode::NOT_FOUND };
            assert_eq!(page.status, expected, "request {i}, pool {size}");
        }

        // What is left on the pooled connections afterwards: no acting person.
        for _ in 0..size {
            let leftover: Option<String> = sqlx::query_scalar("select current_setting('app.person_id', true)")
                .fetch_one(&app.app_pool)
                .await
                .unwrap();
            assert!(leftover.unwrap_or_default().is_empty(), "pool {size}: a person outlived their transaction");
        }
        let lead_still: String = sqlx::query_scalar(
            "select role from committee_memberships m join people p on p.id = m.person_id where p.email = 'clacks.lead@example.org'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        assert_eq!(lead_still, "lead_officer", "the failed handler's write was rolled back");
    }
}
