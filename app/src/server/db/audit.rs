//! The append-only audit trail, written in the same transaction as the change it records.

pub use crate::domain::audit::{Entity, Operation};
use crate::error::AppError;
use sqlx::PgConnection;
use uuid::Uuid;

/// One change. The actor is not a field: it is the person the transaction acts as
/// (`app.person()`), so an event can never be written in someone else's name.
pub struct AuditEvent {
    pub committee_id: Option<Uuid>,
    pub subgroup_id: Option<Uuid>,
    pub entity: Entity,
    pub entity_id: Option<Uuid>,
    pub operation: Operation,
    pub summary: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn record(db: &mut PgConnection, event: AuditEvent) -> Result<(), AppError> {
    sqlx::query!(
        r#"insert into audit_events (person_id, committee_id, subgroup_id, entity, entity_id, operation, summary, before, after)
           values (app.person(), $1, $2, $3, $4, $5, $6, $7, $8)"#,
        event.committee_id,
        event.subgroup_id,
        event.entity.code(),
        event.entity_id,
        event.operation.code(),
        event.summary,
        event.before,
        event.after
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// Several changes of one kind at once (an import), in one statement.
pub async fn record_many(db: &mut PgConnection, events: &[AuditEvent]) -> Result<(), AppError> {
    let column = |f: fn(&AuditEvent) -> Option<Uuid>| events.iter().map(f).collect::<Vec<_>>();
    let (committees, subgroups, entity_ids) =
        (column(|e| e.committee_id), column(|e| e.subgroup_id), column(|e| e.entity_id));
    let entities: Vec<&str> = events.iter().map(|e| e.entity.code()).collect();
    let operations: Vec<&str> = events.iter().map(|e| e.operation.code()).collect();
    let summaries: Vec<&str> = events.iter().map(|e| e.summary.as_str()).collect();
    let befores: Vec<Option<serde_json::Value>> = events.iter().map(|e| e.before.clone()).collect();
    let afters: Vec<Option<serde_json::Value>> = events.iter().map(|e| e.after.clone()).collect();
    sqlx::query!(
        r#"insert into audit_events (person_id, committee_id, subgroup_id, entity, entity_id, operation, summary, before, after)
           select app.person(), c, s, e, i, o, m, b, a
             from unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[])
                  as t(c, s, e, i, o, m, b, a)"#,
        &committees as &[Option<Uuid>],
        &subgroups as &[Option<Uuid>],
        &entities as &[&str],
        &entity_ids as &[Option<Uuid>],
        &operations as &[&str],
        &summaries as &[&str],
        &befores as &[Option<serde_json::Value>],
        &afters as &[Option<serde_json::Value>]
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}

pub struct AuditFilter {
    pub committee_id: Uuid,
    pub person_id: Option<Uuid>,
    pub from: Option<time::Date>,
    pub to: Option<time::Date>,
    pub entity: Option<String>,
    pub limit: i64,
}

/// A committee's audit trail, newest first, at most `limit + 1` rows (the extra one tells the
/// page that more matched).
pub async fn committee_trail(
    db: &mut PgConnection,
    f: &AuditFilter,
) -> Result<Vec<crate::domain::views::AuditEntry>, AppError> {
    let rows = sqlx::query!(
        r#"select to_char(e.occurred_at at time zone 'Europe/London', 'YYYY-MM-DD HH24:MI') as "occurred_at!",
                  coalesce(p.display_name, case when e.person_id is null then 'System' else 'A former member' end) as "person!",
                  e.entity, e.entity_id, e.operation, e.summary, e.before::text, e.after::text
             from audit_events e
             left join people p on p.id = e.person_id
            where e.committee_id = $1
              and ($2::uuid is null or e.person_id = $2)
              and ($3::date is null or e.occurred_at >= $3::date)
              and ($4::date is null or e.occurred_at < $4::date + 1)
              and ($5::text is null or e.entity = $5)
            order by e.occurred_at desc, e.id desc
            limit $6"#,
        f.committee_id,
        f.person_id,
        f.from,
        f.to,
        f.entity,
        f.limit + 1
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| crate::domain::views::AuditEntry {
            occurred_at: r.occurred_at,
            person: r.person,
            entity: r.entity,
            entity_id: r.entity_id,
            operation: r.operation,
            summary: r.summary,
            before: r.before,
            after: r.after,
        })
        .collect())
}

/// The people and kinds of object that appear in a committee's trail, for the filters.
pub async fn committee_trail_facets(
    db: &mut PgConnection,
    committee_id: Uuid,
) -> Result<(Vec<(Uuid, String)>, Vec<String>), AppError> {
    let people = sqlx::query!(
        r#"select distinct e.person_id as "id!", coalesce(p.display_name, 'A former member') as "name!"
             from audit_events e left join people p on p.id = e.person_id
            where e.committee_id = $1 and e.person_id is not null
            order by 2"#,
        committee_id
    )
    .fetch_all(&mut *db)
    .await?;
    let entities = sqlx::query_scalar!(
        r#"select distinct entity as "entity!" from audit_events where committee_id = $1 order by 1"#,
        committee_id
    )
    .fetch_all(&mut *db)
    .await?;
    Ok((people.into_iter().map(|r| (r.id, r.name)).collect(), entities))
}
