//! Importing a plan from a file uploaded in the app, for a committee's lead officers. The
//! upload itself is a plain handler in the server crate (a file comes as multipart/form-data);
//! it stages the rows it read and every problem it found. These functions show that upload
//! and, once it is free of problems, import it into a new draft plan.

use crate::domain::risk::RegisterHolder;
use crate::domain::views::{PlanImportPreview, PlanImportStart, RiskImportPreview};
use crate::error::AppError;
use leptos::prelude::*;

/// Requires: a lead officer of the committee. What the upload page needs.
#[server(endpoint = "plan_import_start")]
pub async fn get_plan_import_start(committee: String) -> Result<PlanImportStart, AppError> {
    use crate::domain::views::CommitteeRef;
    use crate::server::authz::{self, CommitteeNeed};
    use crate::server::{db::plan_imports, request};
    let (viewer, mut tx) = request::begin().await?;
    let c = authz::committee(&mut tx, viewer.as_ref(), &committee, CommitteeNeed::Lead).await?;
    let existing_plans = plan_imports::plan_periods(&mut tx, c.id).await?;
    tx.commit().await?;
    Ok(PlanImportStart {
        committee: CommitteeRef { slug: c.slug, name: c.name, short_name: c.short_name },
        existing_plans,
    })
}

/// Requires: a lead officer of the committee, who made the upload. The upload awaiting
/// confirmation.
#[server(endpoint = "plan_import")]
pub async fn get_plan_import(committee: String, upload: String) -> Result<PlanImportPreview, AppError> {
    use crate::domain::views::CommitteeRef;
    use crate::server::authz::{self, CommitteeNeed};
    use crate::server::{db::plan_imports, request};
    let (viewer, mut tx) = request::begin().await?;
    let c = authz::committee(&mut tx, viewer.as_ref(), &committee, CommitteeNeed::Lead).await?;
    let viewer = authz::require_signed_in(viewer)?;
    let id = ssr::upload_id(&upload)?;
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

/// Requires: a lead officer of the committee, who made the upload. Imports a checked upload
/// into a new draft plan `plan` (its period, e.g. 2027-29) called
/// `title`, in one transaction, then opens the new plan. Refused, nothing changes: an upload
/// with problems, a period the committee already has, an empty title.
#[server(endpoint = "import_uploaded_plan")]
pub async fn import_uploaded_plan(
    committee: String,
    upload: String,
    plan: String,
    title: String,
) -> Result<(), AppError> {
    use crate::domain::plan::{check_new_plan, with_existing_plan, PlanState};
    use crate::domain::plan_csv::revalidate;
    use crate::server::authz::{self, CommitteeNeed};
    use crate::server::db::import::{import_plan, NewPlan};
    use crate::server::{auth::viewer::Access, db::plan_imports, db::plans, request};
    let (viewer, mut tx) = request::begin().await?;
    let c = authz::committee(&mut tx, viewer.as_ref(), &committee, CommitteeNeed::Lead).await?;
    let viewer = authz::require_signed_in(viewer)?;
    let id = ssr::upload_id(&upload)?;
    let staged = plan_imports::claim(&mut tx, c.id, viewer.id, id).await?.ok_or_else(ssr::upload_not_found)?;
    ssr::no_problems(&staged.file_name, staged.problems.len())?;

    let new_plan = check_new_plan(&plan, &title);
    // A period the committee already has is refused with the rest, naming what is there.
    let existing = match &new_plan {
        Ok(p) => plans::find_plan(&mut *tx, &Access::of(Some(&viewer)), &c.slug, &p.slug).await?,
        Err(_) => None,
    };
    let new_plan = with_existing_plan(new_plan, existing.map(|e| (e.title, e.state)), &c.name)?;
    let (slug, title) = (new_plan.slug, new_plan.title.as_str());

    let parsed = revalidate(&staged.rows).map_err(|problems| {
        tracing::error!(problems = problems.len(), "a staged upload without problems failed validation");
        AppError::Conflict(
            "The uploaded file no longer passes the checks. Upload it again; nothing was imported.".into(),
        )
    })?;
    let summary = import_plan(
        &mut tx,
        NewPlan { committee_slug: &c.slug, plan_slug: &slug, title, state: PlanState::Draft, is_sample: false },
        &parsed,
    )
    .await?;
    tx.commit().await?;
    request::redirect(&crate::domain::links::plan_href(&c.slug, &slug))?;
    request::notice(format!(
        "Imported {} from {} into the new draft plan {title}. Only members of {} can see it until it is published.",
        ssr::actions_phrase(summary.actions),
        staged.file_name,
        c.name
    ))
    .await
}

/// Requires: a lead officer of the committee, the chair of the subgroup. The register whose
/// upload page this is (`register`: its key, as the risk functions take it).
#[server(endpoint = "risk_import_start")]
pub async fn get_risk_import_start(register: String) -> Result<RegisterHolder, AppError> {
    use crate::server::authz::{self, RegisterNeed};
    use crate::server::request;
    let (viewer, mut tx) = request::begin().await?;
    let reg = authz::register(&mut tx, viewer.as_ref(), &register, RegisterNeed::Manage).await?;
    tx.commit().await?;
    Ok(reg.holder)
}

/// Requires: a lead officer of the committee, the chair of the subgroup, who made the upload.
/// The risk file awaiting confirmation.
#[server(endpoint = "risk_import")]
pub async fn get_risk_import(register: String, upload: String) -> Result<RiskImportPreview, AppError> {
    use crate::server::authz::{self, RegisterNeed};
    use crate::server::{db::risk_imports, request};
    let (viewer, mut tx) = request::begin().await?;
    let reg = authz::register(&mut tx, viewer.as_ref(), &register, RegisterNeed::Manage).await?;
    let viewer = authz::require_signed_in(viewer)?;
    let id = ssr::upload_id(&upload)?;
    let staged = risk_imports::find(&mut tx, reg.owner, viewer.id, id).await?.ok_or_else(ssr::upload_not_found)?;
    tx.commit().await?;
    Ok(RiskImportPreview {
        holder: reg.holder,
        id: staged.id,
        file_name: staged.file_name,
        format: staged.format,
        uploaded_at: staged.uploaded_at,
        rows: staged.rows,
        problems: staged.problems,
        ignored_columns: staged.ignored_columns,
    })
}

/// Requires: a lead officer of the committee, the chair of the subgroup, who made the upload.
/// Adds every risk of a checked upload to the register, each with its first assessment, in one
/// transaction, then opens the register. Refused, nothing changes: an upload with problems, or
/// one whose references the register has come to use since it was checked.
#[server(endpoint = "import_uploaded_risks")]
pub async fn import_uploaded_risks(register: String, upload: String) -> Result<(), AppError> {
    use crate::domain::risk_file::check_rows;
    use crate::server::authz::{self, RegisterNeed};
    use crate::server::{db::risk_imports, db::risks, request};
    let (viewer, mut tx) = request::begin().await?;
    let reg = authz::register(&mut tx, viewer.as_ref(), &register, RegisterNeed::Manage).await?;
    let viewer = authz::require_signed_in(viewer)?;
    let id = ssr::upload_id(&upload)?;
    let staged = risk_imports::claim(&mut tx, reg.owner, viewer.id, id).await?.ok_or_else(ssr::upload_not_found)?;
    ssr::no_problems(&staged.file_name, staged.problems.len())?;
    // Checked again against the register as it is now: someone may have added R7 meanwhile.
    let existing = risks::references(&mut tx, reg.owner).await?;
    let (problems, checked) = check_rows(&staged.rows, &existing);
    if let Some(first) = problems.first() {
        return Err(AppError::Conflict(format!(
            "The register changed since {} was checked ({first}). Upload it again to see every problem; nothing was imported.",
            staged.file_name
        )));
    }
    let added = risks::import_risks(&mut tx, reg.owner, &checked, &staged.file_name).await?;
    tx.commit().await?;
    request::redirect(&reg.holder.register_href())?;
    request::notice(format!(
        "Imported {} from {} into the register of {}.",
        if added == 1 { "1 risk".to_owned() } else { format!("{added} risks") },
        staged.file_name,
        reg.holder.name
    ))
    .await
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::error::AppError;

    pub fn upload_not_found() -> AppError {
        AppError::not_found("that uploaded file: uploads are kept for a day, and only for the person who uploaded them")
    }

    pub fn upload_id(upload: &str) -> Result<uuid::Uuid, AppError> {
        uuid::Uuid::parse_str(upload.trim()).map_err(|_| upload_not_found())
    }

    /// An upload with problems is never imported, whatever was posted.
    pub fn no_problems(file_name: &str, problems: usize) -> Result<(), AppError> {
        if problems == 0 {
            return Ok(());
        }
        let phrase = if problems == 1 { "1 problem".to_owned() } else { format!("{problems} problems") };
        Err(AppError::Conflict(format!(
            "{file_name} has {phrase} to correct first. Correct the file and upload it again; nothing was imported."
        )))
    }

    pub fn actions_phrase(n: usize) -> String {
        if n == 1 {
            "1 action".into()
        } else {
            format!("{n} actions")
        }
    }
}
