//! Keeping protocols: the owning subgroup's members add protocols and versions; each
//! committee's lead officers record its ratification; those who shape an action link it to the
//! protocols it delivers.

use crate::domain::views::ProtocolPage;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "protocol")]
pub async fn get_protocol(protocol: String) -> Result<ProtocolPage, AppError> {
    use crate::server::{db::protocol_edits, request};
    let (_viewer, mut tx) = request::begin().await?;
    let page = protocol_edits::page(&mut tx, &protocol)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a protocol called \"{protocol}\"")))?;
    tx.commit().await?;
    Ok(page)
}

#[server(endpoint = "create_protocol")]
#[allow(clippy::too_many_arguments)]
pub async fn create_protocol(
    subgroup: String,
    title: String,
    summary: String,
    owner_name: String,
    label: String,
    document_url: String,
    body: String,
    review_due_on: String,
) -> Result<(), AppError> {
    use crate::domain::protocol::{check_version, slug_from_title};
    use crate::error::Validation;
    use crate::server::db::{members, overview, protocol_edits};
    use crate::server::request;
    let (viewer, mut tx) = request::begin().await?;
    let viewer = request::signed_in(viewer)?;
    let s = members::subgroup_by_slug(&mut tx, &subgroup)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a subgroup called \"{subgroup}\"")))?;
    if viewer.subgroup_role(s.id).is_none() {
        return Err(AppError::Forbidden);
    }
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut v = Validation::default();
    v.check(!title.is_empty(), "title", "Give the protocol a title.")
        .check(title.chars().count() <= 300, "title", "Keep the title under 300 characters.")
        .check(summary.chars().count() <= 4_000, "summary", "Keep the summary under 4,000 characters.")
        .check(owner_name.chars().count() <= 200, "owner_name", "Keep the owner under 200 characters.");
    let version = check_version(&label, &document_url, &body, &review_due_on);
    match (v.finish(), version) {
        (Err(AppError::Invalid(mut a)), Err(AppError::Invalid(b))) => {
            a.extend(b);
            Err(AppError::Invalid(a))
        }
        (Err(e), _) | (Ok(()), Err(e)) => Err(e),
        (Ok(()), Ok(version)) => {
            let region = overview::home_region(&mut tx).await?;
            let slug = slug_from_title(&title);
            let new = protocol_edits::NewProtocol {
                region_id: region.id,
                subgroup_id: s.id,
                slug: &slug,
                title: &title,
                summary: summary.trim(),
                owner_name: owner_name.trim(),
            };
            protocol_edits::create(&mut tx, &new, &version).await?;
            tx.commit().await?;
            request::notice(format!("Added \"{title}\". Each committee of {} is asked to ratify it.", s.name)).await
        }
    }
}

#[server(endpoint = "add_protocol_version")]
pub async fn add_protocol_version(
    protocol: String,
    label: String,
    document_url: String,
    body: String,
    review_due_on: String,
) -> Result<(), AppError> {
    use crate::domain::protocol::check_version;
    use crate::server::{db::protocol_edits, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = request::signed_in(viewer)?;
    let p = protocol_edits::by_slug(&mut tx, &protocol)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a protocol called \"{protocol}\"")))?;
    let Some(subgroup) = p.subgroup_id.filter(|s| viewer.subgroup_role(*s).is_some()) else {
        return Err(AppError::Forbidden);
    };
    let version = check_version(&label, &document_url, &body, &review_due_on)?;
    protocol_edits::add_version(&mut tx, p.id, subgroup, &version).await?;
    tx.commit().await?;
    request::notice(format!("Added {} of \"{}\"; each committee is asked to ratify it.", version.label, p.title)).await
}

#[server(endpoint = "record_ratification")]
pub async fn record_ratification(
    protocol_version: String,
    committee: String,
    state: String,
    decided_on: Option<String>,
    reason: Option<String>,
    version: i32,
) -> Result<(), AppError> {
    use crate::domain::account::CommitteeRole;
    use crate::domain::protocol::check_decision;
    use crate::server::{db::members, db::protocol_edits, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = request::signed_in(viewer)?;
    let c = members::committee_by_slug(&mut tx, &committee)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a committee called \"{committee}\"")))?;
    if !viewer.has_role(c.id, CommitteeRole::LeadOfficer) {
        return Err(AppError::Forbidden);
    }
    let version_id =
        uuid::Uuid::parse_str(protocol_version.trim()).map_err(|_| AppError::not_found("that protocol version"))?;
    let decision =
        check_decision(&state, decided_on.as_deref().unwrap_or_default(), reason.as_deref().unwrap_or_default())?;
    protocol_edits::decide(&mut tx, version_id, c.id, &decision, version).await?;
    tx.commit().await?;
    request::notice(format!("Recorded {}'s decision: {}.", c.name, decision.state)).await
}

/// Links (`linked` = "true") or unlinks an action and a protocol it delivers: lead officers of
/// the owning committee, or the chair of the owning subgroup.
#[server(endpoint = "link_protocol")]
pub async fn link_protocol(action: String, protocol: String, linked: String) -> Result<(), AppError> {
    use crate::domain::account::{CommitteeRole, SubgroupRole};
    use crate::server::{db::protocol_edits, db::updates, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = request::signed_in(viewer)?;
    let id = uuid::Uuid::parse_str(action.trim()).map_err(|_| AppError::not_found("that action"))?;
    let a = updates::action_state(&mut tx, id).await?.ok_or_else(|| AppError::not_found("that action"))?;
    let may = a.owner_committee_id.is_some_and(|c| viewer.has_role(c, CommitteeRole::LeadOfficer))
        || a.owner_subgroup_id.is_some_and(|s| viewer.subgroup_role(s) == Some(SubgroupRole::Chair));
    if !may {
        return Err(AppError::Forbidden);
    }
    let p = protocol_edits::by_slug(&mut tx, &protocol)
        .await?
        .ok_or_else(|| AppError::invalid("protocol", "Choose a protocol from the list."))?;
    let linking = linked == "true";
    protocol_edits::set_link(&mut tx, id, p.id, linking, a.owner_committee_id, a.owner_subgroup_id).await?;
    tx.commit().await?;
    request::notice(if linking {
        format!("Linked to \"{}\".", p.title)
    } else {
        format!("No longer linked to \"{}\".", p.title)
    })
    .await
}
