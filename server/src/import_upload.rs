//! Plan files over plain HTTP: uploading one to import (a file comes as multipart/form-data,
//! which server functions here do not take) and exporting a plan as an Excel workbook.
//!
//! An upload is read and checked in full, then staged with every problem found; the browser
//! goes on to the preview (`/committees/{committee}/plans/import/{id}`), where the lead officer
//! imports it into a new draft plan. Nothing in any plan changes here.

use crate::plan_upload;
use crate::plan_xlsx;
use app::domain::account::{Flash, FlashKind};
use app::domain::plan_csv::rows_from_view;
use app::domain::plan_file::MAX_FILE_BYTES;
use app::domain::risk::parse_register_key;
use app::domain::slug::Slug;
use app::error::AppError;
use app::server::auth::session;
use app::server::auth::viewer::{Access, Viewer};
use app::server::authz::{self, CommitteeNeed, RegisterNeed};
use app::server::db::{self, plan_imports, risk_imports};
use app::server::state::AppState;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use tower_sessions::Session;
use uuid::Uuid;

/// The upload page, and where its form posts.
pub fn upload_page(committee: &str) -> String {
    format!("/committees/{committee}/plans/import")
}

/// `POST /committees/{committee}/plans/import`: a lead officer's plan file, as the form field
/// `file`. Success is a 303 to the preview. Refused, a browser goes back to the upload page
/// with the message (as refused server-function forms do); a script gets the status.
pub async fn upload_plan(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    session: Option<Extension<Session>>,
    Path(committee): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let viewer = viewer.map(|Extension(v)| v);
    // Only a well-formed slug goes into the address sent back.
    let back = if Slug::parse(&committee).is_ok() { upload_page(&committee) } else { "/".to_owned() };
    let staged =
        stage(&state, viewer, &committee, multipart).await.map(|id| format!("{}/{id}", upload_page(&committee)));
    answer(staged, back, &headers, session).await
}

/// `POST /committees/{committee}/risks/import` and `POST /subgroups/{subgroup}/risks/import`:
/// an existing risk register as a file, from someone who may add risks to the register (the
/// committee's lead officers, the subgroup's chair). Read and checked in full, every problem
/// staged with the rows; the browser goes on to the preview. Nothing in the register changes.
pub async fn upload_committee_risks(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    session: Option<Extension<Session>>,
    Path(committee): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    upload_risks(state, viewer, session, format!("committees/{committee}"), headers, multipart).await
}

pub async fn upload_subgroup_risks(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    session: Option<Extension<Session>>,
    Path(subgroup): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    upload_risks(state, viewer, session, format!("subgroups/{subgroup}"), headers, multipart).await
}

async fn upload_risks(
    state: AppState,
    viewer: Option<Extension<Viewer>>,
    session: Option<Extension<Session>>,
    key: String,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let viewer = viewer.map(|Extension(v)| v);
    let page = match parse_register_key(&key) {
        Some((_, slug)) if Slug::parse(slug).is_ok() => format!("/{key}/risks/import"),
        _ => "/".to_owned(),
    };
    let staged = stage_risks(&state, viewer, &key, multipart).await.map(|id| format!("{page}/{id}"));
    answer(staged, page, &headers, session).await
}

/// The answer to an upload: a 303 to the preview; refused, a browser goes back to `back` with
/// the message (as refused server-function forms do) and a script gets the status.
async fn answer(
    staged: Result<String, AppError>,
    back: String,
    headers: &HeaderMap,
    session: Option<Extension<Session>>,
) -> Response {
    match staged {
        Ok(preview) => see_other(&preview),
        Err(error) if wants_html(headers) => {
            let flash = Flash {
                kind: FlashKind::Error,
                message: error.to_string(),
                form: Some(back.clone()),
                fields: Vec::new(),
                error: Some(error),
                link: None,
                codes: vec![],
            };
            if let Some(Extension(session)) = session {
                if session::set_flash(&session, flash).await.is_err() {
                    return AppError::Internal.into_response();
                }
            }
            see_other(&back)
        }
        Err(error) => error.into_response(),
    }
}

