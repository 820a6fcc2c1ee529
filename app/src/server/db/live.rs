//! The change-event log (`live.change_events`): reading it in order, its head, pruning it, and
//! the small reads a browser makes for a changed object it may see but whose event carried
//! only ids. See the migration `change_events` for how the order is kept without gaps.

use crate::domain::live::{ActionCells, Counts, Position};
use crate::error::AppError;
use sqlx::{PgConnection, PgPool};
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

/// One event as stored.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub position: Position,
    pub kind: String,
    pub object_id: Option<Uuid>,
    pub version: Option<i32>,
    pub committees: Vec<Uuid>,
    pub subgroups: Vec<Uuid>,
    pub public: bool,
    pub plan_ids: Vec<Uuid>,
    pub public_plan_ids: Vec<Uuid>,
    pub person_id: Option<Uuid>,
    pub data: Option<serde_json::Value>,
    pub occurred_at: time::OffsetDateTime,
}

fn position(xid: &str, seq: i64) -> Result<Position, AppError> {
    let xid = xid.parse().map_err(|_| {
        tracing::error!(xid, "a change event's transaction id is not a number");
        AppError::Internal
    })?;
    Ok(Position { xid, seq })
}

/// Up to `limit` events after `after`, oldest first, of transactions that have all ended
/// (older than the oldest still running), and whether later committed events are being held
/// back behind a transaction still running.
pub async fn events_after(pool: &PgPool, after: Position, limit: i64) -> Result<(Vec<EventRow>, bool), AppError> {
    let rows = sqlx::query!(
        r#"select xid::text as "xid!", seq, kind, object_id, version, committees, subgroups, public, plan_ids,
                  public_plan_ids, person_id, data, occurred_at
             from live.change_events
            where (xid, seq) > ($1::text::xid8, $2) and xid < pg_snapshot_xmin(pg_current_snapshot())
            order by xid, seq
            limit $3"#,
        after.xid.to_string(),
        after.seq,
        limit
    )
    .fetch_all(pool)
    .await?;
    let last = match rows.last() {
        Some(r) => position(&r.xid, r.seq)?,
        None => after,
    };
    let held = sqlx::query_scalar!(
        r#"select exists (select 1 from live.change_events
                           where (xid, seq) > ($1::text::xid8, $2)
                             and xid >= pg_snapshot_xmin(pg_current_snapshot())) as "held!""#,
        last.xid.to_string(),
        last.seq
    )
    .fetch_one(pool)
    .await?;
    let events = rows
        .into_iter()
        .map(|r| {
            Ok(EventRow {
                position: position(&r.xid, r.seq)?,
                kind: r.kind,
                object_id: r.object_id,
                version: r.version,
                committees: r.committees,
                subgroups: r.subgroups,
                public: r.public,
                plan_ids: r.plan_ids,
                public_plan_ids: r.public_plan_ids,
                person_id: r.person_id,
                data: r.data,
                occurred_at: r.occurred_at,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok((events, held))
}

/// The newest position a reader may start from: the last event of the ended transactions, or
/// where pruning left off, or the very start.
pub async fn head(pool: &PgPool) -> Result<Position, AppError> {
    let last = sqlx::query!(
        r#"select xid::text as "xid!", seq from live.change_events
            where xid < pg_snapshot_xmin(pg_current_snapshot())
            order by xid desc, seq desc limit 1"#
    )
    .fetch_optional(pool)
    .await?;
    match last {
        Some(r) => position(&r.xid, r.seq),
        None => pruned(pool).await.map(|p| p.unwrap_or(Position::START)),
    }
}

/// The newest position pruned away, if any was: a reader resuming before it missed events.
pub async fn pruned(pool: &PgPool) -> Result<Option<Position>, AppError> {
    let row = sqlx::query!(r#"select xid::text as "xid!", seq from live.pruned"#).fetch_optional(pool).await?;
    row.map(|r| position(&r.xid, r.seq)).transpose()
}

/// Removes events older than `keep_days` (the operator's retention, `RETENTION_DAYS` unless
/// set); returns how many.
pub async fn prune(pool: &PgPool, keep_days: i32) -> Result<i64, AppError> {
    let removed = sqlx::query_scalar!(r#"select live.prune($1) as "removed!""#, keep_days).fetch_one(pool).await?;
    Ok(removed)
}

/// Of the sessions `ids`, those still in the store and not expired: a session signed out,
/// ended by a password change or idle too long is gone from this list.
pub async fn live_sessions(pool: &PgPool, ids: &[String]) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar!("select id from tower_sessions.session where id = any ($1) and expiry_date > now()", ids)
        .fetch_all(pool)
        .await?)
}

/// An action's cells as the acting person may read them (row-level security decides).
pub async fn action_cells(db: &mut PgConnection, id: Uuid) -> Result<Option<ActionCells>, AppError> {
    let row = sqlx::query!(
        r#"select id, version, status::text as status, progress, evidence, timescale, revised_timescale,
                  revision_reason, description, lead, updated_at
             from actions where id = $1"#,
        id
    )
    .fetch_optional(&mut *db)
    .await?;
    Ok(row.map(|r| ActionCells {
        id: r.id,
        version: r.version,
        status: r.status,
        progress: r.progress,
        evidence: r.evidence,
        timescale: r.timescale,
        revised_timescale: r.revised_timescale,
        revision_reason: r.revision_reason,
        description: r.description,
        lead: r.lead,
        updated_at: r.updated_at.format(&Rfc3339).unwrap_or_default(),
    }))
}

/// A plan's counts as the acting person may read them.
pub async fn plan_counts(db: &mut PgConnection, plan: Uuid) -> Result<Option<Counts>, AppError> {
    let row = sqlx::query!(
        "select on_target, delayed, revision_required, complete, not_assessed from plan_status_counts where plan_id = $1",
        plan
    )
    .fetch_optional(&mut *db)
    .await?;
    Ok(row.map(|r| [r.on_target, r.delayed, r.revision_required, r.complete, r.not_assessed]))
}
