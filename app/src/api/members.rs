//! A committee's members: who sits on it, and (for its lead officers and platform admins)
//! inviting people, changing roles and removing members.

use crate::domain::views::MembersPage;
use crate::error::AppError;
use leptos::prelude::*;

/// Requires: a member of the committee, or a platform admin.
#[server(endpoint = "members")]
pub async fn get_members(committee: String) -> Result<MembersPage, AppError> {
    use crate::domain::views::CommitteeRef;
    use crate::server::authz::{self, CommitteeNeed};
    use crate::server::{db::members, db::two_step, request};
    let (viewer, mut tx) = request::begin().await?;
    let c = authz::committee(&mut tx, viewer.as_ref(), &committee, CommitteeNeed::MembersList).await?;
    let mut list = members::committee_members(&mut tx, c.id).await?;
    let can_manage = authz::may_manage_members(viewer.as_ref(), c.id);
    if can_manage {
        let on: std::collections::HashMap<_, _> =
            two_step::committee_members(&mut tx, c.id).await?.into_iter().collect();
        for m in &mut list {
            m.two_step = on.get(&m.person_id).copied();
        }
    }
    let two_step_for_leads = two_step::required_of_leads(&mut tx, c.id).await?;
    tx.commit().await?;
    Ok(MembersPage {
        can_manage,
        two_step_for_leads,
        committee: CommitteeRef { slug: c.slug, name: c.name, short_name: c.short_name },
        members: list,
    })
}

/// Requires: a lead officer of the committee, or a platform admin. Adds a person to the
/// committee; someone new gets a one-time link to set their password, shown to the inviter to
/// pass on (no mail server is assumed), by the invitation rule of `server::accounts`.
#[server(endpoint = "invite_member")]
pub async fn invite_member(
    committee: String,
    email: String,
    display_name: String,
    role: String,
) -> Result<(), AppError> {
    use crate::domain::account::CommitteeRole;
    use crate::server::authz::{self, CommitteeNeed};
    use crate::server::db::members::{self, Named};
    use crate::server::{accounts, request};
    let (viewer, mut tx) = request::begin().await?;
    let c = authz::committee(&mut tx, viewer.as_ref(), &committee, CommitteeNeed::ManageMembers).await?;
    let role = CommitteeRole::parse(&role);
    let person = accounts::validate_invitee(&email, &display_name, role.is_some())?;
    let role = role.ok_or(AppError::Internal)?;
    let invitee = accounts::find_or_create(&mut tx, &person).await?;
    let who = Named { display_name: &person.display_name, email: &person.email };
    if !members::add_committee_member(&mut tx, c.id, invitee.person_id, role, &who).await? {
        return Err(AppError::Conflict(format!("{} is already a member of {}.", person.email, c.name)));
    }
    let invited = accounts::invitation_outcome(&mut tx, &invitee, Some(c.id), None).await?;
    tx.commit().await?;
    let added = format!("{} is now a {} of {}.", person.display_name, role.label().to_lowercase(), c.name);
    request::notice_invited(invited.message(&added), &invited).await
}

/// Requires: a lead officer of the committee, or a platform admin. The committee keeps at
/// least one lead officer.
#[server(endpoint = "change_member_role")]
pub async fn change_member_role(committee: String, person: String, role: String) -> Result<(), AppError> {
    use crate::domain::account::CommitteeRole;
    use crate::server::authz::{self, CommitteeNeed};
    use crate::server::{db::members, request};
    let (viewer, mut tx) = request::begin().await?;
    let c = authz::committee(&mut tx, viewer.as_ref(), &committee, CommitteeNeed::ManageMembers).await?;
    let role = CommitteeRole::parse(&role)
        .ok_or_else(|| AppError::invalid("role", "Choose member, contributor or lead officer."))?;
    let not_member = || AppError::not_found(format!("that member of {}", c.name));
    let person_id = uuid::Uuid::parse_str(person.trim()).map_err(|_| not_member())?;
    members::change_committee_member_role(&mut tx, c.id, person_id, role).await?.ok_or_else(not_member)?;
    keeps_a_lead_officer(&mut tx, &c).await?;
    tx.commit().await?;
    request::notice(format!("Role changed to {}.", role.label().to_lowercase())).await
}

/// Requires: a lead officer of the committee, or a platform admin. The committee keeps at
/// least one lead officer; the person's history and audit entries stay.
#[server(endpoint = "remove_member")]
pub async fn remove_member(committee: String, person: String) -> Result<(), AppError> {
    use crate::server::authz::{self, CommitteeNeed};
    use crate::server::{db::members, request};
    let (viewer, mut tx) = request::begin().await?;
    let c = authz::committee(&mut tx, viewer.as_ref(), &committee, CommitteeNeed::ManageMembers).await?;
    let not_member = || AppError::not_found(format!("that member of {}", c.name));
    let person_id = uuid::Uuid::parse_str(person.trim()).map_err(|_| not_member())?;
    members::remove_committee_member(&mut tx, c.id, person_id).await?.ok_or_else(not_member)?;
    keeps_a_lead_officer(&mut tx, &c).await?;
    tx.commit().await?;
    request::notice(format!("Removed from {}. Their history and audit entries are kept.", c.name)).await
}

/// Refuses a change that would leave the committee without a lead officer (the transaction
/// is then dropped, so nothing of it is saved).
#[cfg(feature = "ssr")]
async fn keeps_a_lead_officer(
    db: &mut sqlx::PgConnection,
    c: &crate::server::db::members::NamedRef,
) -> Result<(), AppError> {
    if crate::server::db::members::lead_officer_count(db, c.id).await? == 0 {
        return Err(AppError::Conflict(format!(
            "{} needs at least one lead officer: make someone else lead officer first.",
            c.name
        )));
    }
    Ok(())
}
