//! `/forth-valley/report`: the Forth Valley report for the regional Chief Officers Group, for
//! every member of any Forth Valley committee or subgroup. Exceptions first, committee by
//! committee; then every shared action with the plans that adopt it, the protocols'
//! ratifications, and the subgroup risk registers this reader may see. It prints to A4 like
//! the committees' reports, with the same running header.

use crate::api::periods::get_regional_report;
use crate::components::dashboard::GroupTable;
use crate::components::error_page::loaded;
use crate::components::layout::{Breadcrumbs, Timescale};
use crate::components::status::StatusBadge;
use crate::domain::dashboard::GroupCounts;
use crate::domain::dates::long_date;
use crate::domain::regional::{ProtocolStanding, RegionalCommittee, RegionalReport, SharedActionStatus};
use crate::pages::periods::ExceptionTable;
use crate::pages::risks::RiskTable;
use leptos::prelude::*;
use leptos_meta::Title;

pub const REGIONAL_REPORT_HREF: &str = "/forth-valley/report";

#[component]
pub fn RegionalReportPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_regional_report());
    view! { {loaded(data, |report| view! { <ReportBody report/> })} }
}

#[component]
fn ReportBody(report: RegionalReport) -> impl IntoView {
    let title = format!("{} report", report.region);
    let running = format!(
        "{} Child Protection Committees · {title} · Reported on {}",
        report.region,
        long_date(&report.reported_on)
    );
    let groups: Vec<GroupCounts> = report
        .committees
        .iter()
        .map(|c| GroupCounts {
            title: c.committee.name.clone(),
            counts: c.counts,
            parts: c
                .plans
                .iter()
                .map(|p| GroupCounts { title: p.title.clone(), counts: p.counts, parts: Vec::new() })
                .collect(),
        })
        .collect();
    let total: u32 = report.committees.iter().map(|c| c.counts.total()).sum();
    let lead = format!(
        "Across {} committees, {total} actions in published plans; {} exceptions (red or amber, past their timescale, or not updated for 90 days). Built from published plans, shared actions and protocols as they stand today, so every member of a Forth Valley committee or subgroup may read it.",
        report.committees.len(),
        report.exception_count()
    );
    let exceptions = report.committees.iter().cloned().map(|c| view! { <CommitteeExceptions part=c/> }).collect_view();
    let registers = report
        .registers
        .iter()
        .map(|r| {
            let id = format!("register-{}", r.holder.slug);
            let id_l = id.clone();
            let body = if r.risks.is_empty() {
                view! { <p class="muted">"No open risk on the register."</p> }.into_any()
            } else {
                view! { <RiskTable risks=r.risks.clone() base=r.holder.register_href()/> }.into_any()
            };
            view! {
                <section aria-labelledby=id_l>
                    <h3 id=id><a href=r.holder.register_href()>{r.holder.name.clone()}</a></h3>
                    {body}
                </section>
            }
        })
        .collect_view();
    let withheld = (report.registers_withheld > 0).then(|| {
        let n = report.registers_withheld;
        view! {
            <p class="muted">{format!(
                "{n} other subgroup register{} not shown: a subgroup's register is for its members and the lead officers of its committees.",
                if n == 1 { " is" } else { "s are" }
            )}</p>
        }
    });
    view! {
        <Title text=title.clone()/>
        <div class="no-print"><Breadcrumbs items=vec![("Overview".into(), Some("/".into())), (title.clone(), None)]/></div>
        <table role="presentation" class="print-frame">
            <thead><tr><td><p class="running-header" data-testid="running-header">{running}</p></td></tr></thead>
            <tbody><tr><td>
                <article class="cog-report" aria-labelledby="report-title">
                    <h1 id="report-title">{title}</h1>
                    <p class="report-meta">{format!("Reported on {}. ", long_date(&report.reported_on))} {lead}</p>
                    <section aria-labelledby="counts-heading" class="report-section">
                        <h2 id="counts-heading">"Status by committee"</h2>
                        <GroupTable groups label="Committee and published plan"/>
                    </section>
                    <section aria-labelledby="exceptions-heading" class="report-section">
                        <h2 id="exceptions-heading">"Exceptions by committee"</h2>
                        {exceptions}
                    </section>
                    <section aria-labelledby="shared-heading" class="report-section">
                        <h2 id="shared-heading">"Shared actions"</h2>
                        <SharedTable shared=report.shared.clone()/>
                    </section>
                    <section aria-labelledby="protocols-heading" class="report-section">
                        <h2 id="protocols-heading">"Protocol ratifications"</h2>
                        <ProtocolTable protocols=report.protocols.clone()/>
                    </section>
                    <section aria-labelledby="registers-heading" class="report-section">
                        <h2 id="registers-heading">"Subgroup risk registers"</h2>
                        {(report.registers.is_empty() && report.registers_withheld == 0)
                            .then(|| view! { <p class="muted">"No subgroup keeps a register."</p> })}
                        {registers}
                        {withheld}
                    </section>
                </article>
            </td></tr></tbody>
        </table>
    }
}

