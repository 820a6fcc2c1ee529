//! The Chief Officers Group report's files: each section as CSV, the whole report as a
//! workbook, and a PDF that headless Chromium prints from the report's own page. Each is made
//! from the same data the page shows (`app::api::periods::load_report`), for a reader who may
//! see the page; a few PDFs at a time, so they cannot starve the server.

use crate::plan_xlsx;
use crate::renderer::PageRenderer;
use app::domain::plan_csv::write_table;
use app::domain::report::{section_rows, CogReport, SECTIONS};
use app::error::AppError;
use app::server::auth::viewer::{ClientAddr, Viewer};
use app::server::db;
use app::server::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// `report.pdf`, `report.xlsx` or `{section}.csv`.
pub const REPORT_FILE: &str = "/committees/{committee}/periods/{period}/download/{file}";

/// PDFs made at once; Chromium takes most of a core and ~150 MB for each.
const PDF_AT_ONCE: usize = 2;
/// How long a PDF request waits for its turn before it is told to try again.
const PDF_QUEUE: Duration = Duration::from_secs(20);
/// How long Chromium may take over one report.
const PDF_TIMEOUT: Duration = Duration::from_secs(60);
/// The site's style sheet, as built into this binary: the PDF looks as the page prints,
/// whatever is (or is not) deployed beside the server.
const STYLE: &str = include_str!("../../style/main.css");
/// The rendered page is read up to this size.
const PAGE_LIMIT: usize = 16 * 1024 * 1024;

fn pdf_slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| Semaphore::new(PDF_AT_ONCE))
}

pub async fn download(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    session: Option<Extension<tower_sessions::Session>>,
    page: Option<Extension<PageRenderer>>,
    Path((committee, period, file)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let viewer = viewer.map(|Extension(v)| v);
    let mut tx = db::begin_as(&state.pool, viewer.as_ref().map(|v| v.id)).await?;
    let data = app::api::periods::load_report(&mut tx, viewer.as_ref(), &committee, &period).await?;
    tx.commit().await?;
    let report = data.report.ok_or_else(|| {
        AppError::Conflict(format!("{} is open: its report is made when a lead officer closes it.", data.period.label))
    })?;
    // Both slugs were just found (or parsed) by the rules, so they are plain enough for a name.
    let name = format!("{}-{}-cog-report", data.committee.slug, data.period.slug);
    match file.as_str() {
        "report.xlsx" => workbook(&report, &name).await,
        "report.pdf" => {
            let (Some(Extension(session)), Some(Extension(PageRenderer(pages)))) = (session, page) else {
                tracing::error!("no session or page renderer in front of a report download");
                return Err(AppError::Internal);
            };
            pdf(pages, viewer, session, &data.committee.slug, &data.period.slug, &name).await
        }
        other => {
            let section = other
                .strip_suffix(".csv")
                .filter(|s| SECTIONS.iter().any(|(key, _)| key == s))
                .ok_or_else(|| AppError::not_found(format!("a file \"{other}\" of this report")))?;
            let rows = section_rows(&report, section).ok_or(AppError::Internal)?;
            Ok(file_response("text/csv; charset=utf-8", &format!("{name}-{section}.csv"), write_table(&rows).into()))
        }
    }
}

fn file_response(content_type: &str, filename: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
            // Never public: always a signed-in member's.
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

async fn workbook(report: &CogReport, name: &str) -> Result<Response, AppError> {
    let sheets: Vec<(&'static str, Vec<Vec<String>>)> =
        SECTIONS.iter().filter_map(|(key, title)| section_rows(report, key).map(|rows| (*title, rows))).collect();
    let body = tokio::task::spawn_blocking(move || plan_xlsx::write_tables(&sheets))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "writing a report workbook panicked");
            AppError::Internal
        })?
        .map_err(|e| {
            tracing::error!(error = %e, "writing a report workbook failed");
            AppError::Internal
        })?;
    Ok(file_response(plan_xlsx::CONTENT_TYPE, &format!("{name}.xlsx"), body))
}

