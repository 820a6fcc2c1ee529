//! `/committees/{committee}/periods` and `/committees/{committee}/periods/{period}`: the
//! reporting periods, and the Chief Officers Group report of a closed one, exceptions first.
//! The report prints to A4 with a running header on every page; the server makes its PDF
//! from this same page (`server::report_files`).

use crate::api::periods::{get_periods, get_report, ClosePeriod, SetPeriodDates};
use crate::components::dashboard::GroupTable;
use crate::components::error_page::loaded;
use crate::components::forms::{Field, TextArea};
use crate::components::layout::{Breadcrumbs, Multiline, Timescale};
use crate::components::status::StatusBadge;
use crate::domain::compare::SnapshotAction;
use crate::domain::dashboard::GroupCounts;
use crate::domain::dates::{long_date, long_date_time};
use crate::domain::period::PeriodView;
use crate::domain::report::{CogReport, PlanReport, ReportAction, RiskException, SECTIONS};
use crate::domain::risk::RiskRow;
use crate::domain::status::{status_key, status_label, Status, StatusCounts};
use crate::domain::views::{PeriodsPage as PeriodsData, ReportPage as ReportData};
use crate::pages::param;
use crate::pages::risks::{HeatMap, RiskScore, RiskTable};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Where a period's report and its files live.
pub fn report_href(committee: &str, period: &str) -> String {
    format!("/committees/{committee}/periods/{period}")
}

#[component]
pub fn PeriodsPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || param(&params.read(), "committee"), get_periods);
    view! { {loaded(data, |data| view! { <PeriodsBody data/> })} }
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (param(&p, "committee"), param(&p, "period"))
        },
        |(c, p)| get_report(c, p),
    );
    view! { {loaded(data, |data| view! { <ReportBody data/> })} }
}

fn period_state(p: &PeriodView, today_started: bool) -> String {
    match (&p.closed_at, &p.closed_by) {
        (Some(at), by) => format!(
            "Closed {} by {}{}",
            long_date_time(at),
            by.clone().unwrap_or_default(),
            if p.superseded > 0 { format!(" (replacing {} earlier closing)", p.superseded) } else { String::new() }
        ),
        _ if today_started => "Open".to_owned(),
        _ => "Not begun".to_owned(),
    }
}

