use crate::domain::views::SubgroupPage;
use crate::error::AppError;
use leptos::prelude::*;

/// Requires: nothing (a subgroup's page is public; what it offers depends on the reader). Its
/// shared actions across every committee that adopts them.
#[server(endpoint = "subgroup")]
pub async fn get_subgroup(subgroup: String) -> Result<SubgroupPage, AppError> {
    use crate::server::{auth::viewer::Access, authz, db::shared, db::subgroups, request};
    let (viewer, mut tx) = request::begin().await?;
    let mut page = subgroups::subgroup_page(&mut tx, &Access::of(viewer.as_ref()), &subgroup)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a subgroup called \"{subgroup}\"")))?;
    page.can_update = authz::may_work_in_subgroup(viewer.as_ref(), page.id);
    page.is_chair = authz::may_chair(viewer.as_ref(), page.id);
    if viewer.is_some() {
        let participants = crate::server::db::members::subgroup_committee_ids(&mut tx, page.id).await?;
        page.can_read_risks = authz::may_read_register(viewer.as_ref(), authz::Owner::Subgroup(page.id), &participants);
        // The plans of committees taking part in the subgroup, where the reader leads.
        page.adopt_targets = shared::adopt_targets(&mut tx, page.id)
            .await?
            .into_iter()
            .filter(|t| authz::may_lead(viewer.as_ref(), t.committee_id))
            .collect();
    }
    tx.commit().await?;
    Ok(page)
}
