//! Uploaded risk register files awaiting confirmation (`risk_imports`), for a committee's
//! register or a subgroup's. Row-level security keeps each upload to the person who made it,
//! while they may add risks to that register; the queries name the person and register too, so
//! the application states the same rule it relies on.

use crate::domain::plan_file::ImportProblem;
use crate::domain::risk_file::RiskImportRow;
use crate::error::AppError;
use crate::server::authz::Owner;
use sqlx::types::Json;
use sqlx::PgConnection;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

/// How long an upload waits for confirmation (as plan uploads).
pub const KEEP_HOURS: i32 = super::plan_imports::KEEP_HOURS;

pub struct NewUpload<'a> {
    pub holder: Owner,
    pub person_id: Uuid,
    pub file_name: &'a str,
    pub format: &'a str,
    pub rows: &'a [RiskImportRow],
    pub problems: &'a [ImportProblem],
    pub ignored_columns: &'a [String],
    pub risk_count: usize,
}

pub struct StagedUpload {
    pub id: Uuid,
    pub file_name: String,
    pub format: String,
    /// RFC 3339.
    pub uploaded_at: String,
    pub rows: Vec<RiskImportRow>,
    pub problems: Vec<ImportProblem>,
    pub ignored_columns: Vec<String>,
}

struct UploadRow {
    id: Uuid,
    file_name: String,
    format: String,
    created_at: time::OffsetDateTime,
    rows: Json<Vec<RiskImportRow>>,
    problems: Json<Vec<ImportProblem>>,
    ignored_columns: Json<Vec<String>>,
}

impl From<UploadRow> for StagedUpload {
    fn from(r: UploadRow) -> Self {
        StagedUpload {
            id: r.id,
            file_name: r.file_name,
            format: r.format,
            uploaded_at: r.created_at.format(&Rfc3339).unwrap_or_default(),
            rows: r.rows.0,
            problems: r.problems.0,
            ignored_columns: r.ignored_columns.0,
        }
    }
}

/// Clears the person's expired uploads to the register.
pub async fn expire(db: &mut PgConnection, holder: Owner, person_id: Uuid) -> Result<u64, AppError> {
    let (committee_id, subgroup_id) = holder.columns();
    let done = sqlx::query!(
        r#"delete from risk_imports
            where committee_id is not distinct from $1 and subgroup_id is not distinct from $2 and person_id = $3
              and created_at < now() - make_interval(hours => $4)"#,
        committee_id,
        subgroup_id,
        person_id,
        KEEP_HOURS
    )
    .execute(&mut *db)
    .await?;
    Ok(done.rows_affected())
}

pub async fn stage(db: &mut PgConnection, new: NewUpload<'_>) -> Result<Uuid, AppError> {
    let (committee_id, subgroup_id) = new.holder.columns();
    let id = sqlx::query_scalar!(
        r#"insert into risk_imports (committee_id, subgroup_id, person_id, file_name, format, rows, problems,
                                     ignored_columns, risk_count)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id"#,
        committee_id,
        subgroup_id,
        new.person_id,
        new.file_name,
        new.format,
        Json(new.rows) as _,
        Json(new.problems) as _,
        Json(new.ignored_columns) as _,
        i32::try_from(new.risk_count).unwrap_or(i32::MAX)
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(id)
}

/// The person's unexpired upload `id` to the register.
pub async fn find(
    db: &mut PgConnection,
    holder: Owner,
    person_id: Uuid,
    id: Uuid,
) -> Result<Option<StagedUpload>, AppError> {
    let (committee_id, subgroup_id) = holder.columns();
    let row = sqlx::query_as!(
        UploadRow,
        r#"select id, file_name, format, created_at, rows as "rows: Json<Vec<RiskImportRow>>",
                  problems as "problems: Json<Vec<ImportProblem>>",
                  ignored_columns as "ignored_columns: Json<Vec<String>>"
             from risk_imports
            where id = $1 and committee_id is not distinct from $2 and subgroup_id is not distinct from $3
              and person_id = $4 and created_at >= now() - make_interval(hours => $5)"#,
        id,
        committee_id,
        subgroup_id,
        person_id,
        KEEP_HOURS
    )
    .fetch_optional(&mut *db)
    .await?;
    Ok(row.map(StagedUpload::from))
}

/// Takes the upload out of the waiting list to import it: deleting first settles a double
/// submission (the second finds nothing); if the import fails, the rollback keeps it.
pub async fn claim(
    db: &mut PgConnection,
    holder: Owner,
    person_id: Uuid,
    id: Uuid,
) -> Result<Option<StagedUpload>, AppError> {
    let (committee_id, subgroup_id) = holder.columns();
    let row = sqlx::query_as!(
        UploadRow,
        r#"delete from risk_imports
            where id = $1 and committee_id is not distinct from $2 and subgroup_id is not distinct from $3
              and person_id = $4 and created_at >= now() - make_interval(hours => $5)
        returning id, file_name, format, created_at, rows as "rows: Json<Vec<RiskImportRow>>",
                  problems as "problems: Json<Vec<ImportProblem>>",
                  ignored_columns as "ignored_columns: Json<Vec<String>>""#,
        id,
        committee_id,
        subgroup_id,
        person_id,
        KEEP_HOURS
    )
    .fetch_optional(&mut *db)
    .await?;
    Ok(row.map(StagedUpload::from))
}
