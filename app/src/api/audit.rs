//! A committee's audit trail, for its members (DESIGN.md: members read history and audit).

use crate::domain::views::AuditPage;
use crate::error::AppError;
use leptos::prelude::*;

/// Entries shown at most; filters narrow it down.
pub const AUDIT_PAGE_SIZE: i64 = 200;

#[server(endpoint = "audit")]
pub async fn get_audit(
    committee: String,
    #[server(default)] person: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] object: String,
) -> Result<AuditPage, AppError> {
    use crate::api::members::committee_not_found;
    use crate::domain::views::CommitteeRef;
    use crate::error::Validation;
    use crate::server::db::{audit, members};
    use crate::server::request;
    let (viewer, mut tx) = request::begin().await?;
    let viewer = request::signed_in(viewer)?;
    let c = members::committee_by_slug(&mut tx, &committee).await?.ok_or_else(|| committee_not_found(&committee))?;
    if viewer.committee_role(c.id).is_none() {
        return Err(AppError::Forbidden);
    }
    let date = |s: &str| {
        let s = s.trim();
        if s.is_empty() {
            Ok(None)
        } else {
            time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).map(Some).map_err(|_| ())
        }
    };
    let person_id = match person.trim() {
        "" => Ok(None),
        p => uuid::Uuid::parse_str(p).map(Some).map_err(|_| ()),
    };
    let (from_date, to_date) = (date(&from), date(&to));
    let mut v = Validation::default();
    v.check(person_id.is_ok(), "person", "Choose a person from the list.")
        .check(from_date.is_ok(), "from", "Enter a date like 2025-03-31.")
        .check(to_date.is_ok(), "to", "Enter a date like 2025-03-31.");
    v.finish()?;
    let filter = audit::AuditFilter {
        committee_id: c.id,
        person_id: person_id.unwrap_or_default(),
        from: from_date.unwrap_or_default(),
        to: to_date.unwrap_or_default(),
        entity: Some(object.trim().to_owned()).filter(|o| !o.is_empty()),
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
