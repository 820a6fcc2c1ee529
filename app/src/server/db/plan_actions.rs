//! A committee's own actions as its lead officers shape them: adding one under an objective,
//! re-wording it, moving it within its objective and retiring it from the plan.

use crate::domain::structure::Direction;
use crate::domain::update::{excerpt, ActionWording};
use crate::error::{AppError, ChangedField};
use crate::server::db::audit::{self, AuditEvent};
use crate::server::db::structure::{stale, PlanRef};
use sqlx::PgConnection;
use uuid::Uuid;

/// Adds a committee-owned action last under the plan's objective; returns its position.
pub async fn add(
    db: &mut PgConnection,
    plan: &PlanRef,
    objective: Uuid,
    wording: &ActionWording,
) -> Result<i32, AppError> {
    let live = sqlx::query_scalar!(
        r#"select count(*) as "n!" from objectives where id = $1 and plan_id = $2 and retired_at is null"#,
        objective,
        plan.id
    )
    .fetch_one(&mut *db)
    .await?;
    if live == 0 {
        return Err(AppError::invalid("objective", "Choose an objective of this plan."));
    }
    let id = Uuid::new_v4();
    sqlx::query!(
        r#"insert into actions (id, owner_committee_id, description, lead, timescale, evidence) values ($1, $2, $3, $4, $5, $6)"#,
        id,
        plan.committee_id,
        wording.description,
        wording.lead,
        wording.timescale,
        wording.evidence
    )
    .execute(&mut *db)
    .await?;
    let position = sqlx::query_scalar!(
        r#"insert into plan_actions (plan_id, committee_id, objective_id, action_id, position)
           select $1, $2, $3, $4, coalesce(max(position), 0) + 1 from plan_actions where objective_id = $3
           returning position"#,
        plan.id,
        plan.committee_id,
        objective,
        id
    )
    .fetch_one(&mut *db)
    .await?;
    audit::record(
        db,
        AuditEvent {
            committee_id: Some(plan.committee_id),
            subgroup_id: None,
            entity: audit::Entity::Action,
            entity_id: Some(id),
            operation: audit::Operation::Insert,
            summary: format!("Added action \"{}\"", excerpt(&wording.description)),
            before: None,
            after: Some(serde_json::json!({ "description": wording.description, "lead": wording.lead, "timescale": wording.timescale })),
        },
    )
    .await?;
    Ok(position)
}

