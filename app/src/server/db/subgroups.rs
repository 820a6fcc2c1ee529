//! A subgroup's page: its shared actions with every plan adopting them, and the committee
//! actions whose lead names it.

use crate::domain::numbering::{action_ref, ObjectiveNumber};
use crate::domain::views::{CommitteeRef, LedActionView, ProtocolRef, SharedActionView, SubgroupPage};
use crate::error::AppError;
use crate::server::auth::viewer::Access;
use crate::server::db::actions::adoptions;
use crate::server::db::overview::committee_refs;
use crate::server::db::plans::parse_status;
use sqlx::PgConnection;

pub async fn subgroup_page(
    db: &mut PgConnection,
    access: &Access,
    slug: &str,
) -> Result<Option<SubgroupPage>, AppError> {
    let Some(s) = sqlx::query!(
        r#"select s.id, s.slug, s.name, s.scope, r.name as region_name,
                  coalesce(pc.slugs, '{}') as "committee_slugs!", coalesce(pc.names, '{}') as "committee_names!",
                  coalesce(pc.short_names, '{}') as "committee_short_names!"
             from subgroups s
             join regions r on r.id = s.region_id
             left join lateral (
                   select array_agg(c.slug order by c.name) as slugs, array_agg(c.name order by c.name) as names,
                          array_agg(c.short_name order by c.name) as short_names
                     from committees c
                    where c.id in (select sc.committee_id from subgroup_committees sc where sc.subgroup_id = s.id)
                       or c.id = s.committee_id
                  ) pc on true
            where s.slug = $1
            order by r.created_at
            limit 1"#,
        slug
    )
    .fetch_optional(&mut *db)
    .await?
    else {
        return Ok(None);
    };

    let shared = sqlx::query!(
        r#"select a.id, a.description, a.lead, a.timescale, a.revised_timescale, a.progress, a.evidence, a.version,
                  a.status::text as status
             from actions a
            where a.owner_subgroup_id = $1
              and ($1 = any($2) or $1 = any ((select app.participating_subgroups())::uuid[]) or exists (
                    select 1 from plan_actions pa join plans p on p.id = pa.plan_id
                     where pa.action_id = a.id and (p.status = 'published' or p.committee_id = any($3))))
            order by a.created_at, a.description"#,
        s.id,
        &access.subgroups,
        &access.committees
    )
    .fetch_all(&mut *db)
    .await?;
    let ids: Vec<_> = shared.iter().map(|a| a.id).collect();
    let mut adopted = adoptions(db, access, &ids).await?;

    let led = sqlx::query!(
        r#"select a.id, c.slug as committee_slug, c.name as committee_name, c.short_name as committee_short_name,
                  p.slug as plan_slug, ob.outcome_number, ob.minor, pa.position, a.description,
                  a.status::text as status
             from action_subgroups asg
             join actions a on a.id = asg.action_id and a.owner_committee_id is not null
             join plan_actions pa on pa.action_id = a.id and pa.retired_at is null
             join plans p on p.id = pa.plan_id and (p.status = 'published' or p.committee_id = any($2))
             join committees c on c.id = p.committee_id
             join objectives ob on ob.id = pa.objective_id
            where asg.subgroup_id = $1
            order by c.name, p.slug desc, ob.outcome_number, ob.minor, pa.position"#,
        s.id,
        &access.committees
    )
    .fetch_all(&mut *db)
    .await?;

    let protocols = sqlx::query!(
        r#"select slug, title from protocols where owner_subgroup_id = $1 and (is_public or $1 = any($2)) order by title"#,
        s.id,
        &access.subgroups
    )
    .fetch_all(&mut *db)
    .await?;

    Ok(Some(SubgroupPage {
        id: s.id,
        can_update: false,
        is_chair: false,
        can_read_risks: false,
        adopt_targets: Vec::new(),
        slug: s.slug,
        name: s.name,
        scope: s.scope,
        region_name: s.region_name,
        committees: committee_refs(s.committee_slugs, s.committee_names, s.committee_short_names),
        shared_actions: shared
            .into_iter()
            .map(|a| {
                let mut mine = Vec::new();
                adopted.retain(|(id, view)| {
                    if *id == a.id {
                        mine.push(view.clone());
                        false
                    } else {
                        true
                    }
                });
                SharedActionView {
                    id: a.id,
                    description: a.description,
                    lead: a.lead,
                    timescale: a.timescale,
                    revised_timescale: a.revised_timescale,
                    progress: a.progress,
                    evidence: a.evidence,
                    version: a.version,
                    status: parse_status(a.status),
                    adoptions: mine,
                }
            })
            .collect(),
        led_actions: led
            .into_iter()
            .map(|r| LedActionView {
                id: r.id,
                committee: CommitteeRef {
                    slug: r.committee_slug,
                    name: r.committee_name,
                    short_name: r.committee_short_name,
                },
                plan_slug: r.plan_slug,
                reference: action_ref(
                    ObjectiveNumber { outcome: r.outcome_number as u32, minor: r.minor as u32 },
                    r.position as u32,
                ),
                description: r.description,
                status: parse_status(r.status),
            })
            .collect(),
        protocols: protocols.into_iter().map(|p| ProtocolRef { slug: p.slug, title: p.title }).collect(),
    }))
}
