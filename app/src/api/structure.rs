//! Shaping a plan (lead officers of its committee): priorities, outcomes, objectives and the
//! committee's own actions; reviews and renumbering. Every edit carries the version it started
//! from, and an archived plan stays as it was.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod guard {
    use crate::domain::plan::PlanState;
    use crate::error::AppError;
    use crate::server::db::{plans::PlanHeader, structure::PlanRef};
    use crate::server::{auth::viewer::Access, authz, db::plans, request};
    use sqlx::{Postgres, Transaction};

    /// Requires: a lead officer of the plan's committee, and a plan that is not archived. The
    /// plan, for them.
    pub async fn lead_plan(
        committee: &str,
        plan: &str,
    ) -> Result<(Transaction<'static, Postgres>, PlanHeader, PlanRef), AppError> {
        let (viewer, mut tx) = request::begin().await?;
        let viewer = authz::require_signed_in(viewer)?;
        let header = plans::find_plan(&mut *tx, &Access::of(Some(&viewer)), committee, plan)
            .await?
            .ok_or_else(|| AppError::not_found(format!("a plan {plan} for the committee \"{committee}\"")))?;
        authz::require(Some(&viewer), authz::may_lead(Some(&viewer), header.committee_id))?;
        if header.state == PlanState::Archived {
            return Err(AppError::Conflict(format!("{} is archived and kept as it was.", header.title)));
        }
        let plan = PlanRef { id: header.id, committee_id: header.committee_id };
        Ok((tx, header, plan))
    }

    pub fn uuid(value: &str, what: &str) -> Result<uuid::Uuid, AppError> {
        uuid::Uuid::parse_str(value.trim()).map_err(|_| AppError::not_found(what.to_owned()))
    }

    pub async fn finish(tx: Transaction<'static, Postgres>, message: String) -> Result<(), AppError> {
        tx.commit().await?;
        request::notice(message).await
    }
}

/// Requires: a lead officer of the plan's committee, and a plan that is not archived.
/// `kind` is priority, outcome or objective; `parent` the priority (for an outcome) or outcome
/// (for an objective) it goes under.
#[server(endpoint = "add_part")]
pub async fn add_part(
    committee: String,
    plan: String,
    kind: String,
    parent: Option<String>,
    title: String,
) -> Result<(), AppError> {
    use crate::domain::structure::{check_title, Part};
    use crate::server::db::structure;
    let part = Part::parse(&kind)?;
    let (mut tx, _, plan) = guard::lead_plan(&committee, &plan).await?;
    let title = check_title(part, &title)?;
    let parent = match parent.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(guard::uuid(p, "that part of the plan")?),
        None => None,
    };
    structure::add(&mut tx, &plan, part, parent, &title).await?;
    guard::finish(tx, format!("Added the {} \"{title}\".", part.label())).await
}

/// Requires: a lead officer of the plan's committee, and a plan that is not archived.
#[server(endpoint = "rename_part")]
pub async fn rename_part(
    committee: String,
    plan: String,
    kind: String,
    id: String,
    version: i32,
    title: String,
) -> Result<(), AppError> {
    use crate::domain::structure::{check_title, Part};
    use crate::server::db::structure;
    let part = Part::parse(&kind)?;
    let (mut tx, _, plan) = guard::lead_plan(&committee, &plan).await?;
    let id = guard::uuid(&id, "that part of the plan")?;
    let title = check_title(part, &title)?;
    structure::rename(&mut tx, &plan, part, id, version, &title).await?;
    guard::finish(tx, format!("Saved the {}'s new title.", part.label())).await
}

/// Requires: a lead officer of the plan's committee, and a plan that is not archived.
#[server(endpoint = "retire_part")]
pub async fn retire_part(
    committee: String,
    plan: String,
    kind: String,
    id: String,
    version: i32,
) -> Result<(), AppError> {
    use crate::domain::structure::Part;
    use crate::server::db::structure;
    let part = Part::parse(&kind)?;
    let (mut tx, _, plan) = guard::lead_plan(&committee, &plan).await?;
    let id = guard::uuid(&id, "that part of the plan")?;
    structure::retire(&mut tx, &plan, part, id, version).await?;
    guard::finish(
        tx,
        format!(
            "Retired the {}. It and everything under it leave the plan; other numbers stay until you renumber.",
            part.label()
        ),
    )
    .await
}

