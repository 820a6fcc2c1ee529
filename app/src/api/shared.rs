//! Shared actions: a Forth Valley subgroup's chair creates one; lead officers of the committees
//! taking part place it in their plans under their own objectives, or stop doing so.

use crate::error::AppError;
use leptos::prelude::*;

/// Requires: the chair of the subgroup.
#[server(endpoint = "create_shared_action")]
pub async fn create_shared_action(
    subgroup: String,
    description: String,
    lead: String,
    timescale: String,
    evidence: String,
) -> Result<(), AppError> {
    use crate::domain::update::check_wording;
    use crate::server::authz::{self, SubgroupNeed};
    use crate::server::db::shared;
    use crate::server::request;
    let (viewer, mut tx) = request::begin().await?;
    let s = authz::subgroup(&mut tx, viewer.as_ref(), &subgroup, SubgroupNeed::Chair).await?;
    let wording = check_wording(&description, &lead, &timescale, &evidence)?;
    shared::create(
        &mut tx,
        &shared::NewSharedAction {
            subgroup_id: s.id,
            description: &wording.description,
            lead: &wording.lead,
            timescale: &wording.timescale,
            evidence: &wording.evidence,
        },
    )
    .await?;
    tx.commit().await?;
    request::notice(format!(
        "Shared action created. Lead officers of the committees taking part in {} can now adopt it into their plans.",
        s.name
    ))
    .await
}

/// Requires: a lead officer of the committee whose plan it goes into (not archived), which
/// takes part in the subgroup that owns the action. `placement` is "committee/plan/objective",
/// e.g. "stirling/2024-26/3.2".
#[server(endpoint = "adopt_action")]
pub async fn adopt_action(action: String, placement: String, local_note: Option<String>) -> Result<(), AppError> {
    use crate::domain::plan::PlanState;
    use crate::domain::update::{check_local_note, excerpt, parse_placement};
    use crate::server::authz;
    use crate::server::{auth::viewer::Access, db::plans, db::shared, request};
    let not_found = || AppError::not_found("that shared action");
    let id = uuid::Uuid::parse_str(action.trim()).map_err(|_| not_found())?;
    let (viewer, mut tx) = request::begin().await?;
    let viewer = authz::require_signed_in(viewer)?;
    let (committee, plan, outcome, minor) = parse_placement(&placement)?;
    let header = plans::find_plan(&mut *tx, &Access::of(Some(&viewer)), &committee, &plan)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a plan {plan} for the committee \"{committee}\"")))?;
    authz::require(Some(&viewer), authz::may_lead(Some(&viewer), header.committee_id))?;
    if header.state == PlanState::Archived {
        return Err(AppError::invalid("placement", "That plan is archived; choose a current plan."));
    }
    let action = shared::shared_action(&mut tx, id, header.committee_id).await?.ok_or_else(not_found)?;
    if !action.participates {
        return Err(AppError::Conflict(format!(
            "{} does not take part in the subgroup that owns this action.",
            header.committee.name
        )));
    }
    let objective = shared::objective_id(&mut tx, header.id, outcome, minor).await?.ok_or_else(|| {
        AppError::invalid("placement", format!("{} has no objective {outcome}.{minor}.", header.title))
    })?;
    let note = check_local_note(local_note.as_deref().unwrap_or_default())?;
    let at = shared::Placement {
        plan_id: header.id,
        committee_id: header.committee_id,
        objective_id: objective,
        local_note: &note,
    };
    let position = shared::adopt(&mut tx, &action, &at).await?;
    tx.commit().await?;
    request::notice(format!(
        "\"{}\" is now action {outcome}.{minor}.{position} of {}.",
        excerpt(&action.description),
        header.title
    ))
    .await
}

/// Requires: a lead officer of the plan's committee.
#[server(endpoint = "stop_adopting")]
pub async fn stop_adopting(committee: String, plan: String, action: String, version: i32) -> Result<(), AppError> {
    use crate::domain::update::excerpt;
    use crate::server::authz;
    use crate::server::{auth::viewer::Access, db::plans, db::shared, request};
    let not_found = || AppError::not_found("that shared action in this plan");
    let id = uuid::Uuid::parse_str(action.trim()).map_err(|_| not_found())?;
    let (viewer, mut tx) = request::begin().await?;
    let viewer = authz::require_signed_in(viewer)?;
    let header = plans::find_plan(&mut *tx, &Access::of(Some(&viewer)), &committee, &plan)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a plan {plan} for the committee \"{committee}\"")))?;
    authz::require(Some(&viewer), authz::may_lead(Some(&viewer), header.committee_id))?;
    let action = shared::shared_action(&mut tx, id, header.committee_id).await?.ok_or_else(not_found)?;
    shared::stop_adopting(&mut tx, header.id, header.committee_id, &action, version).await?;
    tx.commit().await?;
    // The action page this came from no longer exists in this plan.
    request::redirect(&crate::domain::links::plan_href(&header.committee.slug, &header.slug))?;
    request::notice(format!(
        "{} no longer includes \"{}\". Its history is kept, and it can be adopted again from the subgroup's page.",
        header.title,
        excerpt(&action.description)
    ))
    .await
}
