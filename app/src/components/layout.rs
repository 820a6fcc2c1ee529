use crate::api::account::SignOut;
use crate::components::enhance::FormEnhancer;
use crate::components::forms::FlashBanner;
use crate::components::live::{page_position, LiveStatus};
use crate::components::session::{current_path, signed_in};
use crate::domain::account::{role_label, SignedIn};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The frame of every page: skip link, header with the main navigation, main, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // Read before the page's data, so the stream replays anything committed in between.
    let position = page_position();
    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <header class="site-header">
            <div class="wrap header-inner">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"FV"</span>
                    <span class="brand-text">"Forth Valley Child Protection"<span class="visually-hidden">": "</span><small>"Strategic improvement plans"</small></span>
                </a>
                <nav aria-label="Main">
                    <ul>
                        <li><a href="/">"Overview"</a></li>
                        <li><a href="/protocols">"Protocols"</a></li>
                    </ul>
                </nav>
            </div>
            <AccountBar/>
        </header>
        <main id="main" class="wrap" tabindex="-1"><LiveStatus position/><FlashBanner/>{children()}</main>
        <FormEnhancer/>
        <footer class="site-footer">
            <div class="wrap">
                <p>"Child protection is everyone's job. If you are worried about a child, contact your local council's social work service or Police Scotland on 101; in an emergency call 999."</p>
                <p>"Plans are published by the Clackmannanshire, Stirling and Falkirk Child Protection Committees."</p>
                <nav aria-label="About this website"><ul class="footer-links"><li><a href="/accessibility">"Accessibility statement"</a></li></ul></nav>
            </div>
        </footer>
    }
}

/// Breadcrumb trail; the last item is the current page.
#[component]
pub fn Breadcrumbs(items: Vec<(String, Option<String>)>) -> impl IntoView {
    let items = items
        .into_iter()
        .map(|(label, href)| match href {
            Some(href) => view! { <li><a href=href>{label}</a></li> }.into_any(),
            None => view! { <li aria-current="page">{label}</li> }.into_any(),
        })
        .collect_view();
    view! { <nav class="breadcrumbs" aria-label="Breadcrumb"><ol>{items}</ol></nav> }
}

/// Text that keeps the line breaks of its source (bullet lists in a plan cell).
#[component]
pub fn Multiline(#[prop(into)] text: String) -> impl IntoView {
    // An empty cell stays truly empty, so phone cards can leave its label out.
    let text = (!text.is_empty()).then_some(text);
    view! { <span class="multiline">{text}</span> }
}

/// A timescale, and beside a revised one the original (kept as the plan set it). Live views
/// write the same markup (`components::live`).
#[component]
pub fn Timescale(timescale: String, revised: Option<String>) -> impl IntoView {
    match revised {
        Some(revised) => view! {
            <span class="revised">{revised}</span>
            <span class="original">" (originally " {timescale} ")"</span>
        }
        .into_any(),
        None => view! { <Multiline text=timescale/> }.into_any(),
    }
}

/// Who is signed in and where they belong, on every page: each committee and subgroup is one
/// click away, so someone on several moves between them freely.
#[component]
fn AccountBar() -> impl IntoView {
    match signed_in() {
        None => {
            let next = current_path();
            let href = if next == "/" || next.starts_with("/sign-in") {
                "/sign-in".to_owned()
            } else {
                format!("/sign-in?next={}", urlencode(&next))
            };
            view! {
                <div class="account-bar"><div class="wrap account-inner">
                    <a class="sign-in-link" href=href>"Sign in"</a>
                </div></div>
            }
            .into_any()
        }
        Some(person) => view! { <SignedInBar person/> }.into_any(),
    }
}

#[component]
fn SignedInBar(person: SignedIn) -> impl IntoView {
    let committees = person
        .committees
        .into_iter()
        .map(|m| {
            let title = format!("{}: {}", m.name, role_label(&m.role));
            view! { <li><a href=format!("/committees/{}", m.slug) title=title>{m.short_name}</a></li> }
        })
        .collect_view();
    let subgroups = person
        .subgroups
        .into_iter()
        .map(|m| {
            let title = format!("{}: {}", m.name, role_label(&m.role));
            view! { <li><a href=format!("/subgroups/{}", m.slug) title=title>{m.short_name}</a></li> }
        })
        .collect_view();
    view! {
        <div class="account-bar"><div class="wrap account-inner">
            <p class="signed-in-as">"Signed in as " <a href="/account" data-testid="signed-in-name">{person.display_name}</a></p>
            <nav aria-label="Your committees and subgroups">
                <ul class="memberships">
                    <li><a href="/me" class="my-work-link">"My work"</a></li>
                    {committees}
                    {subgroups}
                    {person.is_admin.then(|| view! { <li><a href="/admin">"Platform admin"</a></li> })}
                </ul>
            </nav>
            <form method="post" action=SignOut::PATH class="sign-out">
                <button type="submit" class="link-button">"Sign out"</button>
            </form>
        </div></div>
    }
}

/// Percent-encodes a path for a query parameter.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
