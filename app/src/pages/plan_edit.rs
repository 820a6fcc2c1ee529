//! `/committees/{committee}/plans/{plan}/edit`: the plan's lead officers shape it here: titles,
//! order, new and retired parts and actions, reviews and renumbering. Every form is a plain
//! POST carrying the version it was loaded with.

use crate::api::plans::PublishPlan;
use crate::api::structure::{
    get_plan_editor, AddPart, AddPlanAction, MoveAction, MovePart, RecordReview, RenamePart, RenumberPlan,
    RetireAction, RetirePart, RewordAction,
};
use crate::components::error_page::loaded;
use crate::components::forms::{Field, StaleNotice, TextArea, VersionField};
use crate::components::layout::Breadcrumbs;
use crate::components::session::flash;
use crate::domain::dates::long_date;
use crate::domain::plan::PlanState;
use crate::domain::views::{EditAction, EditObjective, EditOutcome, EditPriority, PlanEditor};
use crate::pages::{param, plan_href};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PlanEditPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (param(&p, "committee"), param(&p, "plan"))
        },
        |(committee, plan)| get_plan_editor(committee, plan),
    );
    view! { {loaded(data, |plan| view! { <EditBody plan/> })} }
}

/// The plan's committee and slug, hidden in every form.
#[derive(Clone)]
struct Target {
    committee: String,
    plan: String,
}

impl Target {
    fn fields(&self) -> impl IntoView {
        view! {
            <input type="hidden" name="committee" value=self.committee.clone()/>
            <input type="hidden" name="plan" value=self.plan.clone()/>
        }
    }
}

/// Whether the last refused post concerned the object `id` (its form comes back open, refilled).
fn posted(form: &str, id: &uuid::Uuid) -> bool {
    flash().is_some_and(|f| {
        f.form.as_deref() == Some(form)
            && (f.value(form, "id").as_deref() == Some(&id.to_string())
                || f.value(form, "action").as_deref() == Some(&id.to_string()))
    })
}

#[component]
fn EditBody(plan: PlanEditor) -> impl IntoView {
    let target = Target { committee: plan.committee.slug.clone(), plan: plan.slug.clone() };
    let back = plan_href(&plan.committee.slug, &plan.slug);
    let title = format!("Edit {}", plan.title);
    let reviews = plan
        .reviews
        .iter()
        .map(|r| {
            let href = format!("{back}/compare/{}", r.id);
            view! { <li>{long_date(&r.reviewed_on)} {(!r.note.is_empty()).then(|| format!(": {}", r.note))} " · " <a href=href>"compare with now"</a></li> }
        })
        .collect_view();
    let priorities = plan
        .priorities
        .into_iter()
        .map(|p| view! { <PriorityEditor priority=p target=target.clone()/> })
        .collect_view();
    let t = target.clone();
    view! {
        <Title text=title.clone()/>
        <Breadcrumbs items=vec![
            (plan.committee.name.clone(), Some(format!("/committees/{}", plan.committee.slug))),
            (plan.title.clone(), Some(back.clone())),
            ("Edit".into(), None),
        ]/>
        <h1>{title}</h1>
        <p class="lead">"Changes show on the plan at once. Retiring something takes it out of the plan but keeps its history; the numbers of everything else stay as they are until you renumber."</p>
        <div class="edit-tools card">
            <section aria-labelledby="review-heading">
                <h2 id="review-heading">"Record a review"</h2>
                <p class="muted">"Shown as \"Reviewed and updated <date>\". The plan as it stands is kept, so it can be compared with later."</p>
                <form method="post" action=RecordReview::PATH class="stack">
                    {target.fields()}
                    <Field form=RecordReview::PATH name="reviewed_on" label="Date of the review" kind="date"/>
                    <TextArea form=RecordReview::PATH name="note" label="Note (optional)" rows=2/>
                    <button type="submit" class="button">"Record review"</button>
                </form>
                {(!plan.reviews.is_empty()).then(|| view! { <h3>"Earlier reviews"</h3><ul class="plain-list">{reviews}</ul> })}
            </section>
            <section aria-labelledby="numbers-heading">
                <h2 id="numbers-heading">"Numbering and publishing"</h2>
                <form method="post" action=RenumberPlan::PATH class="inline-form">
                    {t.fields()}
                    <button type="submit" class="button button-secondary">"Renumber without gaps"</button>
                </form>
                {(plan.state != PlanState::Published).then(|| view! {
                    <form method="post" action=PublishPlan::PATH class="inline-form">
                        {t.fields()}
                        <button type="submit" class="button">"Publish this plan"</button>
                    </form>
                })}
            </section>
        </div>
        <div class="plan-editor">{priorities}</div>
        <details class="card add-part" open=flash().is_some_and(|f| f.form.as_deref() == Some(AddPart::PATH) && f.value(AddPart::PATH, "kind").as_deref() == Some("priority"))>
            <summary>"Add a priority"</summary>
            <AddPartForm target=target.clone() kind="priority" parent=None/>
        </details>
        <p><a href=back>"Back to the plan"</a></p>
    }
}

