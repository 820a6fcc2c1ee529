//! The append-only audit trail, written in the same transaction as the change it records.

use crate::error::AppError;
use sqlx::PgConnection;
use uuid::Uuid;

pub struct AuditEvent {
    pub person_id: Option<Uuid>,
    pub committee_id: Option<Uuid>,
    pub subgroup_id: Option<Uuid>,
    pub entity: &'static str,
    pub entity_id: Option<Uuid>,
    pub operation: &'static str,
    pub summary: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn record(db: &mut PgConnection, event: AuditEvent) -> Result<(), AppError> {
    sqlx::query!(
        r#"insert into audit_events (person_id, committee_id, subgroup_id, entity, entity_id, operation, summary, before, after)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
        event.person_id,
        event.committee_id,
        event.subgroup_id,
        event.entity,
        event.entity_id,
        event.operation,
        event.summary,
        event.before,
        event.after
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}
