//! The HTML shell and the route table. Pages render on the server only (leptos islands): the
//! browser hydrates just the interactive islands, so page data never travels twice and the
//! WASM stays small. Routes that can answer 404 render in async mode so the status is set
//! before the response starts.

use crate::components::error_page::NotFound;
use crate::components::layout::Layout;
use crate::pages::{
    accessibility::AccessibilityPage,
    account::{
        invitation::InvitationPage,
        settings::AccountPage,
        sign_in::SignInPage,
        two_step::{SignInCodePage, TwoStepSetupPage},
    },
    action::ActionPage,
    admin::AdminPage,
    annual::AnnualSummaryPage,
    audit::AuditPage,
    committee::CommitteePage,
    members::MembersPage,
    my_work::MyWorkPage,
    overview::OverviewPage,
    period_compare::PeriodComparePage,
    periods::{PeriodsPage, ReportPage},
    plan::PlanPage,
    plan_compare::PlanComparePage,
    plan_edit::PlanEditPage,
    plan_import::{PlanImportPage, PlanImportPreviewPage},
    protocol::ProtocolPage,
    protocols::ProtocolsPage,
    regional::RegionalReportPage,
    risk_import::{RiskImportPage, RiskImportPreviewPage},
    risks::{RiskDetailPage, RiskRegisterPage},
    subgroup::SubgroupPage,
    summary::PublicSummaryPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::security::set_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="description" content="Strategic improvement plans of the Forth Valley Child Protection Committees: Clackmannanshire, Stirling and Falkirk."/>
                <meta name="theme-color" content="#1d3557"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/forth.css"/>
        <Title formatter=|text: String| format!("{text} · Forth Valley Child Protection")/>
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=OverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/committees/:committee") view=CommitteePage ssr=SsrMode::Async/>
                    // Before the plan route: the first route that matches wins, and "import" is not a period.
                    <Route path=path!("/committees/:committee/plans/import") view=PlanImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/committees/:committee/plans/import/:upload") view=PlanImportPreviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/committees/:committee/plans/:plan") view=PlanPage ssr=SsrMode::Async/>
                    <Route path=path!("/committees/:committee/plans/:plan/actions/:action") view=ActionPage ssr=SsrMode::Async/>
                    <Route path=path!("/committees/:committee/plans/:plan/edit") view=PlanEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/committees/:committee/plans/:plan/compare/:review") view=PlanComparePage ssr=SsrMode::Async/>
                    <Route path=path!("/committees/:committee/plans/:plan/summary") view=PublicSummaryPage ssr=SsrMode::Async/>
                    <Route path=path!("/subgroups/:subgroup") view=SubgroupPage ssr=SsrMode::Async/>
                    <Route path=path!("/subgroups/:subgroup/risks") view=RiskRegisterPage ssr=SsrMode::Async/>
                    // Before the risk route: "import" is not a risk.
                    <Route path=path!("/subgroups/:subgroup/risks/import") view=RiskImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/subgroups/:subgroup/risks/import/:upload") view=RiskImportPreviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/subgroups/:subgroup/risks/:risk") view=RiskDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/forth-valley/report") view=RegionalReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/protocols") view=ProtocolsPage ssr=SsrMode::Async/>
                    <Route path=path!("/protocols/:protocol") view=ProtocolPage ssr=SsrMode::Async/>
                    <Route path=path!("/committees/:committee/members") view=MembersPage ssr=SsrMode::Async/>
                    <Route path=path!("/committees/:committee/audit") view=AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/committees/:committee/risks") view=RiskRegisterPage ssr=SsrMode::Async/>
                    // Before the risk route: "import" is not a risk.
                    <Route path=path!("/committees/:committee/risks/import") view=RiskImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/committees/:committee/risks/import/:upload") view=RiskImportPreviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/committees/:committee/risks/:risk") view=RiskDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/committees/:committee/periods") view=PeriodsPage ssr=SsrMode::Async/>
                    <Route path=path!("/committees/:committee/years/:year") view=AnnualSummaryPage ssr=SsrMode::Async/>
                    <Route path=path!("/committees/:committee/periods/:period") view=ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/committees/:committee/periods/:period/compare/:other") view=PeriodComparePage ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in/code") view=SignInCodePage ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in/two-step") view=TwoStepSetupPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/two-step") view=TwoStepSetupPage ssr=SsrMode::Async/>
                    <Route path=path!("/invitations/:token") view=InvitationPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/me") view=MyWorkPage ssr=SsrMode::Async/>
                    <Route path=path!("/accessibility") view=AccessibilityPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
