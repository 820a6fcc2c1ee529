//! A risk register, a committee's or a subgroup's (its holder, an `Owner`): its risks, their assessments (the history) and the plan actions
//! that mitigate them. Each write is one conditional statement on the version the editor
//! started from, with its audit event, in the caller's transaction.

use crate::domain::numbering::{action_ref, ObjectiveNumber};
use crate::domain::risk::{score, ActionChoice, Assessment, AssessmentEntry, RiskRow, RiskWording};
use crate::error::{AppError, ChangedField, OtherChange, StaleEdit};
use crate::server::authz::Owner;
use crate::server::db::audit::{self, AuditEvent};
use crate::server::db::dashboard::rfc3339;
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

fn date(d: Option<crate::domain::dates::IsoDate>) -> Option<time::Date> {
    d.map(time::Date::from)
}

/// The holder's risks (open first, then by reference), with the references of the actions
/// that mitigate each.
pub async fn register(db: &mut PgConnection, holder: Owner) -> Result<Vec<RiskRow>, AppError> {
    let (committee_id, subgroup_id) = holder.columns();
    let rows = sqlx::query!(
        r#"select id, reference, title, description, cause, consequence, owner, controls, likelihood, impact,
                  target_score, review_on::text as review_on, closed_reason, closed_at is not null as "closed!",
                  version, updated_at
             from risks where committee_id = $1 or subgroup_id = $2
            order by closed_at is not null, reference"#,
        committee_id,
        subgroup_id
    )
    .fetch_all(&mut *db)
    .await?;
    let links = mitigations(db, holder, None).await?;
    Ok(rows
        .into_iter()
        .map(|r| RiskRow {
            mitigations: links.iter().filter(|(risk, _)| *risk == r.id).map(|(_, a)| a.reference.clone()).collect(),
            id: r.id,
            reference: r.reference,
            title: r.title,
            description: r.description,
            cause: r.cause,
            consequence: r.consequence,
            owner: r.owner,
            controls: r.controls,
            likelihood: r.likelihood as u8,
            impact: r.impact as u8,
            target_score: r.target_score as u8,
            review_on: r.review_on,
            closed: r.closed,
            closed_reason: r.closed_reason,
            version: r.version,
            updated_at: rfc3339(r.updated_at),
        })
        .collect())
}

/// (risk, action) for the holder's links, or one risk's. A committee's action is shown where
/// that committee's plan holds it; a subgroup's shared action where a plan the reader may see
/// holds it (published plans first).
pub async fn mitigations(
    db: &mut PgConnection,
    holder: Owner,
    risk: Option<Uuid>,
) -> Result<Vec<(Uuid, ActionChoice)>, AppError> {
    let (committee_id, subgroup_id) = holder.columns();
    let rows = sqlx::query!(
        r#"select ra.risk_id, a.id, a.description, o.number as outcome_number, ob.minor, pa.position, p.slug as plan_slug,
                  p.title as plan_title, c.slug as committee_slug
             from risk_actions ra
             join actions a on a.id = ra.action_id
             join lateral (
                   select pa.objective_id, pa.position, pa.plan_id from plan_actions pa join plans p on p.id = pa.plan_id
                    where pa.action_id = ra.action_id and pa.retired_at is null
                      and (ra.committee_id is null or pa.committee_id = ra.committee_id)
                    order by (p.status = 'published') desc, p.slug desc, p.committee_id limit 1
                  ) pa on true
             join plans p on p.id = pa.plan_id
             join committees c on c.id = p.committee_id
             join objectives ob on ob.id = pa.objective_id
             join outcomes o on o.id = ob.outcome_id
            where (ra.committee_id = $1 or ra.subgroup_id = $2) and ($3::uuid is null or ra.risk_id = $3)
            order by ra.risk_id, o.number, ob.minor, pa.position"#,
        committee_id,
        subgroup_id,
        risk
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let reference = action_ref(
                ObjectiveNumber { outcome: r.outcome_number as u32, minor: r.minor as u32 },
                r.position as u32,
            );
            (
                r.risk_id,
                ActionChoice {
                    id: r.id,
                    reference,
                    plan: r.plan_title,
                    description: r.description,
                    href: crate::domain::links::action_href(&r.committee_slug, &r.plan_slug, &r.id),
                },
            )
        })
        .collect())
}

