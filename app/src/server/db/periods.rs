//! Reporting periods and their snapshots: the stored periods of a committee, closing one (the
//! frozen snapshot of its published plans and risk register, with its audit event), and
//! reading snapshots back for the reports.

use crate::domain::dashboard::DashboardAction;
use crate::domain::dates::IsoDate;
use crate::domain::links::action_href;
use crate::domain::report::{PendingRatification, ReportAction, Snapshot, SnapshotPlan, SnapshotRisk, SNAPSHOT_FORMAT};
use crate::error::AppError;
use crate::server::db::audit::{self, AuditEvent};
use crate::server::db::dashboard::{placement, rfc3339};
use crate::server::db::members::NamedRef;
use crate::server::db::plans::parse_status;
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

/// A period as stored (its dates changed, or closed).
#[derive(Debug, Clone)]
pub struct StoredPeriod {
    pub id: Uuid,
    pub slug: String,
    pub label: String,
    pub starts_on: String,
    pub ends_on: String,
    pub version: i32,
}

/// One snapshot's record, without its data.
#[derive(Debug, Clone)]
pub struct SnapshotRecord {
    pub id: Uuid,
    pub period_id: Uuid,
    pub taken_at: String,
    pub taken_by: String,
    pub supersedes: Option<Uuid>,
    pub superseded: bool,
    pub reason: String,
}

pub async fn stored_periods(db: &mut PgConnection, committee_id: Uuid) -> Result<Vec<StoredPeriod>, AppError> {
    let rows = sqlx::query!(
        r#"select id, slug, label, starts_on::text as "starts_on!", ends_on::text as "ends_on!", version
             from reporting_periods where committee_id = $1 order by starts_on desc"#,
        committee_id
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StoredPeriod {
            id: r.id,
            slug: r.slug,
            label: r.label,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            version: r.version,
        })
        .collect())
}

/// Every snapshot of the committee, newest first.
pub async fn snapshots(db: &mut PgConnection, committee_id: Uuid) -> Result<Vec<SnapshotRecord>, AppError> {
    let rows = sqlx::query!(
        r#"select s.id, s.period_id, s.taken_at, s.supersedes, s.reason,
                  coalesce(p.display_name, 'A former member') as "taken_by!",
                  exists (select 1 from period_snapshots n where n.supersedes = s.id) as "superseded!"
             from period_snapshots s left join people p on p.id = s.taken_by
            where s.committee_id = $1
            order by s.taken_at desc, s.id"#,
        committee_id
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SnapshotRecord {
            id: r.id,
            period_id: r.period_id,
            taken_at: rfc3339(r.taken_at),
            taken_by: r.taken_by,
            supersedes: r.supersedes,
            superseded: r.superseded,
            reason: r.reason,
        })
        .collect())
}

