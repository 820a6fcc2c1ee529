//! What the Forth Valley report is made of (`domain::regional`): the region's committees and
//! their published plans' actions, the subgroups' shared actions with every published plan
//! that adopts them, the protocols' ratifications, and the open risks of the subgroup
//! registers the reader may see. A fixed number of statements, whatever the size.

use super::dashboard::{placed_actions, placement, rfc3339};
use super::plans::parse_status;
use crate::domain::links::{action_href, plan_href};
use crate::domain::regional::{Adoption, GatheredPlan, ProtocolStanding, SharedActionStatus};
use crate::domain::report::ReportAction;
use crate::domain::risk::RiskRow;
use crate::domain::views::CommitteeRef;
use crate::error::AppError;
use sqlx::PgConnection;
use uuid::Uuid;

pub async fn committees(db: &mut PgConnection, region_id: Uuid) -> Result<Vec<CommitteeRef>, AppError> {
    let rows =
        sqlx::query!(r#"select slug, name, short_name from committees where region_id = $1 order by name"#, region_id)
            .fetch_all(&mut *db)
            .await?;
    Ok(rows.into_iter().map(|r| CommitteeRef { slug: r.slug, name: r.name, short_name: r.short_name }).collect())
}

/// Every published plan of the region's committees, with its actions in plan order.
pub async fn published_plans(db: &mut PgConnection, region_id: Uuid) -> Result<Vec<GatheredPlan>, AppError> {
    let plans = sqlx::query!(
        r#"select p.id, p.slug, p.title, c.slug as committee_slug, c.name as committee_name,
                  c.short_name as committee_short_name,
                  (select max(r.reviewed_on) from plan_reviews r where r.plan_id = p.id)::text as last_review
             from plans p join committees c on c.id = p.committee_id
            where c.region_id = $1 and p.status = 'published'
            order by c.name, p.slug desc"#,
        region_id
    )
    .fetch_all(&mut *db)
    .await?;
    let ids: Vec<Uuid> = plans.iter().map(|p| p.id).collect();
    let actions = placed_actions(db, &ids).await?;
    Ok(plans
        .into_iter()
        .map(|p| GatheredPlan {
            actions: actions
                .iter()
                .filter(|a| a.plan_id == p.id)
                .map(|a| ReportAction {
                    action: a.dashboard_action(&p.committee_slug, &p.slug),
                    objective: a.objective(),
                    lead: a.lead.clone(),
                    evidence: a.evidence.clone(),
                    original_timescale: a.timescale.clone(),
                    timescale_moves: 0,
                })
                .collect(),
            href: plan_href(&p.committee_slug, &p.slug),
            committee: CommitteeRef {
                slug: p.committee_slug,
                name: p.committee_name,
                short_name: p.committee_short_name,
            },
            slug: p.slug,
            title: p.title,
            last_review: p.last_review,
        })
        .collect())
}

/// The region's subgroups' shared actions, each with every published plan that adopts it.
pub async fn shared_actions(db: &mut PgConnection, region_id: Uuid) -> Result<Vec<SharedActionStatus>, AppError> {
    let rows = sqlx::query!(
        r#"select a.id, s.slug as subgroup_slug, s.name as subgroup_name, a.description, a.status::text as status,
                  a.timescale, a.revised_timescale, a.revision_reason, a.updated_at,
                  ad.committee_slug as "committee_slug?", ad.committee as "committee?", ad.plan_slug as "plan_slug?",
                  ad.outcome_number as "outcome_number?", ad.minor as "minor?", ad.position as "position?"
             from actions a
             join subgroups s on s.id = a.owner_subgroup_id
             left join lateral (
                   select c.slug as committee_slug, c.short_name as committee, p.slug as plan_slug,
                          o.number as outcome_number, ob.minor, pa.position, c.name as committee_name
                     from plan_actions pa
                     join plans p on p.id = pa.plan_id and p.status = 'published'
                     join committees c on c.id = p.committee_id
                     join objectives ob on ob.id = pa.objective_id
                     join outcomes o on o.id = ob.outcome_id
                    where pa.action_id = a.id and pa.retired_at is null
                  ) ad on true
            where s.region_id = $1
            order by s.name, a.created_at, a.id, ad.committee_name, ad.plan_slug"#,
        region_id
    )
    .fetch_all(&mut *db)
    .await?;
    let mut shared: Vec<SharedActionStatus> = Vec::new();
    for r in rows {
        if shared.last().is_none_or(|s| s.id != r.id) {
            shared.push(SharedActionStatus {
                id: r.id,
                subgroup: r.subgroup_name,
                subgroup_slug: r.subgroup_slug,
                description: r.description,
                status: parse_status(r.status),
                timescale: r.timescale,
                revised_timescale: r.revised_timescale,
                revision_reason: r.revision_reason,
                updated_at: rfc3339(r.updated_at),
                adoptions: Vec::new(),
            });
        }
        if let (Some(committee_slug), Some(committee), Some(plan), Some(outcome), Some(minor), Some(position)) =
            (r.committee_slug, r.committee, r.plan_slug, r.outcome_number, r.minor, r.position)
        {
            let (_, reference, _) = placement(outcome, minor, position, "");
            let last = shared.last_mut().expect("pushed above");
            last.adoptions.push(Adoption {
                href: action_href(&committee_slug, &plan, &r.id),
                committee,
                plan,
                reference,
            });
        }
    }
    Ok(shared)
}

/// Each public protocol's current version and each committee's decision on it.
pub async fn protocol_standings(db: &mut PgConnection, region_id: Uuid) -> Result<Vec<ProtocolStanding>, AppError> {
    let rows = sqlx::query!(
        r#"select p.slug, p.title, v.label as "label?", v.review_due_on::text as review_due_on,
                  coalesce(v.review_due_on < current_date, false) as "overdue!",
                  c.short_name as committee, coalesce(r.state, 'not asked') as "state!"
             from protocols p
             left join lateral (
                   select pv.id, pv.label, pv.review_due_on from protocol_versions pv
                    where pv.protocol_id = p.id order by pv.created_at desc, pv.label desc limit 1
                  ) v on true
             join committees c on c.region_id = p.region_id
             left join protocol_ratifications r on r.protocol_version_id = v.id and r.committee_id = c.id
            where p.region_id = $1 and p.is_public
            order by p.title, p.slug, c.name"#,
        region_id
    )
    .fetch_all(&mut *db)
    .await?;
    let mut out: Vec<ProtocolStanding> = Vec::new();
    for r in rows {
        if out.last().is_none_or(|p| p.slug != r.slug) {
            out.push(ProtocolStanding {
                slug: r.slug.clone(),
                title: r.title,
                version: r.label,
                review_due_on: r.review_due_on,
                review_overdue: r.overdue,
                committees: Vec::new(),
            });
        }
        out.last_mut().expect("pushed above").committees.push((r.committee, r.state));
    }
    Ok(out)
}

/// A subgroup of the region and the committees taking part in it (or owning it).
pub struct RegionSubgroup {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub participants: Vec<Uuid>,
}

pub async fn subgroups(db: &mut PgConnection, region_id: Uuid) -> Result<Vec<RegionSubgroup>, AppError> {
    let rows = sqlx::query!(
        r#"select s.id, s.slug, s.name,
                  array(select sc.committee_id from subgroup_committees sc where sc.subgroup_id = s.id
                        union select s.committee_id where s.committee_id is not null) as "participants!"
             from subgroups s where s.region_id = $1 order by s.name"#,
        region_id
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RegionSubgroup { id: r.id, slug: r.slug, name: r.name, participants: r.participants })
        .collect())
}

/// The open risks of the subgroups `ids`, each with its subgroup, highest score first.
pub async fn open_subgroup_risks(db: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<(Uuid, RiskRow)>, AppError> {
    let rows = sqlx::query!(
        r#"select subgroup_id as "subgroup_id!", id, reference, title, description, cause, consequence, owner, controls,
                  likelihood, impact, target_score, review_on::text as review_on, version, updated_at
             from risks where subgroup_id = any($1) and closed_at is null
            order by likelihood * impact desc, reference"#,
        ids
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.subgroup_id,
                RiskRow {
                    id: r.id,
                    reference: r.reference,
                    title: r.title,
                    description: r.description,
                    cause: r.cause,
                    consequence: r.consequence,
                    owner: r.owner,
                    controls: r.controls,
                    likelihood: r.likelihood as u8,
                    impact: r.impact as u8,
                    target_score: r.target_score as u8,
                    review_on: r.review_on,
                    closed: false,
                    closed_reason: None,
                    version: r.version,
                    mitigations: Vec::new(),
                    updated_at: rfc3339(r.updated_at),
                },
            )
        })
        .collect())
}
