//! Platform administration (DESIGN.md: platform admins manage committees, subgroups and
//! people) and subgroup membership, which a subgroup's chair manages too.

use crate::domain::views::AdminPage;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "admin")]
pub async fn get_admin() -> Result<AdminPage, AppError> {
    use crate::domain::views::CommitteeRef;
    use crate::server::db::{admin, overview};
    use crate::server::{accounts, auth::viewer::Access, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = accounts::admin(viewer)?;
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

#[cfg(feature = "ssr")]
fn check_names(name: &str, short_name: &str, slug: &str) -> Result<(String, String, String), AppError> {
    use crate::domain::slug::Slug;
    use crate::error::Validation;
    let tidy = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (name, short_name, slug) = (tidy(name), tidy(short_name), slug.trim().to_lowercase());
    let mut v = Validation::default();
    v.check(!name.is_empty() && name.chars().count() <= 120, "name", "Enter a name of up to 120 characters.")
        .check(
            !short_name.is_empty() && short_name.chars().count() <= 40,
            "short_name",
            "Enter a short name of up to 40 characters.",
        )
        .check(
            Slug::parse(&slug).is_ok(),
            "slug",
            "Use lower-case letters and digits joined by hyphens, e.g. west-lothian.",
        );
    v.finish()?;
    Ok((name, short_name, slug))
}

#[server(endpoint = "create_committee")]
pub async fn create_committee(name: String, short_name: String, slug: String) -> Result<(), AppError> {
    use crate::server::db::{admin, overview};
    use crate::server::{accounts, request};
    let (viewer, mut tx) = request::begin().await?;
    accounts::admin(viewer)?;
    let (name, short_name, slug) = check_names(&name, &short_name, &slug)?;
    if admin::slug_taken(&mut tx, admin::SlugTable::Committees, &slug).await? {
        return Err(AppError::invalid("slug", "Another committee already uses this web address."));
    }
    let region = overview::home_region(&mut tx).await?;
    admin::create_committee(
        &mut tx,
        admin::NewCommittee {
            region_id: region.id,
            slug: &slug,
            name: &name,
            short_name: &short_name,
            council_areas: &[],
            cog_name: "",
            is_sample: false,
        },
    )
    .await?;
    tx.commit().await?;
    request::notice(format!("{name} is created. Invite its first lead officer from its members page.")).await
}

/// A regional subgroup in which every committee of the region takes part.
#[server(endpoint = "create_subgroup")]
pub async fn create_subgroup(name: String, short_name: String, slug: String) -> Result<(), AppError> {
    use crate::server::db::{admin, overview};
    use crate::server::{accounts, request};
    let (viewer, mut tx) = request::begin().await?;
    accounts::admin(viewer)?;
    let (name, short_name, slug) = check_names(&name, &short_name, &slug)?;
    if admin::slug_taken(&mut tx, admin::SlugTable::Subgroups, &slug).await? {
        return Err(AppError::invalid("slug", "Another subgroup already uses this web address."));
    }
    let region = overview::home_region(&mut tx).await?;
    let participating = admin::committee_ids(&mut tx, region.id).await?;
    admin::create_subgroup(
        &mut tx,
        admin::NewSubgroup {
            region_id: region.id,
            slug: &slug,
            name: &name,
            short_name: &short_name,
            aliases: &[],
            local_committee: None,
            participating: &participating,
        },
    )
    .await?;
    tx.commit().await?;
    request::notice(format!("{name} is created, with every committee of the region taking part.")).await
}

#[server(endpoint = "add_subgroup_member")]
pub async fn add_subgroup_member(
    subgroup: String,
    email: String,
    display_name: String,
    role: String,
) -> Result<(), AppError> {
    use crate::domain::account::SubgroupRole;
    use crate::server::db::{audit, members};
    use crate::server::{accounts, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = request::signed_in(viewer)?;
    let s = accounts::managed_subgroup(&mut tx, &viewer, &subgroup).await?;
    let role = SubgroupRole::parse(&role);
    let person = accounts::validate_invitee(&email, &display_name, role.is_some())?;
    let role = role.expect("validated above");
    let invitee = accounts::find_or_create(&mut tx, &person).await?;
    if !members::add_subgroup_member(&mut tx, s.id, invitee.person_id, role).await? {
        return Err(AppError::Conflict(format!("{} is already a member of {}.", person.email, s.name)));
    }
    audit::record(
        &mut tx,
        audit::AuditEvent {
            committee_id: None,
            subgroup_id: Some(s.id),
            entity: "subgroup_membership",
            entity_id: Some(invitee.person_id),
            operation: "insert",
            summary: format!("Added {} ({}) as {}", person.display_name, person.email, role.label().to_lowercase()),
            before: None,
            after: Some(serde_json::json!({ "person": person.email, "role": role.code() })),
        },
    )
    .await?;
    let invited = accounts::invitation_outcome(&mut tx, &invitee, None, Some(s.id)).await?;
    tx.commit().await?;
    let added = format!("{} is now {} of {}.", person.display_name, role.label().to_lowercase(), s.name);
    request::notice_invited(invited.message(&added), &invited).await
}

#[server(endpoint = "remove_subgroup_member")]
pub async fn remove_subgroup_member(subgroup: String, person: String) -> Result<(), AppError> {
    use crate::server::db::{audit, members};
    use crate::server::{accounts, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = request::signed_in(viewer)?;
    let s = accounts::managed_subgroup(&mut tx, &viewer, &subgroup).await?;
    let not_member = || AppError::not_found(format!("that member of {}", s.name));
    let person_id = uuid::Uuid::parse_str(person.trim()).map_err(|_| not_member())?;
    let before = members::remove_subgroup_member(&mut tx, s.id, person_id).await?.ok_or_else(not_member)?;
    audit::record(
        &mut tx,
        audit::AuditEvent {
            committee_id: None,
            subgroup_id: Some(s.id),
            entity: "subgroup_membership",
            entity_id: Some(person_id),
            operation: "delete",
            summary: "Removed a member".into(),
            before: Some(serde_json::json!({ "role": before })),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    request::notice(format!("Removed from {}.", s.name)).await
}

/// A new one-time link for someone who has forgotten their password (no mail server: the
/// admin passes it on). Their earlier unused links stop working.
#[server(endpoint = "issue_sign_in_link")]
pub async fn issue_sign_in_link(person: String) -> Result<(), AppError> {
    use crate::server::db::{admin, audit};
    use crate::server::{accounts, request};
    let (viewer, mut tx) = request::begin().await?;
    accounts::admin(viewer)?;
    let not_found = || AppError::not_found("that person");
    let person_id = uuid::Uuid::parse_str(person.trim()).map_err(|_| not_found())?;
    let (name, _) = admin::person_label(&mut tx, person_id).await?.ok_or_else(not_found)?;
    let token = accounts::issue_link(&mut tx, person_id, None, None).await?.ok_or(AppError::Forbidden)?;
    audit::record(
        &mut tx,
        audit::AuditEvent {
            committee_id: None,
            subgroup_id: None,
            entity: "person",
            entity_id: Some(person_id),
            operation: "update",
            summary: format!("Issued a new sign-in link for {name}"),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    request::notice_with_link(
        format!("A new one-time link for {name}; any earlier link of theirs no longer works, and their current password keeps working until they use this one:"),
        &token,
    )
    .await
}
