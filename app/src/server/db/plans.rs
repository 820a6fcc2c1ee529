//! Reading a committee's plan: published plans for everyone, every plan of a committee for its
//! members (the same rule row-level security enforces underneath), and publishing.

use crate::domain::numbering::{action_ref, ObjectiveNumber};
use crate::domain::plan::PlanState;
use crate::domain::status::Status;
use crate::domain::views::{ActionRow, CommitteeRef, ObjectiveView, OutcomeView, PlanView, PriorityView, SubgroupRef};
use crate::error::AppError;
use crate::server::auth::viewer::Access;
use crate::server::db::audit;
use sqlx::PgExecutor;
use uuid::Uuid;

pub struct PlanHeader {
    pub id: Uuid,
    pub committee_id: Uuid,
    pub committee: CommitteeRef,
    pub committee_is_sample: bool,
    pub slug: String,
    pub title: String,
    pub state: PlanState,
    pub is_sample: bool,
}

/// The plan `plan_slug` of committee `committee_slug`, if the reader may see it.
pub async fn find_plan(
    db: impl PgExecutor<'_>,
    access: &Access,
    committee_slug: &str,
    plan_slug: &str,
) -> Result<Option<PlanHeader>, AppError> {
    let row = sqlx::query!(
        r#"select p.id, p.committee_id, c.slug as committee_slug, c.name as committee_name,
                  c.short_name as committee_short_name, c.is_sample as committee_is_sample,
                  p.slug, p.title, p.status, p.is_sample
             from plans p
             join committees c on c.id = p.committee_id
            where c.slug = $1 and p.slug = $2 and (p.status = 'published' or p.committee_id = any($3))"#,
        committee_slug,
        plan_slug,
        &access.committees
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| PlanHeader {
        id: r.id,
        committee_id: r.committee_id,
        committee: CommitteeRef { slug: r.committee_slug, name: r.committee_name, short_name: r.committee_short_name },
        committee_is_sample: r.committee_is_sample,
        slug: r.slug,
        title: r.title,
        state: PlanState::stored(&r.status),
        is_sample: r.is_sample,
    }))
}

pub(crate) fn parse_status(code: Option<String>) -> Option<Status> {
    // The column's check constraint admits only the four codes.
    code.and_then(|c| Status::parse(&c).ok())
}

pub(crate) fn subgroup_refs(slugs: Vec<String>, names: Vec<String>, short_names: Vec<String>) -> Vec<SubgroupRef> {
    slugs
        .into_iter()
        .zip(names)
        .zip(short_names)
        .map(|((slug, name), short_name)| SubgroupRef { slug, name, short_name })
        .collect()
}

/// A committee's plan, whole, or `None` when there is no such plan the reader may see.
pub async fn load_readable_plan(
    db: &mut sqlx::PgConnection,
    access: &Access,
    committee_slug: &str,
    plan_slug: &str,
) -> Result<Option<PlanView>, AppError> {
    match find_plan(&mut *db, access, committee_slug, plan_slug).await? {
        Some(header) => load_plan(db, header).await.map(Some),
        None => Ok(None),
    }
}

