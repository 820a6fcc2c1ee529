//! `/admin`: committees, subgroups and people, for platform admins.

use crate::api::admin::{
    get_admin, AddSubgroupMember, CreateCommittee, CreateSubgroup, DeactivatePerson, IssueSignInLink,
    RemoveSubgroupMember,
};
use crate::api::two_step::ResetTwoStep;
use crate::components::error_page::loaded;
use crate::components::forms::{Choice, Field};
use crate::domain::account::role_label;
use crate::domain::dates::long_date;
use crate::domain::views::{AdminPage as AdminData, AdminPerson, AdminSubgroup};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn AdminPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_admin());
    view! { {loaded(data, |data| view! { <AdminBody data/> })} }
}

#[component]
fn AdminBody(data: AdminData) -> impl IntoView {
    let committees = data
        .committees
        .into_iter()
        .map(|c| {
            view! {
                <li><a href=format!("/committees/{}", c.slug)>{c.name}</a>
                    " · " <a href=format!("/committees/{}/members", c.slug)>"Members"</a></li>
            }
        })
        .collect_view();
    let subgroups = data.subgroups.into_iter().map(|s| view! { <SubgroupAdmin subgroup=s/> }).collect_view();
    let people = data.people.into_iter().map(|p| view! { <PersonRow person=p/> }).collect_view();
    view! {
        <Title text="Platform admin"/>
        <h1>"Platform admin"</h1>
        <div class="two-column">
            <section aria-labelledby="committees-heading">
                <h2 id="committees-heading">"Committees"</h2>
                <ul class="plain-list">{committees}</ul>
                <form method="post" action=CreateCommittee::PATH class="stack card">
                    <h3>"New committee"</h3>
                    <Field form=CreateCommittee::PATH name="name" label="Name" hint="e.g. West Lothian Child Protection Committee"/>
                    <Field form=CreateCommittee::PATH name="short_name" label="Short name" hint="e.g. West Lothian"/>
                    <Field form=CreateCommittee::PATH name="slug" label="Web address" hint="Lower-case words joined by hyphens, e.g. west-lothian"/>
                    <button type="submit" class="button">"Create committee"</button>
                </form>
            </section>
            <section aria-labelledby="new-subgroup-heading">
                <h2 id="new-subgroup-heading">"New Forth Valley subgroup"</h2>
                <form method="post" action=CreateSubgroup::PATH class="stack card">
                    <Field form=CreateSubgroup::PATH name="name" label="Name"/>
                    <Field form=CreateSubgroup::PATH name="short_name" label="Short name"/>
                    <Field form=CreateSubgroup::PATH name="slug" label="Web address"/>
                    <button type="submit" class="button">"Create subgroup"</button>
                </form>
            </section>
        </div>
        <section aria-labelledby="subgroups-heading">
            <h2 id="subgroups-heading">"Subgroups and their members"</h2>
            {subgroups}
        </section>
        <section aria-labelledby="people-heading">
            <h2 id="people-heading">"People"</h2>
            <table class="people-table">
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Belongs to"</th>
                    <th scope="col">"Sign-in link"</th></tr></thead>
                <tbody>{people}</tbody>
            </table>
        </section>
    }
}

#[component]
fn SubgroupAdmin(subgroup: AdminSubgroup) -> impl IntoView {
    let slug = subgroup.slug.clone();
    let members = subgroup
        .members
        .into_iter()
        .map(|m| {
            let label = format!("Remove {} from {}", m.display_name, subgroup.name);
            view! {
                <li>
                    {m.display_name} " · " {role_label(&m.role)}
                    <form method="post" action=RemoveSubgroupMember::PATH class="inline-form">
                        <input type="hidden" name="subgroup" value=slug.clone()/>
                        <input type="hidden" name="person" value=m.person_id.to_string()/>
                        <button type="submit" class="link-button" aria-label=label>"Remove"</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let options = vec![("member".to_owned(), "Member".to_owned()), ("chair".to_owned(), "Chair".to_owned())];
    view! {
        <details class="card subgroup-admin">
            <summary><h3>{subgroup.name.clone()}</h3></summary>
            <ul class="plain-list">{members}</ul>
            <form method="post" action=AddSubgroupMember::PATH class="stack">
                <input type="hidden" name="subgroup" value=slug.clone()/>
                <Field form=AddSubgroupMember::PATH name="display_name" label="Name" autocomplete="off"/>
                <Field form=AddSubgroupMember::PATH name="email" label="Email address" kind="email" autocomplete="off"/>
                <Choice form=AddSubgroupMember::PATH name="role" label="Role" options selected="member"/>
                <button type="submit" class="button">"Add to subgroup"</button>
            </form>
        </details>
    }
}

#[component]
fn PersonRow(person: AdminPerson) -> impl IntoView {
    let label = format!("New sign-in link for {}", person.display_name);
    let leave = format!("Deactivate {}", person.display_name);
    let id = person.person_id.to_string();
    let actions = match &person.deactivated_on {
        Some(on) => view! { <span class="muted">{format!("Left on {}", long_date(on))}</span> }.into_any(),
        None => view! {
            <form method="post" action=IssueSignInLink::PATH class="inline-form">
                <input type="hidden" name="person" value=id.clone()/>
                <button type="submit" class="button button-small" aria-label=label>"New link"</button>
            </form>
            {person.two_step.then(|| {
                let reset = format!("Turn off two-step sign-in for {}", person.display_name);
                view! {
                    <details class="leaver">
                        <summary aria-label=reset.clone()>"Lost phone…"</summary>
                        <p>"For someone who has lost both their authenticator and their recovery codes: two-step sign-in is turned off and their sessions end. They sign in with their password and set it up again. Check it is really them first."</p>
                        <form method="post" action=ResetTwoStep::PATH class="inline-form">
                            <input type="hidden" name="person" value=id.clone()/>
                            <button type="submit" class="button button-small button-danger">{reset}</button>
                        </form>
                    </details>
                }
            })}
            <details class="leaver">
                <summary aria-label=leave.clone()>"Deactivate…"</summary>
                <p>"For someone who has left: they are signed out everywhere at once, cannot sign in or use a link, and are removed from every committee and subgroup. Their name stays on everything they did."</p>
                <form method="post" action=DeactivatePerson::PATH class="inline-form">
                    <input type="hidden" name="person" value=id/>
                    <button type="submit" class="button button-small button-danger">{leave}</button>
                </form>
            </details>
        }
        .into_any(),
    };
    view! {
        <tr>
            <td>{person.display_name}{person.is_admin.then_some(" (admin)")}
                {(!person.active && person.deactivated_on.is_none()).then(|| view! { " " <span class="tag">"Invited"</span> })}
                {person.deactivated_on.is_some().then(|| view! { " " <span class="tag">"Deactivated"</span> })}</td>
            <td>{person.email}</td>
            <td>{person.memberships.join("; ")}</td>
            <td>{actions}</td>
        </tr>
    }
}
