//! The persistence layer: every SQL statement of the application lives below this module,
//! compile-checked, each scoped to a committee, a subgroup or the region.

pub mod actions;
pub mod admin;
pub mod audit;
pub mod backup;
pub mod dashboard;
pub mod housekeeping;
pub mod import;
pub mod live;
pub mod members;
pub mod my_work;
pub mod operator;
pub mod overview;
pub mod people;
pub mod periods;
pub mod plan_actions;
pub mod plan_imports;
pub mod plans;
pub mod protocol_edits;
pub mod protocols;
pub mod regional;
pub mod reviews;
pub mod risk_imports;
pub mod risks;
pub mod shared;
pub mod structure;
pub mod subgroups;
pub mod summaries;
pub mod two_step;
pub mod updates;

use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

/// A transaction acting as `person` (or as the public). The setting is local to the
/// transaction, so it ends with it and never reaches the next user of the pooled connection.
pub async fn begin_as(
    pool: &PgPool,
    person: Option<Uuid>,
) -> Result<Transaction<'static, Postgres>, crate::error::AppError> {
    // One round trip: BEGIN and the setting in one simple query. The value is a UUID's own
    // text (hex digits and dashes) or empty, so it is safe to write into the statement.
    let person = person.map(|p| p.hyphenated().to_string()).unwrap_or_default();
    Ok(pool.begin_with(format!("begin; select set_config('app.person_id', '{person}', true)")).await?)
}

/// From here to the end of the transaction, act as `person` (someone who has just proved who
/// they are with a one-time link).
pub async fn act_as(db: &mut sqlx::PgConnection, person: Uuid) -> Result<(), crate::error::AppError> {
    sqlx::query_scalar!("select set_config('app.person_id', $1, true)", person.to_string()).fetch_one(&mut *db).await?;
    Ok(())
}

/// Whether the database answers, for /healthz.
pub async fn ping(pool: &sqlx::PgPool) -> bool {
    sqlx::query_scalar!(r#"select 1 as "one!""#).fetch_one(pool).await.is_ok()
}
