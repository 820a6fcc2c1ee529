//! One action as a plan shows it: its place in the plan, its history, and every plan that
//! adopts it.

use crate::domain::numbering::{action_ref, ObjectiveNumber};
use crate::domain::views::{
    ActionDetail, ActionRow, AdoptionView, CommitteeRef, ProtocolRef, StatusUpdateView, SubgroupRef,
};
use crate::error::AppError;
use crate::server::auth::viewer::Access;
use crate::server::db::plans::{parse_status, subgroup_refs};
use sqlx::PgConnection;
use uuid::Uuid;

pub async fn action_detail(
    db: &mut PgConnection,
    access: &Access,
    committee_slug: &str,
    plan_slug: &str,
    action_id: Uuid,
) -> Result<Option<ActionDetail>, AppError> {
    let Some(r) = sqlx::query!(
        r#"select c.slug as committee_slug, c.name as committee_name, c.short_name as committee_short_name,
                  p.id as plan_id, p.slug as plan_slug, p.title as plan_title, pr.title as priority,
                  o.number as outcome_number, o.title as outcome, ob.minor, ob.title as objective,
                  pa.position, pa.local_note, pa.version as placement_version, pa.committee_id as placement_committee_id,
                  a.owner_committee_id, a.owner_subgroup_id,
                  a.id, a.description, a.lead, a.timescale, a.revised_timescale, a.evidence, a.progress,
                  a.status::text as status, a.version,
                  os.slug as "owner_slug?", os.name as "owner_name?", os.short_name as "owner_short_name?",
                  coalesce(ls.slugs, '{}') as "lead_slugs!", coalesce(ls.names, '{}') as "lead_names!",
                  coalesce(ls.short_names, '{}') as "lead_short_names!"
             from plan_actions pa
             join plans p on p.id = pa.plan_id and p.committee_id = pa.committee_id
             join committees c on c.id = p.committee_id
             join objectives ob on ob.id = pa.objective_id
             join outcomes o on o.id = ob.outcome_id
             join priorities pr on pr.id = o.priority_id
             join actions a on a.id = pa.action_id
             left join subgroups os on os.id = a.owner_subgroup_id
             left join lateral (
                   select array_agg(s.slug order by s.name) as slugs, array_agg(s.name order by s.name) as names,
                          array_agg(s.short_name order by s.name) as short_names
                     from action_subgroups asg join subgroups s on s.id = asg.subgroup_id
                    where asg.action_id = a.id and s.id is distinct from a.owner_subgroup_id
                  ) ls on true
            where c.slug = $1 and p.slug = $2 and pa.action_id = $3
              and (p.status = 'published' or p.committee_id = any($4)) and pa.retired_at is null"#,
        committee_slug,
        plan_slug,
        action_id,
        &access.committees
    )
    .fetch_optional(&mut *db)
    .await?
    else {
        return Ok(None);
    };

    let objective_number = ObjectiveNumber { outcome: r.outcome_number as u32, minor: r.minor as u32 };
    let owner_subgroup = match (r.owner_slug, r.owner_name, r.owner_short_name) {
        (Some(slug), Some(name), Some(short_name)) => Some(SubgroupRef { slug, name, short_name }),
        _ => None,
    };
    let history = history(db, action_id).await?;
    let adoptions = adoptions(db, access, &[action_id]).await?.into_iter().map(|(_, a)| a).collect();
    let protocols = sqlx::query!(
        r#"select p.slug, p.title from action_protocols ap join protocols p on p.id = ap.protocol_id
            where ap.action_id = $1 and (p.is_public or p.owner_subgroup_id = any($2)) order by p.title"#,
        action_id,
        &access.subgroups
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|p| ProtocolRef { slug: p.slug, title: p.title })
    .collect();

    Ok(Some(ActionDetail {
        committee: CommitteeRef { slug: r.committee_slug, name: r.committee_name, short_name: r.committee_short_name },
        plan_id: r.plan_id,
        plan_slug: r.plan_slug,
        plan_title: r.plan_title,
        priority: r.priority,
        outcome_number: r.outcome_number as u32,
        outcome: r.outcome,
        objective_number,
        objective: r.objective,
        row: ActionRow {
            id: r.id,
            version: r.version,
            reference: action_ref(objective_number, r.position as u32),
            description: r.description,
            lead: r.lead,
            timescale: r.timescale,
            revised_timescale: r.revised_timescale,
            evidence: r.evidence,
            progress: r.progress,
            status: parse_status(r.status),
            owner_subgroup,
            lead_subgroups: subgroup_refs(r.lead_slugs, r.lead_names, r.lead_short_names),
            local_note: r.local_note,
            can_update: false,
            owner_ids: (r.owner_committee_id, r.owner_subgroup_id),
        },
        protocol_options: Vec::new(),
        can_link_protocols: false,
        version: r.version,
        placement_version: r.placement_version,
        placement_committee_id: r.placement_committee_id,
        can_stop_adopting: false,
        history,
        adoptions,
        protocols,
    }))
}