#[component]
fn AddPartForm(target: Target, kind: &'static str, parent: Option<uuid::Uuid>) -> impl IntoView {
    let label = match kind {
        "priority" => "Title of the new priority",
        "outcome" => "Statement of the new outcome",
        _ => "Title of the new objective",
    };
    view! {
        <form method="post" action=AddPart::PATH class="stack">
            {target.fields()}
            <input type="hidden" name="kind" value=kind/>
            {parent.map(|p| view! { <input type="hidden" name="parent" value=p.to_string()/> })}
            <TextArea form=AddPart::PATH name="title" label=label rows=2 from_flash=parent.is_none_or(|p| flash().is_some_and(|f| f.value(AddPart::PATH, "parent").as_deref() == Some(&p.to_string())))/>
            <button type="submit" class="button button-secondary">{format!("Add {kind}")}</button>
        </form>
    }
}

/// Rename, move up/down and retire forms for one part.
#[component]
fn PartControls(
    target: Target,
    kind: &'static str,
    id: uuid::Uuid,
    version: i32,
    title: String,
    heading: String,
) -> impl IntoView {
    let mine = posted(RenamePart::PATH, &id);
    let typed = mine.then(|| flash().and_then(|f| f.value(RenamePart::PATH, "title"))).flatten();
    let hidden = move |target: &Target| {
        view! {
            {target.fields()}
            <input type="hidden" name="kind" value=kind/>
            <input type="hidden" name="id" value=id.to_string()/>
        }
    };
    let input_id = format!("rename-{id}");
    view! {
        <div class="part-controls">
            <details open=mine>
                <summary>{format!("Edit {heading}")}</summary>
                <form method="post" action=RenamePart::PATH class="stack">
                    {mine.then(|| view! { <StaleNotice form=RenamePart::PATH/> })}
                    {hidden(&target)}
                    <VersionField form=RenamePart::PATH version from_flash=mine/>
                    <div class="field">
                        <label for=input_id.clone()>"Title"</label>
                        <textarea id=input_id name="title" rows="2">{typed.unwrap_or(title)}</textarea>
                    </div>
                    <button type="submit" class="button button-small">"Save title"</button>
                </form>
            </details>
            <form method="post" action=MovePart::PATH class="inline-form">
                {hidden(&target)}
                <input type="hidden" name="version" value=version/>
                <button type="submit" name="direction" value="up" class="button button-small button-secondary" aria-label=format!("Move {heading} up")>"↑ Up"</button>
                <button type="submit" name="direction" value="down" class="button button-small button-secondary" aria-label=format!("Move {heading} down")>"↓ Down"</button>
            </form>
            <form method="post" action=RetirePart::PATH class="inline-form">
                {hidden(&target)}
                <input type="hidden" name="version" value=version/>
                <button type="submit" class="button button-small button-secondary" aria-label=format!("Retire {heading}")>"Retire"</button>
            </form>
        </div>
    }
}

#[component]
fn PriorityEditor(priority: EditPriority, target: Target) -> impl IntoView {
    let heading = format!("priority {}", priority.position);
    let outcomes = priority
        .outcomes
        .into_iter()
        .map(|o| view! { <OutcomeEditor outcome=o target=target.clone()/> })
        .collect_view();
    view! {
        <section class="edit-priority">
            <h2>{format!("Priority {}: {}", priority.position, priority.title)}</h2>
            <PartControls target=target.clone() kind="priority" id=priority.id version=priority.version title=priority.title heading/>
            {outcomes}
            <details class="add-part">
                <summary>"Add an outcome to this priority"</summary>
                <AddPartForm target=target kind="outcome" parent=Some(priority.id)/>
            </details>
        </section>
    }
}

#[component]
fn OutcomeEditor(outcome: EditOutcome, target: Target) -> impl IntoView {
    let heading = format!("outcome {}", outcome.number);
    let objectives = outcome
        .objectives
        .into_iter()
        .map(|o| view! { <ObjectiveEditor objective=o target=target.clone()/> })
        .collect_view();
    view! {
        <section class="edit-outcome">
            <h3>{format!("Outcome {}", outcome.number)} {(!outcome.title.is_empty()).then(|| format!(": {}", outcome.title))}</h3>
            <PartControls target=target.clone() kind="outcome" id=outcome.id version=outcome.version title=outcome.title heading/>
            {objectives}
            <details class="add-part">
                <summary>"Add an objective to this outcome"</summary>
                <AddPartForm target=target kind="objective" parent=Some(outcome.id)/>
            </details>
        </section>
    }
}

