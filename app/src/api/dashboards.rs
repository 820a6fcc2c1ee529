//! Dashboards: a committee's plans at a glance, and a subgroup's shared actions across every
//! committee that adopts them (`domain::dashboard` decides what each list holds).

use crate::domain::dashboard::{Dashboard, PlanDashboard};
use crate::error::AppError;
use leptos::prelude::*;

/// Requires: nothing. Published plans for everyone; drafts and archived plans for the
/// committee's members only (as on the committee's page).
#[server(endpoint = "committee_dashboard")]
pub async fn committee_dashboard(committee: String) -> Result<Vec<PlanDashboard>, AppError> {
    use crate::server::{auth::viewer::Access, db, request};
    let (viewer, mut tx) = request::begin().await?;
    let dashboards = db::dashboard::committee_dashboards(&mut tx, &Access::of(viewer.as_ref()), &committee).await?;
    tx.commit().await?;
    Ok(dashboards)
}

/// Requires: nothing. The subgroup's shared actions, with the adopting committees the
/// reader may see (their published plans; drafts for their members).
#[server(endpoint = "subgroup_dashboard")]
pub async fn subgroup_dashboard(subgroup: String) -> Result<Dashboard, AppError> {
    use crate::server::{auth::viewer::Access, db, request};
    let (viewer, mut tx) = request::begin().await?;
    let dashboard = db::dashboard::subgroup_dashboard(&mut tx, &Access::of(viewer.as_ref()), &subgroup).await?;
    tx.commit().await?;
    Ok(dashboard)
}
