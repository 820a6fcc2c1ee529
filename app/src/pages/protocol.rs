//! `/protocols/{protocol}`: one protocol: its versions, each committee's decision on the
//! current version (recorded here by the committee's lead officers), the actions delivering it,
//! and, for the owning subgroup, a new version.

use crate::api::protocol_edits::{get_protocol, AddProtocolVersion, RecordRatification};
use crate::components::error_page::loaded;
use crate::components::forms::{Field, StaleNotice, TextArea, VersionField};
use crate::components::layout::{Breadcrumbs, Multiline};
use crate::components::session::flash;
use crate::domain::dates::long_date;
use crate::domain::protocol::RatificationState;
use crate::domain::views::{ProtocolPage as ProtocolData, RatificationRow};
use crate::pages::{action_href, param};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProtocolPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || param(&params.read(), "protocol"), get_protocol);
    view! { {loaded(data, |p| view! { <ProtocolBody p/> })} }
}

fn state_word(state: RatificationState) -> (&'static str, &'static str) {
    match state {
        RatificationState::Ratified => ("ratified", "✓ Ratified"),
        RatificationState::Declined => ("declined", "✕ Declined"),
        RatificationState::Pending => ("pending", "… Pending"),
    }
}

#[component]
fn ProtocolBody(p: ProtocolData) -> impl IntoView {
    let current = p.versions.first().cloned();
    let pending = p.ratifications.iter().filter(|r| r.state == RatificationState::Pending).count();
    let flags = view! {
        <ul class="work-flags">
            {current.as_ref().filter(|v| v.overdue).map(|_| view! { <li class="work-flag work-flag-red">"Review overdue"</li> })}
            {(pending > 0).then(|| view! { <li class="work-flag work-flag-amber">{format!("Ratification pending: {pending}")}</li> })}
        </ul>
    };
    let versions = p
        .versions
        .iter()
        .map(|v| {
            view! {
                <li>
                    <p><strong>{v.label.clone()}</strong> " · added " {long_date(&v.created_at)}
                        {v.review_due_on.clone().map(|d| format!(" · review due {}", long_date(&d)))}
                        {v.overdue.then(|| view! { " " <span class="flag flag-warning">"Overdue"</span> })}</p>
                    {v.document_url.clone().map(|url| view! { <p><a href=url rel="external">"Open the document"</a></p> })}
                    {(!v.body.is_empty()).then(|| view! { <div class="protocol-text"><Multiline text=v.body.clone()/></div> })}
                </li>
            }
        })
        .collect_view();
    let decisions = p.ratifications.into_iter().map(|r| view! { <Decision row=r/> }).collect_view();
    let actions = p
        .actions
        .iter()
        .map(|a| {
            view! { <li><a href=action_href(&a.committee.slug, &a.plan_slug, &a.id)>{format!("{} {}", a.committee.short_name, a.reference)}</a> " " {a.description.clone()}</li> }
        })
        .collect_view();
    let no_actions = p.actions.is_empty();
    let slug = p.slug.clone();
    view! {
        <Title text=p.title.clone()/>
        <Breadcrumbs items=vec![("Shared protocols".into(), Some("/protocols".into())), (p.title.clone(), None)]/>
        <h1>{p.title.clone()}</h1>
        {flags}
        {(!p.summary.is_empty()).then(|| view! { <p class="lead">{p.summary.clone()}</p> })}
        <dl class="fields compact">
            {p.owner.clone().map(|o| view! { <dt>"Kept by"</dt><dd><a href=format!("/subgroups/{}", o.slug)>{o.name}</a>
                {(!p.owner_name.is_empty()).then(|| format!(" ({})", p.owner_name))}</dd> })}
            <dt>"Current version"</dt><dd>{current.map(|v| v.label).unwrap_or_else(|| "None yet".into())}</dd>
        </dl>
        <section aria-labelledby="decisions-heading">
            <h2 id="decisions-heading">"Ratification of the current version"</h2>
            <ul class="plain-list decisions">{decisions}</ul>
        </section>
        <section aria-labelledby="delivering-heading">
            <h2 id="delivering-heading">"Actions that deliver it"</h2>
            {if no_actions { view! { <p class="muted">"No action is linked to it yet."</p> }.into_any() } else { view! { <ul class="plain-list">{actions}</ul> }.into_any() }}
        </section>
        <section aria-labelledby="versions-heading">
            <h2 id="versions-heading">"Versions"</h2>
            <ol class="plain-list timeline">{versions}</ol>
        </section>
        {p.can_add_version.then(|| view! {
            <details class="card new-shared-action" open=flash().is_some_and(|f| f.form.as_deref() == Some(AddProtocolVersion::PATH))>
                <summary>"Add a new version"</summary>
                <form method="post" action=AddProtocolVersion::PATH class="stack">
                    <input type="hidden" name="protocol" value=slug/>
                    <Field form=AddProtocolVersion::PATH name="label" label="Version" hint="e.g. \"Version 3\" or \"2027\""/>
                    <Field form=AddProtocolVersion::PATH name="document_url" label="Link to the document" kind="url" required=false/>
                    <TextArea form=AddProtocolVersion::PATH name="body" label="Or its text" rows=4/>
                    <Field form=AddProtocolVersion::PATH name="review_due_on" label="Review due" kind="date" required=false/>
                    <button type="submit" class="button">"Add version and ask committees to ratify it"</button>
                </form>
            </details>
        })}
    }
}

