//! `/committees/{committee}/plans/{plan}/summary`: for everyone, the plan's latest closed
//! quarter in plain language (`domain::public_summary`): counts, what was completed, what is
//! delayed and why.

use crate::api::periods::get_public_summary;
use crate::components::error_page::loaded;
use crate::components::layout::Breadcrumbs;
use crate::components::status::StatusBadge;
use crate::domain::dates::long_date;
use crate::domain::public_summary::{in_words, PublicAction};
use crate::domain::views::SummaryPage as Data;
use crate::pages::{param, plan_href};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PublicSummaryPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (param(&p, "committee"), param(&p, "plan"))
        },
        |(c, p)| get_public_summary(c, p),
    );
    view! { {loaded(data, |data| view! { <SummaryBody data/> })} }
}

fn action_list(actions: Vec<PublicAction>, delayed: bool) -> impl IntoView {
    let items = actions
        .into_iter()
        .map(|a| {
            let timescale = match &a.original_timescale {
                Some(original) => format!("Now expected: {} (first planned for {original}).", a.timescale),
                None if a.timescale.trim().is_empty() => String::new(),
                None => format!("Timescale: {}.", a.timescale),
            };
            view! {
                <li>
                    <p><span class="ref">{a.reference}</span> " " {a.description}</p>
                    {delayed.then(|| view! { <p><StatusBadge status=a.status/> " " {timescale.clone()}</p> })}
                    {a.reason.filter(|_| delayed).map(|r| view! { <p class="reason">"Why: " {r}</p> })}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="summary-list">{items}</ul> }
}

#[component]
fn SummaryBody(data: Data) -> impl IntoView {
    let plan_link = plan_href(&data.committee.slug, &data.plan_slug);
    let crumbs = vec![
        (data.committee.name.clone(), Some(format!("/committees/{}", data.committee.slug))),
        (data.plan_title.clone(), Some(plan_link.clone())),
        ("Quarterly summary".to_owned(), None),
    ];
    let Some(s) = data.summary else {
        let title = format!("{}: quarterly summary", data.plan_title);
        return view! {
            <Title text=title.clone()/>
            <Breadcrumbs items=crumbs/>
            <h1>{title}</h1>
            <p>"No quarter of this plan has been reported yet."</p>
            <p><a href=plan_link>"Read the plan"</a></p>
        }
        .into_any();
    };
    let title = format!("{}: {}", s.plan_title, s.period_label);
    let opening = in_words(&s);
    let completed_heading = if s.completed_before > 0 {
        format!("Completed in {} ({} completed before)", s.period_label, s.completed_before)
    } else {
        format!("Completed by the end of {}", s.period_label)
    };
    let completed = if s.completed.is_empty() {
        view! { <p>"No action was completed in this quarter."</p> }.into_any()
    } else {
        action_list(s.completed.clone(), false).into_any()
    };
    let delayed = if s.delayed.is_empty() {
        view! { <p>"No action was delayed."</p> }.into_any()
    } else {
        action_list(s.delayed.clone(), true).into_any()
    };
    view! {
        <Title text=title.clone()/>
        <Breadcrumbs items=crumbs/>
        <h1>{title}</h1>
        <p class="lead">{format!(
            "{} reported on its plan for {} to {} on {}.",
            s.committee,
            long_date(&s.starts_on),
            long_date(&s.ends_on),
            long_date(&s.reported_on)
        )}</p>
        <p data-testid="summary-counts">{opening}</p>
        <section aria-labelledby="completed-heading">
            <h2 id="completed-heading">{completed_heading}</h2>
            {completed}
        </section>
        <section aria-labelledby="delayed-heading">
            <h2 id="delayed-heading">"Delayed, and why"</h2>
            {delayed}
        </section>
        <p><a href=plan_link>"Read the whole plan as it stands today"</a></p>
    }
    .into_any()
}
