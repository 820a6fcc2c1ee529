use crate::api::subgroups::get_subgroup;
use crate::components::error_page::loaded;
use crate::components::layout::{Breadcrumbs, Multiline};
use crate::components::status::StatusBadge;
use crate::domain::views::{LedActionView, SharedActionView, SubgroupPage as SubgroupData};
use crate::pages::{action_href, param};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/subgroups/{subgroup}`: the subgroup's actions across every committee that adopts them.
#[component]
pub fn SubgroupPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || param(&params.read(), "subgroup"), get_subgroup);
    view! {
        {loaded(data, |data| view! { <SubgroupBody data/> })}
    }
}

#[component]
fn SubgroupBody(data: SubgroupData) -> impl IntoView {
    let scope = if data.scope == "regional" { "Forth Valley subgroup" } else { "Local subgroup" };
    let committees = data.committees.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(", ");
    let shared = if data.shared_actions.is_empty() {
        view! { <p class="muted">"This subgroup owns no shared actions yet."</p> }.into_any()
    } else {
        data.shared_actions.into_iter().map(|a| view! { <SharedAction action=a/> }).collect_view().into_any()
    };
    let led = if data.led_actions.is_empty() {
        view! { <p class="muted">"No committee plan names this subgroup as a lead."</p> }.into_any()
    } else {
        view! { <ul class="plain-list led-actions">{data.led_actions.into_iter().map(|a| view! { <LedAction action=a/> }).collect_view()}</ul> }.into_any()
    };
    let protocols = data
        .protocols
        .into_iter()
        .map(|p| view! { <li><a href=format!("/protocols#{}", p.slug)>{p.title}</a></li> })
        .collect_view();
    view! {
        <Title text=data.name.clone()/>
        <Breadcrumbs items=vec![(data.region_name, Some("/".into())), (data.name.clone(), None)]/>
        <h1>{data.name}</h1>
        <p class="lead">{scope} {(!committees.is_empty()).then(|| format!(" for {committees}"))}"."</p>
        <section aria-labelledby="shared-heading">
            <h2 id="shared-heading">"Shared actions"</h2>
            <p class="muted">"Owned by this subgroup and updated once for every committee plan that adopts them."</p>
            {shared}
        </section>
        <section aria-labelledby="led-heading">
            <h2 id="led-heading">"Committee actions this subgroup leads"</h2>
            {led}
        </section>
        <section aria-labelledby="protocols-heading">
            <h2 id="protocols-heading">"Protocols"</h2>
            <ul class="plain-list">{protocols}</ul>
        </section>
    }
}

#[component]
fn SharedAction(action: SharedActionView) -> impl IntoView {
    let id = action.id;
    let adoptions = action
        .adoptions
        .into_iter()
        .map(|a| {
            view! {
                <li><a href=action_href(&a.committee.slug, &a.plan_slug, &id)>{a.committee.name} ": action " {a.reference}</a>
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
                <dt>"Timescale"</dt><dd>{action.timescale}</dd>
                <dt>"Progress report"</dt><dd><Multiline text=action.progress/></dd>
            </dl>
            <h4>"Adopted by"</h4>
            <ul class="plain-list adoptions">{adoptions}</ul>
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
