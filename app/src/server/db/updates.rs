//! Updating an action's status, progress and evidence: one conditional UPDATE on the version
//! the editor started from, the history row and the audit event, in the caller's transaction.

use crate::domain::status::Status;
use crate::domain::update::ActionUpdate;
use crate::error::{AppError, ChangedField, OtherChange, StaleEdit};
use crate::server::db::audit::{self, AuditEvent};
use crate::server::db::plans::parse_status;
use sqlx::PgConnection;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

/// An action as its updater sees it.
pub struct ActionState {
    pub id: Uuid,
    pub owner_committee_id: Option<Uuid>,
    pub owner_subgroup_id: Option<Uuid>,
    pub description: String,
    pub status: Option<Status>,
    pub progress: String,
    pub evidence: String,
    pub version: i32,
}

/// The action, if the acting person may see it.
pub async fn action_state(db: &mut PgConnection, id: Uuid) -> Result<Option<ActionState>, AppError> {
    let row = sqlx::query!(
        r#"select id, owner_committee_id, owner_subgroup_id, description, status::text as status, progress, evidence,
                  version
             from actions where id = $1"#,
        id
    )
    .fetch_optional(&mut *db)
    .await?;
    Ok(row.map(|r| ActionState {
        id: r.id,
        owner_committee_id: r.owner_committee_id,
        owner_subgroup_id: r.owner_subgroup_id,
        description: r.description,
        status: parse_status(r.status),
        progress: r.progress,
        evidence: r.evidence,
        version: r.version,
    }))
}

/// Applies `update` if the action is still at `base_version`; otherwise refuses with what
/// changed since. Returns the new version.
pub async fn apply_update(
    db: &mut PgConnection,
    action: &ActionState,
    base_version: i32,
    update: &ActionUpdate,
) -> Result<i32, AppError> {
    let status = update.status.map(Status::code);
    let (revised, reason) = match &update.revision {
        Some(r) => (Some(r.timescale.as_str()), Some(r.reason.as_str())),
        None => (None, None),
    };
    // The row lock and the version test are one statement, so of concurrent editors starting
    // from one version exactly one matches; the others re-read the new version and match nothing.
    let updated = sqlx::query!(
        r#"with old as (
               select id, status, progress, evidence from actions where id = $1 and version = $2 for update
           )
           update actions a
              set status = $3::text::char(1), progress = $4, evidence = $5,
                  revised_timescale = coalesce($6, a.revised_timescale),
                  revision_reason = coalesce($7, a.revision_reason),
                  version = a.version + 1, updated_at = now()
             from old
            where a.id = old.id
        returning a.version, old.status::text as old_status, old.progress as old_progress, old.evidence as old_evidence"#,
        action.id,
        base_version,
        status,
        update.progress,
        update.evidence,
        revised,
        reason
    )
    .fetch_optional(&mut *db)
    .await?;
    let Some(updated) = updated else {
        return Err(stale(db, action.id, base_version).await);
    };

    sqlx::query!(
        r#"insert into status_updates (action_id, person_id, from_status, to_status, from_progress, to_progress,
                                       from_evidence, to_evidence, revised_timescale, reason, note, action_version)
           values ($1, app.person(), $2::text::char(1), $3::text::char(1), $4, $5, $6, $7, $8, $9, $10, $11)"#,
        action.id,
        updated.old_status,
        status,
        updated.old_progress,
        update.progress,
        updated.old_evidence,
        update.evidence,
        revised,
        reason,
        update.note,
        updated.version
    )
    .execute(&mut *db)
    .await?;

    audit::record(
        db,
        AuditEvent {
            committee_id: action.owner_committee_id,
            subgroup_id: action.owner_subgroup_id,
            entity: audit::Entity::Action,
            entity_id: Some(action.id),
            operation: audit::Operation::Update,
            summary: format!(
                "Updated action \"{}\": {}",
                crate::domain::update::excerpt(&action.description),
                crate::domain::status::status_label(update.status)
            ),
            before: Some(serde_json::json!({
                "status": updated.old_status, "progress": updated.old_progress, "evidence": updated.old_evidence
            })),
            after: Some(serde_json::json!({
                "status": status, "progress": update.progress, "evidence": update.evidence,
                "revised_timescale": revised, "reason": reason, "version": updated.version
            })),
        },
    )
    .await?;
    Ok(updated.version)
}

