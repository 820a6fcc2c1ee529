use crate::api::account::{get_invitation, AcceptInvitation};
use crate::components::error_page::loaded;
use crate::components::forms::Field;
use crate::domain::views::InvitationView;
use crate::pages::param;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/invitations/{token}`: the invited person sets their password.
#[component]
pub fn InvitationPage() -> impl IntoView {
    // The address holds a secret: never stored by a cache, never sent to another site as a referrer.
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        use http::header::{HeaderName, HeaderValue, CACHE_CONTROL};
        response.insert_header(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response.insert_header(HeaderName::from_static("referrer-policy"), HeaderValue::from_static("same-origin"));
    }
    let params = use_params_map();
    let token = param(&params.read_untracked(), "token");
    let data = Resource::new(move || param(&params.read(), "token"), get_invitation);
    view! {
        {loaded(data, |invitee| view! { <InvitationForm invitee/> })}
        <input type="hidden" form="accept-invitation" name="token" value=token/>
    }
}

#[component]
fn InvitationForm(invitee: InvitationView) -> impl IntoView {
    view! {
        <Title text="Set your password"/>
        <section class="narrow" aria-labelledby="invitation-heading">
            <h1 id="invitation-heading">"Welcome, " {invitee.display_name}</h1>
            <p>"Choose a password for " <strong>{invitee.email}</strong> ". This link works once."</p>
            <form id="accept-invitation" method="post" action=AcceptInvitation::PATH class="stack">
                <Field form=AcceptInvitation::PATH name="password" label="Password" kind="password" autocomplete="new-password"
                    hint="At least 12 characters. Three random words work well."/>
                <Field form=AcceptInvitation::PATH name="confirm" label="Password again" kind="password" autocomplete="new-password"/>
                <button type="submit" class="button">"Set password and sign in"</button>
            </form>
        </section>
    }
}
