//! The shared protocols register: current version, review date and ratification by each
//! committee of the region.

use crate::domain::protocol::RatificationState;
use crate::domain::views::{CommitteeRef, ProtocolEntry, ProtocolRegister, RatificationView, SubgroupRef};
use crate::error::AppError;
use crate::server::auth::viewer::Access;
use crate::server::db::overview::Region;
use sqlx::PgConnection;

pub async fn register(db: &mut PgConnection, access: &Access, region: Region) -> Result<ProtocolRegister, AppError> {
    let committees = sqlx::query!(
        r#"select id, slug, name, short_name from committees where region_id = $1 order by name"#,
        region.id
    )
    .fetch_all(&mut *db)
    .await?;

    let protocols = sqlx::query!(
        r#"select p.id, p.slug, p.title, p.summary,
                  s.slug as "owner_slug?", s.name as "owner_name?", s.short_name as "owner_short_name?",
                  v.id as "version_id?", v.label as "label?", v.document_url, v.effective_on::text as effective_on,
                  v.review_due_on::text as review_due_on, coalesce(v.review_due_on < current_date, false) as "overdue!"
             from protocols p
             left join subgroups s on s.id = p.owner_subgroup_id
             left join lateral (
                   select pv.id, pv.label, pv.document_url, pv.effective_on, pv.review_due_on from protocol_versions pv
                    where pv.protocol_id = p.id order by pv.created_at desc, pv.label desc limit 1
                  ) v on true
            where p.region_id = $1 and (p.is_public or p.owner_subgroup_id = any($2))
            order by p.title"#,
        region.id,
        &access.subgroups
    )
    .fetch_all(&mut *db)
    .await?;

    let version_ids: Vec<_> = protocols.iter().filter_map(|p| p.version_id).collect();
    let ratifications = sqlx::query!(
        r#"select protocol_version_id, committee_id, state, decided_on::text as decided_on, reason
             from protocol_ratifications where protocol_version_id = any($1)"#,
        &version_ids
    )
    .fetch_all(&mut *db)
    .await?;

    Ok(ProtocolRegister {
        region_name: region.name,
        protocols: protocols
            .into_iter()
            .map(|p| ProtocolEntry {
                ratifications: committees
                    .iter()
                    .map(|c| {
                        let found = ratifications
                            .iter()
                            .find(|r| Some(r.protocol_version_id) == p.version_id && r.committee_id == c.id);
                        RatificationView {
                            committee_slug: c.slug.clone(),
                            state: found.map(|r| RatificationState::stored(&r.state)),
                            decided_on: found.and_then(|r| r.decided_on.clone()),
                            reason: found.and_then(|r| r.reason.clone()),
                        }
                    })
                    .collect(),
                owner: match (p.owner_slug, p.owner_name, p.owner_short_name) {
                    (Some(slug), Some(name), Some(short_name)) => Some(SubgroupRef { slug, name, short_name }),
                    _ => None,
                },
                slug: p.slug,
                title: p.title,
                summary: p.summary,
                current_version: p.label,
                document_url: p.document_url,
                effective_on: p.effective_on,
                review_due_on: p.review_due_on,
                review_overdue: p.overdue,
            })
            .collect(),
        committees: committees
            .into_iter()
            .map(|c| CommitteeRef { slug: c.slug, name: c.name, short_name: c.short_name })
            .collect(),
    })
}
