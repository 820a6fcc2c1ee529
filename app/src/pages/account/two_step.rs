//! Two-step sign-in pages: the code after the password, and setting it up.

use crate::api::two_step::{get_two_step_setup, ConfirmTwoStep, SignInCode};
use crate::components::error_page::loaded;
use crate::components::forms::Field;
use crate::domain::two_step::SetupView;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

/// Pages that hold a half-done sign-in or a secret: never stored by a cache.
fn not_stored() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        use http::header::{HeaderValue, CACHE_CONTROL};
        response.insert_header(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// `/sign-in/code`: the second step, after a password that matched.
#[component]
pub fn SignInCodePage() -> impl IntoView {
    not_stored();
    view! {
        <Title text="Enter your code"/>
        <section class="narrow" aria-labelledby="code-heading">
            <h1 id="code-heading">"Enter your code"</h1>
            <p>"Your password is right. Open the authenticator app on your phone and enter the 6-digit code it shows for Forth Valley Child Protection."</p>
            <form method="post" action=SignInCode::PATH class="stack">
                <Field form=SignInCode::PATH name="code" label="Code" autocomplete="one-time-code" inputmode="numeric"
                    hint="6 digits; a new one every 30 seconds. Lost your phone? Enter one of your recovery codes instead."/>
                <button type="submit" class="button">"Sign in"</button>
            </form>
            <p class="muted">"Lost your phone and your recovery codes? A platform admin can turn two-step sign-in off for you. "
                <a href="/sign-in">"Start again"</a></p>
        </section>
    }
}

/// `/sign-in/two-step` (required of them, as they sign in) and `/account/two-step` (from their
/// account page): scan or type the secret, then prove it with a code.
#[component]
pub fn TwoStepSetupPage() -> impl IntoView {
    not_stored();
    let data = Resource::new(|| (), |_| get_two_step_setup());
    view! {
        <Title text="Set up two-step sign-in"/>
        {loaded(data, |setup| match setup {
            Some(setup) => view! { <SetupForm setup/> }.into_any(),
            None => view! {
                <section class="narrow" aria-labelledby="setup-heading">
                    <h1 id="setup-heading">"Set up two-step sign-in"</h1>
                    <p>"Nothing is being set up just now: two-step sign-in may be on already. "
                        <a href="/account">"Your account"</a> " shows it, and starts setting it up."</p>
                </section>
            }.into_any(),
        })}
    }
}

#[component]
fn SetupForm(setup: SetupView) -> impl IntoView {
    let SetupView { email, secret, uri, qr_size, qr_path, during_sign_in } = setup;
    let view_box = format!("0 0 {qr_size} {qr_size}");
    view! {
        <section class="narrow" aria-labelledby="setup-heading">
            <h1 id="setup-heading">"Set up two-step sign-in"</h1>
            {during_sign_in.then(|| view! {
                <p class="notice" role="status">"Your password is right. Two-step sign-in is required for your role, so set it up now to finish signing in."</p>
            })}
            <p>"After your password you will also be asked for a code from an app on your phone, so a stolen password alone cannot get into your account. Any authenticator app works (for example Microsoft Authenticator or Google Authenticator)."</p>
            <ol class="steps">
                <li>
                    <p>"In the app, add an account and scan this code."</p>
                    <svg class="qr" viewBox=view_box width="200" height="200" role="img" aria-labelledby="qr-title" shape-rendering="crispEdges">
                        <title id="qr-title">"QR code for " {email.clone()} " (the same as the key below)"</title>
                        <rect width="100%" height="100%" fill="#fff"/>
                        <path d=qr_path fill="#000"/>
                    </svg>
                    <p>"Cannot scan it? Enter this key in the app instead (time-based, 6 digits), or on your phone "
                        <a href=uri>"open it in your authenticator app"</a> "."</p>
                    <p><code class="secret" data-testid="two-step-key">{secret}</code></p>
                </li>
                <li>
                    <p>"Enter the 6-digit code the app now shows for " <strong>{email}</strong> "."</p>
                    <form method="post" action=ConfirmTwoStep::PATH class="stack">
                        <Field form=ConfirmTwoStep::PATH name="code" label="Code from the app" autocomplete="one-time-code" inputmode="numeric"/>
                        {(!during_sign_in).then(|| view! {
                            <Field form=ConfirmTwoStep::PATH name="current_password" label="Your current password" kind="password" autocomplete="current-password"/>
                        })}
                        <button type="submit" class="button">"Turn on two-step sign-in"</button>
                    </form>
                </li>
            </ol>
        </section>
    }
}
