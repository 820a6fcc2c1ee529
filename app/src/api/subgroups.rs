use crate::domain::views::SubgroupPage;
use crate::error::AppError;
use leptos::prelude::*;

/// A subgroup's shared actions across every committee that adopts them.
#[server(endpoint = "subgroup")]
pub async fn get_subgroup(subgroup: String) -> Result<SubgroupPage, AppError> {
    use crate::server::{auth::viewer::Access, db::subgroups, request};
    let (viewer, mut tx) = request::begin().await?;
    let page = subgroups::subgroup_page(&mut tx, &Access::of(viewer.as_ref()), &subgroup)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a subgroup called \"{subgroup}\"")))?;
    tx.commit().await?;
    Ok(page)
}
