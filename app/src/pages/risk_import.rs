//! Importing an existing risk register from a file, for whoever may add risks to it (a
//! committee's lead officers, a subgroup's chair): `…/risks/import` explains the columns and
//! takes the file (a plain multipart form, handled by the server crate); `…/risks/import/{upload}`
//! shows every row as read and every problem, and adds a clean file's risks to the register.

use crate::api::imports::{get_risk_import, get_risk_import_start, ImportUploadedRisks};
use crate::components::error_page::loaded;
use crate::components::forms::FileUploadForm;
use crate::components::layout::Breadcrumbs;
use crate::domain::dates::long_date_time;
use crate::domain::risk::RegisterHolder;
use crate::domain::risk_file::{template_header, RiskImportRow, RISK_COLUMNS};
use crate::domain::views::{ImportProblem, RiskImportPreview};
use crate::pages::param;
use crate::pages::risks::register_key;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Where the upload form posts (and the upload page's own address).
pub fn upload_action(holder: &RegisterHolder) -> String {
    format!("{}/import", holder.register_href())
}

/// A template to start from: the header and one example risk, as a data URL.
fn template_href() -> String {
    let example = [
        "R1",
        "Staff turnover in social work",
        "",
        "",
        "",
        "Chief Social Work Officer",
        "",
        "4",
        "3",
        "6",
        "2027-03-31",
    ];
    let text = format!("{}\r\n{}\r\n", template_header().join(","), example.join(","));
    let mut href = String::from("data:text/csv;charset=utf-8,");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
            href.push(char::from(b));
        } else {
            href.push_str(&format!("%{b:02X}"));
        }
    }
    href
}

/// `/committees/{committee}/risks/import`, `/subgroups/{subgroup}/risks/import`.
#[component]
pub fn RiskImportPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || register_key(&params.read()), get_risk_import_start);
    view! { {loaded(data, |holder| view! { <StartBody holder/> })} }
}

#[component]
fn StartBody(holder: RegisterHolder) -> impl IntoView {
    let notes = RISK_COLUMNS
        .iter()
        .map(|c| {
            let also = c.names.iter().take(4).map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
            view! {
                <tr>
                    <th scope="row">{c.label}</th>
                    <td>{if c.required { "Required" } else { "Optional" }}</td>
                    <td>{c.note}</td>
                    <td>{also}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text=format!("Import risks – {}", holder.name)/>
        <Breadcrumbs items=vec![
            (holder.name.clone(), Some(holder.home())),
            ("Risk register".into(), Some(holder.register_href())),
            ("Import risks".into(), None),
        ]/>
        <h1>"Import risks from a file"</h1>
        <p class="lead">"Upload an existing register as a CSV file or an Excel workbook (.xlsx). You will see every row and every problem before anything is saved; importing then adds each risk to the register of "
            {holder.name.clone()} ", with its likelihood and impact as its first assessment."</p>
        <section class="card" aria-labelledby="upload-heading">
            <h2 id="upload-heading">"Upload the file"</h2>
            <UploadForm holder=holder.clone() button="Upload and check"/>
        </section>
        <section aria-labelledby="format-heading">
            <h2 id="format-heading">"What the file holds"</h2>
            <p>"One row per risk under a header row; in a workbook, the first sheet, with the header in its first row. Columns may come in any order and are recognised by their names; other columns (a score worked out in the sheet, a colour) are named on the check page and not imported."</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="format-heading">
                <table class="import-columns">
                    <thead><tr>
                        <th scope="col">"Column"</th><th scope="col">"Needed"</th>
                        <th scope="col">"What goes in it"</th><th scope="col">"Also recognised as"</th>
                    </tr></thead>
                    <tbody>{notes}</tbody>
                </table>
            </div>
            <p>"The score and its band are worked out from likelihood and impact, as everywhere in the register. References already in the register cannot be used again; nothing is saved unless every row is right."</p>
            <p class="plan-tools"><a href=template_href() download="risk-register-template.csv">"Download a template (CSV)"</a></p>
        </section>
    }
}

/// The file form, on the upload page and on the preview for a corrected file.
#[component]
fn UploadForm(holder: RegisterHolder, button: &'static str) -> impl IntoView {
    view! {
        <FileUploadForm action=upload_action(&holder) id="risk-file" label="Risk register file (CSV or .xlsx)"
            hint="Up to 1.5 MB and 1,000 risks." button/>
    }
}

/// `…/risks/import/{upload}`.
#[component]
pub fn RiskImportPreviewPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (register_key(&p), param(&p, "upload"))
        },
        |(register, upload)| get_risk_import(register, upload),
    );
    view! { {loaded(data, |data| view! { <PreviewBody data/> })} }
}