#[component]
fn PeriodsBody(data: PeriodsData) -> impl IntoView {
    let committee = data.committee;
    let title = format!("Quarterly reports: {}", committee.name);
    let slug = committee.slug.clone();
    // Each financial year the list reaches ("2026-27" of "2026-27-q3"), newest first.
    let mut fy: Vec<String> =
        data.periods.iter().filter_map(|p| p.slug.rsplit_once("-q").map(|(y, _)| y.to_owned())).collect();
    fy.dedup();
    let years = fy
        .into_iter()
        .map(|y| {
            let label = y.replacen('-', "/", 1);
            view! { <li><a href=format!("/committees/{slug}/years/{y}")>{format!("Financial year {label}")}</a></li> }
        })
        .collect_view();
    let rows = data
        .periods
        .into_iter()
        .map(|p| {
            let href = report_href(&slug, &p.slug);
            let closed = p.closed_at.is_some();
            let started = p.starts_on <= data.today;
            let state = period_state(&p, started);
            let close = (data.can_close && !closed && started).then(|| {
                let label = format!("Close {} and freeze its report", p.label);
                view! {
                    <form method="post" action=ClosePeriod::PATH class="inline-form">
                        <input type="hidden" name="committee" value=slug.clone()/>
                        <input type="hidden" name="period" value=p.slug.clone()/>
                        <button type="submit" class="button button-small" aria-label=label>"Close the quarter"</button>
                    </form>
                }
            });
            view! {
                <tr>
                    <th scope="row"><a href=href.clone()>{p.label.clone()}</a></th>
                    <td>{format!("{} to {}", long_date(&p.starts_on), long_date(&p.ends_on))}</td>
                    <td>{state}</td>
                    <td>{if closed {
                        view! { <a href=href>"COG report"</a> }.into_any()
                    } else {
                        view! { {close} }.into_any()
                    }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text=title.clone()/>
        <Breadcrumbs items=vec![
            (committee.name.clone(), Some(format!("/committees/{}", committee.slug))),
            ("Quarterly reports".into(), None),
        ]/>
        <h1>{title}</h1>
        <p class="muted">"Financial-year quarters, April to June first. Closing a quarter freezes every published plan of the committee and its risk register as they stand: the Chief Officers Group report is made from that record, and later edits never change it."</p>
        <div class="table-scroll" tabindex="0" data-live-periods=committee.slug.clone()>
            <table class="periods-table">
                <thead><tr><th scope="col">"Period"</th><th scope="col">"Dates"</th><th scope="col">"State"</th><th scope="col">"Report"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p><a href=format!("/committees/{}/risks", committee.slug)>"Risk register"</a>
            " · " <a href=crate::pages::regional::REGIONAL_REPORT_HREF>"Forth Valley report"</a>
            " (every committee's published plans, the shared actions and the protocols, for the regional Chief Officers Group)"</p>
        <h2>"The year in one place"</h2>
        <ul class="plain-list">{years}</ul>
    }
}

#[component]
fn ReportBody(data: ReportData) -> impl IntoView {
    let committee = data.committee;
    let period = data.period;
    let slug = committee.slug.clone();
    let href = report_href(&slug, &period.slug);
    let crumbs = vec![
        (committee.name.clone(), Some(format!("/committees/{}", committee.slug))),
        ("Quarterly reports".to_owned(), Some(format!("/committees/{}/periods", committee.slug))),
        (period.label.clone(), None),
    ];
    let history = (!data.snapshots.is_empty()).then(|| {
        let items = data
            .snapshots
            .iter()
            .map(|s| {
                let reason = (!s.reason.is_empty()).then(|| format!(" Reason: {}", s.reason));
                view! {
                    <li>{format!("Closed {} by {}.", long_date_time(&s.taken_at), s.taken_by)}
                        {reason}
                        {s.superseded.then(|| view! { " " <span class="tag">"Superseded"</span> })}
                    </li>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="closings-heading" class="no-print">
                <h2 id="closings-heading">"Closings of this period"</h2>
                <p class="muted">"A closing is never edited: closing again keeps the earlier record, marked superseded."</p>
                <ul class="plain-list">{items}</ul>
            </section>
        }
    });
    let closed = period.closed_at.is_some();
    let compare = (closed && !data.others.is_empty()).then(|| {
        let items = data
            .others
            .iter()
            .map(|(other, label)| {
                view! { <li><a href=format!("{href}/compare/{other}")>{format!("Compare with {label}")}</a></li> }
            })
            .collect_view();
        view! {
            <section aria-labelledby="compare-heading" class="no-print">
                <h2 id="compare-heading">"Compare with another closed period"</h2>
                <ul class="plain-list">{items}</ul>
            </section>
        }
    });
    let manage = (data.can_close && data.started).then(|| {
        let dates = (!closed).then(|| {
            let f = SetPeriodDates::PATH;
            view! {
                <section aria-labelledby="dates-heading" class="card no-print">
                    <h2 id="dates-heading">"Change the dates"</h2>
                    <p class="muted">"To fit the committee's meeting cycle."</p>
                    <form method="post" action=f class="stack">
                        <input type="hidden" name="committee" value=slug.clone()/>
                        <input type="hidden" name="period" value=period.slug.clone()/>
                        <Field form=f name="starts_on" label="First day" kind="date" value=period.starts_on.clone()/>
                        <Field form=f name="ends_on" label="Last day" kind="date" value=period.ends_on.clone()/>
                        <button type="submit" class="button button-secondary">"Save the dates"</button>
                    </form>
                </section>
            }
        });
        let (heading, button) = if closed {
            ("Close this period again", "Close again and replace the report")
        } else {
            ("Close this period", "Close the quarter and freeze its report")
        };
        view! {
            <section aria-labelledby="close-heading" class="card no-print">
                <h2 id="close-heading">{heading}</h2>
                <p class="muted">{if closed {
                    "Only if it was closed by mistake or too early: the report is made again from the plans and register as they stand now, and the current one is kept, marked superseded."
                } else {
                    "Freezes every published plan of the committee, its risk register and its pending protocol ratifications as they stand now."
                }}</p>
                <form method="post" action=ClosePeriod::PATH class="stack">
                    <input type="hidden" name="committee" value=slug.clone()/>
                    <input type="hidden" name="period" value=period.slug.clone()/>
                    {closed.then(|| view! { <TextArea form=ClosePeriod::PATH name="reason" label="Why it is closed again" rows=2/> })}
                    <button type="submit" class="button">{button}</button>
                </form>
            </section>
            {dates}
        }
    });
    let body = match data.report {
        Some(report) => view! { <Report report href=href.clone()/> }.into_any(),
        None => {
            let title = format!("{}: {}", committee.name, period.label);
            view! {
                <Title text=title.clone()/>
                <Breadcrumbs items=crumbs.clone()/>
                <h1>{title}</h1>
                <p>{format!("{} to {}. ", long_date(&period.starts_on), long_date(&period.ends_on))}
                    {if data.started {
                        "This period is open: its Chief Officers Group report is made when a lead officer closes it."
                    } else {
                        "This period has not begun."
                    }}
                </p>
            }
            .into_any()
        }
    };
    let breadcrumbs = closed.then(|| view! { <div class="no-print"><Breadcrumbs items=crumbs/></div> });
    view! {
        {breadcrumbs}
        <div data-live-periods=committee.slug.clone()>{body}</div>
        {compare}
        {manage}
        {history}
    }
}

/// The report itself: what prints. A layout table's header repeats on every printed page.
#[component]
fn Report(report: CogReport, href: String) -> impl IntoView {
    let title = format!("Chief Officers Group report: {}, {}", report.committee, report.period_label);
    let running =
        format!("{} · {} · Reported on {}", report.committee, report.period_label, long_date(&report.taken_on));
    let compared = match &report.previous {
        Some((label, at)) => format!("Changes are against the report for {label}, closed {}.", long_date_time(at)),
        None => "No earlier closed period to compare with.".to_owned(),
    };
    let downloads = SECTIONS
        .iter()
        .map(|(key, name)| view! { <li><a href=format!("{href}/download/{key}.csv") download="">{format!("{name} (CSV)")}</a></li> })
        .collect_view();
    let plans_exceptions = report.plans.iter().cloned().map(|p| view! { <PlanExceptions plan=p/> }).collect_view();
    let charts = report.plans.iter().cloned().map(|p| view! { <PriorityChart plan=p/> }).collect_view();
    let whole = report.plans.iter().cloned().map(|p| view! { <WholePlan plan=p/> }).collect_view();
    let summaries = report
        .plans
        .iter()
        .map(|p| {
            let link = format!("{}/summary", crate::pages::plan_href(&report.committee_slug, &p.slug));
            view! { <li><a href=link>{format!("Public summary of {}", p.title)}</a></li> }
        })
        .collect_view();
    let no_plans = report
        .plans
        .is_empty()
        .then(|| view! { <p>"No plan of the committee was published when this period was closed."</p> });
    let ratifications = if report.ratifications.is_empty() {
        view! { <p class="muted">"No protocol ratification is pending."</p> }.into_any()
    } else {
        let items = report
            .ratifications
            .iter()
            .map(|r| view! { <li><a href=r.href.clone()>{format!("{}, version {}", r.protocol, r.version)}</a></li> })
            .collect_view();
        view! { <ul>{items}</ul> }.into_any()
    };
    let open_risks = report.risks.clone();
    view! {
        <Title text=title.clone()/>
        <table role="presentation" class="print-frame">
            <thead><tr><td><p class="running-header" data-testid="running-header">{running}</p></td></tr></thead>
            <tbody><tr><td>
                <article class="cog-report" aria-labelledby="report-title">
                    <h1 id="report-title">{title}</h1>
                    <p class="report-meta">
                        {format!("Period: {} to {}. ", long_date(&report.starts_on), long_date(&report.ends_on))}
                        {format!("Reported on {}, from the record frozen when {} closed the period ({}).", long_date(&report.taken_on), report.taken_by, long_date_time(&report.taken_at))}
                        " " {compared}
                    </p>
                    <nav aria-label="Downloads" class="report-downloads no-print">
                        <p>
                            <a class="button" href=format!("{href}/download/report.pdf") data-testid="report-pdf">"Download as PDF"</a> " "
                            <a class="button button-secondary" href=format!("{href}/download/report.xlsx")>"Download as a workbook (XLSX)"</a>
                        </p>
                        <ul class="plain-list">{summaries}</ul>
                        <details>
                            <summary>"Each section as CSV"</summary>
                            <ul class="plain-list">{downloads}</ul>
                        </details>
                    </nav>
                    <section aria-labelledby="exceptions-heading" class="report-section">
                        <h2 id="exceptions-heading">"Exceptions"</h2>
                        {no_plans}
                        {plans_exceptions}
                        <RiskExceptions exceptions=report.risk_exceptions.clone()/>
                        <section aria-labelledby="ratifications-heading">
                            <h3 id="ratifications-heading">"Protocol ratifications pending"</h3>
                            {ratifications}
                        </section>
                    </section>
                    <section aria-labelledby="status-heading" class="report-section">
                        <h2 id="status-heading">"Status by priority"</h2>
                        {charts}
                    </section>
                    <section aria-labelledby="register-heading" class="report-section">
                        <h2 id="register-heading">"Risk register"</h2>
                        {if open_risks.is_empty() {
                            view! { <p class="muted">"No open risk was on the register."</p> }.into_any()
                        } else {
                            view! { <HeatMap risks=open_risks.clone() id="report-heat"/> <RiskTable risks=open_risks/> }.into_any()
                        }}
                    </section>
                    <section aria-labelledby="plan-heading" class="report-section">
                        <h2 id="plan-heading">"The whole plan"</h2>
                        {whole}
                    </section>
                </article>
            </td></tr></tbody>
        </table>
    }
}

fn plan_id(plan: &PlanReport, part: &str) -> String {
    format!("{part}-{}", &plan.id.to_string()[..8])
}

/// One plan's exceptions: red and amber, past timescale, stale, changed, timescales moved.
#[component]
fn PlanExceptions(plan: PlanReport) -> impl IntoView {
    let heading = plan_id(&plan, "plan-exceptions");
    let changed = if plan.changed.is_empty() {
        view! { <p class="muted">"No action changed since the previous report (or there is none to compare with)."</p> }
            .into_any()
    } else {
        let rows = plan
            .changed
            .iter()
            .map(|d| {
                let kinds = d.kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join(", ");
                view! { <tr><th scope="row">{kinds}</th><td>{side(d.before.clone())}</td><td>{side(d.now.clone())}</td></tr> }
            })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0"><table class="report-table">
                <thead><tr><th scope="col">"Change"</th><th scope="col">"At the previous report"</th><th scope="col">"At this report"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        }
        .into_any()
    };
    let moved = if plan.moved.is_empty() {
        view! { <p class="muted">"No timescale has moved since the plan was published."</p> }.into_any()
    } else {
        let rows = plan
            .moved
            .iter()
            .map(|a| {
                view! {
                    <tr>
                        <th scope="row"><span class="ref">{a.action.reference.clone()}</span></th>
                        <td>{a.action.description.clone()}</td>
                        <td>{a.original_timescale.clone()}</td>
                        <td>{a.current_timescale().to_owned()}</td>
                        <td class="num">{a.timescale_moves}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0"><table class="report-table">
                <thead><tr><th scope="col">"Ref"</th><th scope="col">"Action"</th><th scope="col">"Timescale when published"</th>
                    <th scope="col">"Timescale now"</th><th scope="col" class="num">"Times moved"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        }
        .into_any()
    };
    let (h_attention, h_past, h_stale, h_changed, h_moved) = (
        plan_id(&plan, "attention"),
        plan_id(&plan, "past"),
        plan_id(&plan, "stale"),
        plan_id(&plan, "changed"),
        plan_id(&plan, "moved"),
    );
    let (heading_l, h_changed_l, h_moved_l) = (heading.clone(), h_changed.clone(), h_moved.clone());
    view! {
        <section aria-labelledby=heading_l class="plan-exceptions">
            <h3 id=heading>{plan.title.clone()}</h3>
            <ExceptionTable id=h_attention heading="Red and amber, with their reasons and revised timescales" actions=plan.attention.clone() empty="No action is red or amber."/>
            <ExceptionTable id=h_past heading="Past their timescale" actions=plan.past_timescale.clone() empty="No open action is past its timescale."/>
            <ExceptionTable id=h_stale heading="Not updated for 90 days" actions=plan.not_updated.clone() empty="Every open action was updated in the 90 days before the report."/>
            <section aria-labelledby=h_changed_l>
                <h4 id=h_changed>"Changed since the previous report " <span class="count-pill">{plan.changed.len()}</span></h4>
                {changed}
            </section>
            <section aria-labelledby=h_moved_l>
                <h4 id=h_moved>"Timescales moved since publication " <span class="count-pill">{plan.moved.len()}</span></h4>
                {moved}
            </section>
        </section>
    }
}

/// How an action stood in one record of a comparison (or that it was not in the plan).
pub(crate) fn side(action: Option<SnapshotAction>) -> impl IntoView {
    match action {
        None => view! { <span class="muted">"Not in the plan"</span> }.into_any(),
        Some(a) => {
            let status = a.status.as_deref().and_then(|s| Status::parse(s).ok());
            view! {
                <span class="ref">{a.reference}</span> " " {a.description} <br/>
                <StatusBadge status/> " · " {if a.timescale.is_empty() { "no timescale".to_owned() } else { a.timescale }}
            }
            .into_any()
        }
    }
}

#[component]
pub(crate) fn ExceptionTable(
    id: String,
    heading: &'static str,
    actions: Vec<ReportAction>,
    empty: &'static str,
) -> impl IntoView {
    let count = actions.len();
    let body = if actions.is_empty() {
        view! { <p class="muted">{empty}</p> }.into_any()
    } else {
        view! { <ActionTable actions/> }.into_any()
    };
    let id_l = id.clone();
    view! {
        <section aria-labelledby=id_l>
            <h4 id=id>{heading} " " <span class="count-pill">{count}</span></h4>
            {body}
        </section>
    }
}

#[component]
fn ActionTable(actions: Vec<ReportAction>) -> impl IntoView {
    let rows = actions
        .into_iter()
        .map(|a| {
            let reason = a.action.revision_reason.clone().filter(|r| !r.trim().is_empty());
            view! {
                <tr>
                    <th scope="row"><a href=a.action.href.clone()><span class="ref">{a.action.reference.clone()}</span></a></th>
                    <td>{a.action.description.clone()}</td>
                    <td>{a.lead.clone()}</td>
                    <td><StatusBadge status=a.action.status/></td>
                    <td>
                        <Multiline text=a.action.progress.clone()/>
                        {reason.map(|r| view! { <p class="reason">"Reason for the revision: " {r}</p> })}
                    </td>
                    <td><Timescale timescale=a.action.timescale.clone() revised=a.action.revised_timescale.clone()/></td>
                    <td class="date">{long_date(a.action.updated_at.get(..10).unwrap_or_default())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0"><table class="report-table">
            <thead><tr><th scope="col">"Ref"</th><th scope="col">"Action"</th><th scope="col">"Lead"</th><th scope="col">"Status"</th>
                <th scope="col">"Progress"</th><th scope="col">"Timescale"</th><th scope="col">"Last updated"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
}

#[component]
fn RiskExceptions(exceptions: Vec<RiskException>) -> impl IntoView {
    let count = exceptions.len();
    let body = if exceptions.is_empty() {
        view! { <p class="muted">"No open risk rose or is above its target."</p> }.into_any()
    } else {
        let rows = exceptions
            .into_iter()
            .map(|e| {
                let why = match (e.rose, e.above_target) {
                    (true, true) => "Score rose; above target",
                    (true, false) => "Score rose",
                    _ => "Above target",
                };
                let RiskRow { reference, title, owner, target_score, .. } = e.risk.clone();
                view! {
                    <tr>
                        <th scope="row"><span class="ref">{reference}</span></th>
                        <td>{title}</td>
                        <td>{owner}</td>
                        <td>{e.was.map(|w| view! { <RiskScore score=w/> }.into_any()).unwrap_or_else(|| view! { <span class="muted">"New"</span> }.into_any())}</td>
                        <td><RiskScore score=e.risk.score()/></td>
                        <td><RiskScore score=target_score/></td>
                        <td>{why}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0"><table class="report-table">
                <thead><tr><th scope="col">"Ref"</th><th scope="col">"Risk"</th><th scope="col">"Owner"</th><th scope="col">"Was"</th>
                    <th scope="col">"Now"</th><th scope="col">"Target"</th><th scope="col">"Why it is here"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="risk-exceptions-heading">
            <h3 id="risk-exceptions-heading">"Risks whose score rose or that are above their target " <span class="count-pill">{count}</span></h3>
            {body}
        </section>
    }
}

/// Status counts by priority: horizontal stacked bars drawn on the server, the same figures in
/// the table beside them.
#[component]
fn PriorityChart(plan: PlanReport) -> impl IntoView {
    const ROW: f64 = 26.0;
    const LABEL: f64 = 200.0;
    const WIDTH: f64 = 400.0;
    let id = plan_id(&plan, "chart");
    let groups: Vec<GroupCounts> = plan.by_priority.clone();
    let most = groups.iter().map(|g| g.counts.total()).max().unwrap_or(0).max(1) as f64;
    let bars = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let y = i as f64 * ROW + 4.0;
            let mut x = LABEL;
            let parts = StatusCounts::keyed()
                .into_iter()
                .filter(|s| g.counts.get(*s) > 0)
                .map(|s| {
                    let w = g.counts.get(s) as f64 * WIDTH / most;
                    let rect = view! { <rect class=format!("bar-{}", status_key(s)) x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{w:.1}") height=ROW - 8.0></rect> };
                    x += w;
                    rect
                })
                .collect_view();
            let name: String = if g.title.chars().count() > 30 {
                format!("{}…", g.title.chars().take(29).collect::<String>())
            } else {
                g.title.clone()
            };
            view! { <g><text x="0" y=format!("{:.1}", y + ROW / 2.0)>{name}</text>{parts}</g> }
        })
        .collect_view();
    let height = groups.len().max(1) as f64 * ROW;
    let summary = format!(
        "{}: {} actions by status in each of {} priorities, a stacked bar per priority in the order of the table's columns ({}).",
        plan.title,
        plan.counts.total(),
        groups.len(),
        StatusCounts::keyed().into_iter().map(status_label).collect::<Vec<_>>().join(", ")
    );
    let heading = plan_id(&plan, "status");
    let heading_l = heading.clone();
    view! {
        <section aria-labelledby=heading_l class="priority-chart">
            <h3 id=heading>{plan.title.clone()}</h3>
            <figure>
                <svg viewBox=format!("0 0 {:.0} {height:.0}", LABEL + WIDTH) role="img" aria-labelledby=format!("{id}-desc") class="priority-svg">
                    <desc id=format!("{id}-desc")>{summary.clone()}</desc>
                    {bars}
                </svg>
                <figcaption>{summary}</figcaption>
            </figure>
            <GroupTable groups label="Priority and outcome"/>
        </section>
    }
}

#[component]
fn WholePlan(plan: PlanReport) -> impl IntoView {
    let heading = plan_id(&plan, "whole");
    let heading_l = heading.clone();
    view! {
        <section aria-labelledby=heading_l>
            <h3 id=heading>{format!("{} ({} actions)", plan.title, plan.actions.len())}</h3>
            <ActionTable actions=plan.actions.clone()/>
        </section>
    }
}
