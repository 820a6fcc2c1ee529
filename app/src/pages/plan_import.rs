//! Importing a plan from a file, for a committee's lead officers:
//! `/committees/{committee}/plans/import` explains the format and takes the file (a plain
//! multipart form, handled by the server crate); `/committees/{committee}/plans/import/{upload}`
//! shows every row as read and every problem, and imports a clean file into a new draft plan.

use crate::api::imports::{get_plan_import, get_plan_import_start, ImportUploadedPlan};
use crate::components::error_page::loaded;
use crate::components::forms::Field;
use crate::components::forms::FileUploadForm;
use crate::components::layout::Breadcrumbs;
use crate::domain::dates::long_date_time;
use crate::domain::slug::PlanPeriod;
use crate::domain::views::{ImportProblem, ImportRow, PlanImportPreview, PlanImportStart};
use crate::pages::param;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The columns, as the upload page explains them.
const COLUMN_NOTES: [(&str, &str); 11] = [
    ("priority", "The strategic priority, written the same way on each of its rows."),
    ("outcome_number", "The outcome's number: 1, 2, 3 …"),
    ("outcome", "The outcome's text; may be empty, but the same on each of the outcome's rows."),
    ("objective_number", "The objective's number, starting with its outcome's: 1.1, 1.2, 2.1 …"),
    ("objective", "The objective's text, the same on each of the objective's rows."),
    ("action", "What is going to be done. Required."),
    ("lead", "Who leads it, as written in the plan."),
    ("timescale", "When, as written: \"March 2024\", \"Ongoing\", \"As required\"."),
    ("evidence", "Evidence or outcome measures."),
    ("progress", "The progress report, in its own words."),
    (
        "status",
        "G (on target), A (progress delayed), R (revision required), P (complete), or empty (not yet assessed).",
    ),
];

/// A template to start from: the header row and one example action.
const TEMPLATE_HREF: &str = "data:text/csv;charset=utf-8,priority%2Coutcome_number%2Coutcome%2Cobjective_number%2Cobjective%2Caction%2Clead%2Ctimescale%2Cevidence%2Cprogress%2Cstatus%0D%0ALeadership%2C1%2CChildren%20are%20safer%2C1.1%2CMembers%20know%20their%20role%2CRun%20an%20induction%20for%20new%20members%2CLead%20Officer%2CMarch%202028%2CAttendance%20records%2C%2C%0D%0A";

fn upload_action(committee: &str) -> String {
    format!("/committees/{committee}/plans/import")
}

/// `/committees/{committee}/plans/import`.
#[component]
pub fn PlanImportPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || param(&params.read(), "committee"), get_plan_import_start);
    view! { {loaded(data, |data| view! { <StartBody data/> })} }
}

#[component]
fn StartBody(data: PlanImportStart) -> impl IntoView {
    let committee = data.committee;
    let notes = COLUMN_NOTES
        .iter()
        .map(|(name, note)| view! { <tr><th scope="row"><code>{*name}</code></th><td>{*note}</td></tr> })
        .collect_view();
    view! {
        <Title text=format!("Import a plan – {}", committee.name)/>
        <Breadcrumbs items=vec![
            (committee.name.clone(), Some(format!("/committees/{}", committee.slug))),
            ("Import a plan".into(), None),
        ]/>
        <h1>"Import a plan from a file"</h1>
        <p class="lead">"Upload the plan as a CSV file or an Excel workbook (.xlsx). You will see every row and every problem before anything is saved; importing then makes a new draft plan, which only members of "
            {committee.name.clone()} " see until it is published."</p>
        <section class="card" aria-labelledby="upload-heading">
            <h2 id="upload-heading">"Upload the file"</h2>
            <UploadForm committee=committee.slug.clone() button="Upload and check"/>
        </section>
        <section aria-labelledby="format-heading">
            <h2 id="format-heading">"What the file holds"</h2>
            <p>"One row per action, under a header row of exactly these eleven column names, in this order. In a workbook, the plan is the first sheet and the header is its first row."</p>
            // Focusable, so the table scrolls sideways from the keyboard on a narrow screen.
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="format-heading">
                <table class="import-columns">
                    <thead><tr><th scope="col">"Column"</th><th scope="col">"What goes in it"</th></tr></thead>
                    <tbody>{notes}</tbody>
                </table>
            </div>
            <p>"Keep each priority's, outcome's and objective's rows together. Text is kept exactly as written: nothing is invented, and a status is set only where the file gives one."</p>
            <p class="plan-tools">
                <a href=TEMPLATE_HREF download="plan-template.csv">"Download a template (CSV)"</a>
                " · Or download one of the committee's plans as CSV or Excel from its page, and edit that."
            </p>
        </section>
    }
}

