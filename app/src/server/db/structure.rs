//! A plan's structure as lead officers change it: priorities, outcomes and objectives ("parts")
//! and the plan's own actions. Every change names the version it started from; retiring keeps
//! the row (and the numbering of the others) until the lead officer renumbers.

use crate::domain::structure::{Direction, Part};
use crate::error::{AppError, ChangedField, OtherChange, StaleEdit};
use crate::server::db::audit::{self, AuditEvent};
use sqlx::PgConnection;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

/// The plan a change belongs to.
pub struct PlanRef {
    pub id: Uuid,
    pub committee_id: Uuid,
}

async fn log(
    db: &mut PgConnection,
    plan: &PlanRef,
    entity: audit::Entity,
    id: Uuid,
    operation: audit::Operation,
    summary: String,
) -> Result<(), AppError> {
    audit::record(
        db,
        AuditEvent {
            committee_id: Some(plan.committee_id),
            subgroup_id: None,
            entity,
            entity_id: Some(id),
            operation,
            summary,
            before: None,
            after: None,
        },
    )
    .await
}

/// Who last changed `entity_id`, and when (from the audit trail).
pub async fn last_change(db: &mut PgConnection, entity_id: Uuid) -> Result<(Option<String>, String), AppError> {
    let row = sqlx::query!(
        r#"select pe.display_name as "by?", ae.occurred_at from audit_events ae left join people pe on pe.id = ae.person_id
            where ae.entity_id = $1 order by ae.occurred_at desc limit 1"#,
        entity_id
    )
    .fetch_optional(&mut *db)
    .await?;
    Ok(match row {
        Some(r) => (r.by, r.occurred_at.format(&Rfc3339).unwrap_or_default()),
        None => (None, time::OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default()),
    })
}

/// The refusal of a stale edit of `id`, showing its current wording.
pub async fn stale(db: &mut PgConnection, id: Uuid, version: i32, fields: Vec<ChangedField>) -> AppError {
    match last_change(db, id).await {
        Ok((by, at)) => AppError::Stale(Box::new(StaleEdit {
            current_version: version,
            earlier: 0,
            changes: vec![OtherChange { by, at, fields }],
        })),
        Err(error) => error,
    }
}

struct Current {
    title: String,
    version: i32,
    retired: bool,
}

async fn current(db: &mut PgConnection, part: Part, plan: &PlanRef, id: Uuid) -> Result<Current, AppError> {
    let row = match part {
        Part::Priority => sqlx::query!(
            r#"select title, version, retired_at is not null as "retired!" from priorities where id = $1 and plan_id = $2"#,
            id,
            plan.id
        )
        .fetch_optional(&mut *db)
        .await?
        .map(|r| Current { title: r.title, version: r.version, retired: r.retired }),
        Part::Outcome => sqlx::query!(
            r#"select title, version, retired_at is not null as "retired!" from outcomes where id = $1 and plan_id = $2"#,
            id,
            plan.id
        )
        .fetch_optional(&mut *db)
        .await?
        .map(|r| Current { title: r.title, version: r.version, retired: r.retired }),
        Part::Objective => sqlx::query!(
            r#"select title, version, retired_at is not null as "retired!" from objectives where id = $1 and plan_id = $2"#,
            id,
            plan.id
        )
        .fetch_optional(&mut *db)
        .await?
        .map(|r| Current { title: r.title, version: r.version, retired: r.retired }),
    };
    row.ok_or_else(|| AppError::not_found(format!("that {} in this plan", part.label())))
}

/// After a conditional write matched nothing: not found, already retired, or stale.
async fn refused(db: &mut PgConnection, part: Part, plan: &PlanRef, id: Uuid) -> AppError {
    match current(db, part, plan, id).await {
        Ok(c) if c.retired => AppError::Conflict(format!("That {} has been retired.", part.label())),
        Ok(c) => stale(db, id, c.version, vec![ChangedField { label: "Title".into(), from: None, to: c.title }]).await,
        Err(error) => error,
    }
}

