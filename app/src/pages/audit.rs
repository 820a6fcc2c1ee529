//! `/committees/{committee}/audit`: every change to the committee's plans and memberships,
//! filterable by person, dates and kind of object (a plain GET form, so it works without
//! JavaScript and the filter lives in the URL).

use crate::api::audit::get_audit;
use crate::components::error_page::loaded;
use crate::components::layout::Breadcrumbs;
use crate::domain::views::{AuditEntry, AuditPage as AuditData};
use crate::pages::param;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            let get = |k: &str| q.get(k).unwrap_or_default();
            (param(&params.read(), "committee"), get("person"), get("from"), get("to"), get("object"))
        },
        |(committee, person, from, to, object)| get_audit(committee, person, from, to, object),
    );
    view! { {loaded(data, |data| view! { <AuditBody data/> })} }
}

#[component]
fn AuditBody(data: AuditData) -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let get = move |k: &str| q.get(k).unwrap_or_default();
    let (person, from, to, object) = (get("person"), get("from"), get("to"), get("object"));
    let title = format!("Audit log of {}", data.committee.name);
    let people = data
        .people
        .into_iter()
        .map(|(id, name)| {
            let selected = id.to_string() == person;
            view! { <option value=id.to_string() selected=selected>{name}</option> }
        })
        .collect_view();
    let objects = data
        .entities
        .into_iter()
        .map(|e| {
            let selected = e == object;
            let label = e.replace('_', " ");
            view! { <option value=e selected=selected>{label}</option> }
        })
        .collect_view();
    let count = data.entries.len();
    let rows = data.entries.into_iter().map(|e| view! { <AuditRow entry=e/> }).collect_view();
    view! {
        <Title text=title.clone()/>
        <Breadcrumbs items=vec![
            (data.committee.name.clone(), Some(format!("/committees/{}", data.committee.slug))),
            ("Audit log".into(), None),
        ]/>
        <h1>{title}</h1>
        <form method="get" class="filters audit-filters" aria-label="Filter the audit log">
            <div class="field"><label for="audit-person">"Person"</label>
                <select id="audit-person" name="person"><option value="">"Anyone"</option>{people}</select></div>
            <div class="field"><label for="audit-from">"From"</label>
                <input id="audit-from" type="date" name="from" value=from/></div>
            <div class="field"><label for="audit-to">"To"</label>
                <input id="audit-to" type="date" name="to" value=to/></div>
            <div class="field"><label for="audit-object">"Object"</label>
                <select id="audit-object" name="object"><option value="">"Anything"</option>{objects}</select></div>
            <button type="submit" class="button">"Filter"</button>
        </form>
        <p class="muted" data-testid="audit-count">{count} " entries"
            {data.truncated.then_some(" (the most recent; narrow the filters to see older ones)")}</p>
        <table class="audit-table">
            <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th>
                <th scope="col">"Before"</th><th scope="col">"After"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn AuditRow(entry: AuditEntry) -> impl IntoView {
    view! {
        <tr>
            <td>{entry.occurred_at}</td>
            <td>{entry.person}</td>
            <td>{entry.summary} <span class="muted">" (" {entry.entity.replace('_', " ")} ", " {entry.operation} ")"</span></td>
            <td><code>{entry.before}</code></td>
            <td><code>{entry.after}</code></td>
        </tr>
    }
}