/// The whole plan, priorities → outcomes → objectives → actions, in three queries.
pub async fn load_plan(db: &mut sqlx::PgConnection, header: PlanHeader) -> Result<PlanView, AppError> {
    let reviews = crate::server::db::reviews::list(db, header.id).await?;

    let structure = sqlx::query!(
        r#"select pr.id as "priority_id!", pr.position as "priority_position!", pr.title as "priority_title!",
                  o.id as "outcome_id!", o.number as "outcome_number!", o.title as "outcome_title!",
                  ob.id as "objective_id!", ob.minor as "objective_minor!", ob.title as "objective_title!"
             from objectives ob
             join outcomes o on o.id = ob.outcome_id
             join priorities pr on pr.id = o.priority_id
            where ob.plan_id = $1 and ob.committee_id = $2
              and ob.retired_at is null and o.retired_at is null and pr.retired_at is null
            order by pr.position, o.number, ob.minor"#,
        header.id,
        header.committee_id
    )
    .fetch_all(&mut *db)
    .await?;

    let actions = sqlx::query!(
        r#"select pa.objective_id, pa.position, pa.local_note,
                  a.id, a.version, a.description, a.lead, a.timescale, a.revised_timescale, a.evidence, a.progress,
                  a.status::text as status, a.owner_committee_id, a.owner_subgroup_id,
                  os.slug as "owner_slug?", os.name as "owner_name?", os.short_name as "owner_short_name?",
                  coalesce(ls.slugs, '{}') as "lead_slugs!", coalesce(ls.names, '{}') as "lead_names!",
                  coalesce(ls.short_names, '{}') as "lead_short_names!"
             from plan_actions pa
             join actions a on a.id = pa.action_id
             left join subgroups os on os.id = a.owner_subgroup_id
             left join lateral (
                   select array_agg(s.slug order by s.name) as slugs, array_agg(s.name order by s.name) as names,
                          array_agg(s.short_name order by s.name) as short_names
                     from action_subgroups asg
                     join subgroups s on s.id = asg.subgroup_id
                    where asg.action_id = a.id and s.id is distinct from a.owner_subgroup_id
                  ) ls on true
            where pa.plan_id = $1 and pa.committee_id = $2 and pa.retired_at is null
            order by pa.objective_id, pa.position"#,
        header.id,
        header.committee_id
    )
    .fetch_all(&mut *db)
    .await?;

    let mut by_objective: std::collections::HashMap<Uuid, Vec<ActionRow>> = std::collections::HashMap::new();
    let mut objective_numbers = std::collections::HashMap::new();
    for s in &structure {
        objective_numbers.insert(
            s.objective_id,
            ObjectiveNumber { outcome: s.outcome_number as u32, minor: s.objective_minor as u32 },
        );
    }
    for a in actions {
        let Some(number) = objective_numbers.get(&a.objective_id) else { continue };
        let owner_subgroup = match (a.owner_slug, a.owner_name, a.owner_short_name) {
            (Some(slug), Some(name), Some(short_name)) => Some(SubgroupRef { slug, name, short_name }),
            _ => None,
        };
        by_objective.entry(a.objective_id).or_default().push(ActionRow {
            id: a.id,
            version: a.version,
            reference: action_ref(*number, a.position as u32),
            description: a.description,
            lead: a.lead,
            timescale: a.timescale,
            revised_timescale: a.revised_timescale,
            evidence: a.evidence,
            progress: a.progress,
            status: parse_status(a.status),
            owner_subgroup,
            lead_subgroups: subgroup_refs(a.lead_slugs, a.lead_names, a.lead_short_names),
            local_note: a.local_note,
            can_update: false,
            owner_ids: (a.owner_committee_id, a.owner_subgroup_id),
        });
    }

    let mut priorities: Vec<PriorityView> = Vec::new();
    let mut subgroups: Vec<SubgroupRef> = Vec::new();
    for s in structure {
        if priorities.last().is_none_or(|p| p.position != s.priority_position as u32) {
            priorities.push(PriorityView {
                position: s.priority_position as u32,
                title: s.priority_title,
                outcomes: Vec::new(),
            });
        }
        let priority = priorities.last_mut().expect("pushed above");
        if priority.outcomes.last().is_none_or(|o| o.number != s.outcome_number as u32) {
            priority.outcomes.push(OutcomeView {
                number: s.outcome_number as u32,
                title: s.outcome_title,
                objectives: Vec::new(),
            });
        }
        let outcome = priority.outcomes.last_mut().expect("pushed above");
        let actions = by_objective.remove(&s.objective_id).unwrap_or_default();
        for sg in actions.iter().flat_map(ActionRow::subgroups) {
            if !subgroups.iter().any(|known| known.slug == sg.slug) {
                subgroups.push(sg.clone());
            }
        }
        outcome.objectives.push(ObjectiveView {
            number: objective_numbers[&s.objective_id],
            title: s.objective_title,
            actions,
        });
    }
    subgroups.sort_by(|a, b| a.name.cmp(&b.name));

    Ok(PlanView {
        id: header.id,
        committee: header.committee,
        committee_is_sample: header.committee_is_sample,
        slug: header.slug,
        title: header.title,
        state: header.state,
        is_sample: header.is_sample,
        can_edit: false,
        reviews,
        priorities,
        subgroups,
    })
}

/// Publishes the plan, with its audit event (the database announces the change).
pub async fn publish(db: &mut sqlx::PgConnection, plan: &PlanHeader) -> Result<(), AppError> {
    let changed = sqlx::query!(
        r#"update plans set status = 'published', version = version + 1, updated_at = now()
            where id = $1 and committee_id = $2 and status <> 'published'"#,
        plan.id,
        plan.committee_id
    )
    .execute(&mut *db)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(AppError::Conflict(format!(
            "{} changed while you were publishing it; reload and try again.",
            plan.title
        )));
    }
    audit::record(
        db,
        audit::AuditEvent {
            committee_id: Some(plan.committee_id),
            subgroup_id: None,
            entity: audit::Entity::Plan,
            entity_id: Some(plan.id),
            operation: audit::Operation::Update,
            summary: format!("Published plan {}", plan.title),
            before: Some(serde_json::json!({ "status": plan.state.code() })),
            after: Some(serde_json::json!({ "status": "published" })),
        },
    )
    .await
}
