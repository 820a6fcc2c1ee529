//! `/me`: everything the signed-in person can update, across every committee and subgroup,
//! what needs attention first, each with its update form one click away.

use crate::api::my_work::get_my_work;
use crate::components::error_page::loaded;
use crate::components::layout::Multiline;
use crate::components::status::StatusBadge;
use crate::domain::dates::long_date;
use crate::domain::views::{MyWork, WorkGroup, WorkItem};
use crate::pages::action_update::UpdateActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MyWorkPage() -> impl IntoView {
    let work = Resource::new(|| (), |_| get_my_work());
    view! { {loaded(work, |work| view! { <MyWorkBody work/> })} }
}

#[component]
fn MyWorkBody(work: MyWork) -> impl IntoView {
    let total: usize = work.groups.iter().map(|g| g.items.len()).sum();
    let attention: usize = work.groups.iter().flat_map(|g| &g.items).filter(|i| !i.flags.is_empty()).count();
    let body = if work.groups.is_empty() {
        view! { <p>"There is nothing for you to update: you are not a contributor or lead officer of a committee, or a member of a subgroup that owns shared actions."</p> }.into_any()
    } else {
        work.groups.into_iter().map(|group| view! { <Group group/> }).collect_view().into_any()
    };
    view! {
        <Title text="My work"/>
        <h1>"My work"</h1>
        <p class="lead">{format!("{total} actions you can update")}
            {(attention > 0).then(|| format!(", {attention} needing attention (listed first in each group)"))} "."</p>
        {body}
    }
}

#[component]
fn Group(group: WorkGroup) -> impl IntoView {
    let heading =
        if group.shared { format!("{} · shared Forth Valley actions", group.name) } else { group.name.clone() };
    let items = group.items.into_iter().map(|item| view! { <Item item/> }).collect_view();
    view! {
        <section class="work-group">
            <h2><a href=group.href>{heading}</a></h2>
            <ul class="plain-list work-list">{items}</ul>
        </section>
    }
}

#[component]
fn Item(item: WorkItem) -> impl IntoView {
    let flags = item
        .flags
        .iter()
        .map(
            |f| view! { <li class=format!("work-flag work-flag-{}", format!("{f:?}").to_lowercase())>{f.label()}</li> },
        )
        .collect_view();
    // The form this person just posted (refused) comes back open with their text.
    let posted = crate::pages::action_update::posted_update(item.id);
    let first = item.placements.first().map(|p| p.href.clone());
    let placements = item
        .placements
        .iter()
        .map(|p| view! { <li><a href=p.href.clone()>{format!("{} · {} · action {}", p.committee, p.plan_title, p.reference)}</a></li> })
        .collect_view();
    let timescale = match &item.revised_timescale {
        Some(revised) => format!("{revised} (originally {})", item.timescale),
        None => item.timescale.clone(),
    };
    view! {
        <li class="card work-item" id=format!("work-{}", item.id)>
            <p class="work-title">
                {match first {
                    Some(href) => view! { <a href=href><Multiline text=item.description.clone()/></a> }.into_any(),
                    None => view! { <Multiline text=item.description.clone()/> }.into_any(),
                }}
            </p>
            <StatusBadge status=item.status/>
            {(!item.flags.is_empty()).then(|| view! { <ul class="work-flags">{flags}</ul> })}
            <p class="muted">"Timescale: " {timescale} " · last updated " {long_date(&item.last_updated)}</p>
            <ul class="plain-list placements">{placements}</ul>
            <details class="work-update" open=posted>
                <summary>"Update this action"</summary>
                <UpdateActionForm action_id=item.id version=item.version status=item.status
                    progress=item.progress evidence=item.evidence/>
            </details>
        </li>
    }
}