#[component]
fn ObjectiveEditor(objective: EditObjective, target: Target) -> impl IntoView {
    let heading = format!("objective {}", objective.number);
    let actions =
        objective.actions.into_iter().map(|a| view! { <ActionEditor action=a target=target.clone()/> }).collect_view();
    let adding = flash()
        .is_some_and(|f| f.value(AddPlanAction::PATH, "objective").as_deref() == Some(&objective.id.to_string()));
    view! {
        <section class="edit-objective">
            <h4>{format!("Objective {}: {}", objective.number, objective.title)}</h4>
            <PartControls target=target.clone() kind="objective" id=objective.id version=objective.version title=objective.title.clone() heading/>
            <ol class="plain-list edit-actions">{actions}</ol>
            <details class="add-part" open=adding>
                <summary>{format!("Add an action under {}", objective.number)}</summary>
                <form method="post" action=AddPlanAction::PATH class="stack">
                    {target.fields()}
                    <input type="hidden" name="objective" value=objective.id.to_string()/>
                    <WordingFields form=AddPlanAction::PATH suffix=objective.id.to_string() refill=adding description=String::new() lead=String::new() timescale=String::new() evidence=String::new()/>
                    <button type="submit" class="button button-small">"Add action"</button>
                </form>
            </details>
        </section>
    }
}

#[component]
fn WordingFields(
    form: &'static str,
    suffix: String,
    refill: bool,
    description: String,
    lead: String,
    timescale: String,
    evidence: String,
) -> impl IntoView {
    let suffix = format!("-{}", &suffix[..8.min(suffix.len())]);
    view! {
        <TextArea form name="description" label="Action" rows=3 value=description id_suffix=suffix.clone() from_flash=refill/>
        <TextArea form name="lead" label="Lead & key people" rows=1 value=lead id_suffix=suffix.clone() from_flash=refill/>
        <TextArea form name="timescale" label="Timescale" rows=1 value=timescale id_suffix=suffix.clone() from_flash=refill/>
        <TextArea form name="evidence" label="Evidence or outcome measures" rows=2 value=evidence id_suffix=suffix from_flash=refill/>
    }
}

#[component]
fn ActionEditor(action: EditAction, target: Target) -> impl IntoView {
    let mine = posted(RewordAction::PATH, &action.id);
    let id = action.id.to_string();
    let label = format!("action {}", action.reference);
    let hidden = {
        let target = target.clone();
        let id = id.clone();
        move || view! { {target.fields()} <input type="hidden" name="action" value=id.clone()/> }
    };
    let wording = match &action.shared_by {
        Some(subgroup) => view! { <p class="muted">{format!("Shared action, worded and updated by {subgroup}. Stop adopting it from its action page.")}</p> }.into_any(),
        None => view! {
            <details open=mine>
                <summary>{format!("Edit wording of {label}")}</summary>
                <form method="post" action=RewordAction::PATH class="stack">
                    {mine.then(|| view! { <StaleNotice form=RewordAction::PATH/> })}
                    {hidden()}
                    <VersionField form=RewordAction::PATH version=action.version from_flash=mine/>
                    <WordingFields form=RewordAction::PATH suffix=id.clone() refill=mine description=action.description.clone() lead=action.lead.clone() timescale=action.timescale.clone() evidence=action.evidence.clone()/>
                    <button type="submit" class="button button-small">"Save wording"</button>
                </form>
            </details>
            <form method="post" action=RetireAction::PATH class="inline-form">
                {hidden()}
                <input type="hidden" name="version" value=action.placement_version/>
                <button type="submit" class="button button-small button-secondary" aria-label=format!("Retire {label}")>"Retire"</button>
            </form>
        }
        .into_any(),
    };
    view! {
        <li class="edit-action">
            <p><span class="action-ref">{action.reference.clone()}</span> " " {action.description}</p>
            <form method="post" action=MoveAction::PATH class="inline-form">
                {hidden()}
                <input type="hidden" name="version" value=action.placement_version/>
                <button type="submit" name="direction" value="up" class="button button-small button-secondary" aria-label=format!("Move {label} up")>"↑ Up"</button>
                <button type="submit" name="direction" value="down" class="button button-small button-secondary" aria-label=format!("Move {label} down")>"↓ Down"</button>
            </form>
            {wording}
        </li>
    }
}