/// Re-words a committee-owned action of the plan if it is still at `version`.
pub async fn reword(
    db: &mut PgConnection,
    plan: &PlanRef,
    action: Uuid,
    version: i32,
    wording: &ActionWording,
) -> Result<(), AppError> {
    let before = sqlx::query!(
        r#"select a.description, a.lead, a.timescale, a.evidence, a.version from actions a
             join plan_actions pa on pa.action_id = a.id and pa.plan_id = $2 and pa.retired_at is null
            where a.id = $1 and a.owner_committee_id = $3"#,
        action,
        plan.id,
        plan.committee_id
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or_else(|| AppError::not_found("that action among this committee's own actions in the plan"))?;
    let done = sqlx::query!(
        r#"update actions set description = $3, lead = $4, timescale = $5, evidence = $6, version = version + 1, updated_at = now()
            where id = $1 and version = $2"#,
        action,
        version,
        wording.description,
        wording.lead,
        wording.timescale,
        wording.evidence
    )
    .execute(&mut *db)
    .await?
    .rows_affected();
    if done == 0 {
        let fields = vec![
            ChangedField { label: "Action".into(), from: None, to: before.description },
            ChangedField { label: "Lead & key people".into(), from: None, to: before.lead },
            ChangedField { label: "Timescale".into(), from: None, to: before.timescale },
            ChangedField { label: "Evidence".into(), from: None, to: before.evidence },
        ];
        return Err(stale(db, action, before.version, fields).await);
    }
    audit::record(
        db,
        AuditEvent {
            committee_id: Some(plan.committee_id),
            subgroup_id: None,
            entity: audit::Entity::Action,
            entity_id: Some(action),
            operation: audit::Operation::Update,
            summary: format!("Re-worded action \"{}\"", excerpt(&wording.description)),
            before: Some(serde_json::json!({ "description": before.description, "lead": before.lead, "timescale": before.timescale, "evidence": before.evidence })),
            after: Some(serde_json::json!({ "description": wording.description, "lead": wording.lead, "timescale": wording.timescale, "evidence": wording.evidence })),
        },
    )
    .await
}

struct Placement {
    id: Uuid,
    version: i32,
    retired: bool,
    shared: bool,
}

async fn placement(db: &mut PgConnection, plan: &PlanRef, action: Uuid) -> Result<Placement, AppError> {
    sqlx::query!(
        r#"select pa.id, pa.version, pa.retired_at is not null as "retired!", a.owner_subgroup_id is not null as "shared!"
             from plan_actions pa join actions a on a.id = pa.action_id where pa.plan_id = $1 and pa.action_id = $2"#,
        plan.id,
        action
    )
    .fetch_optional(&mut *db)
    .await?
    .map(|r| Placement { id: r.id, version: r.version, retired: r.retired, shared: r.shared })
    .ok_or_else(|| AppError::not_found("that action in this plan"))
}

async fn placement_refused(db: &mut PgConnection, p: &Placement) -> AppError {
    if p.retired {
        return AppError::Conflict("That action has been retired from this plan.".into());
    }
    let fields = vec![ChangedField {
        label: "Place in the plan".into(),
        from: None,
        to: "moved or re-noted since you loaded the page".into(),
    }];
    stale(db, p.id, p.version, fields).await
}

/// Retires the committee's own action from the plan: it leaves the plan's pages and count, its
/// history and number stay until the plan is renumbered. Shared actions are stopped instead.
pub async fn retire(db: &mut PgConnection, plan: &PlanRef, action: Uuid, version: i32) -> Result<(), AppError> {
    let p = placement(db, plan, action).await?;
    if p.shared {
        return Err(AppError::Conflict("A shared action is not retired here: stop adopting it instead.".into()));
    }
    let done = sqlx::query!(
        "update plan_actions set retired_at = now(), version = version + 1 where id = $1 and version = $2 and retired_at is null",
        p.id,
        version
    )
    .execute(&mut *db)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(placement_refused(db, &p).await);
    }
    audit::record(
        db,
        AuditEvent {
            committee_id: Some(plan.committee_id),
            subgroup_id: None,
            entity: audit::Entity::PlanAction,
            entity_id: Some(action),
            operation: audit::Operation::Update,
            summary: "Retired action from the plan".into(),
            before: Some(serde_json::json!({ "retired": false })),
            after: Some(serde_json::json!({ "retired": true })),
        },
    )
    .await
}

/// Swaps the action with its live neighbour under the same objective.
pub async fn move_action(
    db: &mut PgConnection,
    plan: &PlanRef,
    action: Uuid,
    version: i32,
    direction: Direction,
) -> Result<bool, AppError> {
    let p = placement(db, plan, action).await?;
    sqlx::query!("set constraints all deferred").execute(&mut *db).await?;
    let up = direction == Direction::Up;
    let swapped = sqlx::query_scalar!(
        r#"with me as (select id, position, objective_id from plan_actions where id = $1 and version = $2 and retired_at is null),
                other as (select pa.id, pa.position from plan_actions pa, me
                           where pa.objective_id = me.objective_id and pa.retired_at is null
                             and (($3 and pa.position < me.position) or (not $3 and pa.position > me.position))
                           order by case when $3 then -pa.position else pa.position end limit 1)
           update plan_actions t set position = case when t.id = me.id then other.position else me.position end,
                                     version = t.version + 1
             from me, other where t.id in (me.id, other.id) returning t.id"#,
        p.id,
        version,
        up
    )
    .fetch_all(&mut *db)
    .await?;
    if swapped.is_empty() {
        if p.version != version || p.retired {
            return Err(placement_refused(db, &p).await);
        }
        return Ok(false);
    }
    audit::record(
        db,
        AuditEvent {
            committee_id: Some(plan.committee_id),
            subgroup_id: None,
            entity: audit::Entity::PlanAction,
            entity_id: Some(action),
            operation: audit::Operation::Update,
            summary: format!("Moved action {}", direction.label()),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(true)
}
