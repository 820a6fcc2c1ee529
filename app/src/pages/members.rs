//! `/committees/{committee}/members`: who sits on the committee; its lead officers invite
//! people, change roles and remove members here.

use crate::api::members::{get_members, ChangeMemberRole, InviteMember, RemoveMember};
use crate::api::two_step::SetTwoStepForLeads;
use crate::components::error_page::loaded;
use crate::components::forms::{Choice, Field};
use crate::components::layout::Breadcrumbs;
use crate::domain::account::{role_label, CommitteeRole};
use crate::domain::views::{MemberView, MembersPage as MembersData};
use crate::pages::param;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn MembersPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || param(&params.read(), "committee"), get_members);
    view! { {loaded(data, |data| view! { <MembersBody data/> })} }
}

fn role_options() -> Vec<(String, String)> {
    CommitteeRole::ALL.iter().map(|r| (r.code().to_owned(), r.label().to_owned())).collect()
}

#[component]
fn MembersBody(data: MembersData) -> impl IntoView {
    let committee = data.committee;
    let title = format!("Members of {}", committee.name);
    let manage = data.can_manage;
    let required = data.two_step_for_leads;
    let leads_without = data
        .members
        .iter()
        .filter(|m| m.role == CommitteeRole::LeadOfficer.code() && m.two_step == Some(false))
        .count();
    let rows = data
        .members
        .into_iter()
        .map(|m| view! { <MemberRow committee=committee.slug.clone() member=m manage/> })
        .collect_view();
    let invite = manage.then(|| {
        let slug = committee.slug.clone();
        view! {
            <section aria-labelledby="invite-heading" class="card">
                <h2 id="invite-heading">"Add someone"</h2>
                <p class="muted">"Someone new gets a one-time link to set their password; you pass it on. Someone who already has an account can sign in straight away. Someone invited by another committee or subgroup who has not set a password yet keeps using the link from that invitation (a platform admin can issue a new one)."</p>
                <form method="post" action=InviteMember::PATH class="stack">
                    <input type="hidden" name="committee" value=slug/>
                    <Field form=InviteMember::PATH name="display_name" label="Name" autocomplete="off"/>
                    <Field form=InviteMember::PATH name="email" label="Email address" kind="email" autocomplete="off"/>
                    <Choice form=InviteMember::PATH name="role" label="Role" options=role_options() selected="member"/>
                    <button type="submit" class="button">"Add to committee"</button>
                </form>
            </section>
        }
    });
    let two_step = manage.then(|| {
        let slug = committee.slug.clone();
        let (state, button, value) = if required {
            ("Two-step sign-in is required of this committee's lead officers.", "Stop requiring it", "no")
        } else {
            ("Two-step sign-in is not required of this committee's lead officers.", "Require it of lead officers", "yes")
        };
        view! {
            <section aria-labelledby="two-step-heading" class="card">
                <h2 id="two-step-heading">"Two-step sign-in"</h2>
                <p data-testid="two-step-required">{state}</p>
                <p class="muted">"Lead officers publish plans and manage members, so a stolen password matters most for them. When it is required, lead officers without it ("
                    {leads_without} " now) are signed out and set it up as they next sign in. The Two-step column shows who has it on."</p>
                <form method="post" action=SetTwoStepForLeads::PATH class="stack">
                    <input type="hidden" name="committee" value=slug/>
                    <input type="hidden" name="required" value=value/>
                    <button type="submit" class="button button-secondary">{button}</button>
                </form>
            </section>
        }
    });
    view! {
        <Title text=title.clone()/>
        <Breadcrumbs items=vec![
            (committee.name.clone(), Some(format!("/committees/{}", committee.slug))),
            ("Members".into(), None),
        ]/>
        <h1>{title}</h1>
        <p><a href=format!("/committees/{}/audit", committee.slug)>"Audit log"</a></p>
        <table class="members-table">
            <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th>
                {manage.then(|| view! { <th scope="col">"Two-step"</th><th scope="col">"Manage"</th> })}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {invite}
        {two_step}
    }
}

#[component]
fn MemberRow(committee: String, member: MemberView, manage: bool) -> impl IntoView {
    let person = member.person_id.to_string();
    let pending = (!member.active).then(|| view! { <span class="tag">"Invited, not signed in yet"</span> });
    let controls = manage.then(|| {
        let label = format!("Role of {}", member.display_name);
        let remove_label = format!("Remove {}", member.display_name);
        let options = CommitteeRole::ALL
            .iter()
            .map(|r| {
                let selected = r.code() == member.role;
                view! { <option value=r.code() selected=selected>{r.label()}</option> }
            })
            .collect_view();
        let two_step = match member.two_step {
            Some(true) => "On",
            _ => "Off",
        };
        view! {
            <td>{two_step}</td>
            <td class="manage">
                <form method="post" action=ChangeMemberRole::PATH class="inline-form">
                    <input type="hidden" name="committee" value=committee.clone()/>
                    <input type="hidden" name="person" value=person.clone()/>
                    <select name="role" aria-label=label>{options}</select>
                    <button type="submit" class="button button-small">"Change role"</button>
                </form>
                <form method="post" action=RemoveMember::PATH class="inline-form">
                    <input type="hidden" name="committee" value=committee.clone()/>
                    <input type="hidden" name="person" value=person.clone()/>
                    <button type="submit" class="button button-small button-secondary" aria-label=remove_label>"Remove"</button>
                </form>
            </td>
        }
    });
    view! {
        <tr>
            <td>{member.display_name.clone()} " " {pending}</td>
            <td>{member.email}</td>
            <td>{role_label(&member.role)}</td>
            {controls}
        </tr>
    }
}
