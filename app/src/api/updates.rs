//! Updating an action: its status, progress report and evidence, by the people who run it.

use crate::error::AppError;
use leptos::prelude::*;

/// Requires: a contributor or lead officer of the owning committee, or a member or chair of
/// the owning subgroup for a shared action (`authz::may_update_action`). `version` is the one
/// the form was loaded with: an update based on an older one is refused with what changed since.
#[server(endpoint = "update_action")]
pub async fn update_action(
    action: String,
    version: i32,
    status: String,
    progress: String,
    evidence: String,
    revised_timescale: Option<String>,
    reason: Option<String>,
    note: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::status::status_label;
    use crate::domain::update::{check_update, excerpt, UpdateForm};
    use crate::server::authz::{self, Owner};
    use crate::server::{db::updates, request};
    let not_found = || AppError::not_found("that action");
    let id = uuid::Uuid::parse_str(action.trim()).map_err(|_| not_found())?;
    let (viewer, mut tx) = request::begin().await?;
    let viewer = authz::require_signed_in(viewer)?;
    let current = updates::action_state(&mut tx, id).await?.ok_or_else(not_found)?;
    let owner = Owner::of(current.owner_committee_id, current.owner_subgroup_id);
    authz::require(Some(&viewer), owner.is_some_and(|o| authz::may_update_action(Some(&viewer), o)))?;
    let form = UpdateForm {
        status: &status,
        progress: &progress,
        evidence: &evidence,
        revised_timescale: revised_timescale.as_deref().unwrap_or_default(),
        reason: reason.as_deref().unwrap_or_default(),
        note: note.as_deref().unwrap_or_default(),
    };
    let update = check_update(&form, current.status)?;
    updates::apply_update(&mut tx, &current, version, &update).await?;
    tx.commit().await?;
    request::notice(format!(
        "Saved. \"{}\" is now {}.",
        excerpt(&current.description),
        status_label(update.status).to_lowercase()
    ))
    .await
}
