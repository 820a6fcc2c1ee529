//! Risk registers. A committee's: its members read it, contributors record assessments, lead
//! officers add, re-word and close risks and link the actions that mitigate them. A subgroup's:
//! its members and the lead officers of its committees read it, its chair does the rest. Never
//! public. Every function takes the register's key (`RegisterHolder::key`): "committees/{slug}"
//! or "subgroups/{slug}".

use crate::domain::views::{RegisterPage, RiskPage};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn risk_id(text: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(text.trim()).map_err(|_| AppError::not_found("that risk"))
}

/// Requires: a reader of the register.
#[server(endpoint = "risk_register")]
pub async fn get_register(register: String) -> Result<RegisterPage, AppError> {
    use crate::server::authz::{self, RegisterNeed};
    use crate::server::{db::risks, request};
    let (viewer, mut tx) = request::begin().await?;
    let reg = authz::register(&mut tx, viewer.as_ref(), &register, RegisterNeed::Read).await?;
    let list = risks::register(&mut tx, reg.owner).await?;
    tx.commit().await?;
    Ok(RegisterPage {
        can_add: authz::may_manage_register(viewer.as_ref(), reg.owner),
        holder: reg.holder,
        risks: list,
    })
}

/// Requires: a reader of the register.
#[server(endpoint = "risk")]
pub async fn get_risk(register: String, risk: String) -> Result<RiskPage, AppError> {
    use crate::server::authz::{self, RegisterNeed};
    use crate::server::{db::risks, request};
    let (viewer, mut tx) = request::begin().await?;
    let reg = authz::register(&mut tx, viewer.as_ref(), &register, RegisterNeed::Read).await?;
    let id = risk_id(&risk)?;
    let row = risks::risk(&mut tx, reg.owner, id).await?.ok_or_else(|| AppError::not_found("that risk"))?;
    let history = risks::history(&mut tx, id).await?;
    let mitigations = risks::mitigations(&mut tx, reg.owner, Some(id)).await?.into_iter().map(|(_, a)| a).collect();
    let can_edit = authz::may_manage_register(viewer.as_ref(), reg.owner) && !row.closed;
    let choices = if can_edit { risks::action_choices(&mut tx, reg.owner).await? } else { Vec::new() };
    tx.commit().await?;
    Ok(RiskPage {
        can_assess: authz::may_assess_in_register(viewer.as_ref(), reg.owner) && !row.closed,
        can_edit,
        holder: reg.holder,
        risk: row,
        history,
        mitigations,
        choices,
    })
}

