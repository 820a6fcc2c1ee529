//! `/committees/{committee}/periods/{period}/compare/{other}`: two closed periods' records side
//! by side: actions added, retired, re-worded, renumbered, status and timescale changes (the
//! plan comparison's rules), and risk score changes.

use crate::api::periods::compare_periods;
use crate::components::error_page::loaded;
use crate::components::layout::Breadcrumbs;
use crate::domain::dates::long_date_time;
use crate::domain::snapshot_compare::{RiskChange, Side};
use crate::domain::views::PeriodComparePage as Data;
use crate::pages::param;
use crate::pages::periods::{report_href, side};
use crate::pages::risks::RiskScore;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PeriodComparePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (param(&p, "committee"), param(&p, "period"), param(&p, "other"))
        },
        |(c, a, b)| compare_periods(c, a, b),
    );
    view! { {loaded(data, |data| view! { <CompareBody data/> })} }
}

#[component]
fn CompareBody(data: Data) -> impl IntoView {
    let committee = data.committee;
    let c = data.comparison;
    let (earlier, later) = (c.earlier.0.clone(), c.later.0.clone());
    let title = format!("{}: {earlier} compared with {later}", committee.name);
    let plans = c
        .plans
        .into_iter()
        .map(|p| {
            let note = match p.only_in {
                Some(Side::Earlier) => Some(format!("Published at {earlier} only.")),
                Some(Side::Later) => Some(format!("Published at {later} only.")),
                None => None,
            };
            let body = if p.differences.is_empty() {
                view! { <p class="muted">{format!("No action changed: {} unchanged.", p.unchanged)}</p> }.into_any()
            } else {
                let rows = p
                    .differences
                    .into_iter()
                    .map(|d| {
                        let kinds = d.kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join(", ");
                        view! { <tr><th scope="row">{kinds}</th><td>{side(d.before)}</td><td>{side(d.now)}</td></tr> }
                    })
                    .collect_view();
                view! {
                    <p>{format!("Unchanged: {} actions.", p.unchanged)}</p>
                    <div class="table-scroll" tabindex="0"><table class="report-table">
                        <thead><tr><th scope="col">"Change"</th><th scope="col">{earlier.clone()}</th><th scope="col">{later.clone()}</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table></div>
                }
                .into_any()
            };
            view! { <section><h2>{p.title}</h2>{note.map(|n| view! { <p>{n}</p> })}{body}</section> }
        })
        .collect_view();
    let risks = view! { <RiskChanges risks=c.risks earlier=earlier.clone() later=later.clone()/> };
    view! {
        <Title text=title.clone()/>
        <Breadcrumbs items=vec![
            (committee.name.clone(), Some(format!("/committees/{}", committee.slug))),
            ("Quarterly reports".into(), Some(format!("/committees/{}/periods", committee.slug))),
            (earlier.clone(), Some(report_href(&committee.slug, &data.earlier_slug))),
            (format!("Compared with {later}"), None),
        ]/>
        <h1>{title}</h1>
        <p>{format!(
            "The record of {earlier} (closed {}) beside the record of {later} (closed {}).",
            long_date_time(&c.earlier.1),
            long_date_time(&c.later.1)
        )}</p>
        {plans}
        <section aria-labelledby="risk-changes-heading">
            <h2 id="risk-changes-heading">"Risk scores"</h2>
            {risks}
        </section>
    }
}

/// Risks whose score differs between two records: each side's score, or that it was not on
/// the register (added later, or closed). The year page uses it too.
#[component]
pub fn RiskChanges(risks: Vec<RiskChange>, earlier: String, later: String) -> impl IntoView {
    if risks.is_empty() {
        return view! { <p class="muted">"No risk's score changed."</p> }.into_any();
    }
    let score = |s: Option<u8>| match s {
        Some(s) => view! { <RiskScore score=s/> }.into_any(),
        None => view! { <span class="muted">"Not on the register"</span> }.into_any(),
    };
    let rows = risks
        .into_iter()
        .map(|r| {
            view! {
                <tr>
                    <th scope="row"><span class="ref">{r.reference}</span></th>
                    <td>{r.title}</td>
                    <td>{score(r.before)}</td>
                    <td>{score(r.after)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0"><table class="report-table">
            <thead><tr><th scope="col">"Ref"</th><th scope="col">"Risk"</th><th scope="col">{earlier}</th><th scope="col">{later}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
    .into_any()
}
