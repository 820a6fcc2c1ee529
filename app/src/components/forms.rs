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
        let codes = (!f.codes.is_empty()).then(|| {
            let items = f.codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view();
            view! {
                <ol class="recovery-codes" data-testid="recovery-codes" aria-label="Recovery codes">{items}</ol>
                <p>"Keep them somewhere safe, apart from your phone: print them, or save them in your password manager. They are shown only now."</p>
            }
        });
        view! { <div class=class role=role><p>{f.message}</p>{link}{codes}</div> }
    })
}

/// What a labelled field shows: its ids, the value (typed before a refused post, or given), its
/// message, and the `aria-describedby` that ties hint and message to it.
struct FieldState {
    id: String,
    hint_id: String,
    error_id: String,
    error: Option<String>,
    described: String,
    value: String,
    invalid: bool,
}

impl FieldState {
    fn new(form: &str, name: &str, id_suffix: &str, has_hint: bool, value: Option<String>, from_flash: bool) -> Self {
        let flash = flash().filter(|_| from_flash);
        let typed = flash.as_ref().and_then(|f| f.value(form, name));
        let error = flash.as_ref().and_then(|f| f.field_error(form, name));
        let id = format!("{}-{name}{id_suffix}", form.trim_start_matches("/api/"));
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        let described = [has_hint.then(|| hint_id.clone()), error.as_ref().map(|_| error_id.clone())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let invalid = error.is_some();
        FieldState { id, hint_id, error_id, error, described, value: typed.or(value).unwrap_or_default(), invalid }
    }
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
    /// The keyboard a phone shows (`numeric` for codes).
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let FieldState { id, hint_id, error_id, error, described, value, invalid } =
        FieldState::new(form, name, "", hint.is_some(), value, true);
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
                inputmode=inputmode
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

/// A labelled multi-line field with the same refill and message behaviour as [`Field`].
#[component]
pub fn TextArea(
    form: &'static str,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = 4)] rows: u32,
    #[prop(optional, into)] value: Option<String>,
    /// Distinguishes several forms to one server function on a page.
    #[prop(optional, into)]
    id_suffix: Option<String>,
    /// False when the caller decides whether this form is the one that was posted.
    #[prop(default = true)]
    from_flash: bool,
) -> impl IntoView {
    let FieldState { id, hint_id, error_id, error, described, value, invalid } =
        FieldState::new(form, name, &id_suffix.unwrap_or_default(), hint.is_some(), value, from_flash);
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {error.clone().map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
            <textarea
                id=id
                name=name
                rows=rows
                aria-invalid=invalid.then_some("true")
                aria-describedby=(!described.is_empty()).then_some(described)
            >{value}</textarea>
        </div>
    }
}

/// The hidden version an edit starts from. After a refused stale edit it is the version now
/// saved, so submitting again applies this person's text on top of the other change.
#[component]
pub fn VersionField(form: &'static str, version: i32, #[prop(default = true)] from_flash: bool) -> impl IntoView {
    let version = flash()
        .filter(|f| from_flash && f.form.as_deref() == Some(form))
        .and_then(|f| f.error.as_ref().and_then(|e| e.stale()).map(|s| s.current_version))
        .unwrap_or(version);
    view! { <input type="hidden" name="version" value=version/> }
}

/// What someone else saved while this person was editing, shown above their kept text.
#[component]
pub fn StaleNotice(form: &'static str) -> impl IntoView {
    use crate::domain::dates::long_date_time;
    let stale =
        flash().filter(|f| f.form.as_deref() == Some(form)).and_then(|f| f.error.and_then(|e| e.stale().cloned()))?;
    let earlier = stale.earlier;
    let changes = stale
        .changes
        .into_iter()
        .map(|c| {
            let fields = c
                .fields
                .into_iter()
                .map(|f| {
                    view! {
                        <dt>{f.label}</dt>
                        <dd>
                            {f.from.filter(|from| !from.is_empty()).map(|from| view! { <del>{from}</del> " " })}
                            <ins>{if f.to.is_empty() { "(empty)".to_owned() } else { f.to }}</ins>
                        </dd>
                    }
                })
                .collect_view();
            view! {
                <li>
                    <p class="timeline-meta">{c.by.unwrap_or_else(|| "Someone".into())} " · "
                        <time datetime=c.at.clone()>{long_date_time(&c.at)}</time></p>
                    <dl class="fields">{fields}</dl>
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <section class="conflict" aria-labelledby="conflict-heading" data-testid="conflict">
            <h3 id="conflict-heading">"Saved by someone else while you were editing"</h3>
            <ol class="plain-list">{changes}</ol>
            {(earlier > 0).then(|| view! { <p>{format!("…and {earlier} earlier changes, on the action's page.")}</p> })}
            <p>"Your text is below, unsaved. Press the button again to save it over their change, or edit it first."</p>
        </section>
    })
}

/// A file upload form (CSV or Excel workbook) posting to `action`: a plain multipart post,
/// which works without JavaScript and which the page's form enhancer leaves alone. A refusal
/// comes back as the `file` field's message.
#[component]
pub fn FileUploadForm(
    action: String,
    /// The input's id (and, with "-hint"/"-error", its description's).
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    button: &'static str,
) -> impl IntoView {
    let error = crate::components::session::flash().and_then(|f| f.field_error(&action, "file"));
    let invalid = error.is_some();
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let described = if invalid { format!("{hint_id} {error_id}") } else { hint_id.clone() };
    view! {
        <form method="post" action=action enctype="multipart/form-data" class="stack upload-form">
            <div class="field" class:field-invalid=invalid>
                <label for=id>{label}</label>
                <p class="hint" id=hint_id>{hint}</p>
                {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
                <input
                    id=id
                    type="file"
                    name="file"
                    required=true
                    accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    aria-invalid=invalid.then_some("true")
                    aria-describedby=described
                />
            </div>
            <button type="submit" class="button">{button}</button>
        </form>
    }
}
