//! `/committees/{committee}/years/{year}`: a financial year's closed quarters in one place,
//! the starting point of the committee's annual report: each quarter's counts, what was
//! completed in the year, whose timescale moved, and how the plans and risks changed.

use crate::api::periods::get_annual_summary;
use crate::components::error_page::loaded;
use crate::components::layout::Breadcrumbs;
use crate::domain::annual::YearAction;
use crate::domain::dates::long_date;
use crate::domain::status::{status_label, StatusCounts};
use crate::domain::views::AnnualPage as Data;
use crate::pages::param;
use crate::pages::period_compare::RiskChanges;
use crate::pages::periods::report_href;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AnnualSummaryPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (param(&p, "committee"), param(&p, "year"))
        },
        |(c, y)| get_annual_summary(c, y),
    );
    view! { {loaded(data, |data| view! { <AnnualBody data/> })} }
}

fn actions(list: Vec<YearAction>, moves: bool, empty: &'static str) -> AnyView {
    if list.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    let rows = list
        .into_iter()
        .map(|a| {
            view! {
                <tr>
                    <th scope="row"><a href=a.href.clone()><span class="ref">{a.reference.clone()}</span></a></th>
                    <td>{a.description.clone()}</td>
                    <td>{a.plan.clone()}</td>
                    {moves.then(|| view! {
                        <td>{a.original_timescale.clone()}</td>
                        <td>{a.timescale.clone()}</td>
                        <td class="num">{a.moves}</td>
                    })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0"><table class="report-table">
            <thead><tr><th scope="col">"Ref"</th><th scope="col">"Action"</th><th scope="col">"Plan"</th>
                {moves.then(|| view! { <th scope="col">"Timescale when published"</th><th scope="col">"Timescale now"</th><th scope="col" class="num">"Moves this year"</th> })}
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
    .into_any()
}

#[component]
fn AnnualBody(data: Data) -> impl IntoView {
    let committee = data.committee;
    let title = format!("{}: the year {} in one place", committee.name, data.year_label);
    let crumbs = vec![
        (committee.name.clone(), Some(format!("/committees/{}", committee.slug))),
        ("Quarterly reports".to_owned(), Some(format!("/committees/{}/periods", committee.slug))),
        (format!("Year {}", data.year_label), None),
    ];
    let Some(y) = data.summary else {
        return view! {
            <Title text=title.clone()/>
            <Breadcrumbs items=crumbs/>
            <h1>{title}</h1>
            <p>"No quarter of this year has been closed yet."</p>
        }
        .into_any();
    };
    let header = StatusCounts::keyed()
        .into_iter()
        .map(|s| view! { <th scope="col" class="num">{status_label(s)}</th> })
        .collect_view();
    let slug = committee.slug.clone();
    let quarters = y
        .quarters
        .iter()
        .map(|q| {
            let cells = StatusCounts::keyed()
                .into_iter()
                .map(|s| view! { <td class="num">{q.counts.get(s)}</td> })
                .collect_view();
            view! {
                <tr>
                    <th scope="row"><a href=report_href(&slug, &q.slug)>{q.label.clone()}</a></th>
                    <td class="date">{long_date(&q.reported_on)}</td>
                    {cells}
                    <td class="num">{q.counts.total()}</td>
                </tr>
            }
        })
        .collect_view();
    let from = y.baseline.clone().unwrap_or_else(|| y.quarters.first().map(|q| q.label.clone()).unwrap_or_default());
    let last = y.quarters.last().map(|q| q.label.clone()).unwrap_or_default();
    let plan_changes: usize = y.changes.plans.iter().map(|p| p.differences.len()).sum();
    let risks = view! { <RiskChanges risks=y.changes.risks.clone() earlier=from.clone() later=last.clone()/> };
    let measured = match &y.baseline {
        Some(b) => format!("Measured from the record of {b}, the closed period before the year."),
        None => "No closed period before the year: measured from its first closed quarter.".to_owned(),
    };
    view! {
        <Title text=title.clone()/>
        <Breadcrumbs items=crumbs/>
        <h1>{title}</h1>
        <p>{measured}</p>
        <section aria-labelledby="quarters-heading">
            <h2 id="quarters-heading">"The quarters"</h2>
            <div class="table-scroll" tabindex="0"><table class="report-table">
                <thead><tr><th scope="col">"Quarter"</th><th scope="col">"Reported on"</th>{header}<th scope="col" class="num">"Total"</th></tr></thead>
                <tbody>{quarters}</tbody>
            </table></div>
        </section>
        <section aria-labelledby="completed-heading">
            <h2 id="completed-heading">{format!("Completed during the year ({})", y.completed.len())}</h2>
            {actions(y.completed, false, "No action was completed during the year.")}
        </section>
        <section aria-labelledby="moved-heading">
            <h2 id="moved-heading">{format!("Timescales moved during the year ({})", y.moved.len())}</h2>
            {actions(y.moved, true, "No timescale moved during the year.")}
        </section>
        <section aria-labelledby="changes-heading">
            <h2 id="changes-heading">"How the plans changed"</h2>
            <p>{format!("{plan_changes} changes to actions from {from} to {last} (added, retired, re-worded, renumbered, status or timescale).")}</p>
            {(!y.quarters.is_empty()).then(|| {
                let first = y.quarters.first().map(|q| q.slug.clone()).unwrap_or_default();
                let last_slug = y.quarters.last().map(|q| q.slug.clone()).unwrap_or_default();
                (first != last_slug).then(|| view! {
                    <p><a href=format!("{}/compare/{}", report_href(&slug, &last_slug), first)>"See every change between the year's first and last quarter"</a></p>
                })
            })}
        </section>
        <section aria-labelledby="risks-heading">
            <h2 id="risks-heading">"How the risks changed"</h2>
            {risks}
        </section>
    }
    .into_any()
}