/// The refusal of an edit based on `base_version`: every update saved since, or, when none is
/// recorded (the action was re-worded), its current values. A failure to read them is logged
/// and still refuses the edit.
async fn stale(db: &mut PgConnection, action_id: Uuid, base_version: i32) -> AppError {
    match changes_since(db, action_id, base_version).await {
        Ok(Some(stale)) => AppError::Stale(Box::new(stale)),
        Ok(None) => AppError::not_found("that action (it may have been removed)"),
        Err(error) => error,
    }
}

pub async fn changes_since(
    db: &mut PgConnection,
    action_id: Uuid,
    base_version: i32,
) -> Result<Option<StaleEdit>, AppError> {
    let Some(current) = sqlx::query!(
        r#"select version, status::text as status, progress, evidence, updated_at from actions where id = $1"#,
        action_id
    )
    .fetch_optional(&mut *db)
    .await?
    else {
        return Ok(None);
    };
    // The latest few only, oldest first, and how many came before them.
    let rows = sqlx::query!(
        r#"select * from (
             select su.action_version, su.created_at, pe.display_name as "by?", su.from_status::text as from_status,
                    su.to_status::text as to_status, su.from_progress, su.to_progress, su.from_evidence, su.to_evidence,
                    su.revised_timescale, su.reason, su.note, count(*) over () as "total!"
               from status_updates su left join people pe on pe.id = su.person_id
              where su.action_id = $1 and su.action_version > $2
              order by su.action_version desc
              limit $3) latest
           order by action_version"#,
        action_id,
        base_version,
        crate::error::STALE_CHANGES_SHOWN
    )
    .fetch_all(&mut *db)
    .await?;
    let earlier = rows.first().map_or(0, |r| r.total - rows.len() as i64);
    let label = |code: Option<String>| crate::domain::status::status_label(parse_status(code)).to_owned();
    let mut changes: Vec<OtherChange> = rows
        .into_iter()
        .map(|r| {
            let mut fields = Vec::new();
            if r.from_status != r.to_status {
                fields.push(ChangedField {
                    label: "Status".into(),
                    from: Some(label(r.from_status)),
                    to: label(r.to_status),
                });
            }
            if r.from_progress != r.to_progress {
                fields.push(ChangedField {
                    label: "Progress report".into(),
                    from: Some(r.from_progress),
                    to: r.to_progress,
                });
            }
            if r.from_evidence != r.to_evidence {
                fields.push(ChangedField { label: "Evidence".into(), from: Some(r.from_evidence), to: r.to_evidence });
            }
            if let Some(t) = r.revised_timescale {
                fields.push(ChangedField { label: "Revised timescale".into(), from: None, to: t });
            }
            if let Some(reason) = r.reason {
                fields.push(ChangedField { label: "Reason for revision".into(), from: None, to: reason });
            }
            if !r.note.is_empty() {
                fields.push(ChangedField { label: "Note".into(), from: None, to: r.note });
            }
            OtherChange { by: r.by, at: r.created_at.format(&Rfc3339).unwrap_or_default(), fields }
        })
        .collect();
    if changes.is_empty() {
        changes.push(OtherChange {
            by: None,
            at: current.updated_at.format(&Rfc3339).unwrap_or_default(),
            fields: vec![
                ChangedField { label: "Status".into(), from: None, to: label(current.status) },
                ChangedField { label: "Progress report".into(), from: None, to: current.progress },
                ChangedField { label: "Evidence".into(), from: None, to: current.evidence },
            ],
        });
    }
    Ok(Some(StaleEdit { current_version: current.version, changes, earlier }))
}
