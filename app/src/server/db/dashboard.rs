//! The rows dashboards are built from (`domain::dashboard`): a committee's plans, a subgroup's
//! shared actions, their recorded status changes and reviews. A few queries per dashboard,
//! whatever the number of plans or actions.

use super::plans::parse_status;
use crate::domain::dashboard::{build, Dashboard, DashboardAction, PlanDashboard, StatusChange};
use crate::domain::links::{action_href, plan_href};
use crate::domain::numbering::{action_ref, ObjectiveNumber};
use crate::domain::plan::PlanState;
use crate::error::AppError;
use crate::server::auth::viewer::Access;
use sqlx::PgConnection;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

/// Where a placed action stands: its objective's number, its reference ("1.6.1") and its
/// outcome as dashboards group it ("Outcome 1: …").
pub(crate) fn placement(
    outcome_number: i32,
    minor: i32,
    position: i32,
    outcome_title: &str,
) -> (ObjectiveNumber, String, String) {
    let number = ObjectiveNumber { outcome: outcome_number as u32, minor: minor as u32 };
    let outcome = if outcome_title.is_empty() {
        format!("Outcome {outcome_number}")
    } else {
        format!("Outcome {outcome_number}: {outcome_title}")
    };
    (number, action_ref(number, position as u32), outcome)
}

/// A timestamp as the view models carry it.
pub(crate) fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// An action placed in a plan (not retired), with what dashboards and reports show of it.
pub(crate) struct PlacedAction {
    pub plan_id: Uuid,
    pub id: Uuid,
    pub version: i32,
    pub position: i32,
    pub minor: i32,
    pub outcome_number: i32,
    pub outcome_title: String,
    pub objective_title: String,
    pub priority_title: String,
    pub description: String,
    pub lead: String,
    pub evidence: String,
    pub status: Option<String>,
    pub progress: String,
    pub timescale: String,
    pub revised_timescale: Option<String>,
    pub revision_reason: Option<String>,
    pub updated_at: time::OffsetDateTime,
}

impl PlacedAction {
    /// As a dashboard row of plan `plan` of committee `committee`.
    pub(crate) fn dashboard_action(&self, committee: &str, plan: &str) -> DashboardAction {
        let (_, reference, outcome) = placement(self.outcome_number, self.minor, self.position, &self.outcome_title);
        DashboardAction {
            id: self.id,
            version: self.version,
            reference,
            href: action_href(committee, plan, &self.id),
            description: self.description.clone(),
            status: parse_status(self.status.clone()),
            progress: self.progress.clone(),
            timescale: self.timescale.clone(),
            revised_timescale: self.revised_timescale.clone(),
            revision_reason: self.revision_reason.clone(),
            updated_at: rfc3339(self.updated_at),
            group: self.priority_title.clone(),
            subgroup: Some(outcome),
        }
    }

    /// Its objective as reports name it: "1.2 Members know their role".
    pub(crate) fn objective(&self) -> String {
        let (number, _, _) = placement(self.outcome_number, self.minor, self.position, &self.outcome_title);
        format!("{number} {}", self.objective_title)
    }
}

