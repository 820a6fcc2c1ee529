//! Forms that work without JavaScript: a plain POST to a server function, then a redirect
//! back with a confirmation or, when refused, the message, each field's problem and what was
//! typed (never passwords).

use crate::components::session::flash;
use crate::domain::account::FlashKind;
use leptos::prelude::*;

/// The confirmation or error of the last form post, at the top of the page.
#[component]
pub fn FlashBanner() -> impl IntoView {
    flash().map(|f| {
        let (class, role) = match f.kind {
            FlashKind::Success => ("flash flash-success", "status"),
            FlashKind::Error => ("flash flash-error", "alert"),
        };
        let link = f.link.map(|link| {
            view! {
                <label class="field">
                    <span>"One-time link"</span>
                    <input type="text" readonly value=link class="copy-link" data-testid="one-time-link"/>
                </label>
            }
        });
        view! { <div class=class role=role><p>{f.message}</p>{link}</div> }
    })
}

/// A labelled input that comes back filled in, with its message, after a refused post to
/// `form`.
#[component]
pub fn Field(
    form: &'static str,
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = true)] required: bool,
    #[prop(optional, into)] value: Option<String>,
) -> impl IntoView {
    let flash = flash();
    let typed = flash.as_ref().and_then(|f| f.value(form, name));
    let error = flash.as_ref().and_then(|f| f.field_error(form, name));
    let id = format!("{}-{name}", form.trim_start_matches("/api/"));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = [hint.map(|_| hint_id.clone()), error.as_ref().map(|_| error_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let value = typed.or(value).unwrap_or_default();
    let invalid = error.is_some();
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {error.clone().map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                required=required
                aria-invalid=invalid.then_some("true")
                aria-describedby=(!described.is_empty()).then_some(described)
            />
        </div>
    }
}

/// A select of `options` (value, label) with the same refill and message behaviour.
#[component]
pub fn Choice(
    form: &'static str,
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: Option<String>,
) -> impl IntoView {
    let flash = flash();
    let chosen = flash.as_ref().and_then(|f| f.value(form, name)).or(selected).unwrap_or_default();
    let error = flash.as_ref().and_then(|f| f.field_error(form, name));
    let id = format!("{}-{name}", form.trim_start_matches("/api/"));
    let options = options
        .into_iter()
        .map(|(value, text)| {
            let is = value == chosen;
            view! { <option value=value selected=is>{text}</option> }
        })
        .collect_view();
    let invalid = error.is_some();
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id.clone()>{label}</label>
            {error.map(|e| view! { <p class="field-error">{e}</p> })}
            <select id=id name=name>{options}</select>
        </div>
    }
}
