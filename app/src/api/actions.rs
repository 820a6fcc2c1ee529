use crate::domain::views::ActionDetail;
use crate::error::AppError;
use leptos::prelude::*;

/// Requires: whoever may read the plan it is shown in. One action as that plan shows it, with
/// its history and, if shared, every adopting plan; and what the reader may do with it.
#[server(endpoint = "action")]
pub async fn get_action(committee: String, plan: String, action: String) -> Result<ActionDetail, AppError> {
    use crate::server::authz::{self, Owner};
    use crate::server::{auth::viewer::Access, db::actions, request};
    let not_found = || AppError::not_found(format!("action {action} in plan {plan} of \"{committee}\""));
    let id = uuid::Uuid::parse_str(&action).map_err(|_| not_found())?;
    let (viewer, mut tx) = request::begin().await?;
    let mut detail = actions::action_detail(&mut tx, &Access::of(viewer.as_ref()), &committee, &plan, id)
        .await?
        .ok_or_else(not_found)?;
    let (committee_id, subgroup_id) = detail.row.owner_ids;
    let owner = Owner::of(committee_id, subgroup_id);
    let viewer = viewer.as_ref();
    detail.row.can_update = owner.is_some_and(|o| authz::may_update_action(viewer, o));
    detail.can_link_protocols = owner.is_some_and(|o| authz::may_shape_action(viewer, o));
    detail.can_stop_adopting =
        owner.is_some_and(|o| authz::may_stop_adopting(viewer, detail.placement_committee_id, o));
    if detail.can_link_protocols {
        detail.protocol_options = actions::protocol_options(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(detail)
}