/// Requires: a lead officer of the committee, the chair of the subgroup. Adds a risk with its first assessment.
#[server(endpoint = "add_risk")]
#[allow(clippy::too_many_arguments)]
pub async fn add_risk(
    register: String,
    reference: String,
    title: String,
    description: String,
    cause: String,
    consequence: String,
    owner: String,
    controls: String,
    likelihood: String,
    impact: String,
    target_score: String,
    review_on: String,
) -> Result<(), AppError> {
    use crate::domain::risk::{check_assessment, check_risk, RiskForm};
    use crate::server::authz::{self, RegisterNeed};
    use crate::server::{db::risks, request};
    let (viewer, mut tx) = request::begin().await?;
    let reg = authz::register(&mut tx, viewer.as_ref(), &register, RegisterNeed::Manage).await?;
    let form = RiskForm {
        reference: &reference,
        title: &title,
        description: &description,
        cause: &cause,
        consequence: &consequence,
        owner: &owner,
        controls: &controls,
        target_score: &target_score,
        review_on: &review_on,
    };
    let (wording, first) = match (check_risk(&form), check_assessment(&likelihood, &impact, "")) {
        (Ok(w), Ok(a)) => (w, a),
        (Err(AppError::Invalid(mut a)), Err(AppError::Invalid(b))) => {
            a.extend(b);
            return Err(AppError::Invalid(a));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let id = risks::add_risk(&mut tx, reg.owner, &wording, &first).await?;
    tx.commit().await?;
    request::notice(format!("Added risk {} to the register.", wording.reference)).await?;
    request::redirect(&format!("{}/{id}", reg.holder.register_href()))
}

/// Requires: a lead officer of the committee, the chair of the subgroup. Re-words the risk, if nobody changed it since
/// `version`.
#[server(endpoint = "edit_risk")]
#[allow(clippy::too_many_arguments)]
pub async fn edit_risk(
    register: String,
    risk: String,
    version: i32,
    reference: String,
    title: String,
    description: String,
    cause: String,
    consequence: String,
    owner: String,
    controls: String,
    target_score: String,
    review_on: String,
) -> Result<(), AppError> {
    use crate::domain::risk::{check_risk, RiskForm};
    use crate::server::authz::{self, RegisterNeed};
    use crate::server::{db::risks, request};
    let (viewer, mut tx) = request::begin().await?;
    let reg = authz::register(&mut tx, viewer.as_ref(), &register, RegisterNeed::Manage).await?;
    let current =
        risks::risk(&mut tx, reg.owner, risk_id(&risk)?).await?.ok_or_else(|| AppError::not_found("that risk"))?;
    let wording = check_risk(&RiskForm {
        reference: &reference,
        title: &title,
        description: &description,
        cause: &cause,
        consequence: &consequence,
        owner: &owner,
        controls: &controls,
        target_score: &target_score,
        review_on: &review_on,
    })?;
    risks::edit_risk(&mut tx, &current, reg.owner, version, &wording).await?;
    tx.commit().await?;
    request::notice(format!("Saved risk {}.", wording.reference)).await
}

/// Requires: a contributor or lead officer of the committee, the chair of the subgroup. Records a new likelihood and
/// impact, if nobody changed the risk since `version`.
#[server(endpoint = "assess_risk")]
pub async fn assess_risk(
    register: String,
    risk: String,
    version: i32,
    likelihood: String,
    impact: String,
    note: String,
) -> Result<(), AppError> {
    use crate::domain::risk::{check_assessment, rating, score};
    use crate::server::authz::{self, RegisterNeed};
    use crate::server::{db::risks, request};
    let (viewer, mut tx) = request::begin().await?;
    let reg = authz::register(&mut tx, viewer.as_ref(), &register, RegisterNeed::Assess).await?;
    let current =
        risks::risk(&mut tx, reg.owner, risk_id(&risk)?).await?.ok_or_else(|| AppError::not_found("that risk"))?;
    let a = check_assessment(&likelihood, &impact, &note)?;
    risks::assess(&mut tx, &current, reg.owner, version, &a).await?;
    tx.commit().await?;
    request::notice(format!("Assessed {}: now {}.", current.reference, rating(score(a.likelihood, a.impact)))).await
}

/// Requires: a lead officer of the committee, the chair of the subgroup. Closes the risk; it stays in the register with
/// its history.
#[server(endpoint = "close_risk")]
pub async fn close_risk(register: String, risk: String, version: i32, reason: String) -> Result<(), AppError> {
    use crate::domain::risk::check_closing;
    use crate::server::authz::{self, RegisterNeed};
    use crate::server::{db::risks, request};
    let (viewer, mut tx) = request::begin().await?;
    let reg = authz::register(&mut tx, viewer.as_ref(), &register, RegisterNeed::Manage).await?;
    let current =
        risks::risk(&mut tx, reg.owner, risk_id(&risk)?).await?.ok_or_else(|| AppError::not_found("that risk"))?;
    let reason = check_closing(&reason)?;
    risks::close_risk(&mut tx, &current, reg.owner, version, &reason).await?;
    tx.commit().await?;
    request::notice(format!("Closed risk {}.", current.reference)).await
}

/// Requires: a lead officer of the committee, the chair of the subgroup. Links one of the committee's plan actions as
/// mitigating the risk.
#[server(endpoint = "link_risk_action")]
pub async fn link_risk_action(register: String, risk: String, action: String) -> Result<(), AppError> {
    use crate::server::authz::{self, RegisterNeed};
    use crate::server::{db::risks, request};
    let (viewer, mut tx) = request::begin().await?;
    let reg = authz::register(&mut tx, viewer.as_ref(), &register, RegisterNeed::Manage).await?;
    let current =
        risks::risk(&mut tx, reg.owner, risk_id(&risk)?).await?.ok_or_else(|| AppError::not_found("that risk"))?;
    let wanted = uuid::Uuid::parse_str(action.trim()).ok();
    let choice = risks::action_choices(&mut tx, reg.owner)
        .await?
        .into_iter()
        .find(|a| Some(a.id) == wanted)
        .ok_or_else(|| AppError::invalid("action", "Choose one of the actions offered."))?;
    let message = if risks::link_action(&mut tx, &current, reg.owner, &choice).await? {
        format!("Action {} now mitigates risk {}.", choice.reference, current.reference)
    } else {
        format!("Action {} already mitigates risk {}.", choice.reference, current.reference)
    };
    tx.commit().await?;
    request::notice(message).await
}

/// Requires: a lead officer of the committee, the chair of the subgroup.
#[server(endpoint = "unlink_risk_action")]
pub async fn unlink_risk_action(register: String, risk: String, action: String) -> Result<(), AppError> {
    use crate::server::authz::{self, RegisterNeed};
    use crate::server::{db::risks, request};
    let (viewer, mut tx) = request::begin().await?;
    let reg = authz::register(&mut tx, viewer.as_ref(), &register, RegisterNeed::Manage).await?;
    let current =
        risks::risk(&mut tx, reg.owner, risk_id(&risk)?).await?.ok_or_else(|| AppError::not_found("that risk"))?;
    let action = uuid::Uuid::parse_str(action.trim()).map_err(|_| AppError::not_found("that link"))?;
    if !risks::unlink_action(&mut tx, &current, reg.owner, action).await? {
        return Err(AppError::not_found("that link"));
    }
    tx.commit().await?;
    request::notice(format!("Removed the action from risk {}.", current.reference)).await
}
