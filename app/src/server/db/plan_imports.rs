//! Uploaded plan files awaiting confirmation (`plan_imports`). Row-level security keeps each
//! upload to the lead officer who made it; the queries name the person and committee as well,
//! so the application states the same rule it relies on.

use crate::domain::views::{ImportProblem, ImportRow};
use crate::error::AppError;
use sqlx::types::Json;
use sqlx::PgConnection;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

/// How long an upload waits for confirmation; the policy `plan_imports_expired_*` says the same.
pub const KEEP_HOURS: i32 = crate::domain::retention::UPLOAD_HOURS_MAX;

pub struct NewUpload<'a> {
    pub committee_id: Uuid,
    pub person_id: Uuid,
    pub file_name: &'a str,
    pub format: &'a str,
    pub rows: &'a [ImportRow],
    pub problems: &'a [ImportProblem],
    pub action_count: usize,
}

pub struct StagedUpload {
    pub id: Uuid,
    pub file_name: String,
    pub format: String,
    /// RFC 3339.
    pub uploaded_at: String,
    pub rows: Vec<ImportRow>,
    pub problems: Vec<ImportProblem>,
}

struct UploadRow {
    id: Uuid,
    file_name: String,
    format: String,
    created_at: time::OffsetDateTime,
    rows: Json<Vec<ImportRow>>,
    problems: Json<Vec<ImportProblem>>,
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
        }
    }
}

/// Clears the committee's expired uploads, whoever made them.
pub async fn expire(db: &mut PgConnection, committee_id: Uuid) -> Result<u64, AppError> {
    let done = sqlx::query!(
        r#"delete from plan_imports where committee_id = $1 and created_at < now() - make_interval(hours => $2)"#,
        committee_id,
        KEEP_HOURS
    )
    .execute(&mut *db)
    .await?;
    Ok(done.rows_affected())
}

pub async fn stage(db: &mut PgConnection, new: NewUpload<'_>) -> Result<Uuid, AppError> {
    let id = sqlx::query_scalar!(
        r#"insert into plan_imports (committee_id, person_id, file_name, format, rows, problems, action_count)
           values ($1, $2, $3, $4, $5, $6, $7) returning id"#,
        new.committee_id,
        new.person_id,
        new.file_name,
        new.format,
        Json(new.rows) as _,
        Json(new.problems) as _,
        i32::try_from(new.action_count).unwrap_or(i32::MAX)
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(id)
}

/// The person's unexpired upload `id` to the committee.
pub async fn find(
    db: &mut PgConnection,
    committee_id: Uuid,
    person_id: Uuid,
    id: Uuid,
) -> Result<Option<StagedUpload>, AppError> {
    let row = sqlx::query_as!(
        UploadRow,
        r#"select id, file_name, format, created_at,
                  rows as "rows: Json<Vec<ImportRow>>", problems as "problems: Json<Vec<ImportProblem>>"
             from plan_imports
            where id = $1 and committee_id = $2 and person_id = $3
              and created_at >= now() - make_interval(hours => $4)"#,
        id,
        committee_id,
        person_id,
        KEEP_HOURS
    )
    .fetch_optional(&mut *db)
    .await?;
    Ok(row.map(StagedUpload::from))
}

/// Takes the upload out of the waiting list to import it. Deleting first also settles a
/// double submission: the second waits for the first and then finds nothing. If the import
/// fails, the transaction rolls back and the upload is still there.
pub async fn claim(
    db: &mut PgConnection,
    committee_id: Uuid,
    person_id: Uuid,
    id: Uuid,
) -> Result<Option<StagedUpload>, AppError> {
    let row = sqlx::query_as!(
        UploadRow,
        r#"delete from plan_imports
            where id = $1 and committee_id = $2 and person_id = $3
              and created_at >= now() - make_interval(hours => $4)
        returning id, file_name, format, created_at,
                  rows as "rows: Json<Vec<ImportRow>>", problems as "problems: Json<Vec<ImportProblem>>""#,
        id,
        committee_id,
        person_id,
        KEEP_HOURS
    )
    .fetch_optional(&mut *db)
    .await?;
    Ok(row.map(StagedUpload::from))
}

/// The periods of the committee's plans (every state), newest first.
pub async fn plan_periods(db: &mut PgConnection, committee_id: Uuid) -> Result<Vec<String>, AppError> {
    let slugs =
        sqlx::query_scalar!(r#"select slug from plans where committee_id = $1 order by slug desc"#, committee_id)
            .fetch_all(&mut *db)
            .await?;
    Ok(slugs)
}
