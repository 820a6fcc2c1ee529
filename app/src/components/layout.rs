use leptos::prelude::*;

/// The frame of every page: skip link, header with the main navigation, main, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
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
        </header>
        <main id="main" class="wrap" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <div class="wrap">
                <p>"Child protection is everyone's job. If you are worried about a child, contact your local council's social work service or Police Scotland on 101; in an emergency call 999."</p>
                <p>"Plans are published by the Clackmannanshire, Stirling and Falkirk Child Protection Committees."</p>
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
