//! `/committees/{committee}/risks`, `/subgroups/{subgroup}/risks` and a risk under either: a
//! risk register, its heat map, and one risk with its assessments. Who reads and who writes is
//! `authz`'s (`may_read_register` and the rest); the pages show what the server allows.

use crate::api::risks::{
    get_register, get_risk, AddRisk, AssessRisk, CloseRisk, EditRisk, LinkRiskAction, UnlinkRiskAction,
};
use crate::components::error_page::loaded;
use crate::components::forms::{Choice, Field, TextArea};
use crate::components::layout::{Breadcrumbs, Multiline};
use crate::domain::dates::{long_date, long_date_time};
use crate::domain::risk::{heat_map, impact_label, likelihood_label, rating, Band, RiskRow, IMPACT, LIKELIHOOD};
use crate::domain::views::{RegisterPage as RegisterData, RiskPage as RiskData};
use crate::pages::param;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The register key of the route: "committees/{committee}" or "subgroups/{subgroup}".
pub(crate) fn register_key(p: &leptos_router::params::ParamsMap) -> String {
    match p.get("subgroup") {
        Some(s) => format!("subgroups/{s}"),
        None => format!("committees/{}", param(p, "committee")),
    }
}

#[component]
pub fn RiskRegisterPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || register_key(&params.read()), get_register);
    view! { {loaded(data, |data| view! { <RegisterBody data/> })} }
}

#[component]
pub fn RiskDetailPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (register_key(&p), param(&p, "risk"))
        },
        |(c, r)| get_risk(c, r),
    );
    view! { {loaded(data, |data| view! { <RiskBody data/> })} }
}

/// A score as number and band word, styled by band (never colour alone).
#[component]
pub fn RiskScore(score: u8) -> impl IntoView {
    let band = Band::of(score);
    view! {
        <span class=format!("risk-score risk-{}", band.key())>{rating(score)}</span>
    }
}

fn scale_options(labels: [&str; 5]) -> Vec<(String, String)> {
    labels.iter().enumerate().map(|(i, l)| ((i + 1).to_string(), format!("{} · {l}", i + 1))).collect()
}

/// The 5 × 5 matrix as a table: impact down, likelihood across, open risks counted in each cell.
#[component]
pub fn HeatMap(risks: Vec<RiskRow>, id: &'static str) -> impl IntoView {
    let cells = heat_map(&risks);
    let header = LIKELIHOOD
        .iter()
        .enumerate()
        .map(|(i, l)| view! { <th scope="col" class="num">{format!("{} · {l}", i + 1)}</th> })
        .collect_view();
    let rows = (1..=5u8)
        .rev()
        .map(|impact| {
            let tds = (1..=5u8)
                .map(|likelihood| {
                    let n = cells[usize::from(impact - 1)][usize::from(likelihood - 1)];
                    let band = Band::of(likelihood * impact);
                    let label = format!(
                        "{n} risk{} at likelihood {likelihood}, impact {impact} (score {}, {})",
                        if n == 1 { "" } else { "s" },
                        likelihood * impact,
                        band.label()
                    );
                    let tip = label.clone();
                    view! {
                        <td class=format!("heat-cell risk-{}", band.key()) title=tip>
                            <span aria-hidden="true">{(n > 0).then(|| n.to_string())}</span>
                            <span class="visually-hidden">{label}</span>
                        </td>
                    }
                })
                .collect_view();
            view! { <tr><th scope="row">{impact_label(impact)}</th>{tds}</tr> }
        })
        .collect_view();
    let open = risks.iter().filter(|r| !r.closed).count();
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="heat-map" aria-describedby=format!("{id}-caption")>
                <caption id=format!("{id}-caption")>{format!("Open risks by likelihood (across) and impact (down): {open} in all. Each cell shows how many; its band is written in the cell's description and in the key.")}</caption>
                <thead><tr><th scope="col">"Impact \\ likelihood"</th>{header}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="heat-key">"Key: "
            <RiskScore score=1/> " 1–4 · " <RiskScore score=5/> " 5–9 · " <RiskScore score=10/> " 10–14 · " <RiskScore score=15/> " 15–25"
        </p>
    }
}

