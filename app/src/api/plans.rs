use crate::domain::views::PlanView;
use crate::error::AppError;
use leptos::prelude::*;

/// A committee's published plan, whole; pages filter it in place.
#[server(endpoint = "plan")]
pub async fn get_plan(committee: String, plan: String) -> Result<PlanView, AppError> {
    use crate::server::{db::plans, state::app_state};
    let mut tx = app_state()?.pool.begin().await?;
    let view = plans::load_published_plan(&mut tx, &committee, &plan)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a published plan {plan} for the committee \"{committee}\"")))?;
    tx.commit().await?;
    Ok(view)
}
