//! Importing plans into a real database: all or nothing, canonical round trip, no overwrite.

mod common;

use app::domain::plan_csv::{parse_plan_csv, rows_from_view, write_csv};
use app::error::AppError;
use app::server::db::plans::load_readable_plan;
use common::{committees, import, table_sizes};
use server::demo::CLACKMANNANSHIRE_CSV;
use sqlx::PgPool;

async fn export(pool: &PgPool, committee: &str, plan: &str) -> String {
    let mut conn = pool.acquire().await.unwrap();
    write_csv(&rows_from_view(
        &load_readable_plan(&mut conn, &Default::default(), committee, plan).await.unwrap().expect("plan exists"),
    ))
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

fn temp_csv(text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("fv-import-{}.csv", uuid::Uuid::new_v4()));
    std::fs::write(&path, text).unwrap();
    path
}

#[sqlx::test(migrations = "../migrations")]
async fn the_importer_refuses_a_bad_file_with_each_row_and_column_and_saves_nothing(pool: PgPool) {
    committees(&pool, &["falkirk"]).await;
    let before = table_sizes(&pool).await;
    let file = temp_csv(&format!(
        "{}\nP,1,,1.1,Obj,Good action,Lead,,,,\nP,1,,2.1,Obj,Under the wrong outcome,Lead,,,,\nP,1,,1.2,Obj,,Lead,,,,X\n",
        app::domain::plan_csv::COLUMNS.join(",")
    ));
    let err =
        server::cli::run_import(&pool, "falkirk", "2024-26", None, false, file.to_str().unwrap()).await.unwrap_err();
    std::fs::remove_file(&file).unwrap();
    assert!(err.contains("3 problem(s); nothing was imported"), "{err}");
    assert!(err.contains("row 3, column objective_number: objective 2.1 does not belong to outcome 1"), "{err}");
    assert!(err.contains("row 4, column action: is empty"), "{err}");
    assert!(err.contains("row 4, column status: \"X\" is not a status"), "{err}");
    assert!(!err.contains("row 2"), "{err}");
    assert_eq!(table_sizes(&pool).await, before);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_imported_draft_is_not_shown_to_the_public_until_published(pool: PgPool) {
    committees(&pool, &["falkirk"]).await;
    let file = temp_csv(server::demo::FALKIRK_CSV);
    let report =
        server::cli::run_import(&pool, "falkirk", "2026-28", None, false, file.to_str().unwrap()).await.unwrap();
    std::fs::remove_file(&file).unwrap();
    assert!(report.contains("as a draft"), "{report}");
    let app = common::TestApp::new(pool.clone());
    assert_eq!(app.get("/committees/falkirk/plans/2026-28").await.status, axum::http::StatusCode::NOT_FOUND);
    sqlx::query!("update plans set status = 'published'").execute(&pool).await.unwrap();
    assert_eq!(app.get("/committees/falkirk/plans/2026-28").await.status, axum::http::StatusCode::OK);
}