pub async fn rename(
    db: &mut PgConnection,
    plan: &PlanRef,
    part: Part,
    id: Uuid,
    version: i32,
    title: &str,
) -> Result<(), AppError> {
    let done = match part {
        Part::Priority => sqlx::query!(
            "update priorities set title = $4, version = version + 1 where id = $1 and plan_id = $2 and version = $3 and retired_at is null",
            id, plan.id, version, title
        )
        .execute(&mut *db)
        .await?,
        Part::Outcome => sqlx::query!(
            "update outcomes set title = $4, version = version + 1 where id = $1 and plan_id = $2 and version = $3 and retired_at is null",
            id, plan.id, version, title
        )
        .execute(&mut *db)
        .await?,
        Part::Objective => sqlx::query!(
            "update objectives set title = $4, version = version + 1 where id = $1 and plan_id = $2 and version = $3 and retired_at is null",
            id, plan.id, version, title
        )
        .execute(&mut *db)
        .await?,
    }
    .rows_affected();
    if done == 0 {
        return Err(refused(db, part, plan, id).await);
    }
    log(db, plan, part.entity(), id, audit::Operation::Update, format!("Renamed {} to \"{title}\"", part.label())).await
}

pub async fn retire(db: &mut PgConnection, plan: &PlanRef, part: Part, id: Uuid, version: i32) -> Result<(), AppError> {
    let done = match part {
        Part::Priority => sqlx::query!(
            "update priorities set retired_at = now(), version = version + 1 where id = $1 and plan_id = $2 and version = $3 and retired_at is null",
            id, plan.id, version
        )
        .execute(&mut *db)
        .await?,
        Part::Outcome => sqlx::query!(
            "update outcomes set retired_at = now(), version = version + 1 where id = $1 and plan_id = $2 and version = $3 and retired_at is null",
            id, plan.id, version
        )
        .execute(&mut *db)
        .await?,
        Part::Objective => sqlx::query!(
            "update objectives set retired_at = now(), version = version + 1 where id = $1 and plan_id = $2 and version = $3 and retired_at is null",
            id, plan.id, version
        )
        .execute(&mut *db)
        .await?,
    }
    .rows_affected();
    if done == 0 {
        return Err(refused(db, part, plan, id).await);
    }
    log(db, plan, part.entity(), id, audit::Operation::Update, format!("Retired {}", part.label())).await
}

/// Adds a part last under `parent` (the plan for a priority, a priority for an outcome, an
/// outcome for an objective). Outcome numbers run through the whole plan.
pub async fn add(
    db: &mut PgConnection,
    plan: &PlanRef,
    part: Part,
    parent: Option<Uuid>,
    title: &str,
) -> Result<Uuid, AppError> {
    let id = Uuid::new_v4();
    let missing = || AppError::invalid("parent", "Choose where in the plan to add it.");
    let inserted = match part {
        Part::Priority => {
            sqlx::query!(
                r#"insert into priorities (id, plan_id, committee_id, position, title)
               select $1, $2, $3, coalesce(max(position), 0) + 1, $4 from priorities where plan_id = $2"#,
                id,
                plan.id,
                plan.committee_id,
                title
            )
            .execute(&mut *db)
            .await?
        }
        Part::Outcome => {
            sqlx::query!(
                r#"insert into outcomes (id, plan_id, committee_id, priority_id, number, title)
               select $1, $2, $3, pr.id, (select coalesce(max(number), 0) + 1 from outcomes where plan_id = $2), $4
                 from priorities pr where pr.id = $5 and pr.plan_id = $2 and pr.retired_at is null"#,
                id,
                plan.id,
                plan.committee_id,
                title,
                parent.ok_or_else(missing)?
            )
            .execute(&mut *db)
            .await?
        }
        Part::Objective => {
            sqlx::query!(
                r#"insert into objectives (id, plan_id, committee_id, outcome_id, outcome_number, minor, title)
               select $1, $2, $3, o.id, o.number,
                      (select coalesce(max(minor), 0) + 1 from objectives where outcome_id = o.id), $4
                 from outcomes o where o.id = $5 and o.plan_id = $2 and o.retired_at is null"#,
                id,
                plan.id,
                plan.committee_id,
                title,
                parent.ok_or_else(missing)?
            )
            .execute(&mut *db)
            .await?
        }
    }
    .rows_affected();
    if inserted == 0 {
        return Err(missing());
    }
    log(db, plan, part.entity(), id, audit::Operation::Insert, format!("Added {} \"{title}\"", part.label())).await?;
    Ok(id)
}