/// Requires: a lead officer of the plan's committee, and a plan that is not archived.
#[server(endpoint = "move_part")]
pub async fn move_part(
    committee: String,
    plan: String,
    kind: String,
    id: String,
    version: i32,
    direction: String,
) -> Result<(), AppError> {
    use crate::domain::structure::{Direction, Part};
    use crate::server::db::structure;
    let part = Part::parse(&kind)?;
    let direction = Direction::parse(&direction)?;
    let (mut tx, _, plan) = guard::lead_plan(&committee, &plan).await?;
    let id = guard::uuid(&id, "that part of the plan")?;
    let moved = structure::move_part(&mut tx, &plan, part, id, version, direction).await?;
    let message = if moved {
        format!("Moved the {} {}.", part.label(), direction.label())
    } else {
        format!("The {} is already at the {}.", part.label(), if direction == Direction::Up { "top" } else { "bottom" })
    };
    guard::finish(tx, message).await
}

/// Requires: a lead officer of the plan's committee, and a plan that is not archived.
#[server(endpoint = "renumber_plan")]
pub async fn renumber_plan(committee: String, plan: String) -> Result<(), AppError> {
    use crate::server::db::structure;
    let (mut tx, _, plan) = guard::lead_plan(&committee, &plan).await?;
    structure::renumber(&mut tx, &plan).await?;
    guard::finish(tx, "Renumbered: priorities, outcomes, objectives and actions now run 1, 2, 3… without gaps.".into())
        .await
}

/// Requires: a lead officer of the plan's committee, and a plan that is not archived.
#[server(endpoint = "add_plan_action")]
pub async fn add_plan_action(
    committee: String,
    plan: String,
    objective: String,
    description: String,
    lead: String,
    timescale: String,
    evidence: String,
) -> Result<(), AppError> {
    use crate::domain::update::check_wording;
    use crate::server::db::plan_actions;
    let (mut tx, _, plan) = guard::lead_plan(&committee, &plan).await?;
    let objective = guard::uuid(&objective, "that objective")?;
    let wording = check_wording(&description, &lead, &timescale, &evidence)?;
    plan_actions::add(&mut tx, &plan, objective, &wording).await?;
    guard::finish(tx, "Added the action to the plan.".into()).await
}

/// Requires: a lead officer of the plan's committee, and a plan that is not archived.
#[server(endpoint = "reword_action")]
pub async fn reword_action(
    committee: String,
    plan: String,
    action: String,
    version: i32,
    description: String,
    lead: String,
    timescale: String,
    evidence: String,
) -> Result<(), AppError> {
    use crate::domain::update::check_wording;
    use crate::server::db::plan_actions;
    let (mut tx, _, plan) = guard::lead_plan(&committee, &plan).await?;
    let action = guard::uuid(&action, "that action")?;
    let wording = check_wording(&description, &lead, &timescale, &evidence)?;
    plan_actions::reword(&mut tx, &plan, action, version, &wording).await?;
    guard::finish(tx, "Saved the action's new wording.".into()).await
}

/// Requires: a lead officer of the plan's committee, and a plan that is not archived.
#[server(endpoint = "retire_action")]
pub async fn retire_action(committee: String, plan: String, action: String, version: i32) -> Result<(), AppError> {
    use crate::server::db::plan_actions;
    let (mut tx, _, plan) = guard::lead_plan(&committee, &plan).await?;
    let action = guard::uuid(&action, "that action")?;
    plan_actions::retire(&mut tx, &plan, action, version).await?;
    guard::finish(
        tx,
        "Retired the action from the plan; its history is kept and other numbers stay until you renumber.".into(),
    )
    .await
}