/// The register's table: open risks highest first, closed ones after.
#[component]
pub fn RiskTable(risks: Vec<RiskRow>, #[prop(optional, into)] base: Option<String>) -> impl IntoView {
    let rows = risks
        .into_iter()
        .map(|r| {
            let title = match &base {
                Some(base) => view! { <a href=format!("{base}/{}", r.id)>{r.title.clone()}</a> }.into_any(),
                None => view! { <span>{r.title.clone()}</span> }.into_any(),
            };
            let closed = r.closed.then(|| view! { " " <span class="tag">"Closed"</span> });
            let above = (!r.closed && r.above_target()).then(|| view! { <br/><span class="tag tag-warn">"Above target"</span> });
            view! {
                <tr data-live-risk=r.id.to_string()>
                    <th scope="row"><span class="ref">{r.reference.clone()}</span></th>
                    <td>{title}{closed}</td>
                    <td>{r.owner.clone()}</td>
                    <td class="num">{likelihood_label(r.likelihood)}</td>
                    <td class="num">{impact_label(r.impact)}</td>
                    <td><RiskScore score=r.score()/>{above}</td>
                    <td><RiskScore score=r.target_score/></td>
                    <td>{if r.mitigations.is_empty() { "None linked".to_owned() } else { r.mitigations.join(", ") }}</td>
                    <td>{r.review_on.as_deref().map(long_date).unwrap_or_else(|| "Not set".into())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="risk-table">
                <thead><tr>
                    <th scope="col">"Ref"</th><th scope="col">"Risk"</th><th scope="col">"Owner"</th>
                    <th scope="col">"Likelihood"</th><th scope="col">"Impact"</th><th scope="col">"Score"</th>
                    <th scope="col">"Target"</th><th scope="col">"Mitigating actions"</th><th scope="col">"Next review"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn RegisterBody(data: RegisterData) -> impl IntoView {
    let holder = data.holder;
    let title = format!("Risk register: {}", holder.name);
    let base = holder.register_href();
    let empty = data.risks.is_empty();
    let add = data.can_add.then(|| {
        let key = holder.key();
        let f = AddRisk::PATH;
        view! {
            <section aria-labelledby="add-risk-heading" class="card">
                <h2 id="add-risk-heading">"Add a risk"</h2>
                <p><a href=format!("{}/import", holder.register_href())>"Import risks from a file (CSV or Excel)"</a>
                    " · an existing register, checked row by row before anything is saved."</p>
                <form method="post" action=f class="stack">
                    <input type="hidden" name="register" value=key/>
                    <Field form=f name="reference" label="Reference" hint="Short and unique in this register, e.g. R1."/>
                    <Field form=f name="title" label="Risk"/>
                    <TextArea form=f name="description" label="Description" rows=3/>
                    <TextArea form=f name="cause" label="Cause" rows=2/>
                    <TextArea form=f name="consequence" label="Consequence" rows=2/>
                    <Field form=f name="owner" label="Owner" hint="A role or a named person."/>
                    <TextArea form=f name="controls" label="Controls in place" rows=3/>
                    <Choice form=f name="likelihood" label="Likelihood" options=scale_options(LIKELIHOOD) selected="3"/>
                    <Choice form=f name="impact" label="Impact" options=scale_options(IMPACT) selected="3"/>
                    <Field form=f name="target_score" label="Target score" kind="number" hint="1 to 25: the score the controls and actions aim for." value="6"/>
                    <Field form=f name="review_on" label="Next review" kind="date" required=false/>
                    <button type="submit" class="button">"Add to the register"</button>
                </form>
            </section>
        }
    });
    let open: Vec<RiskRow> = data.risks.iter().filter(|r| !r.closed).cloned().collect();
    view! {
        <Title text=title.clone()/>
        <Breadcrumbs items=vec![
            (holder.name.clone(), Some(holder.home())),
            ("Risk register".into(), None),
        ]/>
        <h1>{title}</h1>
        <p class="muted">{holder.readers()} " Scores are likelihood × impact, each 1–5; the band follows from the score."</p>
        <div data-live-risks=holder.key()>
            <section aria-labelledby="heat-heading">
                <h2 id="heat-heading">"Heat map"</h2>
                <HeatMap risks=open id="register-heat"/>
            </section>
            <section aria-labelledby="risks-heading">
                <h2 id="risks-heading">"Risks"</h2>
                {if empty {
                    view! { <p class="muted">"No risk is recorded yet."</p> }.into_any()
                } else {
                    view! { <RiskTable risks=data.risks base=base/> }.into_any()
                }}
            </section>
        </div>
        {add}
    }
}

#[component]
fn RiskBody(data: RiskData) -> impl IntoView {
    let holder = data.holder;
    let r = data.risk;
    let title = format!("{} {}", r.reference, r.title);
    let (slug, id, version) = (holder.key(), r.id.to_string(), r.version);
    let history = data
        .history
        .into_iter()
        .map(|h| {
            view! {
                <tr>
                    <td>{long_date_time(&h.at)}</td>
                    <td class="num">{likelihood_label(h.likelihood)}</td>
                    <td class="num">{impact_label(h.impact)}</td>
                    <td><RiskScore score=h.likelihood * h.impact/></td>
                    <td>{h.by}</td>
                    <td><Multiline text=h.note/></td>
                </tr>
            }
        })
        .collect_view();
    let mitigations = if data.mitigations.is_empty() {
        view! { <p class="muted">"No plan action is linked yet."</p> }.into_any()
    } else {
        let can = data.can_edit;
        let items = data
            .mitigations
            .into_iter()
            .map(|a| {
                let unlink = can.then(|| {
                    let label = format!("Unlink action {}", a.reference);
                    view! {
                        <form method="post" action=UnlinkRiskAction::PATH class="inline-form">
                            <input type="hidden" name="register" value=slug.clone()/>
                            <input type="hidden" name="risk" value=id.clone()/>
                            <input type="hidden" name="action" value=a.id.to_string()/>
                            <button type="submit" class="button button-small button-secondary" aria-label=label>"Unlink"</button>
                        </form>
                    }
                });
                view! {
                    <li>
                        <a href=a.href.clone()><span class="ref">{a.reference.clone()}</span> " " {a.description.clone()}</a>
                        <span class="muted">{format!(" ({})", a.plan)}</span> " " {unlink}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="plain-list">{items}</ul> }.into_any()
    };
    let assess = data.can_assess.then(|| {
        let f = AssessRisk::PATH;
        view! {
            <section aria-labelledby="assess-heading" class="card">
                <h2 id="assess-heading">"Record an assessment"</h2>
                <form method="post" action=f class="stack">
                    <input type="hidden" name="register" value=slug.clone()/>
                    <input type="hidden" name="risk" value=id.clone()/>
                    <input type="hidden" name="version" value=version/>
                    <Choice form=f name="likelihood" label="Likelihood" options=scale_options(LIKELIHOOD) selected=r.likelihood.to_string()/>
                    <Choice form=f name="impact" label="Impact" options=scale_options(IMPACT) selected=r.impact.to_string()/>
                    <TextArea form=f name="note" label="What changed, and why" rows=3/>
                    <button type="submit" class="button">"Save the assessment"</button>
                </form>
            </section>
        }
    });
    let edit = data.can_edit.then(|| {
        let f = EditRisk::PATH;
        let choices = data
            .choices
            .into_iter()
            .map(|a| (a.id.to_string(), format!("{} {} ({})", a.reference, crate::domain::update::excerpt(&a.description), a.plan)))
            .collect::<Vec<_>>();
        let link = (!choices.is_empty()).then(|| {
            view! {
                <section aria-labelledby="link-heading" class="card">
                    <h2 id="link-heading">"Link a mitigating action"</h2>
                    <form method="post" action=LinkRiskAction::PATH class="stack">
                        <input type="hidden" name="register" value=slug.clone()/>
                        <input type="hidden" name="risk" value=id.clone()/>
                        <Choice form=LinkRiskAction::PATH name="action" label="Plan action" options=choices/>
                        <button type="submit" class="button">"Link the action"</button>
                    </form>
                </section>
            }
        });
        view! {
            {link}
            <section aria-labelledby="edit-heading" class="card">
                <h2 id="edit-heading">"Change the risk's wording"</h2>
                <form method="post" action=f class="stack">
                    <input type="hidden" name="register" value=slug.clone()/>
                    <input type="hidden" name="risk" value=id.clone()/>
                    <input type="hidden" name="version" value=version/>
                    <Field form=f name="reference" label="Reference" value=r.reference.clone()/>
                    <Field form=f name="title" label="Risk" value=r.title.clone()/>
                    <TextArea form=f name="description" label="Description" rows=3 value=r.description.clone()/>
                    <TextArea form=f name="cause" label="Cause" rows=2 value=r.cause.clone()/>
                    <TextArea form=f name="consequence" label="Consequence" rows=2 value=r.consequence.clone()/>
                    <Field form=f name="owner" label="Owner" value=r.owner.clone()/>
                    <TextArea form=f name="controls" label="Controls in place" rows=3 value=r.controls.clone()/>
                    <Field form=f name="target_score" label="Target score" kind="number" value=r.target_score.to_string()/>
                    <Field form=f name="review_on" label="Next review" kind="date" required=false value=r.review_on.clone().unwrap_or_default()/>
                    <button type="submit" class="button">"Save the wording"</button>
                </form>
            </section>
            <section aria-labelledby="close-heading" class="card">
                <h2 id="close-heading">"Close the risk"</h2>
                <p class="muted">"A closed risk stays in the register with its history."</p>
                <form method="post" action=CloseRisk::PATH class="stack">
                    <input type="hidden" name="register" value=slug.clone()/>
                    <input type="hidden" name="risk" value=id.clone()/>
                    <input type="hidden" name="version" value=version/>
                    <TextArea form=CloseRisk::PATH name="reason" label="Why it is closed" rows=2/>
                    <button type="submit" class="button button-secondary">"Close the risk"</button>
                </form>
            </section>
        }
    });
    let closed = r.closed.then(|| {
        view! { <p class="flash">"Closed: " {r.closed_reason.clone().unwrap_or_default()}</p> }
    });
    view! {
        <Title text=title.clone()/>
        <Breadcrumbs items=vec![
            (holder.name.clone(), Some(holder.home())),
            ("Risk register".into(), Some(holder.register_href())),
            (r.reference.clone(), None),
        ]/>
        <h1>{title}</h1>
        {closed}
        <div data-live-risks=holder.key()>
            <dl class="risk-details">
                <dt>"Score"</dt><dd><RiskScore score=r.score()/> {format!(" (likelihood {}, impact {})", likelihood_label(r.likelihood), impact_label(r.impact))}</dd>
                <dt>"Target"</dt><dd><RiskScore score=r.target_score/>{r.above_target().then_some(" · above target")}</dd>
                <dt>"Owner"</dt><dd>{r.owner.clone()}</dd>
                <dt>"Description"</dt><dd><Multiline text=r.description.clone()/></dd>
                <dt>"Cause"</dt><dd><Multiline text=r.cause.clone()/></dd>
                <dt>"Consequence"</dt><dd><Multiline text=r.consequence.clone()/></dd>
                <dt>"Controls in place"</dt><dd><Multiline text=r.controls.clone()/></dd>
                <dt>"Next review"</dt><dd>{r.review_on.as_deref().map(long_date).unwrap_or_else(|| "Not set".into())}</dd>
            </dl>
            <section aria-labelledby="mitigations-heading">
                <h2 id="mitigations-heading">"Mitigating actions"</h2>
                {mitigations}
            </section>
            <section aria-labelledby="history-heading">
                <h2 id="history-heading">"Assessments"</h2>
                <div class="table-scroll" tabindex="0">
                    <table class="risk-table">
                        <thead><tr><th scope="col">"When"</th><th scope="col">"Likelihood"</th><th scope="col">"Impact"</th>
                            <th scope="col">"Score"</th><th scope="col">"By"</th><th scope="col">"Note"</th></tr></thead>
                        <tbody>{history}</tbody>
                    </table>
                </div>
            </section>
        </div>
        {assess}
        {edit}
    }
}
