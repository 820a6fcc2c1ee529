use crate::api::dashboards::subgroup_dashboard;
use crate::api::protocol_edits::CreateProtocol;
use crate::api::shared::{AdoptAction, CreateSharedAction};
use crate::api::subgroups::get_subgroup;
use crate::components::dashboard::DashboardView;
use crate::components::error_page::loaded;
use crate::components::forms::{Field, TextArea};
use crate::components::layout::{Breadcrumbs, Multiline};
use crate::components::status::StatusBadge;
use crate::domain::views::{AdoptTarget, LedActionView, SharedActionView, SubgroupPage as SubgroupData};
use crate::pages::action_update::UpdateActionForm;
use crate::pages::{action_href, param};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/subgroups/{subgroup}`: the subgroup's actions across every committee that adopts them.
#[component]
pub fn SubgroupPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || param(&params.read(), "subgroup"), get_subgroup);
    let dashboard = Resource::new(move || param(&params.read(), "subgroup"), subgroup_dashboard);
    view! {
        {loaded(data, |data| view! { <SubgroupBody data/> })}
        {loaded(dashboard, |dashboard| view! {
            <section class="plan-dashboard" aria-labelledby="subgroup-dashboard">
                <h2 id="subgroup-dashboard">"Dashboard: its shared actions in every committee"</h2>
                <DashboardView dashboard id="subgroup".to_owned() group_label="Committees adopting"/>
            </section>
        })}
    }
}

#[component]
fn SubgroupBody(data: SubgroupData) -> impl IntoView {
    let scope = if data.scope == "regional" { "Forth Valley subgroup" } else { "Local subgroup" };
    let committees = data.committees.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(", ");
    let shared = if data.shared_actions.is_empty() {
        view! { <p class="muted">"This subgroup owns no shared actions yet."</p> }.into_any()
    } else {
        let can_update = data.can_update;
        let targets = data.adopt_targets.clone();
        data.shared_actions
            .into_iter()
            .map(|a| view! { <SharedAction action=a can_update targets=targets.clone()/> })
            .collect_view()
            .into_any()
    };
    let led = if data.led_actions.is_empty() {
        view! { <p class="muted">"No committee plan names this subgroup as a lead."</p> }.into_any()
    } else {
        view! { <ul class="plain-list led-actions">{data.led_actions.into_iter().map(|a| view! { <LedAction action=a/> }).collect_view()}</ul> }.into_any()
    };
    let protocols = data
        .protocols
        .into_iter()
        .map(|p| view! { <li><a href=format!("/protocols/{}", p.slug)>{p.title}</a></li> })
        .collect_view();
    view! {
        <Title text=data.name.clone()/>
        <Breadcrumbs items=vec![(data.region_name, Some("/".into())), (data.name.clone(), None)]/>
        <h1>{data.name}</h1>
        <p class="lead">{scope} {(!committees.is_empty()).then(|| format!(" for {committees}"))}"."</p>
        {data.can_read_risks.then(|| view! {
            <p class="member-links"><a href=format!("/subgroups/{}/risks", data.slug)>"Risk register"</a></p>
        })}
        <section aria-labelledby="shared-heading">
            <h2 id="shared-heading">"Shared actions"</h2>
            <p class="muted">"Owned by this subgroup and updated once for every committee plan that adopts them."</p>
            {data.is_chair.then(|| view! { <NewSharedAction subgroup=data.slug.clone()/> })}
            {shared}
        </section>
        <section aria-labelledby="led-heading">
            <h2 id="led-heading">"Committee actions this subgroup leads"</h2>
            {led}
        </section>
        <section aria-labelledby="protocols-heading">
            <h2 id="protocols-heading">"Protocols"</h2>
            <ul class="plain-list">{protocols}</ul>
            {data.can_update.then(|| view! { <NewProtocol subgroup=data.slug.clone()/> })}
        </section>
    }
}

/// A member's form for a new protocol kept by this subgroup.
#[component]
fn NewProtocol(subgroup: String) -> impl IntoView {
    const FORM: &str = CreateProtocol::PATH;
    view! {
        <details class="card new-shared-action" open=crate::components::session::flash().is_some_and(|f| f.form.as_deref() == Some(FORM))>
            <summary>"Add a protocol"</summary>
            <form method="post" action=FORM class="stack">
                <input type="hidden" name="subgroup" value=subgroup/>
                <Field form=FORM name="title" label="Title"/>
                <TextArea form=FORM name="summary" label="Summary" rows=2/>
                <Field form=FORM name="owner_name" label="Owner" hint="The person or role who keeps it up to date." required=false/>
                <Field form=FORM name="label" label="Version" hint="e.g. \"Version 1\" or \"2026\""/>
                <Field form=FORM name="document_url" label="Link to the document" kind="url" required=false/>
                <TextArea form=FORM name="body" label="Or its text" rows=4/>
                <Field form=FORM name="review_due_on" label="Review due" kind="date" required=false/>
                <button type="submit" class="button">"Add protocol and ask committees to ratify it"</button>
            </form>
        </details>
    }
}

/// The chair's form for a new shared action.
#[component]
fn NewSharedAction(subgroup: String) -> impl IntoView {
    const FORM: &str = CreateSharedAction::PATH;
    view! {
        <details class="card new-shared-action" open=crate::components::session::flash().is_some_and(|f| f.form.as_deref() == Some(FORM))>
            <summary>"Create a shared action"</summary>
            <form method="post" action=FORM class="stack">
                <input type="hidden" name="subgroup" value=subgroup/>
                <TextArea form=FORM name="description" label="Action" rows=3/>
                <Field form=FORM name="lead" label="Lead & key people" required=false/>
                <Field form=FORM name="timescale" label="Timescale" hint="As the plans write it, e.g. \"March 2026\"." required=false/>
                <TextArea form=FORM name="evidence" label="Evidence or outcome measures" rows=2/>
                <button type="submit" class="button">"Create shared action"</button>
            </form>
        </details>
    }
}

/// A lead officer's form to place the action in one of their plans, under an objective.
#[component]
fn AdoptForm(action: uuid::Uuid, targets: Vec<AdoptTarget>) -> impl IntoView {
    let select_id = format!("adopt-{action}");
    let note_id = format!("adopt-note-{action}");
    let groups = targets
        .into_iter()
        .map(|t| {
            let label = format!("{} · {}", t.committee_name, t.plan_title);
            let options = t
                .objectives
                .into_iter()
                .map(|(number, title)| {
                    let value = format!("{}/{}/{number}", t.committee_slug, t.plan_slug);
                    view! { <option value=value>{format!("{number} {}", crate::domain::update::excerpt(&title))}</option> }
                })
                .collect_view();
            view! { <optgroup label=label>{options}</optgroup> }
        })
        .collect_view();
    view! {
        <form method="post" action=AdoptAction::PATH class="stack adopt-form">
            <input type="hidden" name="action" value=action.to_string()/>
            <div class="field">
                <label for=select_id.clone()>"Adopt into your plan, under objective"</label>
                <select id=select_id name="placement">{groups}</select>
            </div>
            <div class="field">
                <label for=note_id.clone()>"Note for your plan (optional)"</label>
                <textarea id=note_id name="local_note" rows="2"></textarea>
            </div>
            <button type="submit" class="button button-secondary">"Adopt into plan"</button>
        </form>
    }
}

#[component]
fn SharedAction(action: SharedActionView, can_update: bool, targets: Vec<AdoptTarget>) -> impl IntoView {
    let id = action.id;
    // Plans of the reader's committees that do not hold this action yet.
    let open_targets: Vec<AdoptTarget> = targets
        .into_iter()
        .filter(|t| {
            !action.adoptions.iter().any(|a| a.committee.slug == t.committee_slug && a.plan_slug == t.plan_slug)
        })
        .collect();
    let adopt = (!open_targets.is_empty()).then(|| view! { <AdoptForm action=id targets=open_targets/> });
    let update = can_update.then(|| {
        view! {
            <details class="work-update" open=crate::pages::action_update::posted_update(id)>
                <summary>"Update this action"</summary>
                <UpdateActionForm action_id=id version=action.version status=action.status
                    progress=action.progress.clone() evidence=action.evidence.clone()/>
            </details>
        }
    });
    let no_adoptions = action.adoptions.is_empty();
    let adoptions = action
        .adoptions
        .into_iter()
        .map(|a| {
            view! {
                <li><a href=action_href(&a.committee.slug, &a.plan_slug, &id)>{format!("{}: action {}", a.committee.name, a.reference)}</a>
                    <span class="muted">" in " {a.plan_title}</span></li>
            }
        })
        .collect_view();
    view! {
        <article class="card shared-action">
            <h3><Multiline text=action.description/></h3>
            <StatusBadge status=action.status/>
            <dl class="fields compact">
                <dt>"Lead"</dt><dd>{action.lead}</dd>
                <dt>"Timescale"</dt><dd>{match action.revised_timescale {
                    Some(revised) => format!("{revised} (originally {})", action.timescale),
                    None => action.timescale,
                }}</dd>
                <dt>"Progress report"</dt><dd><Multiline text=action.progress/></dd>
            </dl>
            <h4>"Adopted by"</h4>
            {if no_adoptions { view! { <p class="muted">"No plan has adopted it yet."</p> }.into_any() } else { view! { <ul class="plain-list adoptions">{adoptions}</ul> }.into_any() }}
            {update}
            {adopt}
        </article>
    }
}

#[component]
fn LedAction(action: LedActionView) -> impl IntoView {
    view! {
        <li>
            <a href=action_href(&action.committee.slug, &action.plan_slug, &action.id)>{action.committee.short_name} " " {action.reference}</a>
            " " <Multiline text=action.description/> " " <StatusBadge status=action.status/>
        </li>
    }
}