/// The snapshot's frozen data.
pub async fn snapshot_data(db: &mut PgConnection, id: Uuid) -> Result<Option<Snapshot>, AppError> {
    let Some(data) =
        sqlx::query_scalar!(r#"select data from period_snapshots where id = $1"#, id).fetch_optional(&mut *db).await?
    else {
        return Ok(None);
    };
    serde_json::from_value(data).map(Some).map_err(|error| {
        tracing::error!(%error, snapshot = %id, "a stored snapshot does not read as a snapshot");
        AppError::Internal
    })
}

/// Stores the period (a default quarter the first time), or sets its dates. Returns its id.
pub async fn set_period(
    db: &mut PgConnection,
    committee: &NamedRef,
    slug: &str,
    label: &str,
    starts_on: IsoDate,
    ends_on: IsoDate,
) -> Result<Uuid, AppError> {
    let before = sqlx::query!(
        r#"select starts_on::text as "starts_on!", ends_on::text as "ends_on!" from reporting_periods
            where committee_id = $1 and slug = $2"#,
        committee.id,
        slug
    )
    .fetch_optional(&mut *db)
    .await?;
    let id = sqlx::query_scalar!(
        r#"insert into reporting_periods (committee_id, slug, label, starts_on, ends_on)
           values ($1, $2, $3, $4, $5)
           on conflict (committee_id, slug)
           do update set starts_on = excluded.starts_on, ends_on = excluded.ends_on,
                         version = reporting_periods.version + 1
        returning id"#,
        committee.id,
        slug,
        label,
        time::Date::from(starts_on),
        time::Date::from(ends_on)
    )
    .fetch_one(&mut *db)
    .await?;
    let (s, e) = (starts_on.to_string(), ends_on.to_string());
    if before.as_ref().is_some_and(|b| b.starts_on == s && b.ends_on == e) {
        return Ok(id);
    }
    audit::record(
        db,
        AuditEvent {
            committee_id: Some(committee.id),
            subgroup_id: None,
            entity: audit::Entity::ReportingPeriod,
            entity_id: Some(id),
            operation: if before.is_some() { audit::Operation::Update } else { audit::Operation::Insert },
            summary: format!("Set the dates of {label}: {s} to {e}"),
            before: before.map(|b| json!({ "starts_on": b.starts_on, "ends_on": b.ends_on })),
            after: Some(json!({ "starts_on": s, "ends_on": e })),
        },
    )
    .await?;
    Ok(id)
}

/// Freezes the period: stores `snapshot` (superseding `supersedes`, if given) with its audit
/// event. Returns the snapshot's id.
pub async fn close(
    db: &mut PgConnection,
    committee: &NamedRef,
    period_id: Uuid,
    snapshot: &Snapshot,
    supersedes: Option<Uuid>,
    reason: &str,
) -> Result<Uuid, AppError> {
    let data = serde_json::to_value(snapshot).map_err(|error| {
        tracing::error!(%error, "a snapshot could not be written as JSON");
        AppError::Internal
    })?;
    let id = sqlx::query_scalar!(
        r#"insert into period_snapshots (period_id, committee_id, taken_by, supersedes, reason, data)
           values ($1, $2, app.person(), $3, $4, $5)
        returning id"#,
        period_id,
        committee.id,
        supersedes,
        reason,
        data
    )
    .fetch_one(&mut *db)
    .await?;
    let actions: usize = snapshot.plans.iter().map(|p| p.actions.len()).sum();
    audit::record(
        db,
        AuditEvent {
            committee_id: Some(committee.id),
            subgroup_id: None,
            entity: audit::Entity::PeriodSnapshot,
            entity_id: Some(id),
            operation: audit::Operation::Insert,
            summary: match supersedes {
                Some(_) => format!(
                    "Closed {} again (the earlier snapshot is kept, superseded): {reason}",
                    snapshot.period_label
                ),
                None => format!("Closed {}", snapshot.period_label),
            },
            before: supersedes.map(|s| json!({ "snapshot": s })),
            after: Some(json!({
                "period": snapshot.period_slug, "plans": snapshot.plans.len(), "actions": actions,
                "risks": snapshot.risks.len(),
            })),
        },
    )
    .await?;
    Ok(id)
}

/// The committee's published plans, its risk register and its pending ratifications as they
/// stand now, for a snapshot of the period `slug` (`label`, `starts_on`–`ends_on`). A few
/// statements, whatever the number of plans and actions.
pub async fn gather(
    db: &mut PgConnection,
    committee: &NamedRef,
    slug: &str,
    label: &str,
    starts_on: &str,
    ends_on: &str,
) -> Result<Snapshot, AppError> {
    let now = sqlx::query!(
        r#"select now() as "at!", (now() at time zone 'Europe/London')::date::text as "day!",
                  (select display_name from people where id = app.person()) as by_name"#
    )
    .fetch_one(&mut *db)
    .await?;
    let plans = sqlx::query!(
        r#"select p.id, p.slug, p.title, (select max(r.reviewed_on) from plan_reviews r where r.plan_id = p.id)::text as last_review
             from plans p where p.committee_id = $1 and p.status = 'published' order by p.slug desc"#,
        committee.id
    )
    .fetch_all(&mut *db)
    .await?;
    let ids: Vec<Uuid> = plans.iter().map(|p| p.id).collect();
    let actions = sqlx::query!(
        r#"select pa.plan_id, a.id, a.version, pa.position, ob.minor, o.number as outcome_number, o.title as outcome_title,
                  ob.title as objective_title, pr.title as priority_title, a.description, a.lead, a.evidence,
                  a.status::text as status, a.progress, a.timescale, a.revised_timescale, a.revision_reason, a.updated_at,
                  coalesce(rev.moves, 0) as "revisions!", coalesce(ed.moves, 0) as "rewordings!", ed.first_timescale
             from plan_actions pa
             join objectives ob on ob.id = pa.objective_id
             join outcomes o on o.id = ob.outcome_id
             join priorities pr on pr.id = o.priority_id
             join actions a on a.id = pa.action_id
             left join lateral (
                   select count(*) filter (where x.revised_timescale is distinct from x.previous) as moves
                     from (select su.revised_timescale,
                                  lag(su.revised_timescale) over (order by su.action_version) as previous
                             from status_updates su
                            where su.action_id = a.id and su.revised_timescale is not null) x
                  ) rev on true
             left join lateral (
                   select count(*) as moves,
                          (array_agg(e.before ->> 'timescale' order by e.occurred_at, e.id))[1] as first_timescale
                     from audit_events e
                    where e.entity = 'action' and e.entity_id = a.id and e.operation = 'update'
                      and e.before ? 'timescale' and e.after ? 'timescale'
                      and e.before ->> 'timescale' is distinct from e.after ->> 'timescale'
                  ) ed on true
            where pa.plan_id = any($1) and pa.retired_at is null
            order by pr.position, o.number, ob.minor, pa.position"#,
        &ids
    )
    .fetch_all(&mut *db)
    .await?;
    let risks = crate::server::db::risks::register(db, crate::server::authz::Owner::Committee(committee.id)).await?;
    let at_start = sqlx::query!(
        r#"select distinct on (risk_id) risk_id, (likelihood * impact)::int as "score!"
             from risk_assessments
            where committee_id = $1 and assessed_at < $2::text::date
            order by risk_id, assessed_at desc, id desc"#,
        committee.id,
        starts_on
    )
    .fetch_all(&mut *db)
    .await?;
    let ratifications = sqlx::query!(
        r#"select p.title, p.slug, v.label
             from protocol_ratifications r
             join protocol_versions v on v.id = r.protocol_version_id
             join protocols p on p.id = v.protocol_id
            where r.committee_id = $1 and r.state = 'pending'
            order by p.title, v.created_at"#,
        committee.id
    )
    .fetch_all(&mut *db)
    .await?;
    let plans = plans
        .into_iter()
        .map(|p| SnapshotPlan {
            actions: actions
                .iter()
                .filter(|a| a.plan_id == p.id)
                .map(|a| {
                    let (number, reference, outcome) =
                        placement(a.outcome_number, a.minor, a.position, &a.outcome_title);
                    ReportAction {
                        action: DashboardAction {
                            id: a.id,
                            version: a.version,
                            reference,
                            href: action_href(&committee.slug, &p.slug, &a.id),
                            description: a.description.clone(),
                            status: parse_status(a.status.clone()),
                            progress: a.progress.clone(),
                            timescale: a.timescale.clone(),
                            revised_timescale: a.revised_timescale.clone(),
                            revision_reason: a.revision_reason.clone(),
                            updated_at: rfc3339(a.updated_at),
                            group: a.priority_title.clone(),
                            subgroup: Some(outcome),
                        },
                        objective: format!("{number} {}", a.objective_title),
                        lead: a.lead.clone(),
                        evidence: a.evidence.clone(),
                        original_timescale: a.first_timescale.clone().unwrap_or_else(|| a.timescale.clone()),
                        timescale_moves: (a.revisions + a.rewordings) as u32,
                    }
                })
                .collect(),
            id: p.id,
            slug: p.slug,
            title: p.title,
            last_review: p.last_review,
        })
        .collect();
    Ok(Snapshot {
        format: SNAPSHOT_FORMAT,
        committee: committee.name.clone(),
        committee_slug: committee.slug.clone(),
        period_slug: slug.to_owned(),
        period_label: label.to_owned(),
        starts_on: starts_on.to_owned(),
        ends_on: ends_on.to_owned(),
        taken_at: rfc3339(now.at),
        taken_on: now.day,
        taken_by: now.by_name.unwrap_or_default(),
        plans,
        risks: risks
            .into_iter()
            .map(|risk| SnapshotRisk {
                score_at_start: at_start.iter().find(|s| s.risk_id == risk.id).map(|s| s.score as u8),
                risk,
            })
            .collect(),
        ratifications: ratifications
            .into_iter()
            .map(|r| PendingRatification {
                protocol: r.title,
                version: r.label,
                href: format!("/protocols/{}", r.slug),
            })
            .collect(),
    })
}

/// Today in the UK, as the database's clock has it.
pub async fn today(db: &mut PgConnection) -> Result<IsoDate, AppError> {
    let day = sqlx::query_scalar!(r#"select (now() at time zone 'Europe/London')::date::text as "day!""#)
        .fetch_one(&mut *db)
        .await?;
    IsoDate::parse(&day).ok_or(AppError::Internal)
}
