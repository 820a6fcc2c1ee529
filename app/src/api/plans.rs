use crate::domain::views::PlanView;
use crate::error::AppError;
use leptos::prelude::*;

/// Requires: nothing for a published plan; a member of its committee for any other (anyone
/// else is told it does not exist). The plan whole; pages filter it in place.
#[server(endpoint = "plan")]
pub async fn get_plan(committee: String, plan: String) -> Result<PlanView, AppError> {
    use crate::server::authz::{self, Owner};
    use crate::server::{auth::viewer::Access, db::plans, request};
    let (viewer, mut tx) = request::begin().await?;
    let header = plans::find_plan(&mut *tx, &Access::of(viewer.as_ref()), &committee, &plan)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a published plan {plan} for the committee \"{committee}\"")))?;
    let can_edit = authz::may_edit_plan(viewer.as_ref(), header.committee_id, header.state);
    let mut view = plans::load_plan(&mut tx, header).await?;
    tx.commit().await?;
    view.can_edit = can_edit;
    for action in view.actions_mut() {
        let (committee, subgroup) = action.owner_ids;
        action.can_update =
            Owner::of(committee, subgroup).is_some_and(|o| authz::may_update_action(viewer.as_ref(), o));
    }
    Ok(view)
}

/// Requires: a lead officer of the plan's committee. Publishes a draft (or archived) plan.
#[server(endpoint = "publish_plan")]
pub async fn publish_plan(committee: String, plan: String) -> Result<(), AppError> {
    use crate::domain::plan::PlanState;
    use crate::server::authz;
    use crate::server::{auth::viewer::Access, db::plans, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = authz::require_signed_in(viewer)?;
    // A plan the person may not read is "not found", whatever its id: nothing is revealed.
    let header = plans::find_plan(&mut *tx, &Access::of(Some(&viewer)), &committee, &plan)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a plan {plan} for the committee \"{committee}\"")))?;
    authz::require(Some(&viewer), authz::may_lead(Some(&viewer), header.committee_id))?;
    if header.state == PlanState::Published {
        return Err(AppError::Conflict(format!("{} is already published.", header.title)));
    }
    plans::publish(&mut tx, &header).await?;
    tx.commit().await?;
    request::notice(format!("{} is published: anyone can now read it.", header.title)).await
}
