//! The public summaries written when a period closes (one per published plan), and reading a
//! plan's latest for everyone. Written in the closing's transaction, beside its snapshot and
//! audit event; like the snapshot, never changed.

use crate::domain::public_summary::PublicSummary;
use crate::error::AppError;
use sqlx::PgConnection;
use uuid::Uuid;

/// Stores `summaries` (plan id, summary) of snapshot `snapshot_id`, in one statement.
pub async fn store(
    db: &mut PgConnection,
    committee_id: Uuid,
    snapshot_id: Uuid,
    summaries: &[(Uuid, PublicSummary)],
) -> Result<(), AppError> {
    if summaries.is_empty() {
        return Ok(());
    }
    let plans: Vec<Uuid> = summaries.iter().map(|(p, _)| *p).collect();
    let data =
        summaries.iter().map(|(_, s)| serde_json::to_value(s)).collect::<Result<Vec<_>, _>>().map_err(|error| {
            tracing::error!(%error, "a public summary could not be written as JSON");
            AppError::Internal
        })?;
    sqlx::query!(
        r#"insert into period_summaries (snapshot_id, committee_id, plan_id, data)
           select $1, $2, plan_id, data from unnest($3::uuid[], $4::jsonb[]) as t(plan_id, data)"#,
        snapshot_id,
        committee_id,
        &plans,
        &data
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// The latest summary of the plan `plan` of committee `committee` the reader may see: the
/// newest closing of the latest period.
pub async fn latest(db: &mut PgConnection, committee: &str, plan: &str) -> Result<Option<PublicSummary>, AppError> {
    let Some(data) = sqlx::query_scalar!(
        r#"select s.data
             from period_summaries s
             join plans p on p.id = s.plan_id
             join committees c on c.id = p.committee_id
            where c.slug = $1 and p.slug = $2 and s.committee_id = c.id
            -- The snapshots are the members' only: the period's start is in the summary itself.
            order by s.data ->> 'starts_on' desc, s.created_at desc, s.id
            limit 1"#,
        committee,
        plan
    )
    .fetch_optional(&mut *db)
    .await?
    else {
        return Ok(None);
    };
    serde_json::from_value(data).map(Some).map_err(|error| {
        tracing::error!(%error, "a stored public summary does not read as one");
        AppError::Internal
    })
}