/// The actions placed in plans `ids`, in plan order: one statement, whatever the number.
pub(crate) async fn placed_actions(db: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<PlacedAction>, AppError> {
    Ok(sqlx::query_as!(
        PlacedAction,
        r#"select pa.plan_id, a.id, a.version, pa.position, ob.minor, o.number as outcome_number, o.title as outcome_title,
                  ob.title as objective_title, pr.title as priority_title, a.description, a.lead, a.evidence,
                  a.status::text as status, a.progress, a.timescale, a.revised_timescale, a.revision_reason, a.updated_at
             from plan_actions pa
             join objectives ob on ob.id = pa.objective_id
             join outcomes o on o.id = ob.outcome_id
             join priorities pr on pr.id = o.priority_id
             join actions a on a.id = pa.action_id
            where pa.plan_id = any($1) and pa.retired_at is null
            order by pr.position, o.number, ob.minor, pa.position"#,
        ids
    )
    .fetch_all(&mut *db)
    .await?)
}

fn status_change(action: Uuid, at: time::OffsetDateTime, from: Option<String>, to: Option<String>) -> StatusChange {
    StatusChange { action, at: rfc3339(at), from: parse_status(from), to: parse_status(to) }
}

async fn today(db: &mut PgConnection) -> Result<String, AppError> {
    Ok(sqlx::query_scalar!(r#"select current_date::text as "today!""#).fetch_one(&mut *db).await?)
}

/// The dashboards of committee `slug`'s plans the reader may see (published ones for
/// everyone, drafts and archived ones for its members), newest first.
pub async fn committee_dashboards(
    db: &mut PgConnection,
    access: &Access,
    slug: &str,
) -> Result<Vec<PlanDashboard>, AppError> {
    let plans = sqlx::query!(
        r#"select p.id, p.slug, p.title, p.status, c.slug as committee,
                  (select max(r.reviewed_on) from plan_reviews r where r.plan_id = p.id)::text as last_review
             from plans p join committees c on c.id = p.committee_id
            where c.slug = $1 and (p.status = 'published' or p.committee_id = any($2))
            order by (p.status = 'published') desc, p.slug desc"#,
        slug,
        &access.committees
    )
    .fetch_all(&mut *db)
    .await?;
    let ids: Vec<Uuid> = plans.iter().map(|p| p.id).collect();
    let actions = placed_actions(db, &ids).await?;
    let changes = sqlx::query!(
        r#"select pa.plan_id, su.action_id, su.created_at, su.from_status::text as from_status,
                  su.to_status::text as to_status
             from status_updates su join plan_actions pa on pa.action_id = su.action_id
            where pa.plan_id = any($1) and pa.retired_at is null
              and su.from_status is distinct from su.to_status"#,
        &ids
    )
    .fetch_all(&mut *db)
    .await?;
    let today = today(db).await?;
    Ok(plans
        .into_iter()
        .map(|p| {
            let rows = actions
                .iter()
                .filter(|a| a.plan_id == p.id)
                .map(|a| a.dashboard_action(&p.committee, &p.slug))
                .collect();
            let history = changes
                .iter()
                .filter(|c| c.plan_id == p.id)
                .map(|c| status_change(c.action_id, c.created_at, c.from_status.clone(), c.to_status.clone()))
                .collect();
            PlanDashboard {
                plan_id: p.id,
                href: plan_href(&p.committee, &p.slug),
                title: p.title,
                state: PlanState::stored(&p.status),
                dashboard: build(rows, history, p.last_review, &today),
            }
        })
        .collect())
}

/// The dashboard of subgroup `slug`'s shared actions, across every committee that adopts
/// them (as far as the reader may see those plans), grouped by who adopts them.
pub async fn subgroup_dashboard(db: &mut PgConnection, access: &Access, slug: &str) -> Result<Dashboard, AppError> {
    let actions = sqlx::query!(
        r#"select a.id, a.version, a.description, a.status::text as status, a.progress, a.timescale,
                  a.revised_timescale, a.revision_reason, a.updated_at,
                  coalesce(array_agg(c.short_name order by c.short_name) filter (where c.id is not null), '{}')
                      as "adopters!",
                  (array_agg(c.slug order by c.slug) filter (where c.id is not null))[1] as first_committee,
                  (array_agg(p.slug order by c.slug) filter (where c.id is not null))[1] as first_plan
             from actions a
             join subgroups s on s.id = a.owner_subgroup_id
             left join plan_actions pa on pa.action_id = a.id and pa.retired_at is null
             left join plans p on p.id = pa.plan_id and (p.status = 'published' or p.committee_id = any($2))
             left join committees c on c.id = p.committee_id
            where s.slug = $1
            group by a.id
            order by a.created_at, a.id"#,
        slug,
        &access.committees
    )
    .fetch_all(&mut *db)
    .await?;
    let ids: Vec<Uuid> = actions.iter().map(|a| a.id).collect();
    let changes = sqlx::query!(
        r#"select su.action_id, su.created_at, su.from_status::text as from_status, su.to_status::text as to_status
             from status_updates su
            where su.action_id = any($1) and su.from_status is distinct from su.to_status"#,
        &ids
    )
    .fetch_all(&mut *db)
    .await?;
    let today = today(db).await?;
    let rows = actions
        .into_iter()
        .map(|a| {
            let adopters = if a.adopters.is_empty() { "Not adopted yet".to_owned() } else { a.adopters.join(", ") };
            DashboardAction {
                id: a.id,
                version: a.version,
                href: match (&a.first_committee, &a.first_plan) {
                    (Some(c), Some(p)) => action_href(c, p, &a.id),
                    _ => format!("/subgroups/{slug}"),
                },
                reference: adopters.clone(),
                description: a.description,
                status: parse_status(a.status),
                progress: a.progress,
                timescale: a.timescale,
                revised_timescale: a.revised_timescale,
                revision_reason: a.revision_reason,
                updated_at: rfc3339(a.updated_at),
                group: adopters,
                subgroup: None,
            }
        })
        .collect();
    let history =
        changes.into_iter().map(|c| status_change(c.action_id, c.created_at, c.from_status, c.to_status)).collect();
    Ok(build(rows, history, None, &today))
}
