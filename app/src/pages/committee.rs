use crate::api::dashboards::committee_dashboard;
use crate::api::overview::get_committee;
use crate::components::dashboard::DashboardView;
use crate::components::error_page::loaded;
use crate::components::layout::Breadcrumbs;
use crate::domain::dashboard::PlanDashboard;
use crate::domain::views::CommitteePage as CommitteeData;
use crate::pages::overview::CommitteeCard;
use crate::pages::param;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/committees/{committee}`: the committee, its plans and the subgroups it takes part in.
#[component]
pub fn CommitteePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || param(&params.read(), "committee"), get_committee);
    let dashboards = Resource::new(move || param(&params.read(), "committee"), committee_dashboard);
    view! {
        {loaded(data, |data| view! { <CommitteeBody data/> })}
        {loaded(dashboards, |plans| view! { <Dashboards plans/> })}
    }
}

/// The committee's dashboard: one per plan the reader may see, published plans first.
#[component]
fn Dashboards(plans: Vec<PlanDashboard>) -> impl IntoView {
    let sections = plans
        .into_iter()
        .map(|p| {
            let id = format!("dashboard-{}", &p.plan_id.to_string()[..8]);
            let state = (p.state != crate::domain::plan::PlanState::Published)
                .then(|| view! { <span class="tag tag-draft">{p.state.label()} " · committee members only"</span> });
            let (labelled, heading) = (id.clone(), id.clone());
            view! {
                <section class="plan-dashboard" aria-labelledby=labelled data-live-plan=p.plan_id.to_string()>
                    <h2 id=heading>{format!("Dashboard: {}", p.title)}</h2>
                    {state}
                    <p><a href=p.href.clone()>"Open the plan"</a></p>
                    <DashboardView dashboard=p.dashboard id group_label="Priority and outcome" live_plan=p.plan_id filter_base=p.href/>
                </section>
            }
        })
        .collect_view();
    view! { <div class="dashboards" data-live-region="">{sections}</div> }
}

#[component]
fn CommitteeBody(data: CommitteeData) -> impl IntoView {
    let name = data.committee.name.clone();
    let subgroups = data
        .subgroups
        .into_iter()
        .map(|s| view! { <li><a href=format!("/subgroups/{}", s.slug)>{s.name}</a></li> })
        .collect_view();
    view! {
        <Title text=name.clone()/>
        <Breadcrumbs items=vec![(data.region_name, Some("/".into())), (name.clone(), None)]/>
        <h1>{name}</h1>
        <MemberLinks committee=data.committee.slug.clone() member=data.can_read_audit can_import=data.can_import/>
        <div class="two-column">
            <section aria-labelledby="plans-heading">
                <h2 id="plans-heading" class="visually-hidden">"Plans"</h2>
                <CommitteeCard committee=data.committee/>
            </section>
            <section aria-labelledby="subgroups-heading">
                <h2 id="subgroups-heading">"Subgroups"</h2>
                <ul class="plain-list">{subgroups}</ul>
            </section>
        </div>
    }
}

/// For the committee's members: who sits on it and what changed.
#[component]
fn MemberLinks(committee: String, member: bool, can_import: bool) -> impl IntoView {
    // The role is shown as the person's own record says it; what they may open comes from the
    // server's rules (`member`, `can_import`).
    let role = crate::components::session::signed_in().and_then(|p| p.committee_role(&committee)).filter(|_| member);
    role.map(|role| {
        view! {
            <p class="member-links">
                "Your role on this committee: " {crate::domain::account::role_label(role.code())} " · "
                <a href=format!("/committees/{committee}/members")>"Members"</a> " · "
                <a href=format!("/committees/{committee}/audit")>"Audit log"</a> " · "
                <a href=format!("/committees/{committee}/risks")>"Risk register"</a> " · "
                <a href=format!("/committees/{committee}/periods")>"Quarterly reports"</a>
                {can_import.then(|| view! {
                    " · " <a href=format!("/committees/{committee}/plans/import")>"Import a plan from a file"</a>
                })}
            </p>
        }
    })
}