/// Swaps a part with its live neighbour among its siblings; numbers travel with the place.
pub async fn move_part(
    db: &mut PgConnection,
    plan: &PlanRef,
    part: Part,
    id: Uuid,
    version: i32,
    direction: Direction,
) -> Result<bool, AppError> {
    sqlx::query!("set constraints all deferred").execute(&mut *db).await?;
    let up = direction == Direction::Up;
    let swapped = match part {
        Part::Priority => sqlx::query_scalar!(
            r#"with me as (select id, position from priorities where id = $1 and plan_id = $2 and version = $3 and retired_at is null),
                    other as (select p.id, p.position from priorities p, me
                               where p.plan_id = $2 and p.retired_at is null
                                 and (($4 and p.position < me.position) or (not $4 and p.position > me.position))
                               order by case when $4 then -p.position else p.position end limit 1)
               update priorities t set position = case when t.id = me.id then other.position else me.position end,
                                       version = t.version + 1
                 from me, other where t.id in (me.id, other.id) returning t.id"#,
            id, plan.id, version, up
        )
        .fetch_all(&mut *db)
        .await?,
        Part::Outcome => sqlx::query_scalar!(
            r#"with me as (select id, number, priority_id from outcomes where id = $1 and plan_id = $2 and version = $3 and retired_at is null),
                    other as (select o.id, o.number from outcomes o, me
                               where o.priority_id = me.priority_id and o.retired_at is null
                                 and (($4 and o.number < me.number) or (not $4 and o.number > me.number))
                               order by case when $4 then -o.number else o.number end limit 1)
               update outcomes t set number = case when t.id = me.id then other.number else me.number end,
                                     version = t.version + 1
                 from me, other where t.id in (me.id, other.id) returning t.id"#,
            id, plan.id, version, up
        )
        .fetch_all(&mut *db)
        .await?,
        Part::Objective => sqlx::query_scalar!(
            r#"with me as (select id, minor, outcome_id from objectives where id = $1 and plan_id = $2 and version = $3 and retired_at is null),
                    other as (select o.id, o.minor from objectives o, me
                               where o.outcome_id = me.outcome_id and o.retired_at is null
                                 and (($4 and o.minor < me.minor) or (not $4 and o.minor > me.minor))
                               order by case when $4 then -o.minor else o.minor end limit 1)
               update objectives t set minor = case when t.id = me.id then other.minor else me.minor end,
                                       version = t.version + 1
                 from me, other where t.id in (me.id, other.id) returning t.id"#,
            id, plan.id, version, up
        )
        .fetch_all(&mut *db)
        .await?,
    };
    if swapped.is_empty() {
        let now = current(db, part, plan, id).await?;
        if now.version != version || now.retired {
            return Err(refused(db, part, plan, id).await);
        }
        // Already first or last: nothing to do.
        return Ok(false);
    }
    log(db, plan, part.entity(), id, audit::Operation::Update, format!("Moved {} {}", part.label(), direction.label()))
        .await?;
    Ok(true)
}

/// Closes the gaps retiring left: live priorities, outcomes, objectives and actions are numbered
/// 1, 2, 3… in their current order; retired ones keep places after them.
pub async fn renumber(db: &mut PgConnection, plan: &PlanRef) -> Result<(), AppError> {
    sqlx::query!("set constraints all deferred").execute(&mut *db).await?;
    sqlx::query!(
        r#"with ranked as (
               select id, row_number() over (order by retired_at is not null, position)::int as n from priorities where plan_id = $1)
           update priorities p set position = ranked.n, version = p.version + 1 from ranked where p.id = ranked.id and p.position <> ranked.n"#,
        plan.id
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!(
        r#"with ranked as (
               select o.id, row_number() over (order by (o.retired_at is not null or pr.retired_at is not null), pr.position, o.number)::int as n
                 from outcomes o join priorities pr on pr.id = o.priority_id where o.plan_id = $1)
           update outcomes o set number = ranked.n, version = o.version + 1 from ranked where o.id = ranked.id and o.number <> ranked.n"#,
        plan.id
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!(
        r#"with ranked as (
               select id, row_number() over (partition by outcome_id order by retired_at is not null, minor)::int as n
                 from objectives where plan_id = $1)
           update objectives o set minor = ranked.n, version = o.version + 1 from ranked where o.id = ranked.id and o.minor <> ranked.n"#,
        plan.id
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!(
        r#"with ranked as (
               select id, row_number() over (partition by objective_id order by retired_at is not null, position)::int as n
                 from plan_actions where plan_id = $1)
           update plan_actions pa set position = ranked.n, version = pa.version + 1 from ranked where pa.id = ranked.id and pa.position <> ranked.n"#,
        plan.id
    )
    .execute(&mut *db)
    .await?;
    log(db, plan, audit::Entity::Plan, plan.id, audit::Operation::Update, "Renumbered the plan".into()).await
}

