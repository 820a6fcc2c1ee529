use crate::domain::views::{CommitteePage, Overview};
use crate::error::AppError;
use leptos::prelude::*;

/// Requires: nothing. The Forth Valley overview: committees with their published plans (and,
/// for their members, the drafts), subgroups, protocols.
#[server(endpoint = "overview")]
pub async fn get_overview() -> Result<Overview, AppError> {
    use crate::server::{auth::viewer::Access, db::overview, request};
    let (viewer, mut tx) = request::begin().await?;
    let region = overview::home_region(&mut tx).await?;
    let mut committees = overview::committee_summaries(&mut tx, &Access::of(viewer.as_ref()), region.id, None).await?;
    let subgroups = overview::subgroup_summaries(&mut tx, region.id).await?;
    let protocols = overview::protocol_summaries(&mut tx, region.id).await?;
    tx.commit().await?;
    for c in &mut committees {
        ssr::set_flags(viewer.as_ref(), c);
    }
    Ok(Overview { region_name: region.name, committees, subgroups, protocols })
}

/// Requires: nothing. One committee with its plans and the subgroups it takes part in.
#[server(endpoint = "committee")]
pub async fn get_committee(committee: String) -> Result<CommitteePage, AppError> {
    use crate::server::{auth::viewer::Access, authz, db::overview, request};
    let (viewer, mut tx) = request::begin().await?;
    let region = overview::home_region(&mut tx).await?;
    let mut summary = overview::committee_summaries(&mut tx, &Access::of(viewer.as_ref()), region.id, Some(&committee))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::not_found(format!("a committee called \"{committee}\"")))?;
    let subgroups = overview::committee_subgroups(&mut tx, &committee).await?;
    tx.commit().await?;
    ssr::set_flags(viewer.as_ref(), &mut summary);
    let viewer = viewer.as_ref();
    Ok(CommitteePage {
        can_see_members: authz::may_see_members(viewer, summary.id),
        can_read_audit: authz::may_read_committee(viewer, summary.id),
        can_import: authz::may_lead(viewer, summary.id),
        committee: summary,
        region_name: region.name,
        subgroups,
    })
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::domain::plan::PlanState;
    use crate::domain::views::CommitteeSummary;
    use crate::server::authz::{self, Viewer};

    pub fn set_flags(viewer: Option<&Viewer>, c: &mut CommitteeSummary) {
        let leads = authz::may_lead(viewer, c.id);
        for plan in &mut c.plans {
            plan.can_publish = leads && plan.state != PlanState::Published;
        }
    }
}
