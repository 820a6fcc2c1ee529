//! A committee's audit trail, for its members (DESIGN.md: members read history and audit).

use crate::domain::views::AuditPage;
use crate::error::AppError;
use leptos::prelude::*;

/// Entries shown at most; filters narrow it down.
pub const AUDIT_PAGE_SIZE: i64 = 200;

/// Requires: a member of the committee (any role).
#[server(endpoint = "audit")]
pub async fn get_audit(
    committee: String,
    #[server(default)] person: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] object: String,
) -> Result<AuditPage, AppError> {
    use crate::domain::audit::check_audit_filter;
    use crate::domain::views::CommitteeRef;
    use crate::server::authz::{self, CommitteeNeed};
    use crate::server::db::audit;
    use crate::server::request;
    let (viewer, mut tx) = request::begin().await?;
    let c = authz::committee(&mut tx, viewer.as_ref(), &committee, CommitteeNeed::Member).await?;
    let wanted = check_audit_filter(&person, &from, &to, &object)?;
    let filter = audit::AuditFilter {
        committee_id: c.id,
        person_id: wanted.person,
        from: wanted.from.map(time::Date::from),
        to: wanted.to.map(time::Date::from),
        entity: wanted.entity.map(|e| e.code().to_owned()),
        limit: AUDIT_PAGE_SIZE,
    };
    let mut entries = audit::committee_trail(&mut tx, &filter).await?;
    let (people, entities) = audit::committee_trail_facets(&mut tx, c.id).await?;
    tx.commit().await?;
    let truncated = entries.len() as i64 > AUDIT_PAGE_SIZE;
    entries.truncate(AUDIT_PAGE_SIZE as usize);
    Ok(AuditPage {
        committee: CommitteeRef { slug: c.slug, name: c.name, short_name: c.short_name },
        people,
        entities,
        entries,
        truncated,
    })
}
