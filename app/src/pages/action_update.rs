//! The one short form that updates an action: status, progress report, evidence, and for a
//! move to R the revised timescale and the reason. Used on the action page and on `/me`.

use crate::api::updates::UpdateAction;
use crate::components::forms::{StaleNotice, TextArea, VersionField};
use crate::components::session::flash;
use crate::domain::status::{status_icon, status_key, Status};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

const FORM: &str = UpdateAction::PATH;

/// Whether the last refused post was this action's update form (so it comes back open).
pub fn posted_update(action_id: uuid::Uuid) -> bool {
    flash().is_some_and(|f| f.value(FORM, "action").as_deref() == Some(&action_id.to_string()))
}

#[component]
pub fn UpdateActionForm(
    action_id: uuid::Uuid,
    version: i32,
    status: Option<Status>,
    progress: String,
    evidence: String,
    #[prop(optional, into)] revised_timescale: Option<String>,
) -> impl IntoView {
    let flash = flash();
    let mine = flash.as_ref().is_some_and(|f| {
        f.form.as_deref() == Some(FORM) && f.value(FORM, "action").as_deref() == Some(&action_id.to_string())
    });
    // Only the form this person posted comes back filled in; another action's form on the same
    // page keeps its saved values.
    let typed = |name: &str| if mine { flash.as_ref().and_then(|f| f.value(FORM, name)) } else { None };
    let chosen = typed("status").unwrap_or_else(|| status.map(Status::code).unwrap_or_default().to_owned());
    let status_error = mine.then(|| flash.as_ref().and_then(|f| f.field_error(FORM, "status"))).flatten();
    let suffix = format!("-{}", &action_id.to_string()[..8]);
    let status_described = status_error.as_ref().map(|_| format!("status{suffix}-error"));
    let options = std::iter::once(None)
        .chain(Status::ALL.into_iter().map(Some))
        .map(|s| {
            let code = s.map(Status::code).unwrap_or_default();
            let id = format!("status{suffix}-{}", status_key(s));
            let checked = code == chosen;
            let label = s.map(Status::label).unwrap_or("Not yet assessed");
            view! {
                <label class=format!("status-choice status-{}", status_key(s)) for=id.clone()>
                    <input type="radio" name="status" id=id.clone() value=code checked=checked/>
                    <span class="status-icon" aria-hidden="true">{status_icon(s)}</span>
                    {s.map(|s| format!("{} · ", s.code()))}{label}
                </label>
            }
        })
        .collect_view();
    let progress = typed("progress").unwrap_or(progress);
    let evidence = typed("evidence").unwrap_or(evidence);
    let revised = typed("revised_timescale").or(revised_timescale);
    let reason = typed("reason");
    let note = typed("note");
    view! {
        <form method="post" action=FORM class="update-form stack" data-testid="update-form" data-live-edit=action_id.to_string()>
            <div class="live-conflict" data-live-conflict="" hidden=true></div>
            {mine.then(|| view! { <StaleNotice form=FORM/> })}
            <input type="hidden" name="action" value=action_id.to_string()/>
            <VersionField form=FORM version from_flash=mine/>
            <fieldset class="status-choices" aria-describedby=status_described>
                <legend>"Status"</legend>
                {status_error.map(|e| view! { <p class="field-error" id=format!("status{suffix}-error")>{e}</p> })}
                {options}
            </fieldset>
            <TextArea form=FORM name="progress" label="Progress report" rows=5 value=progress id_suffix=suffix.clone() from_flash=mine/>
            <TextArea form=FORM name="evidence" label="Evidence or outcome measures" rows=3 value=evidence id_suffix=suffix.clone() from_flash=mine/>
            <fieldset class="revision">
                <legend>"Only when moving to R (revision required)"</legend>
                <p class="hint">"The original timescale is kept and shown beside the revised one."</p>
                <TextArea form=FORM name="revised_timescale" label="Revised timescale" rows=1 value=revised.unwrap_or_default() id_suffix=suffix.clone() from_flash=mine/>
                <TextArea form=FORM name="reason" label="Reason for the revision" rows=2 value=reason.unwrap_or_default() id_suffix=suffix.clone() from_flash=mine/>
            </fieldset>
            <TextArea form=FORM name="note" label="Note for the history (optional)" rows=2 value=note.unwrap_or_default() id_suffix=suffix from_flash=mine/>
            <button type="submit" class="button">"Save update"</button>
        </form>
    }
}
