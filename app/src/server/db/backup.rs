//! One committee's backup and its restore (`server export-committee`, `restore-committee`),
//! run as the owner: the document is made and read back by the database's own functions
//! (`backup.export_committee`, `backup.restore_committee`), in one transaction.

use crate::error::AppError;
use sqlx::PgConnection;
use uuid::Uuid;

/// The committee's backup document, or `None` when there is no committee `slug`.
pub async fn export(db: &mut PgConnection, slug: &str) -> Result<Option<serde_json::Value>, AppError> {
    Ok(sqlx::query_scalar!(r#"select backup.export_committee($1) as "doc""#, slug).fetch_one(&mut *db).await?)
}

/// The account with this email (any case), if there is one.
pub async fn person_by_email(db: &mut PgConnection, email: &str) -> Result<Option<Uuid>, AppError> {
    Ok(sqlx::query_scalar!("select id from people where lower(email) = lower($1)", email)
        .fetch_optional(&mut *db)
        .await?)
}

/// A restored person new to this database, without a password: under their id in the backup
/// when it is free here, else a new one.
pub async fn create_person(db: &mut PgConnection, id: Uuid, email: &str, name: &str) -> Result<Uuid, AppError> {
    Ok(sqlx::query_scalar!(
        r#"insert into people (id, email, display_name)
           values (case when exists (select 1 from people where id = $1) then gen_random_uuid() else $1 end, $2, $3)
           returning id"#,
        id,
        email,
        name
    )
    .fetch_one(&mut *db)
    .await?)
}

/// A one-time link with which a restored person sets a password.
pub async fn issue_link(
    db: &mut PgConnection,
    person: Uuid,
    token_hash: &str,
    valid_days: i32,
) -> Result<(), AppError> {
    sqlx::query!(
        "insert into invitations (person_id, token_hash, expires_at) values ($1, $2, now() + make_interval(days => $3))",
        person,
        token_hash,
        valid_days
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// What a restore put back, and left out, of one kind of row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub kind: String,
    pub restored: i32,
    pub left_out: i32,
}

/// Restores a backup whose people ids are already this database's. A committee that exists
/// here already, a document of another kind, or one that does not hold together is refused
/// with the database's reason, and nothing is kept.
pub async fn restore(db: &mut PgConnection, doc: &serde_json::Value) -> Result<Vec<Restored>, AppError> {
    let rows = sqlx::query!(
        r#"select kind as "kind!", restored as "restored!", left_out as "left_out!" from backup.restore_committee($1)"#,
        doc
    )
    .fetch_all(&mut *db)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d)
            if matches!(d.code().as_deref(), Some("23505" | "22023" | "23503" | "23502" | "23514" | "22P02")) =>
        {
            AppError::Conflict(format!("The backup was not restored: {}.", d.message()))
        }
        _ => AppError::from(e),
    })?;
    Ok(rows.into_iter().map(|r| Restored { kind: r.kind, restored: r.restored, left_out: r.left_out }).collect())
}
