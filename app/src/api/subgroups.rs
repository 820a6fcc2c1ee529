use crate::domain::views::SubgroupPage;
use crate::error::AppError;
use leptos::prelude::*;

/// A subgroup's shared actions across every committee that adopts them.
#[server(endpoint = "subgroup")]
pub async fn get_subgroup(subgroup: String) -> Result<SubgroupPage, AppError> {
    use crate::server::{auth::viewer::Access, db::subgroups, request};
    let (viewer, mut tx) = request::begin().await?;
    let mut page = subgroups::subgroup_page(&mut tx, &Access::of(viewer.as_ref()), &subgroup)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a subgroup called \"{subgroup}\"")))?;
    if let Some(viewer) = &viewer {
        let role = viewer.subgroup_role(page.id);
        page.can_update = role.is_some();
        page.is_chair = role == Some(crate::domain::account::SubgroupRole::Chair);
        page.adopt_targets = crate::server::db::shared::adopt_targets(&mut tx, page.id).await?;
    }
    tx.commit().await?;
    Ok(page)
}
