use crate::api::account::SignIn;
use crate::components::forms::Field;
use crate::components::session::signed_in;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/sign-in?next=/path`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let next =
        crate::domain::account::safe_return_path(&use_query_map().read_untracked().get("next").unwrap_or_default());
    let again = use_query_map().read_untracked().get("again").is_some().then(|| {
        view! { <p class="notice" role="status">"That sign-in was not finished within 10 minutes, or was finished already. Please sign in again."</p> }
    });
    let already = signed_in().map(|p| {
        view! { <p class="notice">"You are signed in as " {p.display_name} ". " <a href="/account">"Your account"</a></p> }
    });
    view! {
        <Title text="Sign in"/>
        <section class="narrow" aria-labelledby="sign-in-heading">
            <h1 id="sign-in-heading">"Sign in"</h1>
            {already}
            {again}
            <p>"For members of the Clackmannanshire, Stirling and Falkirk Child Protection Committees and the Forth Valley subgroups. Published plans can be read without signing in."</p>
            <form method="post" action=SignIn::PATH class="stack">
                <input type="hidden" name="next" value=next/>
                <Field form=SignIn::PATH name="email" label="Email address" kind="email" autocomplete="username"/>
                <Field form=SignIn::PATH name="password" label="Password" kind="password" autocomplete="current-password"/>
                <button type="submit" class="button">"Sign in"</button>
            </form>
            <p class="muted">"Not set your password yet? Use the one-time link from your invitation; if it has expired, ask the person who invited you for a new one. Forgotten your password? A platform admin can give you a new one-time link."</p>
        </section>
    }
}
