//! `/me`: every action the acting person may update, in one query over the actions row-level
//! security lets them update, with each plan that places it.

use crate::domain::numbering::{action_ref, sort_key, ObjectiveNumber};
use crate::domain::status::Status;
use crate::domain::timescale::is_past;
use crate::domain::views::{MyWork, Placement, WorkFlag, WorkGroup, WorkItem};
use crate::error::AppError;
use crate::server::db::plans::parse_status;
use sqlx::PgConnection;
use std::collections::BTreeMap;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

const NOT_UPDATED_DAYS: i64 = 90;

pub async fn my_work(db: &mut PgConnection, now: OffsetDateTime) -> Result<MyWork, AppError> {
    let rows = sqlx::query!(
        r#"select a.id, a.description, a.status::text as status, a.timescale, a.revised_timescale, a.progress,
                  a.evidence, a.version, coalesce(lu.at, a.created_at) as "last_updated!",
                  coalesce(oc.name, os.name) as "group_name!", coalesce(oc.slug, os.slug) as "group_slug!",
                  os.id is not null as "shared!",
                  c.name as "committee?", c.slug as "committee_slug?", p.slug as "plan_slug?", p.title as "plan_title?",
                  ob.outcome_number as "outcome_number?", ob.minor as "minor?", pa.position as "position?"
             from actions a
             left join committees oc on oc.id = a.owner_committee_id
             left join subgroups os on os.id = a.owner_subgroup_id
             left join lateral (select max(su.created_at) as at from status_updates su where su.action_id = a.id) lu on true
             left join plan_actions pa on pa.action_id = a.id and pa.retired_at is null
             left join plans p on p.id = pa.plan_id and p.status <> 'archived'
             left join committees c on c.id = p.committee_id
             left join objectives ob on ob.id = pa.objective_id
            where a.id = any ((select app.updatable_actions())::uuid[])
            order by os.id is not null, coalesce(oc.name, os.name), a.id, c.name, p.slug"#
    )
    .fetch_all(&mut *db)
    .await?;

    let today = (now.year(), u8::from(now.month()) as u32, now.day() as u32);
    let mut groups: Vec<WorkGroup> = Vec::new();
    let mut index: BTreeMap<Uuid, (usize, usize)> = BTreeMap::new();
    for r in rows {
        let href =
            if r.shared { format!("/subgroups/{}", r.group_slug) } else { format!("/committees/{}", r.group_slug) };
        let group = match groups.iter().position(|g| g.href == href) {
            Some(g) => g,
            None => {
                groups.push(WorkGroup { name: r.group_name.clone(), href, shared: r.shared, items: Vec::new() });
                groups.len() - 1
            }
        };
        let (g, i) = *index.entry(r.id).or_insert_with(|| {
            let status = parse_status(r.status.clone());
            let effective = r.revised_timescale.clone().unwrap_or_else(|| r.timescale.clone());
            let mut flags = Vec::new();
            match status {
                Some(Status::RevisionRequired) => flags.push(WorkFlag::Red),
                Some(Status::Delayed) => flags.push(WorkFlag::Amber),
                _ => {}
            }
            let open = status != Some(Status::Complete);
            if open && is_past(&effective, today) {
                flags.push(WorkFlag::PastTimescale);
            }
            if open && (now - r.last_updated).whole_days() >= NOT_UPDATED_DAYS {
                flags.push(WorkFlag::NotUpdated);
            }
            groups[group].items.push(WorkItem {
                id: r.id,
                description: r.description.clone(),
                status,
                timescale: r.timescale.clone(),
                revised_timescale: r.revised_timescale.clone(),
                progress: r.progress.clone(),
                evidence: r.evidence.clone(),
                version: r.version,
                last_updated: r.last_updated.format(&Rfc3339).unwrap_or_default(),
                flags,
                placements: Vec::new(),
            });
            (group, groups[group].items.len() - 1)
        });
        if let (Some(committee), Some(committee_slug), Some(plan_slug), Some(plan_title), Some(o), Some(m), Some(pos)) =
            (r.committee, r.committee_slug, r.plan_slug, r.plan_title, r.outcome_number, r.minor, r.position)
        {
            let number = ObjectiveNumber { outcome: o as u32, minor: m as u32 };
            groups[g].items[i].placements.push(Placement {
                committee,
                href: crate::domain::links::action_href(&committee_slug, &plan_slug, &r.id),
                plan_title,
                reference: action_ref(number, pos as u32),
            });
        }
    }
    for group in &mut groups {
        // What needs attention first (most serious flag), then in plan order.
        group.items.sort_by(|a, b| {
            let rank = |i: &WorkItem| i.flags.first().map_or(u8::MAX, |f| *f as u8);
            let reference = |i: &WorkItem| i.placements.first().map(|p| sort_key(&p.reference)).unwrap_or_default();
            let plan = |i: &WorkItem| i.placements.first().map(|p| p.href.clone()).unwrap_or_default();
            // Equal references in two plans: in the order of their addresses, so /me reads the
            // same on every load.
            rank(a).cmp(&rank(b)).then_with(|| reference(a).cmp(&reference(b))).then_with(|| plan(a).cmp(&plan(b)))
        });
    }
    Ok(MyWork { groups })
}
