//! The demo: three committees, five Forth Valley subgroups, shared actions adopted by all
//! three plans, protocols with ratification per committee.

mod common;

use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_demo_loads_once_and_only_into_an_empty_database(pool: PgPool) {
    assert!(server::demo::load_if_empty(&pool).await.unwrap());
    let before = common::table_sizes(&pool).await;
    assert!(!server::demo::load_if_empty(&pool).await.unwrap());
    assert_eq!(common::table_sizes(&pool).await, before);
}

#[sqlx::test(migrations = "../migrations")]
async fn every_shared_action_is_adopted_by_all_three_plans_as_one_record(pool: PgPool) {
    server::demo::load_if_empty(&pool).await.unwrap();
    let rows = sqlx::query!(
        r#"select a.id, count(distinct pa.committee_id) as "committees!", count(*) as "placements!"
             from actions a join plan_actions pa on pa.action_id = a.id
            where a.owner_subgroup_id is not null
            group by a.id"#
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(rows.len() >= 2, "at least two shared actions, found {}", rows.len());
    for row in rows {
        assert_eq!((row.committees, row.placements), (3, 3), "action {}", row.id);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn sample_plans_are_labelled_and_the_real_plan_is_not(pool: PgPool) {
    server::demo::load_if_empty(&pool).await.unwrap();
    let plans = sqlx::query!(
        r#"select c.slug, p.slug as plan, p.is_sample, p.status from plans p join committees c on c.id = p.committee_id
            order by c.slug, p.slug"#
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let flags: Vec<(String, String, bool, String)> =
        plans.into_iter().map(|p| (p.slug, p.plan, p.is_sample, p.status)).collect();
    let row = |c: &str, p: &str, sample, status: &str| (c.to_owned(), p.to_owned(), sample, status.to_owned());
    assert_eq!(
        flags,
        vec![
            row("clackmannanshire", "2023-25", false, "published"),
            // The illustrative next plan: a draft, so only Clackmannanshire's members see it.
            row("clackmannanshire", "2025-27", true, "draft"),
            row("falkirk", "2024-26", true, "published"),
            row("stirling", "2024-26", true, "published"),
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn every_protocol_has_a_ratification_state_for_each_committee(pool: PgPool) {
    server::demo::load_if_empty(&pool).await.unwrap();
    let counts = sqlx::query!(
        r#"select p.slug, count(r.committee_id) as "n!" from protocols p
             join protocol_versions v on v.protocol_id = p.id
             left join protocol_ratifications r on r.protocol_version_id = v.id
            group by p.slug order by p.slug"#
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(counts.len(), 3);
    assert!(counts.iter().all(|c| c.n == 3), "{:?}", counts.iter().map(|c| (&c.slug, c.n)).collect::<Vec<_>>());
}
