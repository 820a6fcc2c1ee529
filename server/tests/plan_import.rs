//! Importing plans into a real database: all or nothing, canonical round trip, no overwrite.

mod common;

use app::domain::plan_csv::{parse_plan_csv, rows_from_view, write_csv};
use app::error::AppError;
use app::server::db::plans::{find_published_plan, load_plan};
use common::{committees, import, table_sizes};
use server::demo::CLACKMANNANSHIRE_CSV;
use sqlx::PgPool;

async fn export(pool: &PgPool, committee: &str, plan: &str) -> String {
    let mut conn = pool.acquire().await.unwrap();
    let header = find_published_plan(&mut *conn, committee, plan).await.unwrap().expect("plan exists");
    write_csv(&rows_from_view(&load_plan(&mut conn, header).await.unwrap()))
}

#[sqlx::test(migrations = "../migrations")]
async fn the_clackmannanshire_plan_imports_whole(pool: PgPool) {
    committees(&pool, &["clackmannanshire"]).await;
    import(&pool, "clackmannanshire", "2023-25", CLACKMANNANSHIRE_CSV).await.unwrap();

    let source = parse_plan_csv(CLACKMANNANSHIRE_CSV.as_bytes()).unwrap();
    let actions: i64 =
        sqlx::query_scalar!(r#"select count(*) as "n!" from plan_actions"#).fetch_one(&pool).await.unwrap();
    assert_eq!(actions as usize, source.action_count());
    let outcomes: Vec<i32> =
        sqlx::query_scalar!("select number from outcomes order by number").fetch_all(&pool).await.unwrap();
    assert_eq!(outcomes, (1..=8).collect::<Vec<_>>());
    let statuses: i64 = sqlx::query_scalar!(r#"select count(*) as "n!" from actions where status = 'P'"#)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(statuses as usize, common::source_complete_count());
}

#[sqlx::test(migrations = "../migrations")]
async fn export_import_export_gives_identical_bytes(pool: PgPool) {
    committees(&pool, &["clackmannanshire", "falkirk"]).await;
    import(&pool, "clackmannanshire", "2023-25", CLACKMANNANSHIRE_CSV).await.unwrap();
    let first = export(&pool, "clackmannanshire", "2023-25").await;
    import(&pool, "falkirk", "2024-26", &first).await.unwrap();
    let second = export(&pool, "falkirk", "2024-26").await;
    assert_eq!(first, second);
    assert_eq!(parse_plan_csv(first.as_bytes()).unwrap(), parse_plan_csv(CLACKMANNANSHIRE_CSV.as_bytes()).unwrap());
}

#[sqlx::test(migrations = "../migrations")]
async fn importing_over_a_plan_with_actions_is_refused_and_changes_nothing(pool: PgPool) {
    committees(&pool, &["clackmannanshire"]).await;
    import(&pool, "clackmannanshire", "2023-25", CLACKMANNANSHIRE_CSV).await.unwrap();
    let before = table_sizes(&pool).await;
    let err = import(&pool, "clackmannanshire", "2023-25", CLACKMANNANSHIRE_CSV).await.unwrap_err();
    assert!(matches!(&err, AppError::Conflict(m) if m.contains("already holds 58 actions")), "{err:?}");
    assert_eq!(table_sizes(&pool).await, before);
}

#[sqlx::test(migrations = "../migrations")]
async fn importing_into_an_unknown_committee_changes_nothing(pool: PgPool) {
    committees(&pool, &["clackmannanshire"]).await;
    let before = table_sizes(&pool).await;
    let err = import(&pool, "stirling", "2024-26", CLACKMANNANSHIRE_CSV).await.unwrap_err();
    assert_eq!(err, AppError::NotFound("committee \"stirling\"".into()));
    assert_eq!(table_sizes(&pool).await, before);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_database_refuses_an_objective_numbered_under_another_outcome(pool: PgPool) {
    committees(&pool, &["clackmannanshire"]).await;
    import(&pool, "clackmannanshire", "2023-25", CLACKMANNANSHIRE_CSV).await.unwrap();
    // The CSV validation catches this first; the schema holds the same rule for every writer.
    let err = sqlx::query!(
        "update objectives set outcome_number = outcome_number + 1 where outcome_number = 1 and minor = 1"
    )
    .execute(&pool)
    .await
    .unwrap_err();
    assert_eq!(err.as_database_error().and_then(|e| e.constraint()), Some("objectives_outcome_id_outcome_number_fkey"));
}

#[sqlx::test(migrations = "../migrations")]
async fn leads_naming_a_subgroup_are_linked_to_it(pool: PgPool) {
    server::demo::load_if_empty(&pool).await.unwrap();
    let linked: Vec<String> = sqlx::query_scalar!(
        r#"select distinct s.slug from action_subgroups asg join subgroups s on s.id = asg.subgroup_id order by 1"#
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for slug in [
        "fv-policies-procedures-protocols",
        "fv-public-information-engagement-participation",
        "performance-management-quality-assurance",
        "learning-practice-development",
        "ird-steering-group",
    ] {
        assert!(linked.iter().any(|l| l == slug), "no action linked to {slug}: {linked:?}");
    }
}
