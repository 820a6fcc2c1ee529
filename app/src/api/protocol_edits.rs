//! Keeping protocols: the owning subgroup's members add protocols and versions; each
//! committee's lead officers record its ratification; those who shape an action link it to the
//! protocols it delivers.

use crate::domain::views::ProtocolPage;
use crate::error::AppError;
use leptos::prelude::*;

/// Requires: whoever may read the protocol (public ones: anyone).
#[server(endpoint = "protocol")]
pub async fn get_protocol(protocol: String) -> Result<ProtocolPage, AppError> {
    use crate::server::{authz, db::protocol_edits, request};
    let (viewer, mut tx) = request::begin().await?;
    let mut page = protocol_edits::page(&mut tx, &protocol)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a protocol called \"{protocol}\"")))?;
    tx.commit().await?;
    page.can_add_version = page.owner_subgroup_id.is_some_and(|s| authz::may_work_in_subgroup(viewer.as_ref(), s));
    for row in &mut page.ratifications {
        row.can_record = authz::may_lead(viewer.as_ref(), row.committee_id);
    }
    Ok(page)
}

/// Requires: a member (or the chair) of the subgroup that will own it.
#[server(endpoint = "create_protocol")]
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
    use crate::domain::protocol::{check_protocol, slug_from_title};
    use crate::server::authz::{self, SubgroupNeed};
    use crate::server::db::{overview, protocol_edits};
    use crate::server::request;
    let (viewer, mut tx) = request::begin().await?;
    let s = authz::subgroup(&mut tx, viewer.as_ref(), &subgroup, SubgroupNeed::Work).await?;
    let (about, version) = check_protocol(&title, &summary, &owner_name, &label, &document_url, &body, &review_due_on)?;
    let region = overview::home_region(&mut tx).await?;
    let slug = slug_from_title(&about.title);
    let new = protocol_edits::NewProtocol {
        region_id: region.id,
        subgroup_id: s.id,
        slug: &slug,
        title: &about.title,
        summary: &about.summary,
        owner_name: &about.owner_name,
    };
    protocol_edits::create(&mut tx, &new, &version).await?;
    tx.commit().await?;
    request::notice(format!("Added \"{}\". Each committee of {} is asked to ratify it.", about.title, s.name)).await
}

/// Requires: a member (or the chair) of the subgroup that owns the protocol.
#[server(endpoint = "add_protocol_version")]
pub async fn add_protocol_version(
    protocol: String,
    label: String,
    document_url: String,
    body: String,
    review_due_on: String,
) -> Result<(), AppError> {
    use crate::domain::protocol::check_version;
    use crate::server::{authz, db::protocol_edits, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = authz::require_signed_in(viewer)?;
    let p = protocol_edits::by_slug(&mut tx, &protocol)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a protocol called \"{protocol}\"")))?;
    let owner = p.subgroup_id.filter(|s| authz::may_work_in_subgroup(Some(&viewer), *s));
    let Some(subgroup) = owner else {
        return Err(AppError::Forbidden);
    };
    let version = check_version(&label, &document_url, &body, &review_due_on)?;
    protocol_edits::add_version(&mut tx, p.id, subgroup, &version).await?;
    tx.commit().await?;
    request::notice(format!("Added {} of \"{}\"; each committee is asked to ratify it.", version.label, p.title)).await
}

/// Requires: a lead officer of the committee whose decision it is.
#[server(endpoint = "record_ratification")]
pub async fn record_ratification(
    protocol_version: String,
    committee: String,
    state: String,
    decided_on: Option<String>,
    reason: Option<String>,
    version: i32,
) -> Result<(), AppError> {
    use crate::domain::protocol::check_decision;
    use crate::server::authz::{self, CommitteeNeed};
    use crate::server::{db::protocol_edits, request};
    let (viewer, mut tx) = request::begin().await?;
    let c = authz::committee(&mut tx, viewer.as_ref(), &committee, CommitteeNeed::Lead).await?;
    let version_id =
        uuid::Uuid::parse_str(protocol_version.trim()).map_err(|_| AppError::not_found("that protocol version"))?;
    let decision =
        check_decision(&state, decided_on.as_deref().unwrap_or_default(), reason.as_deref().unwrap_or_default())?;
    protocol_edits::decide(&mut tx, version_id, c.id, &decision, version).await?;
    tx.commit().await?;
    request::notice(format!("Recorded {}'s decision: {}.", c.name, decision.state)).await
}

/// Requires: a lead officer of the committee that owns the action, or the chair of the
/// subgroup that owns it.
/// Links (`linked` = "true") or unlinks an action and a protocol it delivers: lead officers of
/// the owning committee, or the chair of the owning subgroup.
#[server(endpoint = "link_protocol")]
pub async fn link_protocol(action: String, protocol: String, linked: String) -> Result<(), AppError> {
    use crate::server::authz::{self, Owner};
    use crate::server::{db::protocol_edits, db::updates, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = authz::require_signed_in(viewer)?;
    let id = uuid::Uuid::parse_str(action.trim()).map_err(|_| AppError::not_found("that action"))?;
    let a = updates::action_state(&mut tx, id).await?.ok_or_else(|| AppError::not_found("that action"))?;
    let owner = Owner::of(a.owner_committee_id, a.owner_subgroup_id);
    authz::require(Some(&viewer), owner.is_some_and(|o| authz::may_shape_action(Some(&viewer), o)))?;
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