#[component]
fn PreviewBody(data: RiskImportPreview) -> impl IntoView {
    let holder = data.holder.clone();
    let ready = data.problems.is_empty();
    let kind = if data.format == "xlsx" { "Excel workbook" } else { "CSV file" };
    let n = data.rows.len();
    let risks = if n == 1 { "1 risk".to_owned() } else { format!("{n} risks") };
    let rows = data
        .rows
        .iter()
        .map(|row| {
            let problems: Vec<ImportProblem> = data.problems.iter().filter(|p| p.row == row.row).cloned().collect();
            view! { <RowLine row=row.clone() problems/> }
        })
        .collect_view();
    let ignored = (!data.ignored_columns.is_empty()).then(|| {
        view! {
            <p data-testid="ignored-columns">{format!(
                "Not imported (not part of a risk here): {}.",
                data.ignored_columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
            )}</p>
        }
    });
    let outcome = if ready {
        view! {
            <section class="card import-ready" aria-labelledby="confirm-heading">
                <h2 id="confirm-heading">"Ready to import"</h2>
                <p>{format!("{risks}, each with its likelihood and impact as its first assessment. No problems were found.")}</p>
                {ignored}
                <form method="post" action=ImportUploadedRisks::PATH class="stack">
                    <input type="hidden" name="register" value=holder.key()/>
                    <input type="hidden" name="upload" value=data.id.to_string()/>
                    <button type="submit" class="button">{format!("Add {risks} to the register")}</button>
                </form>
            </section>
        }
        .into_any()
    } else {
        let listed = data.problems.iter().map(|p| view! { <li>{p.to_string()}</li> }).collect_view();
        let heading = match data.problems.len() {
            1 => "1 problem to correct".to_owned(),
            n => format!("{n} problems to correct"),
        };
        view! {
            <section class="card import-problems" aria-labelledby="problems-heading" data-testid="import-problems">
                <h2 id="problems-heading">{heading}</h2>
                <p>"Nothing can be imported until every problem is corrected. Correct them in your spreadsheet, save, and upload the file again."</p>
                <ul>{listed}</ul>
                {ignored}
                <h3>"Upload the corrected file"</h3>
                <UploadForm holder=holder.clone() button="Upload and check again"/>
            </section>
        }
        .into_any()
    };
    view! {
        <Title text=format!("Check {} – {}", data.file_name, holder.name)/>
        <Breadcrumbs items=vec![
            (holder.name.clone(), Some(holder.home())),
            ("Risk register".into(), Some(holder.register_href())),
            ("Import risks".into(), Some(upload_action(&holder))),
            (data.file_name.clone(), None),
        ]/>
        <h1>"Check " {data.file_name.clone()}</h1>
        <p class="lead">{format!("{kind} uploaded {}. Nothing has been added to the register yet.", long_date_time(&data.uploaded_at))}</p>
        {outcome}
        <section aria-labelledby="rows-heading">
            <h2 id="rows-heading">"The rows as read"</h2>
            <p class="muted">"Row numbers are the spreadsheet's: the header is row 1."</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="rows-heading">
                <table class="import-rows">
                    <thead><tr>
                        <th scope="col">"Row"</th>
                        {RISK_COLUMNS.iter().map(|c| view! { <th scope="col">{c.label}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
        {ready.then(|| view! {
            <section class="card" aria-labelledby="other-file-heading">
                <h2 id="other-file-heading">"Upload a different file instead"</h2>
                <UploadForm holder=holder.clone() button="Upload and check"/>
            </section>
        })}
    }
}

#[component]
fn RowLine(row: RiskImportRow, problems: Vec<ImportProblem>) -> impl IntoView {
    let invalid = !problems.is_empty();
    let notes = invalid.then(|| {
        let items = problems
            .iter()
            .map(|p| {
                let text = match &p.column {
                    Some(column) => format!("{column}: {}", p.message),
                    None => p.message.clone(),
                };
                view! { <li>{text}</li> }
            })
            .collect_view();
        view! { <tr class="import-row-problems"><td></td><td colspan="11"><ul>{items}</ul></td></tr> }
    });
    let c = row.cells;
    let cells = [
        c.reference,
        c.title,
        c.description,
        c.cause,
        c.consequence,
        c.owner,
        c.controls,
        c.likelihood,
        c.impact,
        c.target_score,
        c.review_on,
    ];
    view! {
        <tr class:import-row-invalid=invalid>
            <th scope="row">{row.row}</th>
            {cells.into_iter().map(|t| view! { <td>{t}</td> }).collect_view()}
        </tr>
        {notes}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_the_header_and_one_example_risk() {
        let href = template_href();
        assert!(href.starts_with(
            "data:text/csv;charset=utf-8,Reference%2CRisk%2CDescription%2CCause%2CConsequence%2COwner%2CControls%20in%20place%2CLikelihood%2CImpact%2CTarget%20score%2CReview%20date%0D%0AR1%2C"
        ), "{href}");
    }
}
