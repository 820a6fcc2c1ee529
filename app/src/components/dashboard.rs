//! A dashboard as pages show it: counts, status by group, the lists that need attention and
//! the status over time as a chart with the same figures in a table. Rows carry the live
//! data attributes, so the live island keeps statuses and progress current.

use crate::components::layout::{Multiline, Timescale};
use crate::components::status::{StatusBadge, StatusSummary};
use crate::domain::dashboard::{Dashboard, DashboardAction, GroupCounts, MonthCounts};
use crate::domain::dates::{long_date, month_year};
use crate::domain::status::{status_icon, status_key, status_label, StatusCounts};
use crate::domain::update::excerpt;
use leptos::prelude::*;

/// `id` keeps the headings' ids unique when a page shows several dashboards.
#[component]
pub fn DashboardView(
    dashboard: Dashboard,
    id: String,
    /// What the groups are ("Priority and outcome", "Adopted by").
    group_label: &'static str,
    #[prop(optional)] live_plan: Option<uuid::Uuid>,
    #[prop(optional, into)] filter_base: Option<String>,
) -> impl IntoView {
    let d = dashboard;
    let review = d.last_review.clone();
    let changed_heading = match &review {
        Some(date) => format!("Changed since the review of {}", long_date(date)),
        None => "Changed since the last review".to_owned(),
    };
    let changed_empty = if review.is_some() { "Nothing has changed since." } else { "No review is recorded yet." };
    view! {
        <div class="dashboard" data-live-dashboard="">
            {match (filter_base, live_plan) {
                (Some(base), Some(plan)) => view! { <StatusSummary counts=d.counts filter_base=base live_plan=plan/> }.into_any(),
                _ => view! { <StatusSummary counts=d.counts/> }.into_any(),
            }}
            <div class="dashboard-grid">
                <section aria-labelledby=format!("{id}-groups")>
                    <h3 id=format!("{id}-groups")>{format!("Status by {}", group_label.to_lowercase())}</h3>
                    <GroupTable groups=d.groups label=group_label/>
                </section>
                <ActionList id=format!("{id}-attention") heading="Red and amber, with their reasons".into()
                    actions=d.attention empty="No action is red or amber." attention=true/>
                <ActionList id=format!("{id}-past") heading="Past their timescale".into()
                    actions=d.past_timescale empty="No open action is past its timescale."/>
                <ActionList id=format!("{id}-stale") heading="Not updated for 90 days".into()
                    actions=d.not_updated empty="Every open action was updated in the last 90 days."/>
                <ActionList id=format!("{id}-changed") heading=changed_heading actions=d.changed_since_review empty=changed_empty/>
                <section aria-labelledby=format!("{id}-history") class="dashboard-wide">
                    <h3 id=format!("{id}-history")>"Status over time"</h3>
                    <HistoryChart id=id.clone() history=d.history/>
                </section>
            </div>
        </div>
    }
}

