//! Importing a plan from a file uploaded in the app, for a committee's lead officers. The
//! upload itself is a plain handler in the server crate (a file comes as multipart/form-data);
//! it stages the rows it read and every problem it found. These functions show that upload
//! and, once it is free of problems, import it into a new draft plan.

use crate::domain::views::{PlanImportPreview, PlanImportStart};
use crate::error::AppError;
use leptos::prelude::*;

/// Longest plan title accepted.
pub const MAX_TITLE_CHARS: usize = 200;

/// What the upload page needs: the committee, for its lead officers only.
#[server(endpoint = "plan_import_start")]
pub async fn get_plan_import_start(committee: String) -> Result<PlanImportStart, AppError> {
    use crate::domain::views::CommitteeRef;
    use crate::server::{db::plan_imports, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = request::signed_in(viewer)?;
    let c = ssr::lead_committee(&mut tx, &viewer, &committee).await?;
    let existing_plans = plan_imports::plan_periods(&mut tx, c.id).await?;
    tx.commit().await?;
    Ok(PlanImportStart {
        committee: CommitteeRef { slug: c.slug, name: c.name, short_name: c.short_name },
        existing_plans,
    })
}

/// An upload awaiting confirmation, for the lead officer who made it.
#[server(endpoint = "plan_import")]
pub async fn get_plan_import(committee: String, upload: String) -> Result<PlanImportPreview, AppError> {
    use crate::domain::views::CommitteeRef;
    use crate::server::{db::plan_imports, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = request::signed_in(viewer)?;
    let c = ssr::lead_committee(&mut tx, &viewer, &committee).await?;
    let id = uuid::Uuid::parse_str(upload.trim()).map_err(|_| ssr::upload_not_found())?;
    let staged = plan_imports::find(&mut tx, c.id, viewer.id, id).await?.ok_or_else(ssr::upload_not_found)?;
    let existing_plans = plan_imports::plan_periods(&mut tx, c.id).await?;
    tx.commit().await?;
    Ok(PlanImportPreview {
        committee: CommitteeRef { slug: c.slug, name: c.name, short_name: c.short_name },
        id: staged.id,
        file_name: staged.file_name,
        format: staged.format,
        uploaded_at: staged.uploaded_at,
        rows: staged.rows,
        problems: staged.problems,
        existing_plans,
    })
}

/// Imports a checked upload into a new draft plan `plan` (its period, e.g. 2027-29) called
/// `title`, in one transaction, then opens the new plan. Refused, nothing changes: an upload
/// with problems, a period the committee already has, an empty title.
#[server(endpoint = "import_uploaded_plan")]
pub async fn import_uploaded_plan(
    committee: String,
    upload: String,
    plan: String,
    title: String,
) -> Result<(), AppError> {
    use crate::domain::slug::PlanPeriod;
    use crate::error::Validation;
    use crate::server::db::import::{import_plan, NewPlan};
    use crate::server::{auth::viewer::Access, db::plan_imports, db::plans, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = request::signed_in(viewer)?;
    let c = ssr::lead_committee(&mut tx, &viewer, &committee).await?;
    let id = uuid::Uuid::parse_str(upload.trim()).map_err(|_| ssr::upload_not_found())?;
    let staged = plan_imports::claim(&mut tx, c.id, viewer.id, id).await?.ok_or_else(ssr::upload_not_found)?;
    if !staged.problems.is_empty() {
        return Err(AppError::Conflict(format!(
            "{} has {} to correct first. Correct the file and upload it again; nothing was imported.",
            staged.file_name,
            ssr::problems_phrase(staged.problems.len())
        )));
    }

    let period = PlanPeriod::parse(plan.trim());
    let title = title.trim();
    let mut v = Validation::default();
    v.check(
        period.is_ok(),
        "plan",
        "Write the plan's period like 2027-29: the first year in full, then the last year's final two digits.",
    )
    .check(!title.is_empty(), "title", "Give the plan a title, e.g. Strategic Improvement Plan 2027-29.")
    .check(title.chars().count() <= MAX_TITLE_CHARS, "title", "Use at most 200 characters for the title.");
    if let Ok(period) = &period {
        let slug = period.slug();
        if let Some(existing) = plans::find_plan(&mut *tx, &Access::of(Some(&viewer)), &c.slug, &slug).await? {
            v.check(
                false,
                "plan",
                &format!(
                    "{} already has a plan for {slug} ({}, {}). Choose another period: an import never changes an existing plan.",
                    c.name, existing.title, existing.state
                ),
            );
        }
    }
    v.finish()?;
    let slug = period.map(|p| p.slug()).map_err(|_| AppError::Internal)?;

    let parsed = ssr::revalidate(&staged.rows)?;
    let summary = import_plan(
        &mut tx,
        NewPlan { committee_slug: &c.slug, plan_slug: &slug, title, state: "draft", is_sample: false },
        &parsed,
    )
    .await?;
    tx.commit().await?;
    request::redirect(&crate::pages::plan_href(&c.slug, &slug))?;
    request::notice(format!(
        "Imported {} from {} into the new draft plan {title}. Only members of {} can see it until it is published.",
        ssr::actions_phrase(summary.actions),
        staged.file_name,
        c.name
    ))
    .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::domain::account::CommitteeRole;
    use crate::domain::plan_csv::{parse_plan_csv, write_csv, PlanCsvRow, PlanImport};
    use crate::domain::views::ImportRow;
    use crate::error::AppError;
    use crate::server::auth::viewer::Viewer;
    use crate::server::db::members::{committee_by_slug, NamedRef};
    use sqlx::PgConnection;

    /// The committee `slug` for one of its lead officers: 404 when there is no such committee,
    /// 403 for anyone else (platform admins included: plan structure is the committee's).
    pub async fn lead_committee(db: &mut PgConnection, viewer: &Viewer, slug: &str) -> Result<NamedRef, AppError> {
        let c = committee_by_slug(db, slug)
            .await?
            .ok_or_else(|| AppError::not_found(format!("a committee called \"{slug}\"")))?;
        if viewer.has_role(c.id, CommitteeRole::LeadOfficer) {
            Ok(c)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn upload_not_found() -> AppError {
        AppError::not_found("that uploaded file: uploads are kept for a day, and only for the person who uploaded them")
    }

    /// The staged rows through the one validation every plan file goes through, so an import
    /// never trusts what was stored.
    pub fn revalidate(rows: &[ImportRow]) -> Result<PlanImport, AppError> {
        let rows: Vec<PlanCsvRow> = rows.iter().map(csv_row).collect();
        parse_plan_csv(write_csv(&rows).as_bytes()).map_err(|problems| {
            tracing::error!(problems = problems.len(), "a staged upload without problems failed validation");
            AppError::Conflict(
                "The uploaded file no longer passes the checks. Upload it again; nothing was imported.".into(),
            )
        })
    }

    pub fn csv_row(r: &ImportRow) -> PlanCsvRow {
        PlanCsvRow {
            priority: r.priority.clone(),
            outcome_number: r.outcome_number.clone(),
            outcome: r.outcome.clone(),
            objective_number: r.objective_number.clone(),
            objective: r.objective.clone(),
            action: r.action.clone(),
            lead: r.lead.clone(),
            timescale: r.timescale.clone(),
            evidence: r.evidence.clone(),
            progress: r.progress.clone(),
            status: r.status.clone(),
        }
    }

    pub fn problems_phrase(n: usize) -> String {
        if n == 1 {
            "1 problem".into()
        } else {
            format!("{n} problems")
        }
    }

    pub fn actions_phrase(n: usize) -> String {
        if n == 1 {
            "1 action".into()
        } else {
            format!("{n} actions")
        }
    }
}