/// The report's page as this reader sees it, rendered in-process, made self-contained (its
/// style sheet inlined, scripts removed, so there is nothing to fetch or run) and printed to
/// A4 by headless Chromium. (Its `scriptEnabled=false` setting stops `--print-to-pdf` from
/// writing anything, so the scripts are taken out of the page instead.)
async fn pdf(
    pages: axum::Router,
    viewer: Option<Viewer>,
    session: tower_sessions::Session,
    committee: &str,
    period: &str,
    name: &str,
) -> Result<Response, AppError> {
    let _slot = tokio::time::timeout(PDF_QUEUE, pdf_slots().acquire())
        .await
        .map_err(|_| {
            AppError::TooManyRequests(
                "Several reports are being made into PDFs just now. Please try again in a minute.".into(),
            )
        })?
        .map_err(|_| AppError::Internal)?;
    let mut request = Request::builder()
        .method(Method::GET)
        .uri(format!("/committees/{committee}/periods/{period}"))
        .body(Body::empty())
        .map_err(|_| AppError::Internal)?;
    if let Some(viewer) = viewer {
        request.extensions_mut().insert(viewer);
    }
    request.extensions_mut().insert(session);
    request.extensions_mut().insert(ClientAddr("127.0.0.1".to_owned()));
    let Ok(response) = tower::ServiceExt::oneshot(pages, request).await;
    if response.status() != StatusCode::OK {
        tracing::error!(status = %response.status(), "the report page did not render for its PDF");
        return Err(AppError::Internal);
    }
    let html = axum::body::to_bytes(response.into_body(), PAGE_LIMIT).await.map_err(|e| {
        tracing::error!(error = %e, "reading the report page for its PDF");
        AppError::Internal
    })?;
    let page = self_contained(&String::from_utf8_lossy(&html), STYLE);
    let bytes = print_to_pdf(page).await?;
    Ok(file_response("application/pdf", &format!("{name}.pdf"), bytes))
}

/// The page with its style sheet inside it and without scripts or preloads: Chromium reads it
/// from a file, with nothing to fetch.
pub fn self_contained(html: &str, css: &str) -> String {
    let mut out = String::with_capacity(html.len() + css.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        if tail.starts_with("<script") {
            match tail.find("</script>") {
                Some(end) => rest = &tail[end + "</script>".len()..],
                None => rest = "",
            }
            continue;
        }
        if tail.starts_with("<link") {
            let end = tail.find('>').map(|e| e + 1).unwrap_or(tail.len());
            let tag = &tail[..end];
            if tag.contains("rel=\"stylesheet\"") {
                out.push_str("<style>");
                // A style element ends only at "</style": the sheet is ours, but keep it so.
                out.push_str(&css.replace("</style", "<\\/style"));
                out.push_str("</style>");
            }
            // Preloads, icons and the rest: nothing to fetch.
            rest = &tail[end..];
            continue;
        }
        out.push('<');
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// The Chromium to print with: FV_CHROMIUM, or the first of the usual names on the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("FV_CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser", "google-chrome"].map(|n| dir.join(n)))
        .find(|p| p.is_file())
}

async fn print_to_pdf(page: String) -> Result<Vec<u8>, AppError> {
    let Some(browser) = chromium() else {
        tracing::error!("no Chromium to print a report PDF with (install chromium or set FV_CHROMIUM)");
        return Err(AppError::Internal);
    };
    let dir = std::env::temp_dir().join(format!("fv-report-{}", uuid::Uuid::new_v4()));
    let result = run_chromium(&browser, &dir, page).await;
    if let Err(e) = tokio::fs::remove_dir_all(&dir).await {
        tracing::warn!(error = %e, "removing a report PDF's working folder");
    }
    result
}

async fn run_chromium(browser: &std::path::Path, dir: &std::path::Path, page: String) -> Result<Vec<u8>, AppError> {
    let fail = |what: &'static str| {
        move |e: std::io::Error| {
            tracing::error!(error = %e, "{what}");
            AppError::Internal
        }
    };
    {
        let mut builder = tokio::fs::DirBuilder::new();
        #[cfg(unix)]
        builder.mode(0o700);
        builder.create(dir).await.map_err(fail("making a report PDF's working folder"))?;
    }
    let html = dir.join("report.html");
    let out = dir.join("report.pdf");
    tokio::fs::write(&html, page).await.map_err(fail("writing a report page for its PDF"))?;
    let mut command = tokio::process::Command::new(browser);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", html.display()))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true);
    let status = tokio::time::timeout(PDF_TIMEOUT, command.status())
        .await
        .map_err(|_| {
            tracing::error!("Chromium took too long over a report PDF");
            AppError::Internal
        })?
        .map_err(fail("starting Chromium for a report PDF"))?;
    let bytes = tokio::fs::read(&out).await.map_err(fail("reading the PDF Chromium made"))?;
    if !status.success() && bytes.is_empty() {
        tracing::error!(%status, "Chromium failed to print a report PDF");
        return Err(AppError::Internal);
    }
    if !bytes.starts_with(b"%PDF") {
        tracing::error!("Chromium's report file is not a PDF");
        return Err(AppError::Internal);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::self_contained;

    #[test]
    fn the_page_keeps_its_style_and_loses_its_scripts() {
        let page = "<html><head><link rel=\"stylesheet\" id=\"leptos\" href=\"/pkg/forth.css\"><link rel=\"modulepreload\" href=\"/pkg/x.js\"><script type=\"module\">import('/pkg/x.js')</script></head><body><p>a < b</p></body></html>";
        let out = self_contained(page, "p { color: red }");
        assert_eq!(out, "<html><head><style>p { color: red }</style></head><body><p>a < b</p></body></html>");
    }
}