#[component]
fn CommitteeExceptions(part: RegionalCommittee) -> impl IntoView {
    let heading = format!("exceptions-{}", part.committee.slug);
    let heading_l = heading.clone();
    let plans = if part.plans.is_empty() {
        view! { <p class="muted">"No published plan."</p> }.into_any()
    } else {
        part.plans
            .iter()
            .map(|p| {
                let id = |what: &str| format!("{what}-{}-{}", part.committee.slug, p.slug);
                let (h, h_l) = (id("plan"), id("plan"));
                view! {
                    <section aria-labelledby=h_l>
                        <h4 id=h><a href=p.href.clone()>{p.title.clone()}</a></h4>
                        <ExceptionTable id=id("attention") heading="Red and amber, with their reasons and revised timescales" actions=p.attention.clone() empty="No action is red or amber."/>
                        <ExceptionTable id=id("past") heading="Past their timescale" actions=p.past_timescale.clone() empty="No open action is past its timescale."/>
                        <ExceptionTable id=id("stale") heading="Not updated for 90 days" actions=p.not_updated.clone() empty="Every open action was updated in the last 90 days."/>
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section aria-labelledby=heading_l class="plan-exceptions">
            <h3 id=heading><a href=format!("/committees/{}", part.committee.slug)>{part.committee.name.clone()}</a></h3>
            {plans}
        </section>
    }
}

#[component]
fn SharedTable(shared: Vec<SharedActionStatus>) -> impl IntoView {
    if shared.is_empty() {
        return view! { <p class="muted">"No subgroup has a shared action yet."</p> }.into_any();
    }
    let rows = shared
        .into_iter()
        .map(|a| {
            let adoptions = if a.adoptions.is_empty() {
                view! { <span class="muted">"Not in a published plan"</span> }.into_any()
            } else {
                let items = a
                    .adoptions
                    .iter()
                    .map(|ad| view! { <li><a href=ad.href.clone()>{format!("{} {} · {}", ad.committee, ad.plan, ad.reference)}</a></li> })
                    .collect_view();
                view! { <ul class="plain-list">{items}</ul> }.into_any()
            };
            let reason = a.revision_reason.clone().filter(|r| !r.trim().is_empty());
            view! {
                <tr>
                    <th scope="row">{a.description.clone()}{reason.map(|r| view! { <p class="reason">"Reason for the revision: " {r}</p> })}</th>
                    <td><a href=format!("/subgroups/{}", a.subgroup_slug)>{a.subgroup.clone()}</a></td>
                    <td><StatusBadge status=a.status/></td>
                    <td><Timescale timescale=a.timescale.clone() revised=a.revised_timescale.clone()/></td>
                    <td class="adoptions">{adoptions}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p>"A shared action has one status, whichever plan shows it; each adopting plan gives it its own reference."</p>
        <div class="table-scroll" tabindex="0"><table class="report-table shared-table">
            <thead><tr><th scope="col">"Shared action"</th><th scope="col">"Subgroup"</th><th scope="col">"Status"</th>
                <th scope="col">"Timescale"</th><th scope="col">"In the plans of"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
    .into_any()
}

fn decision(state: &str) -> &'static str {
    match state {
        "ratified" => "Ratified",
        "pending" => "Pending",
        "declined" => "Declined",
        _ => "Not asked",
    }
}

#[component]
fn ProtocolTable(protocols: Vec<ProtocolStanding>) -> impl IntoView {
    let Some(first) = protocols.first() else {
        return view! { <p class="muted">"No protocol is published yet."</p> }.into_any();
    };
    let committees: Vec<String> = first.committees.iter().map(|(c, _)| c.clone()).collect();
    let header = committees.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view();
    let rows = protocols
        .into_iter()
        .map(|p| {
            let cells = p
                .committees
                .iter()
                .map(|(_, state)| view! { <td class=format!("decision decision-{}", state.replace(' ', "-"))>{decision(state)}</td> })
                .collect_view();
            let due = match &p.review_due_on {
                Some(d) if p.review_overdue => format!("{} (overdue)", long_date(d)),
                Some(d) => long_date(d),
                None => "Not set".to_owned(),
            };
            view! {
                <tr>
                    <th scope="row"><a href=format!("/protocols/{}", p.slug)>{p.title.clone()}</a></th>
                    <td>{p.version.clone().unwrap_or_else(|| "No version yet".into())}</td>
                    <td>{due}</td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0"><table class="report-table">
            <thead><tr><th scope="col">"Protocol"</th><th scope="col">"Current version"</th><th scope="col">"Review due"</th>{header}</tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
    .into_any()
}
