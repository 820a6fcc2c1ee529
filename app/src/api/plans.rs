use crate::domain::views::PlanView;
use crate::error::AppError;
use leptos::prelude::*;

/// A committee's plan, whole, if the reader may see it; pages filter it in place.
#[server(endpoint = "plan")]
pub async fn get_plan(committee: String, plan: String) -> Result<PlanView, AppError> {
    use crate::server::{auth::viewer::Access, db::plans, request};
    let (viewer, mut tx) = request::begin().await?;
    let header = plans::find_plan(&mut *tx, &Access::of(viewer.as_ref()), &committee, &plan)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a published plan {plan} for the committee \"{committee}\"")))?;
    let can_edit = header.state != "archived"
        && viewer
            .as_ref()
            .is_some_and(|v| v.has_role(header.committee_id, crate::domain::account::CommitteeRole::LeadOfficer));
    let view = PlanView { can_edit, ..plans::load_plan(&mut tx, header).await? };
    tx.commit().await?;
    Ok(view)
}

/// Publishes a draft (or archived) plan: lead officers of the plan's committee only.
#[server(endpoint = "publish_plan")]
pub async fn publish_plan(committee: String, plan: String) -> Result<(), AppError> {
    use crate::domain::account::CommitteeRole;
    use crate::server::{auth::viewer::Access, db::plans, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = request::signed_in(viewer)?;
    // A plan the person may not read is "not found", whatever its id: nothing is revealed.
    let header = plans::find_plan(&mut *tx, &Access::of(Some(&viewer)), &committee, &plan)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a plan {plan} for the committee \"{committee}\"")))?;
    if !viewer.has_role(header.committee_id, CommitteeRole::LeadOfficer) {
        return Err(AppError::Forbidden);
    }
    if header.state == "published" {
        return Err(AppError::Conflict(format!("{} is already published.", header.title)));
    }
    plans::publish(&mut tx, &header).await?;
    tx.commit().await?;
    request::notice(format!("{} is published: anyone can now read it.", header.title)).await
}
