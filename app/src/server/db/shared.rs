//! Shared actions: a subgroup creates one record; each participating committee places it in
//! its own plan under one of its objectives with its own numbering, and can stop doing so
//! (the placement is retired, never deleted, so the history stays).

use crate::domain::views::AdoptTarget;
use crate::error::{AppError, ChangedField, OtherChange, StaleEdit};
use crate::server::db::audit::{self, AuditEvent};
use sqlx::PgConnection;
use uuid::Uuid;

pub struct NewSharedAction<'a> {
    pub subgroup_id: Uuid,
    pub description: &'a str,
    pub lead: &'a str,
    pub timescale: &'a str,
    pub evidence: &'a str,
}

pub async fn create(db: &mut PgConnection, new: &NewSharedAction<'_>) -> Result<Uuid, AppError> {
    let id = Uuid::new_v4();
    sqlx::query!(
        r#"insert into actions (id, owner_subgroup_id, description, lead, timescale, evidence)
           values ($1, $2, $3, $4, $5, $6)"#,
        id,
        new.subgroup_id,
        new.description,
        new.lead,
        new.timescale,
        new.evidence
    )
    .execute(&mut *db)
    .await?;
    audit::record(
        db,
        AuditEvent {
            committee_id: None,
            subgroup_id: Some(new.subgroup_id),
            entity: audit::Entity::Action,
            entity_id: Some(id),
            operation: audit::Operation::Insert,
            summary: format!("Created shared action \"{}\"", crate::domain::update::excerpt(new.description)),
            before: None,
            after: Some(serde_json::json!({
                "description": new.description, "lead": new.lead, "timescale": new.timescale, "evidence": new.evidence
            })),
        },
    )
    .await?;
    Ok(id)
}

/// The plans (not archived) of the committees where the acting person is a lead officer and
/// which take part in the subgroup, with their live objectives: where they may place its
/// shared actions.
/// The plans (not archived) of every committee taking part in the subgroup that the acting
/// person can see, with their live objectives: where a shared action could be placed (the
/// caller keeps those whose committee the person leads).
pub async fn adopt_targets(db: &mut PgConnection, subgroup_id: Uuid) -> Result<Vec<AdoptTarget>, AppError> {
    let rows = sqlx::query!(
        r#"select c.id as committee_id, c.slug as committee_slug, c.name as committee_name, p.slug as plan_slug,
                  p.title as plan_title, ob.outcome_number, ob.minor, ob.title
             from plans p
             join committees c on c.id = p.committee_id
             join objectives ob on ob.plan_id = p.id and ob.retired_at is null
             join outcomes o on o.id = ob.outcome_id and o.retired_at is null
             join priorities pr on pr.id = o.priority_id and pr.retired_at is null
            where p.status <> 'archived'
              and exists (select 1 from subgroup_committees sc where sc.subgroup_id = $1 and sc.committee_id = p.committee_id)
            order by c.name, p.slug desc, ob.outcome_number, ob.minor"#,
        subgroup_id
    )
    .fetch_all(&mut *db)
    .await?;
    let mut targets: Vec<AdoptTarget> = Vec::new();
    for r in rows {
        if targets.last().is_none_or(|t| t.committee_slug != r.committee_slug || t.plan_slug != r.plan_slug) {
            targets.push(AdoptTarget {
                committee_id: r.committee_id,
                committee_slug: r.committee_slug,
                committee_name: r.committee_name,
                plan_slug: r.plan_slug,
                plan_title: r.plan_title,
                objectives: Vec::new(),
            });
        }
        let number = format!("{}.{}", r.outcome_number, r.minor);
        targets.last_mut().expect("pushed above").objectives.push((number, r.title));
    }
    Ok(targets)
}

/// A shared action as an adopting committee sees it.
pub struct SharedAction {
    pub id: Uuid,
    pub description: String,
    pub subgroup_id: Uuid,
    pub participates: bool,
}

pub async fn shared_action(
    db: &mut PgConnection,
    id: Uuid,
    committee_id: Uuid,
) -> Result<Option<SharedAction>, AppError> {
    let row = sqlx::query!(
        r#"select a.id, a.description, a.owner_subgroup_id as "subgroup_id!",
                  exists (select 1 from subgroup_committees sc
                           where sc.subgroup_id = a.owner_subgroup_id and sc.committee_id = $2) as "participates!"
             from actions a where a.id = $1 and a.owner_subgroup_id is not null"#,
        id,
        committee_id
    )
    .fetch_optional(&mut *db)
    .await?;
    Ok(row.map(|r| SharedAction {
        id: r.id,
        description: r.description,
        subgroup_id: r.subgroup_id,
        participates: r.participates,
    }))
}

pub struct Placement<'a> {
    pub plan_id: Uuid,
    pub committee_id: Uuid,
    pub objective_id: Uuid,
    pub local_note: &'a str,
}