/// Every protocol an action may be linked to (the acting person sees those they may read).
pub async fn protocol_options(db: &mut PgConnection) -> Result<Vec<ProtocolRef>, AppError> {
    Ok(sqlx::query!(r#"select slug, title from protocols order by title"#)
        .fetch_all(&mut *db)
        .await?
        .into_iter()
        .map(|p| ProtocolRef { slug: p.slug, title: p.title })
        .collect())
}

async fn history(db: &mut PgConnection, action_id: Uuid) -> Result<Vec<StatusUpdateView>, AppError> {
    let rows = sqlx::query!(
        r#"select su.created_at, pe.display_name as "by?", su.from_status::text as from_status,
                  su.to_status::text as to_status, su.to_progress,
                  case when su.to_evidence <> su.from_evidence then su.to_evidence else '' end as "to_evidence!",
                  su.revised_timescale, su.reason, su.note
             from status_updates su
             left join people pe on pe.id = su.person_id
            where su.action_id = $1
            order by su.created_at desc, su.action_version desc nulls last"#,
        action_id
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StatusUpdateView {
            at: r.created_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
            by: r.by,
            from_status: parse_status(r.from_status),
            to_status: parse_status(r.to_status),
            progress: r.to_progress,
            evidence: r.to_evidence,
            revised_timescale: r.revised_timescale,
            reason: r.reason,
            note: r.note,
        })
        .collect())
}

/// Every plan the reader may see that adopts each of `action_ids`, with the plan's own reference.
pub async fn adoptions(
    db: &mut PgConnection,
    access: &Access,
    action_ids: &[Uuid],
) -> Result<Vec<(Uuid, AdoptionView)>, AppError> {
    let rows = sqlx::query!(
        r#"select pa.action_id, c.slug as committee_slug, c.name as committee_name, c.short_name as committee_short_name,
                  p.slug as plan_slug, p.title as plan_title, ob.outcome_number, ob.minor, ob.title as objective,
                  pa.position, pa.local_note
             from plan_actions pa
             join plans p on p.id = pa.plan_id and p.committee_id = pa.committee_id
             join committees c on c.id = p.committee_id
             join objectives ob on ob.id = pa.objective_id
            where pa.action_id = any($1) and pa.retired_at is null
              and (p.status = 'published' or p.committee_id = any($2))
            order by c.name, p.slug"#,
        action_ids,
        &access.committees
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let number = ObjectiveNumber { outcome: r.outcome_number as u32, minor: r.minor as u32 };
            (
                r.action_id,
                AdoptionView {
                    committee: CommitteeRef {
                        slug: r.committee_slug,
                        name: r.committee_name,
                        short_name: r.committee_short_name,
                    },
                    plan_slug: r.plan_slug,
                    plan_title: r.plan_title,
                    reference: action_ref(number, r.position as u32),
                    objective: format!("{number} {}", r.objective),
                    local_note: r.local_note,
                },
            )
        })
        .collect())
}
