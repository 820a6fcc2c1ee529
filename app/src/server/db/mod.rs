//! The persistence layer: every SQL statement of the application lives below this module,
//! compile-checked, each scoped to a committee, a subgroup or the region.

pub mod actions;
pub mod admin;
pub mod audit;
pub mod import;
pub mod overview;
pub mod plans;
pub mod protocols;
pub mod subgroups;

/// Whether the database answers, for /healthz.
pub async fn ping(pool: &sqlx::PgPool) -> bool {
    sqlx::query_scalar!(r#"select 1 as "one!""#).fetch_one(pool).await.is_ok()
}