/// Requires: a lead officer of the plan's committee, and a plan that is not archived.
#[server(endpoint = "move_action")]
pub async fn move_action(
    committee: String,
    plan: String,
    action: String,
    version: i32,
    direction: String,
) -> Result<(), AppError> {
    use crate::domain::structure::Direction;
    use crate::server::db::plan_actions;
    let direction = Direction::parse(&direction)?;
    let (mut tx, _, plan) = guard::lead_plan(&committee, &plan).await?;
    let action = guard::uuid(&action, "that action")?;
    let moved = plan_actions::move_action(&mut tx, &plan, action, version, direction).await?;
    let message =
        if moved { format!("Moved the action {}.", direction.label()) } else { "The action is already there.".into() };
    guard::finish(tx, message).await
}

/// Requires: a lead officer of the plan's committee, and a plan that is not archived.
#[server(endpoint = "record_review")]
pub async fn record_review(committee: String, plan: String, reviewed_on: String, note: String) -> Result<(), AppError> {
    use crate::domain::dates::long_date;
    use crate::domain::structure::check_review;
    use crate::server::db::reviews;
    let (mut tx, _, plan) = guard::lead_plan(&committee, &plan).await?;
    let review = check_review(&reviewed_on, &note)?;
    let date = time::Date::from(review.date);
    let note = review.note.as_str();
    reviews::record(&mut tx, plan.id, plan.committee_id, date, note).await?;
    guard::finish(
        tx,
        format!(
            "Recorded: reviewed and updated {}. The plan as it stands now is kept for comparison.",
            long_date(&date.to_string())
        ),
    )
    .await
}

/// Requires: a lead officer of the plan's committee, and a plan that is not archived.
/// The plan with every live part's id and version, for its lead officers' editing page.
#[server(endpoint = "plan_editor")]
pub async fn get_plan_editor(committee: String, plan: String) -> Result<crate::domain::views::PlanEditor, AppError> {
    use crate::domain::views::PlanEditor;
    use crate::server::db::{reviews, structure};
    let (mut tx, header, plan) = guard::lead_plan(&committee, &plan).await?;
    let priorities = structure::editor(&mut tx, &plan).await?;
    let reviews = reviews::list(&mut tx, plan.id).await?;
    tx.commit().await?;
    Ok(PlanEditor {
        committee: header.committee,
        slug: header.slug,
        title: header.title,
        state: header.state,
        reviews,
        priorities,
    })
}

/// Requires: whoever may read the plan (anyone for a published one, its committee's members otherwise).
/// The plan now beside the snapshot kept at review `review`: anyone who may read the plan.
#[server(endpoint = "compare_plan")]
pub async fn compare_plan(
    committee: String,
    plan: String,
    review: String,
) -> Result<crate::domain::views::Comparison, AppError> {
    use crate::domain::compare::compare;
    use crate::domain::views::Comparison;
    use crate::server::db::{plans, reviews};
    use crate::server::{auth::viewer::Access, request};
    let not_found = || AppError::not_found(format!("that review of plan {plan}"));
    let review = uuid::Uuid::parse_str(review.trim()).map_err(|_| not_found())?;
    let (viewer, mut tx) = request::begin().await?;
    let header = plans::find_plan(&mut *tx, &Access::of(viewer.as_ref()), &committee, &plan)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a published plan {plan} for the committee \"{committee}\"")))?;
    let stored = reviews::review(&mut tx, header.id, review).await?.ok_or_else(not_found)?;
    let now = reviews::snapshot(&mut tx, header.id).await?;
    let all_reviews = reviews::list(&mut tx, header.id).await?;
    tx.commit().await?;
    let differences = compare(&stored.snapshot, &now);
    let changed_now = differences.iter().filter(|d| d.now.is_some()).count();
    Ok(Comparison {
        committee: header.committee,
        plan_slug: header.slug,
        plan_title: header.title,
        reviewed_on: stored.reviewed_on.to_string(),
        note: stored.note,
        unchanged: now.len().saturating_sub(changed_now),
        differences,
        reviews: all_reviews,
    })
}
