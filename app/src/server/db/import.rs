//! Storing a validated plan. The caller owns the transaction: either the whole plan is saved
//! or nothing is.

use crate::domain::leads::lead_mentions;
use crate::domain::plan::PlanState;
use crate::domain::plan_csv::PlanImport;
use crate::error::AppError;
use crate::server::db::audit;
use crate::server::db::audit::{record, AuditEvent};
use sqlx::PgConnection;
use uuid::Uuid;

pub struct NewPlan<'a> {
    pub committee_slug: &'a str,
    pub plan_slug: &'a str,
    pub title: &'a str,
    pub state: PlanState,
    pub is_sample: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub plan_id: Uuid,
    pub priorities: usize,
    pub outcomes: usize,
    pub objectives: usize,
    pub actions: usize,
    pub subgroup_links: usize,
}

/// Creates the plan (or fills an existing empty one) from `plan`. Refuses a plan that already
/// holds actions: an import never overwrites what people have saved.
pub async fn import_plan(
    db: &mut PgConnection,
    new: NewPlan<'_>,
    plan: &PlanImport,
) -> Result<ImportSummary, AppError> {
    let committee = sqlx::query!(r#"select id, region_id from committees where slug = $1"#, new.committee_slug)
        .fetch_optional(&mut *db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("committee \"{}\"", new.committee_slug)))?;

    let existing = sqlx::query!(
        r#"select p.id, (select count(*) from plan_actions pa where pa.plan_id = p.id) as "actions!"
             from plans p where p.committee_id = $1 and p.slug = $2 for update"#,
        committee.id,
        new.plan_slug
    )
    .fetch_optional(&mut *db)
    .await?;
    let plan_id = match existing {
        Some(p) if p.actions > 0 => {
            return Err(AppError::Conflict(format!(
                "Plan {} of {} already holds {} actions. Import into a new or empty plan; nothing was changed.",
                new.plan_slug, new.committee_slug, p.actions
            )))
        }
        Some(p) => p.id,
        None => {
            sqlx::query_scalar!(
                r#"insert into plans (committee_id, slug, title, status, is_sample) values ($1, $2, $3, $4, $5) returning id"#,
                committee.id,
                new.plan_slug,
                new.title,
                new.state.code(),
                new.is_sample
            )
            .fetch_one(&mut *db)
            .await?
        }
    };

    // Ids are made here so the levels can be inserted in bulk, one statement each.
    let mut priorities = (Vec::new(), Vec::new(), Vec::new());
    let mut outcomes = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut objectives = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut actions = ActionColumns::default();
    for (p_index, priority) in plan.priorities.iter().enumerate() {
        let priority_id = Uuid::new_v4();
        priorities.0.push(priority_id);
        priorities.1.push(p_index as i32 + 1);
        priorities.2.push(priority.title.clone());
        for outcome in &priority.outcomes {
            let outcome_id = Uuid::new_v4();
            outcomes.0.push(outcome_id);
            outcomes.1.push(priority_id);
            outcomes.2.push(outcome.number as i32);
            outcomes.3.push(outcome.title.clone());
            for objective in &outcome.objectives {
                let objective_id = Uuid::new_v4();
                objectives.0.push(objective_id);
                objectives.1.push(outcome_id);
                objectives.2.push(objective.number.outcome as i32);
                objectives.3.push(objective.number.minor as i32);
                objectives.4.push(objective.title.clone());
                for (position, action) in objective.actions.iter().enumerate() {
                    actions.id.push(Uuid::new_v4());
                    actions.objective_id.push(objective_id);
                    actions.position.push(position as i32 + 1);
                    actions.description.push(action.description.clone());
                    actions.lead.push(action.lead.clone());
                    actions.timescale.push(action.timescale.clone());
                    actions.evidence.push(action.evidence.clone());
                    actions.progress.push(action.progress.clone());
                    actions.status.push(action.status.map(|s| s.code().to_owned()));
                }
            }
        }
    }

    sqlx::query!(
        r#"insert into priorities (id, plan_id, committee_id, position, title)
           select id, $1, $2, position, title from unnest($3::uuid[], $4::int[], $5::text[]) as t(id, position, title)"#,
        plan_id,
        committee.id,
        &priorities.0,
        &priorities.1,
        &priorities.2
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!(
        r#"insert into outcomes (id, plan_id, committee_id, priority_id, number, title)
           select id, $1, $2, priority_id, number, title
             from unnest($3::uuid[], $4::uuid[], $5::int[], $6::text[]) as t(id, priority_id, number, title)"#,
        plan_id,
        committee.id,
        &outcomes.0,
        &outcomes.1,
        &outcomes.2,
        &outcomes.3
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!(
        r#"insert into objectives (id, plan_id, committee_id, outcome_id, outcome_number, minor, title)
           select id, $1, $2, outcome_id, outcome_number, minor, title
             from unnest($3::uuid[], $4::uuid[], $5::int[], $6::int[], $7::text[]) as t(id, outcome_id, outcome_number, minor, title)"#,
        plan_id,
        committee.id,
        &objectives.0,
        &objectives.1,
        &objectives.2,
        &objectives.3,
        &objectives.4
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!(
        r#"insert into actions (id, owner_committee_id, description, lead, timescale, evidence, progress, status)
           select id, $1, description, lead, timescale, evidence, progress, status
             from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                  as t(id, description, lead, timescale, evidence, progress, status)"#,
        committee.id,
        &actions.id,
        &actions.description,
        &actions.lead,
        &actions.timescale,
        &actions.evidence,
        &actions.progress,
        &actions.status as &[Option<String>]
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!(
        r#"insert into plan_actions (plan_id, committee_id, objective_id, action_id, position)
           select $1, $2, objective_id, action_id, position
             from unnest($3::uuid[], $4::uuid[], $5::int[]) as t(objective_id, action_id, position)"#,
        plan_id,
        committee.id,
        &actions.objective_id,
        &actions.id,
        &actions.position
    )
    .execute(&mut *db)
    .await?;

    let subgroup_links = link_lead_subgroups(db, committee.region_id, &actions.id, &actions.lead).await?;

    record(
        db,
        AuditEvent {
            committee_id: Some(committee.id),
            subgroup_id: None,
            entity: audit::Entity::Plan,
            entity_id: Some(plan_id),
            operation: audit::Operation::Insert,
            summary: format!("Imported plan {} with {} actions", new.plan_slug, actions.id.len()),
            before: None,
            after: Some(serde_json::json!({
                "slug": new.plan_slug,
                "title": new.title,
                "state": new.state.code(),
                "actions": actions.id.len(),
            })),
        },
    )
    .await?;

    Ok(ImportSummary {
        plan_id,
        priorities: priorities.0.len(),
        outcomes: outcomes.0.len(),
        objectives: objectives.0.len(),
        actions: actions.id.len(),
        subgroup_links,
    })
}

#[derive(Default)]
struct ActionColumns {
    id: Vec<Uuid>,
    objective_id: Vec<Uuid>,
    position: Vec<i32>,
    description: Vec<String>,
    lead: Vec<String>,
    timescale: Vec<String>,
    evidence: Vec<String>,
    progress: Vec<String>,
    status: Vec<Option<String>>,
}

/// Links each action to the subgroups of the region that its lead text names.
pub async fn link_lead_subgroups(
    db: &mut PgConnection,
    region_id: Uuid,
    action_ids: &[Uuid],
    leads: &[String],
) -> Result<usize, AppError> {
    let subgroups = sqlx::query!(r#"select id, name, aliases from subgroups where region_id = $1"#, region_id)
        .fetch_all(&mut *db)
        .await?;
    let mut pairs = (Vec::new(), Vec::new());
    for (action_id, lead) in action_ids.iter().zip(leads) {
        for subgroup in &subgroups {
            let mut names = subgroup.aliases.clone();
            names.push(subgroup.name.clone());
            if lead_mentions(lead, &names) {
                pairs.0.push(*action_id);
                pairs.1.push(subgroup.id);
            }
        }
    }
    sqlx::query!(
        r#"insert into action_subgroups (action_id, subgroup_id)
           select * from unnest($1::uuid[], $2::uuid[]) on conflict do nothing"#,
        &pairs.0,
        &pairs.1
    )
    .execute(&mut *db)
    .await?;
    Ok(pairs.0.len())
}
