//! Plan reviews: "Reviewed and updated <date>" with a note, and a snapshot of every live action
//! at that moment, so the plan can later be compared with it.

use crate::domain::compare::SnapshotAction;
use crate::error::AppError;
use crate::server::db::audit::{self, AuditEvent};
use sqlx::PgConnection;
use time::Date;
use uuid::Uuid;

/// Every live action of the plan now, in plan order, as a review keeps it.
pub async fn snapshot(db: &mut PgConnection, plan_id: Uuid) -> Result<Vec<SnapshotAction>, AppError> {
    let value: serde_json::Value = sqlx::query_scalar!(
        r#"select coalesce(jsonb_agg(jsonb_build_object(
                      'id', a.id, 'ref', ob.outcome_number || '.' || ob.minor || '.' || pa.position,
                      'description', a.description, 'status', a.status,
                      'timescale', coalesce(a.revised_timescale, a.timescale))
                    order by ob.outcome_number, ob.minor, pa.position), '[]'::jsonb) as "snapshot!"
             from plan_actions pa
             join actions a on a.id = pa.action_id
             join objectives ob on ob.id = pa.objective_id
             join outcomes o on o.id = ob.outcome_id
             join priorities pr on pr.id = o.priority_id
            where pa.plan_id = $1 and pa.retired_at is null
              and ob.retired_at is null and o.retired_at is null and pr.retired_at is null"#,
        plan_id
    )
    .fetch_one(&mut *db)
    .await?;
    serde_json::from_value(value).map_err(|error| {
        tracing::error!(%error, "plan snapshot did not read back");
        AppError::Internal
    })
}

pub async fn record(
    db: &mut PgConnection,
    plan_id: Uuid,
    committee_id: Uuid,
    reviewed_on: Date,
    note: &str,
) -> Result<Uuid, AppError> {
    let snapshot = serde_json::to_value(snapshot(db, plan_id).await?).map_err(|_| AppError::Internal)?;
    let id = Uuid::new_v4();
    sqlx::query!(
        r#"insert into plan_reviews (id, plan_id, committee_id, reviewed_on, note, created_by, snapshot)
           values ($1, $2, $3, $4, $5, app.person(), $6)"#,
        id,
        plan_id,
        committee_id,
        reviewed_on,
        note,
        snapshot
    )
    .execute(&mut *db)
    .await?;
    audit::record(
        db,
        AuditEvent {
            committee_id: Some(committee_id),
            subgroup_id: None,
            entity: audit::Entity::PlanReview,
            entity_id: Some(id),
            operation: audit::Operation::Insert,
            summary: format!("Recorded review of {reviewed_on}: {note}"),
            before: None,
            after: Some(serde_json::json!({ "reviewed_on": reviewed_on.to_string(), "note": note })),
        },
    )
    .await?;
    Ok(id)
}

pub struct StoredReview {
    pub reviewed_on: Date,
    pub note: String,
    pub snapshot: Vec<SnapshotAction>,
}

pub async fn review(db: &mut PgConnection, plan_id: Uuid, review_id: Uuid) -> Result<Option<StoredReview>, AppError> {
    let Some(row) = sqlx::query!(
        r#"select reviewed_on, note, snapshot from plan_reviews where id = $1 and plan_id = $2"#,
        review_id,
        plan_id
    )
    .fetch_optional(&mut *db)
    .await?
    else {
        return Ok(None);
    };
    let snapshot = serde_json::from_value(row.snapshot).map_err(|error| {
        tracing::error!(%error, "stored review snapshot did not read back");
        AppError::Internal
    })?;
    Ok(Some(StoredReview { reviewed_on: row.reviewed_on, note: row.note, snapshot }))
}

/// The plan's reviews, newest first.
pub async fn list(db: &mut PgConnection, plan_id: Uuid) -> Result<Vec<crate::domain::views::ReviewView>, AppError> {
    Ok(sqlx::query!(
        r#"select id, reviewed_on, note from plan_reviews where plan_id = $1 order by reviewed_on desc, created_at desc"#,
        plan_id
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|r| crate::domain::views::ReviewView { id: r.id, reviewed_on: r.reviewed_on.to_string(), note: r.note })
    .collect())
}
