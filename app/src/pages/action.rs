use crate::api::actions::get_action;
use crate::api::protocol_edits::LinkProtocol;
use crate::api::shared::StopAdopting;
use crate::components::error_page::loaded;
use crate::components::forms::VersionField;
use crate::components::layout::{Breadcrumbs, Multiline, Timescale};
use crate::components::status::StatusBadge;
use crate::domain::dates::long_date_time;
use crate::domain::status::status_label;
use crate::domain::views::ActionDetail;
use crate::pages::action_update::UpdateActionForm;
use crate::pages::{action_href, param, plan_href};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/committees/{committee}/plans/{plan}/actions/{action}`: one action, everything about it.
#[component]
pub fn ActionPage() -> impl IntoView {
    let params = use_params_map();
    let detail = Resource::new(
        move || {
            let p = params.read();
            (param(&p, "committee"), param(&p, "plan"), param(&p, "action"))
        },
        |(committee, plan, action)| get_action(committee, plan, action),
    );
    view! {
        {loaded(detail, |detail| view! { <ActionBody detail/> })}
    }
}

#[component]
fn ActionBody(detail: ActionDetail) -> impl IntoView {
    let row = detail.row;
    let plan_link = plan_href(&detail.committee.slug, &detail.plan_slug);
    let title = format!("Action {} – {}", row.reference, detail.plan_title);
    let history = if detail.history.is_empty() {
        view! { <p class="muted">"No status changes recorded yet. The status and progress shown are those of the plan as published."</p> }.into_any()
    } else {
        let items = detail
            .history
            .into_iter()
            .map(|h| {
                view! {
                    <li>
                        <p class="timeline-meta"><time datetime=h.at.clone()>{long_date_time(&h.at)}</time>
                            {h.by.map(|by| format!(" · {by}"))}</p>
                        <p>{status_label(h.from_status)} <span aria-hidden="true">" → "</span><span class="visually-hidden">" changed to "</span> <StatusBadge status=h.to_status/></p>
                        {h.revised_timescale.clone().map(|t| view! { <p>"Timescale revised to " <strong>{t}</strong>
                            {h.reason.clone().map(|r| view! { ": " <Multiline text=r/> })}</p> })}
                        {(!h.progress.is_empty()).then(|| view! { <p><Multiline text=h.progress.clone()/></p> })}
                        {(!h.evidence.is_empty()).then(|| view! { <p class="muted">"Evidence: " <Multiline text=h.evidence.clone()/></p> })}
                        {(!h.note.is_empty()).then(|| view! { <p class="muted"><Multiline text=h.note.clone()/></p> })}
                    </li>
                }
            })
            .collect_view();
        view! { <ol class="timeline">{items}</ol> }.into_any()
    };
    let shared = row.owner_subgroup.clone();
    let update = row.can_update.then(|| {
        view! {
            <section id="update" class="card" aria-labelledby="update-heading">
                <h2 id="update-heading">"Update this action"</h2>
                <UpdateActionForm action_id=row.id version=detail.version status=row.status
                    progress=row.progress.clone() evidence=row.evidence.clone()/>
            </section>
        }
    });
    let adoptions = detail
        .adoptions
        .into_iter()
        .map(|a| {
            let href = action_href(&a.committee.slug, &a.plan_slug, &row.id);
            view! {
                <li>
                    <a href=href>{a.committee.name} " – " {a.plan_title} ", action " {a.reference}</a>
                    <span class="muted">" under objective " {a.objective}</span>
                    {(!a.local_note.is_empty()).then(|| view! { <p class="local-note">{a.local_note.clone()}</p> })}
                </li>
            }
        })
        .collect_view();
    let lead_subgroups = row
        .lead_subgroups
        .iter()
        .map(|s| view! { <li><a href=format!("/subgroups/{}", s.slug)>{s.name.clone()}</a></li> })
        .collect_view();
    let no_protocols = detail.protocols.is_empty();
    let can_link = detail.can_link_protocols;
    let action_id = row.id.to_string();
    let linked: Vec<String> = detail.protocols.iter().map(|p| p.slug.clone()).collect();
    let protocols = detail
        .protocols
        .into_iter()
        .map(|p| {
            let unlink = can_link.then(|| view! {
                <form method="post" action=LinkProtocol::PATH class="inline-form">
                    <input type="hidden" name="action" value=action_id.clone()/>
                    <input type="hidden" name="protocol" value=p.slug.clone()/>
                    <input type="hidden" name="linked" value="false"/>
                    <button type="submit" class="button button-small button-secondary" aria-label=format!("Unlink {}", p.title)>"Unlink"</button>
                </form>
            });
            view! { <li><a href=format!("/protocols/{}", p.slug)>{p.title}</a> " " {unlink}</li> }
        })
        .collect_view();
    let link_form = {
        let options: Vec<_> = detail.protocol_options.into_iter().filter(|p| !linked.contains(&p.slug)).collect();
        (can_link && !options.is_empty()).then(|| {
            let options = options.into_iter().map(|p| view! { <option value=p.slug>{p.title}</option> }).collect_view();
            view! {
                <form method="post" action=LinkProtocol::PATH class="inline-form link-protocol">
                    <input type="hidden" name="action" value=row.id.to_string()/>
                    <input type="hidden" name="linked" value="true"/>
                    <label for="link-protocol">"Link a protocol it delivers"</label>
                    <select id="link-protocol" name="protocol">{options}</select>
                    <button type="submit" class="button button-small">"Link"</button>
                </form>
            }
        })
    };

    view! {
        <Title text=title/>
        <Breadcrumbs items=vec![
            ("Forth Valley".into(), Some("/".into())),
            (detail.committee.name.clone(), Some(format!("/committees/{}", detail.committee.slug))),
            (detail.plan_title.clone(), Some(plan_link.clone())),
            (format!("Action {}", row.reference), None),
        ]/>
        <article class="action-detail" data-live-action=row.id.to_string() data-live-version=row.version
            data-live-plan=detail.plan_id.to_string()>
            <header>
                <p class="eyebrow">{detail.priority} " · Outcome " {detail.outcome_number}
                    {(!detail.outcome.is_empty()).then(|| format!(": {}", detail.outcome))}</p>
                <h1><span class="action-ref">{row.reference.clone()}</span> " " <span data-live-field="description"><Multiline text=row.description.clone()/></span></h1>
                <p class="objective-context">"Objective " {detail.objective_number.to_string()} ": " {detail.objective}</p>
                <span data-live-field="status"><StatusBadge status=row.status/></span>
                {shared.map(|s| view! {
                    <p class="shared-note">"Shared Forth Valley action owned by the "
                        <a href=format!("/subgroups/{}", s.slug)>{s.name}</a>
                        ". Its status and progress are one record, shown in every plan that adopts it."</p>
                })}
            </header>
            <dl class="fields">
                <dt>"Lead & key people"</dt><dd data-live-field="lead"><Multiline text=row.lead/></dd>
                <dt>"Timescale"</dt>
                <dd data-live-field="timescale"><Timescale timescale=row.timescale revised=row.revised_timescale/></dd>
                <dt>"Evidence or outcome measures"</dt><dd data-live-field="evidence"><Multiline text=row.evidence/></dd>
                <dt>"Progress report"</dt><dd data-live-field="progress"><Multiline text=row.progress/></dd>
                {(!row.local_note.is_empty()).then(|| view! { <dt>"Note for this plan"</dt><dd>{row.local_note.clone()}</dd> })}
            </dl>
            {update}
            <section aria-labelledby="adoptions-heading">
                <h2 id="adoptions-heading">"Plans that include this action"</h2>
                <ul class="plain-list adoptions">{adoptions}</ul>
            </section>
            {(!row.lead_subgroups.is_empty()).then(|| view! {
                <section aria-labelledby="lead-groups-heading">
                    <h2 id="lead-groups-heading">"Subgroups named as leads"</h2>
                    <ul class="plain-list">{lead_subgroups}</ul>
                </section>
            })}
            <section aria-labelledby="protocols-heading">
                <h2 id="protocols-heading">"Protocols this action delivers"</h2>
                {if no_protocols { view! { <p class="muted">"None linked."</p> }.into_any() } else { view! { <ul class="plain-list">{protocols}</ul> }.into_any() }}
                {link_form}
            </section>
            <section aria-labelledby="history-heading">
                <h2 id="history-heading">"History"</h2>
                {history}
            </section>
            {detail.can_stop_adopting.then(|| view! {
                <section class="card" aria-labelledby="stop-heading">
                    <h2 id="stop-heading">"Stop adopting in this plan"</h2>
                    <p>"The action leaves this plan only; the subgroup and the other plans keep it, and its history stays. It can be adopted again from the subgroup's page."</p>
                    <form method="post" action=StopAdopting::PATH>
                        <input type="hidden" name="committee" value=detail.committee.slug.clone()/>
                        <input type="hidden" name="plan" value=detail.plan_slug.clone()/>
                        <input type="hidden" name="action" value=row.id.to_string()/>
                        <VersionField form=StopAdopting::PATH version=detail.placement_version/>
                        <button type="submit" class="button button-secondary">"Stop adopting"</button>
                    </form>
                </section>
            })}
            <p><a href=plan_link>"Back to the whole plan"</a></p>
        </article>
    }
}