/// What a mitigation is chosen from (published plans first): the actions of a committee's
/// plans, or a subgroup's shared actions as the plans holding them number them.
pub async fn action_choices(db: &mut PgConnection, holder: Owner) -> Result<Vec<ActionChoice>, AppError> {
    let (committee_id, subgroup_id) = holder.columns();
    let rows = sqlx::query!(
        r#"select distinct on (a.id) a.id, a.description, o.number as outcome_number, ob.minor, pa.position,
                  p.slug as plan_slug, p.title as plan_title, c.slug as committee_slug,
                  (p.status = 'published') as "published!"
             from plan_actions pa
             join plans p on p.id = pa.plan_id
             join committees c on c.id = p.committee_id
             join actions a on a.id = pa.action_id
             join objectives ob on ob.id = pa.objective_id
             join outcomes o on o.id = ob.outcome_id
            where (pa.committee_id = $1 or a.owner_subgroup_id = $2) and pa.retired_at is null and p.status <> 'archived'
            order by a.id, (p.status = 'published') desc, p.slug desc, p.committee_id"#,
        committee_id,
        subgroup_id
    )
    .fetch_all(&mut *db)
    .await?;
    let mut out: Vec<(bool, String, Vec<u32>, ActionChoice)> = rows
        .into_iter()
        .map(|r| {
            let number = ObjectiveNumber { outcome: r.outcome_number as u32, minor: r.minor as u32 };
            let reference = action_ref(number, r.position as u32);
            (
                r.published,
                r.plan_slug.clone(),
                crate::domain::numbering::sort_key(&reference),
                ActionChoice {
                    id: r.id,
                    href: crate::domain::links::action_href(&r.committee_slug, &r.plan_slug, &r.id),
                    reference,
                    plan: r.plan_title,
                    description: r.description,
                },
            )
        })
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    Ok(out.into_iter().map(|(_, _, _, c)| c).collect())
}

/// One risk of the holder's, if the acting person may read it.
pub async fn risk(db: &mut PgConnection, holder: Owner, id: Uuid) -> Result<Option<RiskRow>, AppError> {
    Ok(register(db, holder).await?.into_iter().find(|r| r.id == id))
}

/// Its assessments, newest first.
pub async fn history(db: &mut PgConnection, risk_id: Uuid) -> Result<Vec<AssessmentEntry>, AppError> {
    let rows = sqlx::query!(
        r#"select ra.likelihood, ra.impact, ra.note, ra.assessed_at,
                  coalesce(p.display_name, 'A former member') as "by!"
             from risk_assessments ra left join people p on p.id = ra.person_id
            where ra.risk_id = $1
            order by ra.assessed_at desc, ra.id desc"#,
        risk_id
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AssessmentEntry {
            likelihood: r.likelihood as u8,
            impact: r.impact as u8,
            note: r.note,
            by: r.by,
            at: rfc3339(r.assessed_at),
        })
        .collect())
}

/// Adds a risk with its first assessment. Returns its id.
pub async fn add_risk(
    db: &mut PgConnection,
    holder: Owner,
    wording: &RiskWording,
    first: &Assessment,
) -> Result<Uuid, AppError> {
    let (committee_id, subgroup_id) = holder.columns();
    let id = sqlx::query_scalar!(
        r#"insert into risks (committee_id, subgroup_id, reference, title, description, cause, consequence, owner,
                              controls, likelihood, impact, target_score, review_on)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        returning id"#,
        committee_id,
        subgroup_id,
        wording.reference,
        wording.title,
        wording.description,
        wording.cause,
        wording.consequence,
        wording.owner,
        wording.controls,
        i16::from(first.likelihood),
        i16::from(first.impact),
        i16::from(wording.target_score),
        date(wording.review_on)
    )
    .fetch_one(&mut *db)
    .await?;
    record_assessment(db, holder, id, first, 1).await?;
    audit::record(
        db,
        AuditEvent {
            committee_id: holder.columns().0,
            subgroup_id: holder.columns().1,
            entity: audit::Entity::Risk,
            entity_id: Some(id),
            operation: audit::Operation::Insert,
            summary: format!("Added risk {} \"{}\"", wording.reference, crate::domain::update::excerpt(&wording.title)),
            before: None,
            after: Some(wording_json(wording, Some(first))),
        },
    )
    .await?;
    Ok(id)
}

