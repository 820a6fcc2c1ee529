use crate::api::account::{ChangePassword, SignOut};
use crate::api::two_step::{get_own_two_step, BeginTwoStep, NewRecoveryCodes, TurnOffTwoStep};
use crate::components::error_page::{loaded, ErrorPage};
use crate::components::forms::Field;
use crate::components::session::signed_in;
use crate::domain::account::{role_label, CommitteeRole, SignedIn};
use crate::domain::two_step::OwnTwoStep;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

/// `/account`: who you are, where you belong, your password.
#[component]
pub fn AccountPage() -> impl IntoView {
    match signed_in() {
        None => view! { <ErrorPage error=AppError::Unauthorized/> }.into_any(),
        Some(person) => view! { <AccountBody person/> }.into_any(),
    }
}

#[component]
fn AccountBody(person: SignedIn) -> impl IntoView {
    let committees = person
        .committees
        .iter()
        .map(|m| {
            let slug = m.slug.clone();
            let member = CommitteeRole::parse(&m.role).is_some();
            view! {
                <li>
                    <a href=format!("/committees/{slug}")>{m.name.clone()}</a> " · " {role_label(&m.role)}
                    {member.then(|| view! {
                        " · " <a href=format!("/committees/{slug}/members")>"Members"</a>
                        " · " <a href=format!("/committees/{slug}/audit")>"Audit log"</a>
                    })}
                </li>
            }
        })
        .collect_view();
    let subgroups = person
        .subgroups
        .iter()
        .map(|m| view! { <li><a href=format!("/subgroups/{}", m.slug)>{m.name.clone()}</a> " · " {role_label(&m.role)}</li> })
        .collect_view();
    let none = person.committees.is_empty() && person.subgroups.is_empty();
    view! {
        <Title text="Your account"/>
        <h1>"Your account"</h1>
        <p><strong>{person.display_name.clone()}</strong> " · " {person.email.clone()}
           {person.is_admin.then(|| view! { " · " <a href="/admin">"Platform admin"</a> })}</p>
        <div class="two-column">
            <section aria-labelledby="memberships-heading">
                <h2 id="memberships-heading">"Where you belong"</h2>
                {none.then(|| view! { <p class="muted">"You are not a member of any committee or subgroup yet."</p> })}
                {(!person.committees.is_empty()).then(|| view! { <h3>"Committees"</h3><ul class="plain-list">{committees}</ul> })}
                {(!person.subgroups.is_empty()).then(|| view! { <h3>"Forth Valley subgroups"</h3><ul class="plain-list">{subgroups}</ul> })}
            </section>
            <section aria-labelledby="password-heading">
                <h2 id="password-heading">"Change your password"</h2>
                <p class="muted">"Changing it signs you out on every other device."</p>
                <form method="post" action=ChangePassword::PATH class="stack">
                    <Field form=ChangePassword::PATH name="current_password" label="Current password" kind="password" autocomplete="current-password"/>
                    <Field form=ChangePassword::PATH name="password" label="New password" kind="password" autocomplete="new-password"
                        hint="At least 12 characters. Three random words work well."/>
                    <Field form=ChangePassword::PATH name="confirm" label="New password again" kind="password" autocomplete="new-password"/>
                    <button type="submit" class="button">"Change password"</button>
                </form>
                <TwoStepSection/>
                <form method="post" action=SignOut::PATH class="stack">
                    <button type="submit" class="button button-secondary">"Sign out"</button>
                </form>
            </section>
        </div>
    }
}

/// Two-step sign-in: on or off, recovery codes, and the forms that change it.
#[component]
fn TwoStepSection() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_own_two_step());
    view! {
        <h2 id="two-step-heading">"Two-step sign-in"</h2>
        {loaded(data, |own| view! { <TwoStepState own/> })}
    }
}

#[component]
fn TwoStepState(own: OwnTwoStep) -> impl IntoView {
    let required = own.required_by.clone().map(|by| view! { <p>"Required of you by " {by} "."</p> });
    if !own.enabled {
        return view! {
            <p>"Off. With it on, signing in also asks for a code from an app on your phone, so a stolen password alone cannot get in."</p>
            {required}
            <form method="post" action=BeginTwoStep::PATH class="stack">
                <button type="submit" class="button">"Set up two-step sign-in"</button>
            </form>
        }
        .into_any();
    }
    let since = own.since.clone().unwrap_or_default();
    let left = own.codes_left;
    let low = (left <= 3).then(|| view! { <strong>" Make new ones soon."</strong> });
    let off = match own.required_by {
        Some(_) => view! { {required} }.into_any(),
        None => view! {
            <form method="post" action=TurnOffTwoStep::PATH class="stack">
                <Field form=TurnOffTwoStep::PATH name="current_password" label="Current password" kind="password" autocomplete="current-password"/>
                <button type="submit" class="button button-secondary">"Turn off two-step sign-in"</button>
            </form>
        }
        .into_any(),
    };
    view! {
        <p data-testid="two-step-on">"On since " {since} ". " {left} " recovery codes left." {low}</p>
        <form method="post" action=NewRecoveryCodes::PATH class="stack">
            <Field form=NewRecoveryCodes::PATH name="current_password" label="Current password" kind="password" autocomplete="current-password"
                hint="New recovery codes replace the old ones."/>
            <button type="submit" class="button button-secondary">"Make new recovery codes"</button>
        </form>
        {off}
    }
    .into_any()
}
