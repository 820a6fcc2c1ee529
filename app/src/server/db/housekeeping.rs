//! The sweeper's statements: what the operator's retention (`domain::retention`) says is no
//! longer kept. Run by the server every hour, as the server's role; each statement removes by
//! age only. Audit events, update history, snapshots and decisions are never swept.

use crate::domain::retention::Retention;
use crate::error::AppError;
use sqlx::PgPool;

/// How many of each the sweep removed (for the log).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub sessions: u64,
    pub sign_in_failures: u64,
    pub events: i64,
    pub uploads: i64,
}

/// One sweep: ended sessions, old sign-in failures, the change-event log past its days, and
/// import uploads nobody confirmed, in that order. A failing statement ends this sweep (the
/// parts before it stay done); the next sweep, an hour later, starts again from the first.
pub async fn sweep(pool: &PgPool, keep: &Retention) -> Result<Swept, AppError> {
    // tower-sessions moves expiry_date on with activity (the idle limit); a session past the
    // absolute limit is ended by the next request it makes, and then deleted here.
    let sessions = sqlx::query!("delete from tower_sessions.session where expiry_date < now()")
        .execute(pool)
        .await?
        .rows_affected();
    let sign_in_failures = sqlx::query!(
        "delete from auth.sign_in_failures where failed_at < now() - make_interval(hours => $1)",
        keep.sign_in_failures_hours
    )
    .execute(pool)
    .await?
    .rows_affected();
    let events = super::live::prune(pool, keep.events_days).await?;
    let uploads = sqlx::query_scalar!(r#"select app.sweep_uploads($1) as "removed!""#, keep.uploads_hours)
        .fetch_one(pool)
        .await?;
    Ok(Swept { sessions, sign_in_failures, events, uploads })
}