/// Every live part of the plan with ids and versions, for the editing page, in two queries.
pub async fn editor(
    db: &mut PgConnection,
    plan: &PlanRef,
) -> Result<Vec<crate::domain::views::EditPriority>, AppError> {
    use crate::domain::views::{EditAction, EditObjective, EditOutcome, EditPriority};
    let parts = sqlx::query!(
        r#"select pr.id as pr_id, pr.version as pr_version, pr.position, pr.title as pr_title,
                  o.id as "o_id?", o.version as "o_version?", o.number as "o_number?", o.title as "o_title?",
                  ob.id as "ob_id?", ob.version as "ob_version?", ob.minor as "ob_minor?", ob.title as "ob_title?"
             from priorities pr
             left join outcomes o on o.priority_id = pr.id and o.retired_at is null
             left join objectives ob on ob.outcome_id = o.id and ob.retired_at is null
            where pr.plan_id = $1 and pr.retired_at is null
            order by pr.position, o.number, ob.minor"#,
        plan.id
    )
    .fetch_all(&mut *db)
    .await?;
    let actions = sqlx::query!(
        r#"select pa.objective_id, pa.position, pa.version as placement_version, a.id, a.description, a.lead, a.timescale,
                  a.evidence, a.version, s.short_name as "shared_by?"
             from plan_actions pa join actions a on a.id = pa.action_id left join subgroups s on s.id = a.owner_subgroup_id
            where pa.plan_id = $1 and pa.retired_at is null
            order by pa.objective_id, pa.position"#,
        plan.id
    )
    .fetch_all(&mut *db)
    .await?;
    let mut priorities: Vec<EditPriority> = Vec::new();
    for r in parts {
        if priorities.last().is_none_or(|p| p.id != r.pr_id) {
            priorities.push(EditPriority {
                id: r.pr_id,
                version: r.pr_version,
                position: r.position,
                title: r.pr_title,
                outcomes: Vec::new(),
            });
        }
        let priority = priorities.last_mut().expect("pushed above");
        let (Some(o_id), Some(o_version), Some(o_number), Some(o_title)) = (r.o_id, r.o_version, r.o_number, r.o_title)
        else {
            continue;
        };
        if priority.outcomes.last().is_none_or(|o| o.id != o_id) {
            priority.outcomes.push(EditOutcome {
                id: o_id,
                version: o_version,
                number: o_number,
                title: o_title,
                objectives: Vec::new(),
            });
        }
        let outcome = priority.outcomes.last_mut().expect("pushed above");
        let (Some(ob_id), Some(ob_version), Some(minor), Some(ob_title)) =
            (r.ob_id, r.ob_version, r.ob_minor, r.ob_title)
        else {
            continue;
        };
        let number = format!("{o_number}.{minor}");
        let mine = actions
            .iter()
            .filter(|a| a.objective_id == ob_id)
            .map(|a| EditAction {
                id: a.id,
                reference: format!("{number}.{}", a.position),
                description: a.description.clone(),
                lead: a.lead.clone(),
                timescale: a.timescale.clone(),
                evidence: a.evidence.clone(),
                version: a.version,
                placement_version: a.placement_version,
                shared_by: a.shared_by.clone(),
            })
            .collect();
        outcome.objectives.push(EditObjective {
            id: ob_id,
            version: ob_version,
            number,
            title: ob_title,
            actions: mine,
        });
    }
    Ok(priorities)
}