fn wording_json(w: &RiskWording, a: Option<&Assessment>) -> serde_json::Value {
    let mut v = json!({
        "reference": w.reference, "title": w.title, "description": w.description, "cause": w.cause,
        "consequence": w.consequence, "owner": w.owner, "controls": w.controls, "target_score": w.target_score,
        "review_on": w.review_on.map(|d| d.to_string()),
    });
    if let Some(a) = a {
        v["likelihood"] = json!(a.likelihood);
        v["impact"] = json!(a.impact);
        v["score"] = json!(score(a.likelihood, a.impact));
    }
    v
}

async fn record_assessment(
    db: &mut PgConnection,
    holder: Owner,
    risk_id: Uuid,
    a: &Assessment,
    version: i32,
) -> Result<(), AppError> {
    let (committee_id, subgroup_id) = holder.columns();
    sqlx::query!(
        r#"insert into risk_assessments (risk_id, committee_id, subgroup_id, likelihood, impact, note, person_id,
                                         risk_version)
           values ($1, $2, $3, $4, $5, $6, app.person(), $7)"#,
        risk_id,
        committee_id,
        subgroup_id,
        i16::from(a.likelihood),
        i16::from(a.impact),
        a.note,
        version
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// The refusal of an edit of `risk` based on an older version: how it stands now.
fn stale(current: &RiskRow) -> AppError {
    AppError::Stale(Box::new(StaleEdit {
        current_version: current.version,
        earlier: 0,
        changes: vec![OtherChange {
            by: None,
            at: current.updated_at.clone(),
            fields: vec![
                ChangedField { label: "Title".into(), from: None, to: current.title.clone() },
                ChangedField {
                    label: "Likelihood × impact".into(),
                    from: None,
                    to: format!(
                        "{} × {} = {}",
                        current.likelihood,
                        current.impact,
                        crate::domain::risk::rating(current.score())
                    ),
                },
                ChangedField { label: "Controls in place".into(), from: None, to: current.controls.clone() },
            ],
        }],
    }))
}

/// Records a new assessment if the risk is still at `version`. Returns the new version.
pub async fn assess(
    db: &mut PgConnection,
    current: &RiskRow,
    holder: Owner,
    version: i32,
    a: &Assessment,
) -> Result<i32, AppError> {
    let new_version = sqlx::query_scalar!(
        r#"update risks set likelihood = $3, impact = $4, version = version + 1, updated_at = now()
            where id = $1 and version = $2 and closed_at is null
        returning version"#,
        current.id,
        version,
        i16::from(a.likelihood),
        i16::from(a.impact)
    )
    .fetch_optional(&mut *db)
    .await?;
    let Some(new_version) = new_version else {
        return Err(if current.closed { AppError::Conflict("This risk is closed.".into()) } else { stale(current) });
    };
    record_assessment(db, holder, current.id, a, new_version).await?;
    audit::record(
        db,
        AuditEvent {
            committee_id: holder.columns().0,
            subgroup_id: holder.columns().1,
            entity: audit::Entity::RiskAssessment,
            entity_id: Some(current.id),
            operation: audit::Operation::Insert,
            summary: format!(
                "Assessed risk {}: {} (was {})",
                current.reference,
                crate::domain::risk::rating(score(a.likelihood, a.impact)),
                crate::domain::risk::rating(current.score())
            ),
            before: Some(json!({ "likelihood": current.likelihood, "impact": current.impact })),
            after: Some(
                json!({ "likelihood": a.likelihood, "impact": a.impact, "note": a.note, "version": new_version }),
            ),
        },
    )
    .await?;
    Ok(new_version)
}

/// Re-words the risk if it is still at `version`.
pub async fn edit_risk(
    db: &mut PgConnection,
    current: &RiskRow,
    holder: Owner,
    version: i32,
    w: &RiskWording,
) -> Result<i32, AppError> {
    let new_version = sqlx::query_scalar!(
        r#"update risks set reference = $3, title = $4, description = $5, cause = $6, consequence = $7, owner = $8,
                            controls = $9, target_score = $10, review_on = $11, version = version + 1, updated_at = now()
            where id = $1 and version = $2
        returning version"#,
        current.id,
        version,
        w.reference,
        w.title,
        w.description,
        w.cause,
        w.consequence,
        w.owner,
        w.controls,
        i16::from(w.target_score),
        date(w.review_on)
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or_else(|| stale(current))?;
    audit::record(
        db,
        AuditEvent {
            committee_id: holder.columns().0,
            subgroup_id: holder.columns().1,
            entity: audit::Entity::Risk,
            entity_id: Some(current.id),
            operation: audit::Operation::Update,
            summary: format!("Edited risk {} \"{}\"", w.reference, crate::domain::update::excerpt(&w.title)),
            before: Some(json!({
                "reference": current.reference, "title": current.title, "description": current.description,
                "cause": current.cause, "consequence": current.consequence, "owner": current.owner,
                "controls": current.controls, "target_score": current.target_score, "review_on": current.review_on,
            })),
            after: Some(wording_json(w, None)),
        },
    )
    .await?;
    Ok(new_version)
}

/// Closes the risk (it stays in the register and its history) if still at `version`.
pub async fn close_risk(
    db: &mut PgConnection,
    current: &RiskRow,
    holder: Owner,
    version: i32,
    reason: &str,
) -> Result<(), AppError> {
    sqlx::query_scalar!(
        r#"update risks set closed_at = now(), closed_reason = $3, version = version + 1, updated_at = now()
            where id = $1 and version = $2 and closed_at is null
        returning version"#,
        current.id,
        version,
        reason
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or_else(|| {
        if current.closed {
            AppError::Conflict("This risk is already closed.".into())
        } else {
            stale(current)
        }
    })?;
    audit::record(
        db,
        AuditEvent {
            committee_id: holder.columns().0,
            subgroup_id: holder.columns().1,
            entity: audit::Entity::Risk,
            entity_id: Some(current.id),
            operation: audit::Operation::Update,
            summary: format!("Closed risk {}: {}", current.reference, crate::domain::update::excerpt(reason)),
            before: Some(json!({ "closed": false })),
            after: Some(json!({ "closed": true, "reason": reason })),
        },
    )
    .await
}

/// Links a plan action of the committee as mitigating the risk. False when already linked.
pub async fn link_action(
    db: &mut PgConnection,
    current: &RiskRow,
    holder: Owner,
    action: &ActionChoice,
) -> Result<bool, AppError> {
    let added = sqlx::query!(
        r#"insert into risk_actions (risk_id, committee_id, subgroup_id, action_id) values ($1, $2, $3, $4)
           on conflict do nothing"#,
        current.id,
        holder.columns().0,
        holder.columns().1,
        action.id
    )
    .execute(&mut *db)
    .await?
    .rows_affected();
    if added == 0 {
        return Ok(false);
    }
    audit::record(
        db,
        AuditEvent {
            committee_id: holder.columns().0,
            subgroup_id: holder.columns().1,
            entity: audit::Entity::RiskAction,
            entity_id: Some(current.id),
            operation: audit::Operation::Insert,
            summary: format!("Linked action {} to risk {}", action.reference, current.reference),
            before: None,
            after: Some(json!({ "action": action.id })),
        },
    )
    .await?;
    Ok(true)
}

/// Removes a mitigating action from the risk. False when it was not linked.
pub async fn unlink_action(
    db: &mut PgConnection,
    current: &RiskRow,
    holder: Owner,
    action: Uuid,
) -> Result<bool, AppError> {
    let removed = sqlx::query!(
        r#"delete from risk_actions where risk_id = $1 and (committee_id = $2 or subgroup_id = $3) and action_id = $4"#,
        current.id,
        holder.columns().0,
        holder.columns().1,
        action
    )
    .execute(&mut *db)
    .await?
    .rows_affected();
    if removed == 0 {
        return Ok(false);
    }
    audit::record(
        db,
        AuditEvent {
            committee_id: holder.columns().0,
            subgroup_id: holder.columns().1,
            entity: audit::Entity::RiskAction,
            entity_id: Some(current.id),
            operation: audit::Operation::Delete,
            summary: format!("Unlinked an action from risk {}", current.reference),
            before: Some(json!({ "action": action })),
            after: None,
        },
    )
    .await?;
    Ok(true)
}

/// The references already used in the holder's register, closed risks' included.
pub async fn references(db: &mut PgConnection, holder: Owner) -> Result<Vec<String>, AppError> {
    let (committee_id, subgroup_id) = holder.columns();
    let refs = sqlx::query_scalar!(
        r#"select reference from risks
            where committee_id is not distinct from $1 and subgroup_id is not distinct from $2
            order by reference"#,
        committee_id,
        subgroup_id
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(refs)
}

/// Adds checked risks from an imported file, each with its first assessment and its audit
/// event ("Imported risk R1 … from register.xlsx"): three statements whatever the number.
/// Returns how many were added.
pub async fn import_risks(
    db: &mut PgConnection,
    holder: Owner,
    risks: &[(RiskWording, Assessment)],
    file_name: &str,
) -> Result<usize, AppError> {
    let (committee_id, subgroup_id) = holder.columns();
    let ids: Vec<Uuid> = risks.iter().map(|_| Uuid::new_v4()).collect();
    let text = |f: fn(&RiskWording) -> &str| risks.iter().map(|(w, _)| f(w)).collect::<Vec<_>>();
    let level = |f: fn(&Assessment) -> u8| risks.iter().map(|(_, a)| i16::from(f(a))).collect::<Vec<_>>();
    let targets: Vec<i16> = risks.iter().map(|(w, _)| i16::from(w.target_score)).collect();
    let reviews: Vec<Option<time::Date>> = risks.iter().map(|(w, _)| date(w.review_on)).collect();
    let (likelihoods, impacts) = (level(|a| a.likelihood), level(|a| a.impact));
    sqlx::query!(
        r#"insert into risks (id, committee_id, subgroup_id, reference, title, description, cause, consequence, owner,
                              controls, likelihood, impact, target_score, review_on)
           select id, $2, $3, reference, title, description, cause, consequence, owner, controls, likelihood, impact,
                  target_score, review_on
             from unnest($1::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                         $10::text[], $11::int2[], $12::int2[], $13::int2[], $14::date[])
                  as t(id, reference, title, description, cause, consequence, owner, controls, likelihood, impact,
                       target_score, review_on)"#,
        &ids,
        committee_id,
        subgroup_id,
        &text(|w| &w.reference) as &[&str],
        &text(|w| &w.title) as &[&str],
        &text(|w| &w.description) as &[&str],
        &text(|w| &w.cause) as &[&str],
        &text(|w| &w.consequence) as &[&str],
        &text(|w| &w.owner) as &[&str],
        &text(|w| &w.controls) as &[&str],
        &likelihoods,
        &impacts,
        &targets,
        &reviews as &[Option<time::Date>]
    )
    .execute(&mut *db)
    .await?;
    let note = format!("As imported from {file_name}");
    sqlx::query!(
        r#"insert into risk_assessments (risk_id, committee_id, subgroup_id, likelihood, impact, note, person_id,
                                         risk_version)
           select id, $2, $3, likelihood, impact, $6, app.person(), 1
             from unnest($1::uuid[], $4::int2[], $5::int2[]) as t(id, likelihood, impact)"#,
        &ids,
        committee_id,
        subgroup_id,
        &likelihoods,
        &impacts,
        note
    )
    .execute(&mut *db)
    .await?;
    let events: Vec<AuditEvent> = ids
        .iter()
        .zip(risks)
        .map(|(id, (w, a))| AuditEvent {
            committee_id,
            subgroup_id,
            entity: audit::Entity::Risk,
            entity_id: Some(*id),
            operation: audit::Operation::Insert,
            summary: format!(
                "Imported risk {} \"{}\" from {}",
                w.reference,
                crate::domain::update::excerpt(&w.title),
                crate::domain::update::excerpt(file_name)
            ),
            before: None,
            after: Some(wording_json(w, Some(a))),
        })
        .collect();
    audit::record_many(db, &events).await?;
    Ok(ids.len())
}