#[component]
fn Decision(row: RatificationRow) -> impl IntoView {
    let (class, word) = state_word(row.state);
    let form = RecordRatification::PATH;
    let mine = flash().is_some_and(|f| {
        f.form.as_deref() == Some(form) && f.value(form, "committee").as_deref() == Some(&row.committee.slug)
    });
    let typed = |name: &str| if mine { flash().and_then(|f| f.value(form, name)) } else { None };
    let chosen = typed("state").unwrap_or_else(|| row.state.code().to_owned());
    let options = [("pending", "Pending"), ("ratified", "Ratified"), ("declined", "Declined")]
        .into_iter()
        .map(|(value, label)| view! { <option value=value selected=chosen == value>{label}</option> })
        .collect_view();
    let suffix = row.committee.slug.clone();
    view! {
        <li class="card decision">
            <p><strong>{row.committee.name.clone()}</strong> ": "
                <span class=format!("ratification ratification-{class}")>{word}</span>
                {row.decided_on.clone().map(|d| format!(" on {}", long_date(&d)))}</p>
            {row.reason.clone().map(|r| view! { <p class="muted">"Reason: " {r}</p> })}
            {row.can_record.then(|| view! {
                <details open=mine>
                    <summary>{format!("Record {}'s decision", row.committee.short_name)}</summary>
                    <form method="post" action=form class="stack">
                        {mine.then(|| view! { <StaleNotice form/> })}
                        <input type="hidden" name="protocol_version" value=row.version_id.to_string()/>
                        <input type="hidden" name="committee" value=row.committee.slug.clone()/>
                        <VersionField form version=row.version from_flash=mine/>
                        <div class="field">
                            <label for=format!("state-{suffix}")>"Decision"</label>
                            <select id=format!("state-{suffix}") name="state">{options}</select>
                        </div>
                        <TextArea form name="decided_on" label="Date of the decision (yyyy-mm-dd)" rows=1 value=typed("decided_on").or(row.decided_on.clone()).unwrap_or_default() id_suffix=format!("-{suffix}") from_flash=mine/>
                        <TextArea form name="reason" label="Reason, if declined" rows=2 value=typed("reason").or(row.reason.clone()).unwrap_or_default() id_suffix=format!("-{suffix}") from_flash=mine/>
                        <button type="submit" class="button button-small">"Record decision"</button>
                    </form>
                </details>
            })}
        </li>
    }
}
