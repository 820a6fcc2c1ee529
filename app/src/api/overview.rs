use crate::domain::views::{CommitteePage, Overview};
use crate::error::AppError;
use leptos::prelude::*;

/// The Forth Valley overview: committees with their published plans, subgroups, protocols.
#[server(endpoint = "overview")]
pub async fn get_overview() -> Result<Overview, AppError> {
    use crate::server::{auth::viewer::Access, db::overview, request};
    let (viewer, mut tx) = request::begin().await?;
    let region = overview::home_region(&mut tx).await?;
    let committees = overview::committee_summaries(&mut tx, &Access::of(viewer.as_ref()), region.id, None).await?;
    let subgroups = overview::subgroup_summaries(&mut tx, region.id).await?;
    let protocols = overview::protocol_summaries(&mut tx, region.id).await?;
    tx.commit().await?;
    Ok(Overview { region_name: region.name, committees, subgroups, protocols })
}

/// One committee with its published plans and the subgroups it takes part in.
#[server(endpoint = "committee")]
pub async fn get_committee(committee: String) -> Result<CommitteePage, AppError> {
    use crate::server::{auth::viewer::Access, db::overview, request};
    let (viewer, mut tx) = request::begin().await?;
    let region = overview::home_region(&mut tx).await?;
    let summary = overview::committee_summaries(&mut tx, &Access::of(viewer.as_ref()), region.id, Some(&committee))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::not_found(format!("a committee called \"{committee}\"")))?;
    let subgroups = overview::committee_subgroups(&mut tx, &committee).await?;
    tx.commit().await?;
    Ok(CommitteePage { committee: summary, region_name: region.name, subgroups })
}
