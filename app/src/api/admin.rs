//! Platform administration (DESIGN.md: platform admins manage committees, subgroups and
//! people) and subgroup membership, which a subgroup's chair manages too.

use crate::domain::views::AdminPage;
use crate::error::AppError;
use leptos::prelude::*;

/// Requires: a platform admin.
#[server(endpoint = "admin")]
pub async fn get_admin() -> Result<AdminPage, AppError> {
    use crate::domain::views::CommitteeRef;
    use crate::server::db::{admin, overview};
    use crate::server::{auth::viewer::Access, authz, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = authz::require_admin(viewer)?;
    let region = overview::home_region(&mut tx).await?;
    let committees = overview::committee_summaries(&mut tx, &Access::of(Some(&viewer)), region.id, None)
        .await?
        .into_iter()
        .map(|c| CommitteeRef { slug: c.slug, name: c.name, short_name: c.short_name })
        .collect();
    let subgroups = admin::subgroups_with_members(&mut tx, region.id).await?;
    let people = admin::people_overview(&mut tx).await?;
    tx.commit().await?;
    Ok(AdminPage { committees, subgroups, people })
}

/// Requires: a platform admin. A slug another committee uses is refused by the database's
/// unique constraint, which also settles two admins creating the same one at once.
#[server(endpoint = "create_committee")]
pub async fn create_committee(name: String, short_name: String, slug: String) -> Result<(), AppError> {
    use crate::domain::slug::check_names;
    use crate::server::db::{admin, overview};
    use crate::server::{authz, request};
    let (viewer, mut tx) = request::begin().await?;
    authz::require_admin(viewer)?;
    let names = check_names(&name, &short_name, &slug)?;
    let region = overview::home_region(&mut tx).await?;
    admin::create_committee(
        &mut tx,
        admin::NewCommittee {
            region_id: region.id,
            slug: &names.slug,
            name: &names.name,
            short_name: &names.short_name,
            council_areas: &[],
            cog_name: "",
            is_sample: false,
        },
    )
    .await?;
    tx.commit().await?;
    request::notice(format!("{} is created. Invite its first lead officer from its members page.", names.name)).await
}

/// Requires: a platform admin. A regional subgroup in which every committee of the region
/// takes part.
#[server(endpoint = "create_subgroup")]
pub async fn create_subgroup(name: String, short_name: String, slug: String) -> Result<(), AppError> {
    use crate::domain::slug::check_names;
    use crate::server::db::{admin, overview};
    use crate::server::{authz, request};
    let (viewer, mut tx) = request::begin().await?;
    authz::require_admin(viewer)?;
    let names = check_names(&name, &short_name, &slug)?;
    let region = overview::home_region(&mut tx).await?;
    let participating = admin::committee_ids(&mut tx, region.id).await?;
    admin::create_subgroup(
        &mut tx,
        admin::NewSubgroup {
            region_id: region.id,
            slug: &names.slug,
            name: &names.name,
            short_name: &names.short_name,
            aliases: &[],
            local_committee: None,
            participating: &participating,
        },
    )
    .await?;
    tx.commit().await?;
    request::notice(format!("{} is created, with every committee of the region taking part.", names.name)).await
}

/// Requires: the subgroup's chair, or a platform admin.
#[server(endpoint = "add_subgroup_member")]
pub async fn add_subgroup_member(
    subgroup: String,
    email: String,
    display_name: String,
    role: String,
) -> Result<(), AppError> {
    use crate::domain::account::SubgroupRole;
    use crate::server::authz::{self, SubgroupNeed};
    use crate::server::db::members::{self, Named};
    use crate::server::{accounts, request};
    let (viewer, mut tx) = request::begin().await?;
    let s = authz::subgroup(&mut tx, viewer.as_ref(), &subgroup, SubgroupNeed::Manage).await?;
    let role = SubgroupRole::parse(&role);
    let person = accounts::validate_invitee(&email, &display_name, role.is_some())?;
    let role = role.ok_or(AppError::Internal)?;
    let invitee = accounts::find_or_create(&mut tx, &person).await?;
    let who = Named { display_name: &person.display_name, email: &person.email };
    if !members::add_subgroup_member(&mut tx, s.id, invitee.person_id, role, &who).await? {
        return Err(AppError::Conflict(format!("{} is already a member of {}.", person.email, s.name)));
    }
    let invited = accounts::invitation_outcome(&mut tx, &invitee, None, Some(s.id)).await?;
    tx.commit().await?;
    let added = format!("{} is now {} of {}.", person.display_name, role.label().to_lowercase(), s.name);
    request::notice_invited(invited.message(&added), &invited).await
}

/// Requires: the subgroup's chair, or a platform admin.
#[server(endpoint = "remove_subgroup_member")]
pub async fn remove_subgroup_member(subgroup: String, person: String) -> Result<(), AppError> {
    use crate::server::authz::{self, SubgroupNeed};
    use crate::server::{db::members, request};
    let (viewer, mut tx) = request::begin().await?;
    let s = authz::subgroup(&mut tx, viewer.as_ref(), &subgroup, SubgroupNeed::Manage).await?;
    let not_member = || AppError::not_found(format!("that member of {}", s.name));
    let person_id = uuid::Uuid::parse_str(person.trim()).map_err(|_| not_member())?;
    members::remove_subgroup_member(&mut tx, s.id, person_id).await?.ok_or_else(not_member)?;
    tx.commit().await?;
    request::notice(format!("Removed from {}.", s.name)).await
}

/// Requires: a platform admin. A new one-time link for someone who has forgotten their
/// password (no mail server: the admin passes it on); their earlier unused links stop working.
#[server(endpoint = "issue_sign_in_link")]
pub async fn issue_sign_in_link(person: String) -> Result<(), AppError> {
    use crate::server::db::admin;
    use crate::server::{accounts, authz, request};
    let (viewer, mut tx) = request::begin().await?;
    authz::require_admin(viewer)?;
    let not_found = || AppError::not_found("that person");
    let person_id = uuid::Uuid::parse_str(person.trim()).map_err(|_| not_found())?;
    let (name, _) = admin::person_label(&mut tx, person_id).await?.ok_or_else(not_found)?;
    let token = accounts::reset_link(&mut tx, person_id, &name).await?;
    tx.commit().await?;
    request::notice_with_link(
        format!(
            "A new one-time link for {name}; any earlier link of theirs no longer works, and their current password \
             keeps working until they use this one:"
        ),
        &token,
    )
    .await
}

/// Requires: a platform admin, not for their own account. Deactivates someone who has left:
/// they are signed out everywhere at once, cannot sign in or use a link, and lose every
/// membership; their name stays on everything they did. (A lead officer removes someone from
/// their own committee with `remove_member`.)
#[server(endpoint = "deactivate_person")]
pub async fn deactivate_person(person: String) -> Result<(), AppError> {
    use crate::server::db::{admin, people};
    use crate::server::{authz, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = authz::require_admin(viewer)?;
    let not_found = || AppError::not_found("that person");
    let person_id = uuid::Uuid::parse_str(person.trim()).map_err(|_| not_found())?;
    if person_id == viewer.id {
        return Err(AppError::Conflict("You cannot deactivate your own account: another platform admin can.".into()));
    }
    let (name, _) = admin::person_label(&mut tx, person_id).await?.ok_or_else(not_found)?;
    let removed = people::deactivate(&mut tx, person_id, &name).await?;
    tx.commit().await?;
    request::notice(format!(
        "Deactivated {name}: signed out everywhere, unable to sign in, and removed from {removed} membership{}. \
         Their name stays on what they did.",
        if removed == 1 { "" } else { "s" }
    ))
    .await
}
