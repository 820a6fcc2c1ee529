use crate::domain::status::{status_icon, status_key, status_label, Status, StatusCounts};
use leptos::prelude::*;

/// A status as word, icon and colour together: never colour alone.
#[component]
pub fn StatusBadge(status: Option<Status>) -> impl IntoView {
    view! {
        <span class=format!("status status-{}", status_key(status))>
            <span class="status-icon" aria-hidden="true">{status_icon(status)}</span>
            {status_label(status)}
        </span>
    }
}

/// Counts per status, as a bar for the eye and a list for everyone. With `filter_base`, each
/// count links to the plan filtered by that status.
#[component]
pub fn StatusSummary(
    counts: StatusCounts,
    #[prop(optional, into)] filter_base: Option<String>,
    /// The plan whose counts these are: live views keep them current.
    #[prop(optional)]
    live_plan: Option<uuid::Uuid>,
) -> impl IntoView {
    // The bar is drawn in SVG, whose geometry is markup rather than style, so the pages need
    // no inline style attributes (the Content-Security-Policy allows none).
    let total = counts.total().max(1) as f64;
    let mut x = 0.0;
    let bar = StatusCounts::keyed()
        .into_iter()
        .filter(|s| counts.get(*s) > 0)
        .map(|s| {
            let width = counts.get(s) as f64 * 100.0 / total;
            let at = x;
            x += width;
            view! { <rect class=format!("bar-{}", status_key(s)) x=format!("{at:.2}") y="0" width=format!("{width:.2}") height="1"></rect> }
        })
        .collect_view();
    let items = StatusCounts::keyed()
        .into_iter()
        .map(|s| {
            let n = counts.get(s);
            let body = view! {
                <span class=format!("status-icon status-{}", status_key(s)) aria-hidden="true">{status_icon(s)}</span>
                <span class="count" data-live-count=status_key(s)>{n}</span>
                " "
                <span class="count-label">{status_label(s)}</span>
            };
            match &filter_base {
                Some(base) if n > 0 => view! {
                    <li><a href=format!("{base}?status={}", status_key(s))>{body}</a></li>
                }
                .into_any(),
                _ => view! { <li>{body}</li> }.into_any(),
            }
        })
        .collect_view();
    view! {
        <div class="status-summary" data-live-counts=live_plan.map(|p| p.to_string())>
            <svg class="status-bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" focusable="false">{bar}</svg>
            <ul class="status-counts">{items}</ul>
        </div>
    }
}
