use crate::api::plans::get_plan;
use crate::components::error_page::loaded;
use crate::components::layout::{Breadcrumbs, Multiline, Timescale};
use crate::components::status::{StatusBadge, StatusSummary};
use crate::domain::dates::month_year;
use crate::domain::filter::PlanFilter;
use crate::domain::leads::distinct_leads;
use crate::domain::status::{status_key, status_label, StatusCounts};
use crate::domain::views::{ActionRow, ObjectiveView, OutcomeView, PlanView, PriorityView};
use crate::pages::{action_href, param, plan_href};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/committees/{committee}/plans/{plan}`: the plan as the committee knows it, filterable by
/// status, lead and subgroup through the URL.
#[component]
pub fn PlanPage() -> impl IntoView {
    let params = use_params_map();
    let plan = Resource::new(
        move || {
            let p = params.read();
            (param(&p, "committee"), param(&p, "plan"))
        },
        |(committee, plan)| get_plan(committee, plan),
    );
    view! {
        {loaded(plan, |plan| view! { <PlanBody plan/> })}
    }
}

#[component]
fn PlanBody(plan: PlanView) -> impl IntoView {
    // Rendered on the server only: the filters come from the request's query string.
    let current = {
        let query = use_query_map();
        let q = query.read_untracked();
        PlanFilter::from_query(q.get_str("status"), q.get_str("lead"), q.get_str("subgroup"))
    };
    let base = plan_href(&plan.committee.slug, &plan.slug);
    let title = format!("{} – {}", plan.title, plan.committee.name);
    let reviewed = plan.reviews.first().map(|r| format!("Reviewed and updated {}", month_year(&r.reviewed_on)));
    let counts = plan.counts();
    let leads = distinct_leads(plan.actions().map(|a| a.lead.as_str()));
    if !current.names_only(&leads, &plan.subgroups.iter().map(|s| s.slug.as_str()).collect::<Vec<_>>()) {
        crate::components::session::not_shared();
    }

    view! {
        <Title text=title/>
        <Breadcrumbs items=vec![
            ("Forth Valley".into(), Some("/".into())),
            (plan.committee.name.clone(), Some(format!("/committees/{}", plan.committee.slug))),
            (plan.title.clone(), None),
        ]/>
        <header class="plan-header">
            <p class="eyebrow">{plan.committee.name.clone()}</p>
            <h1>{plan.title.clone()}</h1>
            {(plan.is_sample || plan.committee_is_sample).then(|| view! {
                <p class="sample-banner" role="note">"Sample plan: illustrative content for demonstration, not this committee's published plan."</p>
            })}
            {reviewed.map(|r| view! { <p class="review-line">{r}</p> })}
            <StatusSummary counts filter_base=base.clone() live_plan=plan.id/>
            <p class="plan-tools">
                <a href=format!("{base}/export.csv") download="" rel="external">"Download as CSV"</a>
                " · "
                <a href=format!("{base}/export.xlsx") download="" rel="external">"Download as Excel (XLSX)"</a>
                {(plan.state == crate::domain::plan::PlanState::Published).then(|| view! {
                    " · " <a href=format!("{base}/summary")>"Latest quarterly summary"</a>
                })}
            </p>
            <PlanLinks base=base.clone() can_edit=plan.can_edit reviews=plan.reviews.clone()/>
        </header>
        <Filters
            action=base.clone()
            status=current.status_param().to_owned()
            leads
            lead=current.lead.clone().unwrap_or_default()
            subgroups=plan.subgroups.iter().map(|s| (s.slug.clone(), s.name.clone())).collect()
            subgroup=current.subgroup.clone().unwrap_or_default()
        />
        <PlanContent plan filter=current/>
    }
}

/// The filter form: a plain GET form that works without JavaScript; as an island it applies
/// a choice as soon as it is made.
#[island]
fn Filters(
    action: String,
    status: String,
    leads: Vec<String>,
    lead: String,
    subgroups: Vec<(String, String)>,
    subgroup: String,
) -> impl IntoView {
    let status_options = StatusCounts::keyed()
        .into_iter()
        .map(|s| {
            let key = status_key(s);
            view! { <option value=key selected=status == key>{status_label(s)}</option> }
        })
        .collect_view();
    let lead_options = leads
        .into_iter()
        .map(|name| {
            let selected = name.eq_ignore_ascii_case(&lead);
            view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
        })
        .collect_view();
    let subgroup_options = subgroups
        .into_iter()
        .map(|(slug, name)| {
            let selected = slug == subgroup;
            view! { <option value=slug selected=selected>{name}</option> }
        })
        .collect_view();
    let apply_now = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            let form = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()).and_then(|s| s.form());
            if let Some(form) = form {
                let _ = form.request_submit();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let clear_href = action.clone();
    view! {
        <section class="filters" aria-labelledby="filters-heading">
            <h2 id="filters-heading" class="visually-hidden">"Filter the plan"</h2>
            <form method="get" action=action>
                <div class="filter-field">
                    <label for="filter-status">"Status"</label>
                    <select id="filter-status" name="status" on:change=apply_now>
                        <option value="">"Any status"</option>
                        {status_options}
                    </select>
                </div>
                <div class="filter-field">
                    <label for="filter-lead">"Lead"</label>
                    <select id="filter-lead" name="lead" on:change=apply_now>
                        <option value="">"Any lead"</option>
                        {lead_options}
                    </select>
                </div>
                <div class="filter-field">
                    <label for="filter-subgroup">"Subgroup"</label>
                    <select id="filter-subgroup" name="subgroup" on:change=apply_now>
                        <option value="">"Any subgroup"</option>
                        {subgroup_options}
                    </select>
                </div>
                <div class="filter-actions">
                    <button type="submit" class="button">"Apply filters"</button>
                    <a href=clear_href class="button button-secondary">"Clear"</a>
                </div>
            </form>
        </section>
    }
}

/// Lead officers' way to shape the plan, and everyone's way to see what changed since a review.
#[component]
fn PlanLinks(base: String, can_edit: bool, reviews: Vec<crate::domain::views::ReviewView>) -> impl IntoView {
    let compare = reviews.first().map(|r| {
        let href = format!("{base}/compare/{}", r.id);
        view! { <a href=href>{format!("What changed since the review of {}", month_year(&r.reviewed_on))}</a> }
    });
    view! {
        <p class="plan-tools plan-links">
            {compare}
            {can_edit.then(|| view! { <a class="button button-small" href=format!("{base}/edit")>"Edit plan"</a> })}
        </p>
    }
}

#[component]
fn PlanContent(plan: PlanView, filter: PlanFilter) -> impl IntoView {
    let total = plan.actions().count();
    let shown = plan.actions().filter(|a| filter.matches(a)).count();
    let summary = if filter.is_active() {
        format!("Showing {shown} of {total} actions that match the filters.")
    } else {
        format!("Showing all {total} actions.")
    };
    let committee = plan.committee.slug.clone();
    let plan_slug = plan.slug.clone();
    let priorities = plan
        .priorities
        .iter()
        .filter(|p| filter.shows(p.outcomes.iter().flat_map(|o| &o.objectives).flat_map(|o| &o.actions)))
        .map(|p| view! { <PrioritySection priority=p.clone() filter=filter.clone() committee=committee.clone() plan=plan_slug.clone()/> })
        .collect_view();
    view! {
        <p class="result-count" role="status" aria-live="polite">{summary}</p>
        {(shown == 0).then(|| view! { <p class="empty">"No action matches these filters. Choose other filters or clear them."</p> })}
        <div class="plan-body" data-live-plan=plan.id.to_string()>{priorities}</div>
    }
}

#[component]
fn PrioritySection(priority: PriorityView, filter: PlanFilter, committee: String, plan: String) -> impl IntoView {
    let outcomes = priority
        .outcomes
        .into_iter()
        .filter(|o| filter.shows(o.objectives.iter().flat_map(|ob| &ob.actions)))
        .map(|o| view! { <OutcomeSection outcome=o filter=filter.clone() committee=committee.clone() plan=plan.clone()/> })
        .collect_view();
    view! {
        <section class="priority" aria-labelledby=format!("priority-{}", priority.position)>
            <h2 id=format!("priority-{}", priority.position)><span class="eyebrow">"Strategic priority"<span class="visually-hidden">": "</span></span>{priority.title}</h2>
            {outcomes}
        </section>
    }
}

#[component]
fn OutcomeSection(outcome: OutcomeView, filter: PlanFilter, committee: String, plan: String) -> impl IntoView {
    let heading_id = format!("outcome-{}", outcome.number);
    let labelled_by = heading_id.clone();
    let objectives = outcome
        .objectives
        .into_iter()
        .filter(|o| filter.shows(o.actions.iter()))
        .map(|o| view! { <ObjectiveRows objective=o filter=filter.clone() committee=committee.clone() plan=plan.clone()/> })
        .collect_view();
    view! {
        <section class="outcome" aria-labelledby=labelled_by>
            <h3 id=heading_id>
                <span class="outcome-number">{format!("Outcome {}", outcome.number)}</span>
                {(!outcome.title.is_empty()).then(|| view! {
                    <span class="outcome-title"><span class="visually-hidden">": "</span>{outcome.title.clone()}</span>
                })}
            </h3>
            <table class="plan-table" role="table">
                <thead role="rowgroup">
                    <tr role="row">
                        <th scope="col" role="columnheader" class="col-ref">"No."</th>
                        <th scope="col" role="columnheader" class="col-action">"Action: what we are going to do"</th>
                        <th scope="col" role="columnheader" class="col-lead">"Lead & key people"</th>
                        <th scope="col" role="columnheader" class="col-time">"Timescale"</th>
                        <th scope="col" role="columnheader" class="col-evidence">"Evidence or outcome measures"</th>
                        <th scope="col" role="columnheader" class="col-progress">"Progress report"</th>
                        <th scope="col" role="columnheader" class="col-status">"Status"</th>
                    </tr>
                </thead>
                {objectives}
            </table>
        </section>
    }
}

#[component]
fn ObjectiveRows(objective: ObjectiveView, filter: PlanFilter, committee: String, plan: String) -> impl IntoView {
    let actions = objective
        .actions
        .into_iter()
        .filter(|a| filter.matches(a))
        .map(|a| view! { <ActionTableRow action=a committee=committee.clone() plan=plan.clone()/> })
        .collect_view();
    view! {
        <tbody class="objective" role="rowgroup">
            <tr class="objective-row" role="row">
                <th scope="rowgroup" colspan="7" role="rowheader">
                    <span class="objective-number">{objective.number.to_string()}</span>
                    " " {objective.title}
                </th>
            </tr>
            {actions}
        </tbody>
    }
}

#[component]
fn ActionTableRow(action: ActionRow, committee: String, plan: String) -> impl IntoView {
    let href = action_href(&committee, &plan, &action.id);
    let update = action.can_update.then(|| {
        let label = format!("Update action {}", action.reference);
        view! { <a class="button button-small update-link" href=format!("{href}#update") aria-label=label>"Update"</a> }
    });
    let shared = action.owner_subgroup.clone().map(|s| {
        view! {
            <a class="shared-tag" href=format!("/subgroups/{}", s.slug) title=format!("Shared Forth Valley action, led by {}", s.name)>
                "Shared · " {s.short_name}
            </a>
        }
    });
    view! {
        <tr class=format!("action-row status-row-{}", status_key(action.status)) id=format!("action-{}", action.id) role="row"
            data-live-action=action.id.to_string() data-live-version=action.version>
            <td class="col-ref" data-label="No." role="cell">{action.reference.clone()}</td>
            <td class="col-action" data-label="Action" role="cell">
                <a class="action-link" href=href data-live-field="description"><Multiline text=action.description/></a>
                {shared}
                {(!action.local_note.is_empty()).then(|| view! { <p class="local-note">{action.local_note.clone()}</p> })}
            </td>
            <td class="col-lead" data-label="Lead & key people" role="cell" data-live-field="lead"><Multiline text=action.lead/></td>
            <td class="col-time" data-label="Timescale" role="cell" data-live-field="timescale">
                <Timescale timescale=action.timescale revised=action.revised_timescale/>
            </td>
            <td class="col-evidence" data-label="Evidence or outcome measures" role="cell" data-live-field="evidence"><Multiline text=action.evidence/></td>
            <td class="col-progress" data-label="Progress report" role="cell" data-live-field="progress"><Multiline text=action.progress/></td>
            <td class="col-status" data-label="Status" role="cell"><span data-live-field="status"><StatusBadge status=action.status/></span>{update}</td>
        </tr>
    }
}
