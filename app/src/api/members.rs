//! A committee's members: who sits on it, and (for its lead officers and platform admins)
//! inviting people, changing roles and removing members.

use crate::domain::views::MembersPage;
use crate::error::AppError;
use leptos::prelude::*;

/// How long a one-time sign-in link stays good.
pub const LINK_VALID_DAYS: i32 = 7;

#[server(endpoint = "members")]
pub async fn get_members(committee: String) -> Result<MembersPage, AppError> {
    use crate::domain::account::CommitteeRole;
    use crate::domain::views::CommitteeRef;
    use crate::server::{db::members, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = request::signed_in(viewer)?;
    let c = members::committee_by_slug(&mut tx, &committee).await?.ok_or_else(|| committee_not_found(&committee))?;
    if viewer.committee_role(c.id).is_none() && !viewer.is_admin {
        return Err(AppError::Forbidden);
    }
    let list = members::committee_members(&mut tx, c.id).await?;
    tx.commit().await?;
    Ok(MembersPage {
        can_manage: viewer.has_role(c.id, CommitteeRole::LeadOfficer) || viewer.is_admin,
        committee: CommitteeRef { slug: c.slug, name: c.name, short_name: c.short_name },
        members: list,
    })
}

#[cfg(feature = "ssr")]
pub(crate) fn committee_not_found(slug: &str) -> AppError {
    AppError::not_found(format!("a committee called \"{slug}\""))
}

/// Adds a person to the committee. Someone new gets a one-time link to set their password,
/// shown to the lead officer to pass on (no mail server is assumed).
#[server(endpoint = "invite_member")]
pub async fn invite_member(
    committee: String,
    email: String,
    display_name: String,
    role: String,
) -> Result<(), AppError> {
    use crate::domain::account::CommitteeRole;
    use crate::server::db::{audit, members};
    use crate::server::{accounts, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = request::signed_in(viewer)?;
    let c = accounts::managed_committee(&mut tx, &viewer, &committee).await?;
    let role = CommitteeRole::parse(&role);
    let person = accounts::validate_invitee(&email, &display_name, role.is_some())?;
    let role = role.expect("validated above");
    let invitee = accounts::find_or_create(&mut tx, &person).await?;
    if !members::add_committee_member(&mut tx, c.id, invitee.person_id, role).await? {
        return Err(AppError::Conflict(format!("{} is already a member of {}.", person.email, c.name)));
    }
    audit::record(
        &mut tx,
        audit::AuditEvent {
            committee_id: Some(c.id),
            subgroup_id: None,
            entity: "membership",
            entity_id: Some(invitee.person_id),
            operation: "insert",
            summary: format!("Added {} ({}) as {}", person.display_name, person.email, role.label().to_lowercase()),
            before: None,
            after: Some(serde_json::json!({ "person": person.email, "role": role.code() })),
        },
    )
    .await?;
    let invited = accounts::invitation_outcome(&mut tx, &invitee, Some(c.id), None).await?;
    tx.commit().await?;
    let added = format!("{} is now a {} of {}.", person.display_name, role.label().to_lowercase(), c.name);
    request::notice_invited(invited.message(&added), &invited).await
}

#[server(endpoint = "change_member_role")]
pub async fn change_member_role(committee: String, person: String, role: String) -> Result<(), AppError> {
    use crate::domain::account::CommitteeRole;
    use crate::server::db::{audit, members};
    use crate::server::{accounts, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = request::signed_in(viewer)?;
    let c = accounts::managed_committee(&mut tx, &viewer, &committee).await?;
    let role = CommitteeRole::parse(&role)
        .ok_or_else(|| AppError::invalid("role", "Choose member, contributor or lead officer."))?;
    let not_member = || AppError::not_found(format!("that member of {}", c.name));
    let person_id = uuid::Uuid::parse_str(person.trim()).map_err(|_| not_member())?;
    let before = members::set_committee_role(&mut tx, c.id, person_id, role).await?.ok_or_else(not_member)?;
    if members::lead_officer_count(&mut tx, c.id).await? == 0 {
        return Err(AppError::Conflict(format!(
            "{} needs at least one lead officer: make someone else lead officer first.",
            c.name
        )));
    }
    audit::record(
        &mut tx,
        audit::AuditEvent {
            committee_id: Some(c.id),
            subgroup_id: None,
            entity: "membership",
            entity_id: Some(person_id),
            operation: "update",
            summary: format!("Changed a member's role to {}", role.label().to_lowercase()),
            before: Some(serde_json::json!({ "role": before })),
            after: Some(serde_json::json!({ "role": role.code() })),
        },
    )
    .await?;
    tx.commit().await?;
    request::notice(format!("Role changed to {}.", role.label().to_lowercase())).await
}

#[server(endpoint = "remove_member")]
pub async fn remove_member(committee: String, person: String) -> Result<(), AppError> {
    use crate::server::db::{audit, members};
    use crate::server::{accounts, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = request::signed_in(viewer)?;
    let c = accounts::managed_committee(&mut tx, &viewer, &committee).await?;
    let not_member = || AppError::not_found(format!("that member of {}", c.name));
    let person_id = uuid::Uuid::parse_str(person.trim()).map_err(|_| not_member())?;
    let before = members::remove_committee_member(&mut tx, c.id, person_id).await?.ok_or_else(not_member)?;
    if members::lead_officer_count(&mut tx, c.id).await? == 0 {
        return Err(AppError::Conflict(format!(
            "{} needs at least one lead officer: make someone else lead officer first.",
            c.name
        )));
    }
    audit::record(
        &mut tx,
        audit::AuditEvent {
            committee_id: Some(c.id),
            subgroup_id: None,
            entity: "membership",
            entity_id: Some(person_id),
            operation: "delete",
            summary: "Removed a member".into(),
            before: Some(serde_json::json!({ "role": before })),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    request::notice(format!("Removed from {}. Their history and audit entries are kept.", c.name)).await
}