#[component]
pub fn GroupTable(groups: Vec<GroupCounts>, label: &'static str) -> impl IntoView {
    let header = StatusCounts::keyed()
        .into_iter()
        .map(|s| {
            view! {
                <th scope="col" class="num">
                    <span class=format!("status-icon status-{}", status_key(s)) aria-hidden="true">{status_icon(s)}</span>
                    <span class="visually-hidden">{status_label(s)}</span>
                    <span aria-hidden="true" class="code">{s.map(|s| s.code()).unwrap_or("–")}</span>
                </th>
            }
        })
        .collect_view();
    let row = |title: String, counts: StatusCounts, part: bool| {
        let cells =
            StatusCounts::keyed().into_iter().map(|s| view! { <td class="num">{counts.get(s)}</td> }).collect_view();
        view! {
            <tr class=if part { "group-part" } else { "group" }>
                <th scope="row">{title}</th>
                {cells}
                <td class="num">{counts.total()}</td>
            </tr>
        }
    };
    let rows = groups
        .into_iter()
        .flat_map(|g| {
            let mut rows = vec![row(g.title, g.counts, false)];
            rows.extend(g.parts.into_iter().map(|p| row(p.title, p.counts, true)));
            rows
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="dashboard-table">
                <thead><tr><th scope="col">{label}</th>{header}<th scope="col" class="num">"Total"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Items a list shows before "Show the other n".
const SHOWN: usize = 8;

#[component]
fn ActionList(
    id: String,
    heading: String,
    actions: Vec<DashboardAction>,
    empty: &'static str,
    #[prop(optional)] attention: bool,
) -> impl IntoView {
    let count = actions.len();
    let body = if actions.is_empty() {
        view! { <p class="muted">{empty}</p> }.into_any()
    } else {
        let mut actions = actions;
        let rest = actions.split_off(actions.len().min(SHOWN));
        let item = move |a: DashboardAction| {
            view! {
                <li data-live-action=a.id.to_string() data-live-version=a.version
                    data-live-attention=attention.then(|| a.id.to_string())>
                    <p class="dashboard-action">
                        <a href=a.href.clone()><span class="ref">{a.reference.clone()}</span> " " {excerpt(&a.description)}</a>
                        " " <span data-live-field="status"><StatusBadge status=a.status/></span>
                    </p>
                    <p class="muted" data-live-field="timescale"><Timescale timescale=a.timescale.clone() revised=a.revised_timescale.clone()/></p>
                    {a.revision_reason.clone().filter(|r| !r.is_empty()).map(|r| view! {
                        <p class="reason">"Reason for the revision: " {r}</p>
                    })}
                    <p class="progress" data-live-field="progress"><Multiline text=a.progress.clone()/></p>
                </li>
            }
        };
        let more = (!rest.is_empty()).then(|| {
            let n = rest.len();
            view! {
                <details class="dashboard-more">
                    <summary>{format!("Show the other {n}")}</summary>
                    <ul class="dashboard-list">{rest.into_iter().map(item).collect_view()}</ul>
                </details>
            }
        });
        view! { <ul class="dashboard-list">{actions.into_iter().map(item).collect_view()}</ul> {more} }.into_any()
    };
    let labelled = id.clone();
    view! {
        <section aria-labelledby=labelled>
            <h3 id=id>{heading} " " <span class="count-pill">{count}</span></h3>
            {body}
        </section>
    }
}

/// Stacked bars, one per month, drawn on the server; the same figures follow as a table.
#[component]
fn HistoryChart(id: String, history: Vec<MonthCounts>) -> impl IntoView {
    const BAR: f64 = 24.0;
    const GAP: f64 = 8.0;
    const HEIGHT: f64 = 120.0;
    let most = history.iter().map(|m| m.counts.total()).max().unwrap_or(0).max(1) as f64;
    // Room for a year at least, so a short history keeps the bars' proportions.
    let width = history.len().max(12) as f64 * (BAR + GAP);
    // Label every month when there are few, else every third.
    let every = if history.len() > 8 { 3 } else { 1 };
    let bars = history
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let x = i as f64 * (BAR + GAP) + GAP / 2.0;
            let mut y = HEIGHT;
            let parts = StatusCounts::keyed()
                .into_iter()
                .filter(|s| m.counts.get(*s) > 0)
                .map(|s| {
                    let h = m.counts.get(s) as f64 * HEIGHT / most;
                    y -= h;
                    view! { <rect class=format!("bar-{}", status_key(s)) x=format!("{x:.1}") y=format!("{y:.1}") width=BAR height=format!("{h:.1}")></rect> }
                })
                .collect_view();
            let label = (i % every == 0 || i + 1 == history.len()).then(|| {
                view! { <text x=format!("{:.1}", x + BAR / 2.0) y=HEIGHT + 14.0 text-anchor="middle">{short_month(&m.month)}</text> }
            });
            view! { <g>{parts}{label}</g> }
        })
        .collect_view();
    let rows = history
        .iter()
        .map(|m| {
            let cells = StatusCounts::keyed()
                .into_iter()
                .map(|s| view! { <td class="num">{m.counts.get(s)}</td> })
                .collect_view();
            view! { <tr><th scope="row">{month_year(&format!("{}-01", m.month))}</th>{cells}</tr> }
        })
        .collect_view();
    let header = StatusCounts::keyed()
        .into_iter()
        .map(|s| view! { <th scope="col" class="num">{status_label(s)}</th> })
        .collect_view();
    let summary = match (history.first(), history.last()) {
        (Some(first), Some(last)) => format!(
            "Actions by status at the end of each month from {} to {}: a stacked bar per month, in the order of the key.",
            month_year(&format!("{}-01", first.month)),
            month_year(&format!("{}-01", last.month))
        ),
        _ => "No status recorded yet.".to_owned(),
    };
    view! {
        <figure class="history-chart">
            <svg viewBox=format!("0 0 {width:.0} {}", HEIGHT + 20.0) role="img" aria-labelledby=format!("{id}-chart-desc") class="history-svg">
                <desc id=format!("{id}-chart-desc")>{summary.clone()}</desc>
                {bars}
            </svg>
            <figcaption>{summary}</figcaption>
        </figure>
        <details class="history-table">
            <summary>"Show the figures as a table"</summary>
            <div class="table-scroll" tabindex="0">
                <table class="dashboard-table">
                    <thead><tr><th scope="col">"Month"</th>{header}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
}

/// "2026-03" → "Mar 26".
fn short_month(month: &str) -> String {
    const NAMES: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let m: usize = month.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    format!("{} {}", NAMES[(m.clamp(1, 12)) - 1], month.get(2..4).unwrap_or(""))
}
