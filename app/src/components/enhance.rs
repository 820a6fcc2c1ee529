//! Forms post as plain HTML forms and work that way without JavaScript. Once the page is
//! hydrated, this island takes over their submission: it posts the same fields with fetch,
//! follows the same redirect and puts the answer's body in place of the page's, so the
//! confirmation, the refused fields or a conflict appear without a page load. The server
//! cannot tell the two apart, so both paths share every rule and every test of the server.

use leptos::prelude::*;

#[island]
pub fn FormEnhancer() -> impl IntoView {
    // Installed while the island hydrates (not in an effect, which runs a tick later), so the
    // page never looks hydrated before its forms are taken over.
    #[cfg(feature = "hydrate")]
    client::install();
    view! { <span hidden=true data-form-enhancer=""></span> }
}

#[cfg(feature = "hydrate")]
mod client {
    use leptos::wasm_bindgen::{closure::Closure, JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        DomParser, FormData, Headers, HtmlButtonElement, HtmlElement, HtmlFormElement, Request, RequestCredentials,
        RequestInit, RequestMode, RequestRedirect, Response, SubmitEvent, SupportedType, UrlSearchParams,
    };

    thread_local! {
        static INSTALLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// One listener on the document, so forms that arrive with a swapped body are covered too.
    pub fn install() {
        if INSTALLED.with(|i| i.replace(true)) {
            return;
        }
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let handler = Closure::<dyn Fn(SubmitEvent)>::new(on_submit);
        let _ = document.add_event_listener_with_callback("submit", handler.as_ref().unchecked_ref());
        handler.forget();
    }

    fn on_submit(event: SubmitEvent) {
        let Some(form) = event.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else { return };
        // Attributes, not the form's properties: a field named "action" (the update form has
        // one) shadows `form.action` with the input element itself.
        let attribute = |name: &str| form.get_attribute(name).unwrap_or_default();
        let base = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
        let Ok(url) = web_sys::Url::new_with_base(&attribute("action"), &base) else { return };
        // File uploads and anything not ours go the ordinary way.
        if event.default_prevented()
            || !attribute("method").eq_ignore_ascii_case("post")
            || !url.pathname().starts_with("/api/")
            || attribute("enctype").eq_ignore_ascii_case("multipart/form-data")
        {
            return;
        }
        let Ok(data) = FormData::new_with_form(&form) else { return };
        if let Some(button) = event.submitter().and_then(|s| s.dyn_into::<HtmlButtonElement>().ok()) {
            if !button.name().is_empty() {
                let _ = data.append_with_str(&button.name(), &button.value());
            }
        }
        let Ok(params) = UrlSearchParams::new_with_str_sequence_sequence(&data) else { return };
        event.prevent_default();
        let _ = form.set_attribute("aria-busy", "true");
        let action = url.href();
        let body: String = params.to_string().into();
        leptos::task::spawn_local(async move {
            match post(&action, &body).await {
                Ok(Answer::Page { url, redirected, html }) => swap(&url, redirected, &html),
                // Not a page of this site: let the browser go there itself, as without
                // JavaScript, rather than putting it into this page.
                Ok(Answer::Elsewhere(url)) => {
                    let _ = web_sys::window().map(|w| w.location().assign(&url));
                }
                // Unreachable, unreadable, or redirected off this site (which a same-origin
                // fetch refuses): post again as a plain form, as without JavaScript.
                Err(_) => {
                    let _ = form.remove_attribute("aria-busy");
                    let _ = form.submit();
                }
            }
        });
    }

    enum Answer {
        /// HTML from this site's own origin, to put in place of the page.
        Page { url: String, redirected: bool, html: String },
        /// Anything else: where the browser should go instead.
        Elsewhere(String),
    }

    /// Whether `url` is on the origin of the page itself.
    fn same_origin(url: &str) -> bool {
        let here = web_sys::window().and_then(|w| w.location().origin().ok());
        let there = web_sys::Url::new(url).ok().map(|u| u.origin());
        matches!((here, there), (Some(a), Some(b)) if a == b && a != "null")
    }

    async fn post(action: &str, body: &str) -> Result<Answer, JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let headers = Headers::new()?;
        headers.set("Content-Type", "application/x-www-form-urlencoded")?;
        headers.set("Accept", "text/html")?;
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_body(&JsValue::from_str(body));
        init.set_headers(&headers);
        init.set_credentials(RequestCredentials::SameOrigin);
        // A redirect to another origin fails the fetch instead of reading that site's answer.
        init.set_mode(RequestMode::SameOrigin);
        init.set_redirect(RequestRedirect::Follow);
        let request = Request::new_with_str_and_init(action, &init)?;
        let response: Response = JsFuture::from(window.fetch_with_request(&request)).await?.dyn_into()?;
        let url = response.url();
        let html = response.headers().get("content-type")?.is_some_and(|t| t.starts_with("text/html"));
        if !same_origin(&url) || !html {
            return Ok(Answer::Elsewhere(url));
        }
        let text = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
        Ok(Answer::Page { url, redirected: response.redirected(), html: text })
    }

    fn swap(url: &str, redirected: bool, html: &str) {
        let Some(window) = web_sys::window() else { return };
        let Some(document) = window.document() else { return };
        let parsed = DomParser::new().and_then(|p| p.parse_from_string(html, SupportedType::TextHtml));
        let (Ok(parsed), Some(body)) = (parsed, document.body()) else {
            let _ = window.location().assign(url);
            return;
        };
        let Some(new_body) = parsed.body() else {
            let _ = window.location().assign(url);
            return;
        };
        body.set_inner_html(&new_body.inner_html());
        document.set_title(&parsed.title());
        // A refused form comes back as the page itself, without a redirect: the address stays.
        let same_page = !redirected || window.location().href().is_ok_and(|href| href == url);
        if !same_page {
            if let Ok(history) = window.history() {
                let _ = history.push_state_with_url(&JsValue::NULL, "", Some(url));
            }
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
        focus_outcome(&document);
        // Islands that keep state across pages (live status) show it in the new one.
        if let Ok(event) = web_sys::Event::new("fv:swapped") {
            let _ = document.dispatch_event(&event);
        }
    }

    /// Moves focus to what the person needs to read next: a conflict, the first refused field,
    /// or the confirmation. Screen readers announce it; the page scrolls to it.
    fn focus_outcome(document: &web_sys::Document) {
        for selector in
            ["[data-testid=conflict]", ".field-invalid input, .field-invalid textarea, .field-invalid select", ".flash"]
        {
            if let Some(element) = document.query_selector(selector).ok().flatten() {
                if let Ok(element) = element.dyn_into::<HtmlElement>() {
                    let focusable = matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT");
                    if !focusable {
                        let _ = element.set_attribute("tabindex", "-1");
                    }
                    let _ = element.focus();
                }
                return;
            }
        }
    }
}