/// The file form, on the upload page and again on the preview for a corrected file.
#[component]
fn UploadForm(committee: String, button: &'static str) -> impl IntoView {
    view! {
        <FileUploadForm action=upload_action(&committee) id="plan-file" label="Plan file (CSV or .xlsx)"
            hint="Up to 1.5 MB and 5,000 actions." button/>
    }
}

/// `/committees/{committee}/plans/import/{upload}`.
#[component]
pub fn PlanImportPreviewPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (param(&p, "committee"), param(&p, "upload"))
        },
        |(committee, upload)| get_plan_import(committee, upload),
    );
    view! { {loaded(data, |data| view! { <PreviewBody data/> })} }
}

#[component]
fn PreviewBody(data: PlanImportPreview) -> impl IntoView {
    let committee = data.committee.clone();
    let ready = data.problems.is_empty();
    let kind = if data.format == "xlsx" { "Excel workbook" } else { "CSV file" };
    let summary = Summary::of(&data.rows);
    let rows = data
        .rows
        .iter()
        .map(|row| {
            let problems: Vec<ImportProblem> = data.problems.iter().filter(|p| p.row == row.row).cloned().collect();
            view! { <RowLine row=row.clone() problems/> }
        })
        .collect_view();
    let outcome = if ready {
        view! {
            <section class="card import-ready" aria-labelledby="confirm-heading">
                <h2 id="confirm-heading">"Ready to import"</h2>
                <p>{summary.sentence()} " No problems were found."</p>
                <ConfirmForm data=data.clone()/>
            </section>
        }
        .into_any()
    } else {
        let listed = data.problems.iter().map(|p| view! { <li>{p.to_string()}</li> }).collect_view();
        view! {
            <section class="card import-problems" aria-labelledby="problems-heading" data-testid="import-problems">
                <h2 id="problems-heading">{problems_heading(data.problems.len())}</h2>
                <p>"Nothing can be imported until every problem is corrected. Correct them in your spreadsheet, save, and upload the file again."</p>
                <ul>{listed}</ul>
                <h3>"Upload the corrected file"</h3>
                <UploadForm committee=committee.slug.clone() button="Upload and check again"/>
            </section>
        }
        .into_any()
    };
    view! {
        <Title text=format!("Check {} – {}", data.file_name, committee.name)/>
        <Breadcrumbs items=vec![
            (committee.name.clone(), Some(format!("/committees/{}", committee.slug))),
            ("Import a plan".into(), Some(upload_action(&committee.slug))),
            (data.file_name.clone(), None),
        ]/>
        <h1>"Check " {data.file_name.clone()}</h1>
        <p class="lead">{format!("{kind} uploaded {}. Nothing has been saved to any plan yet.", long_date_time(&data.uploaded_at))}</p>
        {outcome}
        <section aria-labelledby="rows-heading">
            <h2 id="rows-heading">"The rows as read"</h2>
            <p class="muted">"Row numbers are the spreadsheet's: the header is row 1."</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="rows-heading">
                <table class="import-rows">
                    <thead><tr>
                        <th scope="col">"Row"</th><th scope="col">"Priority"</th><th scope="col">"Outcome"</th>
                        <th scope="col">"Objective"</th><th scope="col">"Action"</th><th scope="col">"Lead"</th>
                        <th scope="col">"Timescale"</th><th scope="col">"Evidence"</th><th scope="col">"Progress"</th>
                        <th scope="col">"Status"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
        {ready.then(|| view! {
            <section class="card" aria-labelledby="other-file-heading">
                <h2 id="other-file-heading">"Upload a different file instead"</h2>
                <UploadForm committee=committee.slug.clone() button="Upload and check"/>
            </section>
        })}
    }
}

