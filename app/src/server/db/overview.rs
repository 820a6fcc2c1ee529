//! The Forth Valley overview and committee pages: every committee with its published plans
//! and their status counts, the subgroups, the shared protocols. A fixed number of queries,
//! whatever the number of committees.

use crate::domain::plan::PlanState;
use crate::domain::status::StatusCounts;
use crate::domain::views::{
    CommitteeRef, CommitteeSummary, PlanSummary, ProtocolSummary, SubgroupRef, SubgroupSummary,
};
use crate::error::AppError;
use crate::server::auth::viewer::Access;
use sqlx::PgConnection;
use uuid::Uuid;

pub struct Region {
    pub id: Uuid,
    pub name: String,
}

/// The region the platform serves (one today; the schema allows more).
pub async fn home_region(db: &mut PgConnection) -> Result<Region, AppError> {
    let row = sqlx::query!(r#"select id, name from regions order by created_at, slug limit 1"#)
        .fetch_optional(&mut *db)
        .await?
        .ok_or_else(|| AppError::not_found("a region: the platform has no data yet"))?;
    Ok(Region { id: row.id, name: row.name })
}

/// Committees of the region (or the one named by `only_slug`), each with its published plans
/// and, for their members, its drafts and archived plans.
pub async fn committee_summaries(
    db: &mut PgConnection,
    access: &Access,
    region_id: Uuid,
    only_slug: Option<&str>,
) -> Result<Vec<CommitteeSummary>, AppError> {
    let committees = sqlx::query!(
        r#"select id, slug, name, short_name, council_areas, cog_name, is_sample
             from committees
            where region_id = $1 and ($2::text is null or slug = $2)
            order by name"#,
        region_id,
        only_slug
    )
    .fetch_all(&mut *db)
    .await?;

    // Counts come from plan_status_counts, which the database keeps current: no join over
    // every action of the region.
    let plans = sqlx::query!(
        r#"select p.id, p.committee_id, p.slug, p.title, p.status, p.is_sample,
                  (select max(r.reviewed_on) from plan_reviews r where r.plan_id = p.id)::text as last_reviewed_on,
                  coalesce(psc.on_target, 0) as "g!", coalesce(psc.delayed, 0) as "a!",
                  coalesce(psc.revision_required, 0) as "r!", coalesce(psc.complete, 0) as "p!",
                  coalesce(psc.not_assessed, 0) as "none!"
             from plans p
             join committees c on c.id = p.committee_id
             left join plan_status_counts psc on psc.plan_id = p.id
            where c.region_id = $1 and ($2::text is null or c.slug = $2)
              and (p.status = 'published' or p.committee_id = any($3))
            order by p.slug desc"#,
        region_id,
        only_slug,
        &access.committees
    )
    .fetch_all(&mut *db)
    .await?;

    Ok(committees
        .into_iter()
        .map(|c| CommitteeSummary {
            plans: plans
                .iter()
                .filter(|p| p.committee_id == c.id)
                .map(|p| PlanSummary {
                    id: p.id,
                    slug: p.slug.clone(),
                    title: p.title.clone(),
                    state: PlanState::stored(&p.status),
                    is_sample: p.is_sample,
                    can_publish: false,
                    last_reviewed_on: p.last_reviewed_on.clone(),
                    counts: StatusCounts {
                        on_target: p.g as u32,
                        delayed: p.a as u32,
                        revision_required: p.r as u32,
                        complete: p.p as u32,
                        not_assessed: p.none as u32,
                    },
                })
                .collect(),
            id: c.id,
            slug: c.slug,
            name: c.name,
            short_name: c.short_name,
            council_areas: c.council_areas,
            cog_name: c.cog_name,
            is_sample: c.is_sample,
        })
        .collect())
}

pub async fn subgroup_summaries(db: &mut PgConnection, region_id: Uuid) -> Result<Vec<SubgroupSummary>, AppError> {
    let rows = sqlx::query!(
        r#"select s.slug, s.name, s.scope,
                  coalesce(pc.slugs, '{}') as "committee_slugs!", coalesce(pc.names, '{}') as "committee_names!",
                  coalesce(pc.short_names, '{}') as "committee_short_names!",
                  (select count(*) from actions a where a.owner_subgroup_id = s.id) as "shared!",
                  (select count(*) from action_subgroups asg
                     join actions a on a.id = asg.action_id
                    where asg.subgroup_id = s.id and a.owner_committee_id is not null) as "led!"
             from subgroups s
             left join lateral (
                   select array_agg(c.slug order by c.name) as slugs, array_agg(c.name order by c.name) as names,
                          array_agg(c.short_name order by c.name) as short_names
                     from committees c
                    where c.id in (select sc.committee_id from subgroup_committees sc where sc.subgroup_id = s.id)
                       or c.id = s.committee_id
                  ) pc on true
            where s.region_id = $1
            order by s.name"#,
        region_id
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SubgroupSummary {
            slug: r.slug,
            name: r.name,
            scope: r.scope,
            committees: committee_refs(r.committee_slugs, r.committee_names, r.committee_short_names),
            shared_actions: r.shared as u32,
            led_actions: r.led as u32,
        })
        .collect())
}

pub async fn protocol_summaries(db: &mut PgConnection, region_id: Uuid) -> Result<Vec<ProtocolSummary>, AppError> {
    let rows = sqlx::query!(
        r#"select p.slug, p.title, v.label as "label?", v.review_due_on::text as review_due_on,
                  coalesce(v.review_due_on < current_date, false) as "overdue!",
                  (select count(*) from protocol_ratifications r where r.protocol_version_id = v.id and r.state = 'ratified') as "ratified!",
                  (select count(*) from protocol_ratifications r where r.protocol_version_id = v.id and r.state = 'pending') as "pending!",
                  (select count(*) from protocol_ratifications r where r.protocol_version_id = v.id and r.state = 'declined') as "declined!"
             from protocols p
             left join lateral (
                   select pv.id, pv.label, pv.review_due_on from protocol_versions pv
                    where pv.protocol_id = p.id order by pv.created_at desc, pv.label desc limit 1
                  ) v on true
            where p.region_id = $1 and p.is_public
            order by p.title"#,
        region_id
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ProtocolSummary {
            slug: r.slug,
            title: r.title,
            current_version: r.label,
            review_due_on: r.review_due_on,
            review_overdue: r.overdue,
            ratified: r.ratified as u32,
            pending: r.pending as u32,
            declined: r.declined as u32,
        })
        .collect())
}

/// The subgroups a committee takes part in (regional) or owns (local).
pub async fn committee_subgroups(db: &mut PgConnection, committee_slug: &str) -> Result<Vec<SubgroupRef>, AppError> {
    let rows = sqlx::query!(
        r#"select s.slug, s.name, s.short_name
             from subgroups s
             join committees c on c.slug = $1
            where s.committee_id = c.id
               or exists (select 1 from subgroup_committees sc where sc.subgroup_id = s.id and sc.committee_id = c.id)
            order by s.name"#,
        committee_slug
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows.into_iter().map(|r| SubgroupRef { slug: r.slug, name: r.name, short_name: r.short_name }).collect())
}

pub(crate) fn committee_refs(slugs: Vec<String>, names: Vec<String>, short_names: Vec<String>) -> Vec<CommitteeRef> {
    slugs
        .into_iter()
        .zip(names)
        .zip(short_names)
        .map(|((slug, name), short_name)| CommitteeRef { slug, name, short_name })
        .collect()
}
