//! The per-plan status counts the overview reads are kept by the database: after any change
//! they equal a count made from the rows themselves.

mod common;

use sqlx::PgPool;

/// Plans whose stored counts differ from a fresh count of their actions (both directions).
async fn disagreements(pool: &PgPool) -> i64 {
    sqlx::query_scalar!(
        r#"with fresh as (
               select p.id as plan_id,
                      count(pa.id) filter (where a.status = 'G')::int as g,
                      count(pa.id) filter (where a.status = 'A')::int as a,
                      count(pa.id) filter (where a.status = 'R')::int as r,
                      count(pa.id) filter (where a.status = 'P')::int as p,
                      count(pa.id) filter (where pa.id is not null and a.status is null)::int as none
                 from plans p
                 left join plan_actions pa on pa.plan_id = p.id and pa.retired_at is null
                 left join actions a on a.id = pa.action_id
                group by p.id),
           stored as (
               select plan_id, on_target as g, delayed as a, revision_required as r, complete as p, not_assessed as none
                 from plan_status_counts)
           select count(*) as "n!" from ((select * from fresh except select * from stored)
                                         union all (select * from stored except select * from fresh)) d"#
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn on_target(pool: &PgPool, committee: &str) -> i32 {
    sqlx::query_scalar!(
        r#"select psc.on_target from plan_status_counts psc join plans p on p.id = psc.plan_id
             join committees c on c.id = p.committee_id where c.slug = $1"#,
        committee
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn counts_follow_imports_adoptions_status_changes_retirements_and_deletions(pool: PgPool) {
    server::demo::load_if_empty(&pool).await.unwrap();
    assert_eq!(disagreements(&pool).await, 0, "after the demo load");
    let before = on_target(&pool, "clackmannanshire").await;

    // A shared action turns green: every adopting plan counts it.
    let shared =
        sqlx::query_scalar!("select id from actions where owner_subgroup_id is not null order by created_at limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    sqlx::query!("update actions set status = 'G' where id = $1", shared).execute(&pool).await.unwrap();
    assert_eq!(on_target(&pool, "clackmannanshire").await, before + 1);
    assert_eq!(disagreements(&pool).await, 0, "after a status change");

    // Falkirk stops adopting it: only Falkirk's counts change.
    sqlx::query!(
        "update plan_actions set retired_at = now() where action_id = $1 and committee_id = (select id from committees where slug = 'falkirk')",
        shared
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(on_target(&pool, "clackmannanshire").await, before + 1);
    assert_eq!(disagreements(&pool).await, 0, "after a retirement");

    sqlx::query!("delete from plan_actions where action_id = $1", shared).execute(&pool).await.unwrap();
    assert_eq!(on_target(&pool, "clackmannanshire").await, before);
    assert_eq!(disagreements(&pool).await, 0, "after a deletion");

    sqlx::query!("delete from plans where committee_id = (select id from committees where slug = 'stirling')")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(disagreements(&pool).await, 0, "after deleting a plan");
    let rows: i64 =
        sqlx::query_scalar!(r#"select count(*) as "n!" from plan_status_counts"#).fetch_one(&pool).await.unwrap();
    let plans: i64 = sqlx::query_scalar!(r#"select count(*) as "n!" from plans"#).fetch_one(&pool).await.unwrap();
    assert_eq!(rows, plans, "one row per remaining plan");
}
