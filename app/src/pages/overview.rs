use crate::api::overview::get_overview;
use crate::components::error_page::loaded;
use crate::components::status::StatusSummary;
use crate::domain::dates::{long_date, month_year};
use crate::domain::plan::PlanState;
use crate::domain::views::{CommitteeSummary, Overview, PlanSummary, ProtocolSummary, SubgroupSummary};
use crate::pages::plan_href;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/`: every committee of Forth Valley with its plans, the shared subgroups and protocols.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_overview());
    view! {
        <Title text="Forth Valley overview"/>
        {loaded(overview, |overview| view! { <OverviewBody overview/> })}
    }
}

#[component]
fn OverviewBody(overview: Overview) -> impl IntoView {
    let committees = overview.committees.into_iter().map(|c| view! { <CommitteeCard committee=c/> }).collect_view();
    let subgroups = overview.subgroups.into_iter().map(|s| view! { <SubgroupItem subgroup=s/> }).collect_view();
    let protocols = overview.protocols.into_iter().map(|p| view! { <ProtocolItem protocol=p/> }).collect_view();
    view! {
        <div class="page-intro">
            <h1>{overview.region_name} " child protection improvement plans"</h1>
            <p class="lead">"Each Child Protection Committee's strategic improvement plan, its progress at a glance, and the Forth Valley subgroups and protocols the committees share."</p>
        </div>
        <section aria-labelledby="committees-heading">
            <h2 id="committees-heading">"Committees"</h2>
            <div class="card-grid">{committees}</div>
        </section>
        <div class="two-column">
            <section aria-labelledby="subgroups-heading">
                <h2 id="subgroups-heading">"Forth Valley subgroups"</h2>
                <ul class="plain-list">{subgroups}</ul>
            </section>
            <section aria-labelledby="protocols-heading">
                <h2 id="protocols-heading">"Shared protocols"</h2>
                <ul class="plain-list">{protocols}</ul>
                <p><a href="/protocols">"Ratification by committee"</a></p>
            </section>
        </div>
    }
}

#[component]
pub fn CommitteeCard(committee: CommitteeSummary) -> impl IntoView {
    let href = format!("/committees/{}", committee.slug);
    let slug = committee.slug.clone();
    let areas = committee.council_areas.join(", ");
    let plans = if committee.plans.is_empty() {
        view! { <p class="muted">"No published plan yet."</p> }.into_any()
    } else {
        committee
            .plans
            .into_iter()
            .map(|plan| view! { <PlanEntry committee=slug.clone() plan/> })
            .collect_view()
            .into_any()
    };
    view! {
        <article class="card committee-card">
            <h3><a href=href>{committee.name}</a></h3>
            {committee.is_sample.then(|| view! { <p class="sample-tag">"Sample data"</p> })}
            <p class="muted">{(!areas.is_empty()).then(|| format!("Covers {areas}. "))}{(!committee.cog_name.is_empty()).then(|| format!("Reports to {}.", committee.cog_name))}</p>
            {plans}
        </article>
    }
}

#[component]
fn PlanEntry(committee: String, plan: PlanSummary) -> impl IntoView {
    let href = plan_href(&committee, &plan.slug);
    let reviewed = plan.last_reviewed_on.as_deref().map(|d| format!("Reviewed and updated {}", month_year(d)));
    let unpublished = (plan.state != PlanState::Published).then(|| {
        let label = plan.state.label();
        view! { <span class="tag tag-draft">{label} " · committee members only"</span> }
    });
    let publish = plan.can_publish.then(|| {
        use leptos::server_fn::ServerFn;
        let label = format!("Publish {}", plan.title);
        view! {
            <form method="post" action=crate::api::plans::PublishPlan::PATH class="inline-form">
                <input type="hidden" name="committee" value=committee.clone()/>
                <input type="hidden" name="plan" value=plan.slug.clone()/>
                <button type="submit" class="button button-small" aria-label=label>"Publish"</button>
            </form>
        }
    });
    view! {
        <div class="plan-entry" data-live-plan=plan.id.to_string()>
            <h4><a href=href.clone()>{plan.title}</a></h4>
            {unpublished}
            {publish}
            {plan.is_sample.then(|| view! { <span class="sample-tag">"Sample plan, for illustration"</span> })}
            {reviewed.map(|r| view! { <p class="muted">{r}</p> })}
            <StatusSummary counts=plan.counts filter_base=href live_plan=plan.id/>
        </div>
    }
}

#[component]
fn SubgroupItem(subgroup: SubgroupSummary) -> impl IntoView {
    let who = subgroup.committees.iter().map(|c| c.short_name.clone()).collect::<Vec<_>>().join(", ");
    let scope = if subgroup.scope == "regional" { "Forth Valley" } else { "Local" };
    view! {
        <li>
            <a href=format!("/subgroups/{}", subgroup.slug)>{subgroup.name}</a>
            <span class="muted">" · " {scope} {(!who.is_empty()).then(|| format!(": {who}"))}
                " · " {subgroup.shared_actions} " shared, " {subgroup.led_actions} " led actions"</span>
        </li>
    }
}

#[component]
fn ProtocolItem(protocol: ProtocolSummary) -> impl IntoView {
    let due = protocol.review_due_on.as_deref().map(long_date);
    view! {
        <li>
            <a href=format!("/protocols/{}", protocol.slug)>{protocol.title}</a>
            <span class="muted">
                {protocol.current_version.map(|v| format!(" · version {v}"))}
                {due.map(|d| format!(" · review due {d}"))}
            </span>
            {protocol.review_overdue.then(|| view! { <span class="flag flag-warning">"Review overdue"</span> })}
            <span class="muted">" · " {protocol.ratified} " ratified, " {protocol.pending} " pending"
                {(protocol.declined > 0).then(|| format!(", {} declined", protocol.declined))}</span>
        </li>
    }
}