/// Places the action last under the objective. A placement the committee once stopped comes
/// back (same row, so its history and audit trail stay one). Returns the position.
pub async fn adopt(db: &mut PgConnection, action: &SharedAction, at: &Placement<'_>) -> Result<i32, AppError> {
    let existing = sqlx::query!(
        r#"select id, retired_at is null as "active!" from plan_actions where plan_id = $1 and action_id = $2"#,
        at.plan_id,
        action.id
    )
    .fetch_optional(&mut *db)
    .await?;
    if existing.as_ref().is_some_and(|e| e.active) {
        return Err(AppError::Conflict("That plan already includes this shared action.".into()));
    }
    let position: i32 = sqlx::query_scalar!(
        r#"select coalesce(max(position), 0) + 1 as "next!" from plan_actions where objective_id = $1"#,
        at.objective_id
    )
    .fetch_one(&mut *db)
    .await?;
    match existing {
        Some(e) => {
            sqlx::query!(
                r#"update plan_actions set objective_id = $2, position = $3, local_note = $4, retired_at = null,
                          adopted_at = now(), version = version + 1
                    where id = $1"#,
                e.id,
                at.objective_id,
                position,
                at.local_note
            )
            .execute(&mut *db)
            .await?;
        }
        None => {
            sqlx::query!(
                r#"insert into plan_actions (plan_id, committee_id, objective_id, action_id, position, local_note)
                   values ($1, $2, $3, $4, $5, $6)"#,
                at.plan_id,
                at.committee_id,
                at.objective_id,
                action.id,
                position,
                at.local_note
            )
            .execute(&mut *db)
            .await?;
        }
    }
    audit::record(
        db,
        AuditEvent {
            committee_id: Some(at.committee_id),
            subgroup_id: None,
            entity: audit::Entity::PlanAction,
            entity_id: Some(action.id),
            operation: audit::Operation::Insert,
            summary: format!("Adopted shared action \"{}\"", crate::domain::update::excerpt(&action.description)),
            before: None,
            after: Some(serde_json::json!({ "plan_id": at.plan_id, "objective_id": at.objective_id, "position": position, "local_note": at.local_note })),
        },
    )
    .await?;
    Ok(position)
}

/// The objective `number` ("1.2") of the plan, if it is live.
pub async fn objective_id(
    db: &mut PgConnection,
    plan_id: Uuid,
    outcome: i32,
    minor: i32,
) -> Result<Option<Uuid>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select ob.id from objectives ob join outcomes o on o.id = ob.outcome_id join priorities pr on pr.id = o.priority_id
            where ob.plan_id = $1 and ob.outcome_number = $2 and ob.minor = $3
              and ob.retired_at is null and o.retired_at is null and pr.retired_at is null"#,
        plan_id,
        outcome,
        minor
    )
    .fetch_optional(&mut *db)
    .await?)
}

/// Retires the plan's placement of a shared action if it is still at `version`.
pub async fn stop_adopting(
    db: &mut PgConnection,
    plan_id: Uuid,
    committee_id: Uuid,
    action: &SharedAction,
    version: i32,
) -> Result<(), AppError> {
    let done = sqlx::query_scalar!(
        r#"update plan_actions set retired_at = now(), version = version + 1
            where plan_id = $1 and action_id = $2 and retired_at is null and version = $3 returning id"#,
        plan_id,
        action.id,
        version
    )
    .fetch_optional(&mut *db)
    .await?;
    if done.is_none() {
        let now = sqlx::query!(
            r#"select version, local_note, retired_at is not null as "retired!"
                 from plan_actions where plan_id = $1 and action_id = $2"#,
            plan_id,
            action.id
        )
        .fetch_optional(&mut *db)
        .await?
        .ok_or_else(|| AppError::not_found("that action in this plan"))?;
        if now.retired {
            return Err(AppError::Conflict("This plan has already stopped adopting that action.".into()));
        }
        return Err(AppError::Stale(Box::new(StaleEdit {
            current_version: now.version,
            earlier: 0,
            changes: vec![OtherChange {
                by: None,
                at: time::OffsetDateTime::now_utc()
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                fields: vec![ChangedField { label: "Note for this plan".into(), from: None, to: now.local_note }],
            }],
        })));
    }
    audit::record(
        db,
        AuditEvent {
            committee_id: Some(committee_id),
            subgroup_id: None,
            entity: audit::Entity::PlanAction,
            entity_id: Some(action.id),
            operation: audit::Operation::Update,
            summary: format!(
                "Stopped adopting shared action \"{}\"",
                crate::domain::update::excerpt(&action.description)
            ),
            before: Some(serde_json::json!({ "plan_id": plan_id, "retired": false })),
            after: Some(serde_json::json!({ "plan_id": plan_id, "retired": true })),
        },
    )
    .await
}
