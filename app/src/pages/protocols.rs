use crate::api::protocols::get_protocols;
use crate::components::error_page::loaded;
use crate::components::layout::Breadcrumbs;
use crate::domain::dates::long_date;
use crate::domain::protocol::RatificationState;
use crate::domain::views::{ProtocolEntry, ProtocolRegister, RatificationView};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/protocols`: the register of shared protocols with ratification by each committee.
#[component]
pub fn ProtocolsPage() -> impl IntoView {
    let register = Resource::new(|| (), |_| get_protocols());
    view! {
        <Title text="Shared protocols"/>
        {loaded(register, |register| view! { <RegisterBody register/> })}
    }
}

#[component]
fn RegisterBody(register: ProtocolRegister) -> impl IntoView {
    let headings = register
        .committees
        .iter()
        .map(|c| view! { <th scope="col" role="columnheader">{c.short_name.clone()}</th> })
        .collect_view();
    let names: Vec<String> = register.committees.iter().map(|c| c.short_name.clone()).collect();
    let overdue = register.protocols.iter().filter(|p| p.review_overdue).count();
    let pending = register
        .protocols
        .iter()
        .flat_map(|p| &p.ratifications)
        .filter(|r| r.state == Some(RatificationState::Pending))
        .count();
    let rows = register
        .protocols
        .into_iter()
        .map(|p| view! { <ProtocolRow protocol=p committee_names=names.clone()/> })
        .collect_view();
    view! {
        <Breadcrumbs items=vec![(register.region_name.clone(), Some("/".into())), ("Shared protocols".into(), None)]/>
        <h1>"Shared protocols"</h1>
        <p class="lead">"Protocols and guidance shared across " {register.region_name} ", with each committee's ratification of the current version."</p>
        {(overdue + pending > 0).then(|| view! {
            <ul class="work-flags" data-testid="register-flags">
                {(overdue > 0).then(|| view! { <li class="work-flag work-flag-red">{format!("Reviews overdue: {overdue}")}</li> })}
                {(pending > 0).then(|| view! { <li class="work-flag work-flag-amber">{format!("Ratifications pending: {pending}")}</li> })}
            </ul>
        })}
        <table class="register-table" role="table">
            <thead role="rowgroup">
                <tr role="row">
                    <th scope="col" role="columnheader">"Protocol"</th>
                    <th scope="col" role="columnheader">"Current version"</th>
                    <th scope="col" role="columnheader">"Review due"</th>
                    {headings}
                </tr>
            </thead>
            <tbody role="rowgroup">{rows}</tbody>
        </table>
    }
}

#[component]
fn ProtocolRow(protocol: ProtocolEntry, committee_names: Vec<String>) -> impl IntoView {
    let cells = protocol
        .ratifications
        .into_iter()
        .zip(committee_names)
        .map(|(r, name)| view! { <td data-label=name role="cell"><Ratification ratification=r/></td> })
        .collect_view();
    view! {
        <tr id=protocol.slug.clone() role="row">
            <th scope="row" data-label="Protocol" role="rowheader">
                <a href=format!("/protocols/{}", protocol.slug)>{protocol.title.clone()}</a>
                {protocol.document_url.map(|url| view! { <a class="muted block" href=url rel="external">"Document"</a> })}
                {protocol.owner.map(|o| view! { <span class="muted block">"Owner: " <a href=format!("/subgroups/{}", o.slug)>{o.name}</a></span> })}
                {(!protocol.summary.is_empty()).then(|| view! { <span class="muted block">{protocol.summary.clone()}</span> })}
            </th>
            <td data-label="Current version" role="cell">{protocol.current_version.unwrap_or_else(|| "None yet".into())}
                {protocol.effective_on.map(|d| format!(", in force from {}", long_date(&d)))}</td>
            <td data-label="Review due" role="cell">{protocol.review_due_on.map(|d| long_date(&d)).unwrap_or_else(|| "Not set".into())}
                {protocol.review_overdue.then(|| view! { <span class="flag flag-warning">"Overdue"</span> })}</td>
            {cells}
        </tr>
    }
}

#[component]
fn Ratification(ratification: RatificationView) -> impl IntoView {
    let (class, icon, word) = match ratification.state {
        Some(RatificationState::Ratified) => ("ratified", "✓", "Ratified"),
        Some(RatificationState::Declined) => ("declined", "✕", "Declined"),
        Some(RatificationState::Pending) => ("pending", "…", "Pending"),
        None => ("na", "–", "Not taking part"),
    };
    view! {
        <span class=format!("ratification ratification-{class}")>
            <span aria-hidden="true">{icon}</span> " " {word}
            {ratification.decided_on.map(|d| format!(" {}", long_date(&d)))}
        </span>
        {ratification.reason.map(|r| view! { <span class="muted block">{r}</span> })}
    }
}