async fn stage_risks(
    state: &AppState,
    viewer: Option<Viewer>,
    key: &str,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Uuid, AppError> {
    // Requires: someone who may add risks to the register, checked before the body is read.
    let viewer = authz::require_signed_in(viewer)?;
    let mut tx = db::begin_as(&state.pool, Some(viewer.id)).await?;
    authz::register(&mut tx, Some(&viewer), key, RegisterNeed::Manage).await?;
    tx.commit().await?;

    let multipart = multipart.map_err(|_| {
        AppError::BadRequest("Send the risk register as a form upload (multipart/form-data); nothing was saved.".into())
    })?;
    let (file_name, bytes) = read_file_field(multipart).await?;

    let mut tx = db::begin_as(&state.pool, Some(viewer.id)).await?;
    let reg = authz::register(&mut tx, Some(&viewer), key, RegisterNeed::Manage).await?;
    let existing = db::risks::references(&mut tx, reg.owner).await?;
    let name = file_name.clone();
    let read = off_thread(move || plan_upload::read_risk_file(&name, &bytes, &existing)).await?;
    risk_imports::expire(&mut tx, reg.owner, viewer.id).await?;
    let id = risk_imports::stage(
        &mut tx,
        risk_imports::NewUpload {
            holder: reg.owner,
            person_id: viewer.id,
            file_name: &file_name,
            format: read.format.code(),
            rows: &read.file.rows,
            problems: &read.file.problems,
            ignored_columns: &read.file.ignored_columns,
            risk_count: read.file.risks.len(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn stage(
    state: &AppState,
    viewer: Option<Viewer>,
    committee: &str,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Uuid, AppError> {
    // Requires: a lead officer of the committee. Checked first, in a short transaction: the body
    // is read only for a lead officer, and no connection is held while it arrives.
    let viewer = authz::require_signed_in(viewer)?;
    let mut tx = db::begin_as(&state.pool, Some(viewer.id)).await?;
    authz::committee(&mut tx, Some(&viewer), committee, CommitteeNeed::Lead).await?;
    tx.commit().await?;

    let multipart = multipart.map_err(|_| {
        AppError::BadRequest("Send the plan file as a form upload (multipart/form-data); nothing was saved.".into())
    })?;
    let (file_name, bytes) = read_file_field(multipart).await?;
    let name = file_name.clone();
    let read = off_thread(move || plan_upload::read_file(&name, &bytes)).await?;

    let mut tx = db::begin_as(&state.pool, Some(viewer.id)).await?;
    let c = authz::committee(&mut tx, Some(&viewer), committee, CommitteeNeed::Lead).await?;
    plan_imports::expire(&mut tx, c.id).await?;
    let id = plan_imports::stage(
        &mut tx,
        plan_imports::NewUpload {
            committee_id: c.id,
            person_id: viewer.id,
            file_name: &file_name,
            format: read.format.code(),
            rows: &read.rows,
            problems: &read.problems,
            action_count: read.action_count,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Reads an uploaded file with `read` off the async threads (parsing a workbook is CPU work);
/// its refusal is the `file` field's message.
async fn off_thread<T: Send + 'static>(
    read: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(read)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "reading an uploaded file panicked");
            AppError::Internal
        })?
        .map_err(|reason| AppError::invalid("file", reason))
}

/// The form field `file`: its name as the browser gave it and its bytes, within the limit.
async fn read_file_field(mut multipart: Multipart) -> Result<(String, Vec<u8>), AppError> {
    let choose = || AppError::invalid("file", "Choose a CSV file or an Excel workbook (.xlsx) to upload.");
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() != Some("file") {
            continue;
        }
        let file_name = clean_file_name(field.file_name().unwrap_or_default());
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        return match (file_name.is_empty(), bytes.is_empty()) {
            (true, true) => Err(choose()),
            (_, true) => {
                Err(AppError::invalid("file", "The file is empty: it needs the header row and a row for each item."))
            }
            (true, false) => Ok(("uploaded file".to_owned(), bytes)),
            (false, false) => Ok((file_name, bytes)),
        };
    }
    Err(choose())
}

fn too_large() -> AppError {
    AppError::invalid(
        "file",
        "The file is larger than 1.5 MB, far more than a plan or a risk register needs. Remove other sheets, pictures or formatting, or save it as CSV.",
    )
}

fn unreadable(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        AppError::BadRequest(
            "The upload was interrupted or could not be read. Please try again; nothing was saved.".into(),
        )
    }
}

/// The file's own name, without any folders a browser sent, control characters or excess
/// length: it is shown on the preview and stored with the upload.
fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    base.chars().filter(|c| !c.is_control()).take(200).collect::<String>().trim().to_owned()
}

/// A plain browser form post (as opposed to a script), by what it accepts.
fn wants_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
}

fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(location) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
        Err(_) => (StatusCode::SEE_OTHER, [(header::LOCATION, HeaderValue::from_static("/"))]).into_response(),
    }
}

/// `GET /committees/{committee}/plans/{plan}/export.xlsx`: the plan as an Excel workbook with
/// the CSV format's columns, for anyone who may read the plan (drafts for its members only).
pub async fn export_xlsx(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Path((committee, plan)): Path<(String, String)>,
) -> Result<impl IntoResponse, AppError> {
    let viewer = viewer.map(|Extension(v)| v);
    let mut tx = db::begin_as(&state.pool, viewer.as_ref().map(|v| v.id)).await?;
    let view = db::plans::load_readable_plan(&mut tx, &Access::of(viewer.as_ref()), &committee, &plan)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a published plan {plan} for the committee \"{committee}\"")))?;
    tx.commit().await?;
    let rows = rows_from_view(&view);
    let body = tokio::task::spawn_blocking(move || plan_xlsx::write_xlsx(&rows))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "writing a plan workbook panicked");
            AppError::Internal
        })?
        .map_err(|e| {
            tracing::error!(error = %e, "writing a plan workbook failed");
            AppError::Internal
        })?;
    // The slugs were just found in the database, so they are plain enough for a file name.
    let disposition = format!("attachment; filename=\"{committee}-{plan}.xlsx\"");
    Ok((
        [
            (header::CONTENT_TYPE, plan_xlsx::CONTENT_TYPE.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, if viewer.is_some() { "private, no-store" } else { "no-cache" }.to_owned()),
        ],
        body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_folders_and_control_characters() {
        assert_eq!(clean_file_name("C:\\Users\\me\\plan 2027.xlsx"), "plan 2027.xlsx");
        assert_eq!(clean_file_name("/tmp/a/plan.csv"), "plan.csv");
        assert_eq!(clean_file_name("pl\u{0}an\r\n.csv"), "plan.csv");
        assert_eq!(clean_file_name(&"x".repeat(300)).len(), 200);
        assert_eq!(clean_file_name(""), "");
    }
}
