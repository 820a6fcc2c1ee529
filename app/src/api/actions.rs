use crate::domain::views::ActionDetail;
use crate::error::AppError;
use leptos::prelude::*;

/// One action as a plan shows it, with its history and, if shared, every adopting plan.
#[server(endpoint = "action")]
pub async fn get_action(committee: String, plan: String, action: String) -> Result<ActionDetail, AppError> {
    use crate::server::{auth::viewer::Access, db::actions, request};
    let not_found = || AppError::not_found(format!("action {action} in plan {plan} of \"{committee}\""));
    let id = uuid::Uuid::parse_str(&action).map_err(|_| not_found())?;
    let (viewer, mut tx) = request::begin().await?;
    let detail = actions::action_detail(&mut tx, &Access::of(viewer.as_ref()), &committee, &plan, id)
        .await?
        .ok_or_else(not_found)?;
    tx.commit().await?;
    Ok(detail)
}