#[component]
fn RowLine(row: ImportRow, problems: Vec<ImportProblem>) -> impl IntoView {
    let invalid = !problems.is_empty();
    let numbered = |number: String, text: String| {
        view! { <span class="import-number">{number}</span> " " {text} }
    };
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
        view! { <tr class="import-row-problems"><td></td><td colspan="9"><ul>{items}</ul></td></tr> }
    });
    view! {
        <tr class:import-row-invalid=invalid>
            <th scope="row">{row.row}</th>
            <td>{row.cells.priority}</td>
            <td>{numbered(row.cells.outcome_number, row.cells.outcome)}</td>
            <td>{numbered(row.cells.objective_number, row.cells.objective)}</td>
            <td>{row.cells.action}</td>
            <td>{row.cells.lead}</td>
            <td>{row.cells.timescale}</td>
            <td>{row.cells.evidence}</td>
            <td>{row.cells.progress}</td>
            <td>{row.cells.status}</td>
        </tr>
        {notes}
    }
}

/// The new plan's period and title, suggested from the committee's latest plan.
#[component]
fn ConfirmForm(data: PlanImportPreview) -> impl IntoView {
    let period = next_period(&data.existing_plans).unwrap_or_default();
    let title = if period.is_empty() { String::new() } else { format!("Strategic Improvement Plan {period}") };
    let existing = (!data.existing_plans.is_empty())
        .then(|| view! { <p class="muted">"Periods already used: " {data.existing_plans.join(", ")} "."</p> });
    view! {
        <form method="post" action=ImportUploadedPlan::PATH class="stack">
            <input type="hidden" name="committee" value=data.committee.slug.clone()/>
            <input type="hidden" name="upload" value=data.id.to_string()/>
            <Field form=ImportUploadedPlan::PATH name="plan" label="Plan period" value=period
                hint="Like 2027-29: the plan's address ends with it." autocomplete="off"/>
            {existing}
            <Field form=ImportUploadedPlan::PATH name="title" label="Title" value=title autocomplete="off"/>
            <button type="submit" class="button">"Import into a new draft plan"</button>
        </form>
    }
}

fn problems_heading(n: usize) -> String {
    if n == 1 {
        "1 problem to correct".into()
    } else {
        format!("{n} problems to correct")
    }
}

/// The period after the latest of `existing`, as long as it: 2025-27 → 2027-29.
fn next_period(existing: &[String]) -> Option<String> {
    let latest = existing.iter().filter_map(|s| PlanPeriod::parse(s).ok()).max_by_key(|p| p.start_year)?;
    let next = PlanPeriod { start_year: latest.end_year, end_year: 2 * latest.end_year - latest.start_year };
    Some(next.slug())
}

/// How many of each level a file holds, for the sentence above the import button.
struct Summary {
    priorities: usize,
    outcomes: usize,
    objectives: usize,
    actions: usize,
}

impl Summary {
    fn of(rows: &[ImportRow]) -> Self {
        let distinct = |key: fn(&ImportRow) -> &str| {
            let mut seen: Vec<&str> = rows.iter().map(key).collect();
            seen.sort_unstable();
            seen.dedup();
            seen.len()
        };
        Summary {
            priorities: distinct(|r| &r.cells.priority),
            outcomes: distinct(|r| &r.cells.outcome_number),
            objectives: distinct(|r| &r.cells.objective_number),
            actions: rows.len(),
        }
    }

    fn sentence(&self) -> String {
        let n = |count: usize, one: &str, many: &str| format!("{count} {}", if count == 1 { one } else { many });
        format!(
            "{} under {}, {} and {}.",
            n(self.actions, "action", "actions"),
            n(self.priorities, "priority", "priorities"),
            n(self.outcomes, "outcome", "outcomes"),
            n(self.objectives, "objective", "objectives")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suggested_period_follows_the_latest_plan() {
        assert_eq!(next_period(&["2023-25".into(), "2025-27".into()]).as_deref(), Some("2027-29"));
        assert_eq!(next_period(&["2024-27".into()]).as_deref(), Some("2027-30"));
        assert_eq!(next_period(&["2098-99".into()]).as_deref(), Some("2099-00"));
        assert_eq!(next_period(&[]), None);
    }

    #[test]
    fn the_template_is_the_format_header_and_one_row() {
        assert!(TEMPLATE_HREF.contains(
            "priority%2Coutcome_number%2Coutcome%2Cobjective_number%2Cobjective%2Caction%2Clead%2Ctimescale%2Cevidence%2Cprogress%2Cstatus%0D%0A"
        ));
        let names: Vec<&str> = COLUMN_NOTES.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names.join(","),
            "priority,outcome_number,outcome,objective_number,objective,action,lead,timescale,evidence,progress,status"
        );
    }
}
