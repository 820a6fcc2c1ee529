//! `/committees/{committee}/plans/{plan}/compare/{review}`: the plan now beside the plan as it
//! stood at one of its reviews: actions added, retired, re-worded, renumbered, and status and
//! timescale changes, side by side.

use crate::api::structure::compare_plan;
use crate::components::error_page::loaded;
use crate::components::layout::Breadcrumbs;
use crate::components::status::StatusBadge;
use crate::domain::compare::SnapshotAction;
use crate::domain::dates::long_date;
use crate::domain::status::Status;
use crate::domain::views::Comparison;
use crate::pages::{param, plan_href};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PlanComparePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (param(&p, "committee"), param(&p, "plan"), param(&p, "review"))
        },
        |(committee, plan, review)| compare_plan(committee, plan, review),
    );
    view! { {loaded(data, |c| view! { <CompareBody c/> })} }
}

fn side(action: Option<SnapshotAction>) -> impl IntoView {
    match action {
        None => view! { <p class="muted">"Not in the plan"</p> }.into_any(),
        Some(a) => {
            let status = a.status.as_deref().and_then(|s| Status::parse(s).ok());
            view! {
                <p><span class="action-ref">{a.reference}</span> " " {a.description}</p>
                <p><StatusBadge status/> " · " {if a.timescale.is_empty() { "no timescale".to_owned() } else { a.timescale }}</p>
            }
            .into_any()
        }
    }
}

#[component]
fn CompareBody(c: Comparison) -> impl IntoView {
    let back = plan_href(&c.committee.slug, &c.plan_slug);
    let reviewed = long_date(&c.reviewed_on);
    let title = format!("{} now, compared with the review of {reviewed}", c.plan_title);
    let none = c.differences.is_empty();
    let rows = c
        .differences
        .into_iter()
        .map(|d| {
            let kinds = d.kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join(", ");
            view! {
                <tr>
                    <th scope="row" class="change-kinds">{kinds}</th>
                    <td>{side(d.before)}</td>
                    <td>{side(d.now)}</td>
                </tr>
            }
        })
        .collect_view();
    let others = c
        .reviews
        .iter()
        .map(|r| view! { <li><a href=format!("{back}/compare/{}", r.id)>{long_date(&r.reviewed_on)}</a></li> })
        .collect_view();
    view! {
        <Title text=title.clone()/>
        <Breadcrumbs items=vec![
            (c.committee.name.clone(), Some(format!("/committees/{}", c.committee.slug))),
            (c.plan_title.clone(), Some(back.clone())),
            (format!("Compared with {reviewed}"), None),
        ]/>
        <h1>{title}</h1>
        {(!c.note.is_empty()).then(|| view! { <p class="lead">{format!("Review note: {}", c.note)}</p> })}
        <p data-testid="comparison-summary">{if none {
            format!("Nothing has changed since the review of {reviewed}.")
        } else {
            format!("Unchanged since then: {} actions.", c.unchanged)
        }}</p>
        {(!none).then(|| view! {
            <table class="compare-table">
                <thead><tr><th scope="col">"Change"</th><th scope="col">{format!("At the review of {reviewed}")}</th><th scope="col">"Now"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        })}
        <h2>"Compare with another review"</h2>
        <ul class="plain-list">{others}</ul>
        <p><a href=back>"Back to the plan"</a></p>
    }
}
