//! Protocols as their subgroup keeps them (new protocols and versions, each version asking
//! every committee of the subgroup to ratify it), committees' decisions, and the links from
//! actions to the protocols they deliver.

use crate::domain::protocol::{Decision, RatificationState, VersionForm};
use crate::domain::views::{
    CommitteeRef, ProtocolActionView, ProtocolPage, ProtocolVersionView, RatificationRow, SubgroupRef,
};
use crate::error::{AppError, ChangedField};
use crate::server::db::audit::{self, AuditEvent};
use crate::server::db::structure::stale;
use sqlx::PgConnection;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

pub struct NewProtocol<'a> {
    pub region_id: Uuid,
    pub subgroup_id: Uuid,
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub owner_name: &'a str,
}

/// A new protocol and its first version (each committee of the subgroup asked to ratify it):
/// the protocol's id and the version's.
pub async fn create(
    db: &mut PgConnection,
    new: &NewProtocol<'_>,
    first: &VersionForm,
) -> Result<(Uuid, Uuid), AppError> {
    let id = Uuid::new_v4();
    sqlx::query!(
        r#"insert into protocols (id, region_id, owner_subgroup_id, slug, title, summary, owner_name) values ($1, $2, $3, $4, $5, $6, $7)"#,
        id,
        new.region_id,
        new.subgroup_id,
        new.slug,
        new.title,
        new.summary,
        new.owner_name
    )
    .execute(&mut *db)
    .await?;
    audit::record(
        db,
        AuditEvent {
            committee_id: None,
            subgroup_id: Some(new.subgroup_id),
            entity: audit::Entity::Protocol,
            entity_id: Some(id),
            operation: audit::Operation::Insert,
            summary: format!("Added protocol \"{}\"", new.title),
            before: None,
            after: Some(serde_json::json!({ "title": new.title, "summary": new.summary, "owner": new.owner_name })),
        },
    )
    .await?;
    let version = add_version(db, id, new.subgroup_id, first).await?;
    Ok((id, version))
}

/// Adds a version and asks each committee taking part in the owning subgroup to ratify it.
pub async fn add_version(
    db: &mut PgConnection,
    protocol_id: Uuid,
    subgroup_id: Uuid,
    form: &VersionForm,
) -> Result<Uuid, AppError> {
    let id = Uuid::new_v4();
    sqlx::query!(
        r#"insert into protocol_versions (id, protocol_id, label, document_url, body, effective_on, review_due_on)
           values ($1, $2, $3, $4, $5, current_date, $6)"#,
        id,
        protocol_id,
        form.label,
        form.document_url,
        form.body,
        form.review_due_on.map(time::Date::from)
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!(
        r#"insert into protocol_ratifications (protocol_version_id, committee_id)
           select $1, committee_id from subgroup_committees where subgroup_id = $2"#,
        id,
        subgroup_id
    )
    .execute(&mut *db)
    .await?;
    audit::record(
        db,
        AuditEvent {
            committee_id: None,
            subgroup_id: Some(subgroup_id),
            entity: audit::Entity::ProtocolVersion,
            entity_id: Some(id),
            operation: audit::Operation::Insert,
            summary: format!("Added version \"{}\" and asked each committee to ratify it", form.label),
            before: None,
            after: Some(serde_json::json!({ "label": form.label, "document_url": form.document_url, "review_due_on": form.review_due_on.map(|d| d.to_string()) })),
        },
    )
    .await?;
    Ok(id)
}

/// Records the committee's decision on a version if the row is still at `version`.
pub async fn decide(
    db: &mut PgConnection,
    version_id: Uuid,
    committee_id: Uuid,
    decision: &Decision,
    version: i32,
) -> Result<(), AppError> {
    let decided_on = decision.decided_on.map(time::Date::from);
    let before = sqlx::query!(
        r#"select state, decided_on::text as decided_on, reason, version from protocol_ratifications
            where protocol_version_id = $1 and committee_id = $2"#,
        version_id,
        committee_id
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or_else(|| AppError::not_found("a ratification of that version by this committee"))?;
    let done = sqlx::query!(
        r#"update protocol_ratifications set state = $4, decided_on = $5, reason = $6, version = version + 1, updated_at = now()
            where protocol_version_id = $1 and committee_id = $2 and version = $3"#,
        version_id,
        committee_id,
        version,
        decision.state.code(),
        decided_on,
        decision.reason
    )
    .execute(&mut *db)
    .await?
    .rows_affected();
    if done == 0 {
        let mut fields = vec![ChangedField { label: "Decision".into(), from: None, to: before.state.clone() }];
        if let Some(d) = before.decided_on.clone() {
            fields.push(ChangedField { label: "Decided on".into(), from: None, to: d });
        }
        if let Some(r) = before.reason.clone() {
            fields.push(ChangedField { label: "Reason".into(), from: None, to: r });
        }
        return Err(stale(db, version_id, before.version, fields).await);
    }
    audit::record(
        db,
        AuditEvent {
            committee_id: Some(committee_id),
            subgroup_id: None,
            entity: audit::Entity::ProtocolVersion,
            entity_id: Some(version_id),
            operation: audit::Operation::Update,
            summary: format!("Recorded the committee's decision: {}", decision.state),
            before: Some(serde_json::json!({ "state": before.state, "decided_on": before.decided_on, "reason": before.reason })),
            after: Some(serde_json::json!({
                "state": decision.state.code(), "decided_on": decision.decided_on.map(|d| d.to_string()), "reason": decision.reason
            })),
        },
    )
    .await
}

pub struct ProtocolRow {
    pub id: Uuid,
    pub title: String,
    pub subgroup_id: Option<Uuid>,
}

pub async fn by_slug(db: &mut PgConnection, slug: &str) -> Result<Option<ProtocolRow>, AppError> {
    Ok(sqlx::query!(
        r#"select id, title, owner_subgroup_id from protocols where slug = $1 order by created_at limit 1"#,
        slug
    )
    .fetch_optional(&mut *db)
    .await?
    .map(|r| ProtocolRow { id: r.id, title: r.title, subgroup_id: r.owner_subgroup_id }))
}

/// Links (or unlinks) an action and a protocol the acting person can see; row-level security
/// lets only those who shape the action do it.
pub async fn set_link(
    db: &mut PgConnection,
    action: Uuid,
    protocol: Uuid,
    linked: bool,
    committee_id: Option<Uuid>,
    subgroup_id: Option<Uuid>,
) -> Result<bool, AppError> {
    let changed = if linked {
        sqlx::query!(
            "insert into action_protocols (action_id, protocol_id) values ($1, $2) on conflict do nothing",
            action,
            protocol
        )
        .execute(&mut *db)
        .await?
        .rows_affected()
    } else {
        sqlx::query!("delete from action_protocols where action_id = $1 and protocol_id = $2", action, protocol)
            .execute(&mut *db)
            .await?
            .rows_affected()
    };
    if changed > 0 {
        audit::record(
            db,
            AuditEvent {
                committee_id,
                subgroup_id,
                entity: audit::Entity::ActionProtocol,
                entity_id: Some(action),
                operation: if linked { audit::Operation::Insert } else { audit::Operation::Delete },
                summary: format!("{} protocol", if linked { "Linked" } else { "Unlinked" }),
                before: None,
                after: Some(serde_json::json!({ "protocol_id": protocol })),
            },
        )
        .await?;
    }
    Ok(changed > 0)
}

/// Everything on a protocol's page, as the acting person may see it.
pub async fn page(db: &mut PgConnection, slug: &str) -> Result<Option<ProtocolPage>, AppError> {
    let Some(p) = sqlx::query!(
        r#"select p.id, p.slug, p.title, p.summary, p.owner_name, s.slug as "s_slug?", s.name as "s_name?", s.short_name as "s_short?",
                  p.owner_subgroup_id
             from protocols p left join subgroups s on s.id = p.owner_subgroup_id where p.slug = $1 order by p.created_at limit 1"#,
        slug
    )
    .fetch_optional(&mut *db)
    .await?
    else {
        return Ok(None);
    };
    let versions: Vec<ProtocolVersionView> = sqlx::query!(
        r#"select id, label, document_url, body, review_due_on::text as review_due_on,
                  coalesce(review_due_on < current_date, false) as "overdue!", created_at
             from protocol_versions where protocol_id = $1 order by created_at desc, label desc"#,
        p.id
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|v| ProtocolVersionView {
        id: v.id,
        label: v.label,
        document_url: v.document_url,
        body: v.body,
        review_due_on: v.review_due_on,
        overdue: v.overdue,
        created_at: v.created_at.format(&Rfc3339).unwrap_or_default(),
    })
    .collect();
    let ratifications = match versions.first() {
        None => Vec::new(),
        Some(current) => sqlx::query!(
            r#"select r.protocol_version_id, r.committee_id, c.slug, c.name, c.short_name, r.state, r.decided_on::text as decided_on,
                      r.reason, r.version
                 from protocol_ratifications r join committees c on c.id = r.committee_id
                where r.protocol_version_id = $1 order by c.name"#,
            current.id
        )
        .fetch_all(&mut *db)
        .await?
        .into_iter()
        .map(|r| RatificationRow {
            version_id: r.protocol_version_id,
            committee: CommitteeRef { slug: r.slug, name: r.name, short_name: r.short_name },
            state: RatificationState::stored(&r.state),
            decided_on: r.decided_on,
            reason: r.reason,
            version: r.version,
            can_record: false,
            committee_id: r.committee_id,
        })
        .collect(),
    };
    let actions = sqlx::query!(
        r#"select a.id, c.slug, c.name, c.short_name, pl.slug as plan_slug, ob.outcome_number, ob.minor, pa.position, a.description
             from action_protocols ap
             join actions a on a.id = ap.action_id
             join plan_actions pa on pa.action_id = a.id and pa.retired_at is null
             join plans pl on pl.id = pa.plan_id
             join committees c on c.id = pl.committee_id
             join objectives ob on ob.id = pa.objective_id
            where ap.protocol_id = $1
            order by c.name, pl.slug desc, ob.outcome_number, ob.minor, pa.position"#,
        p.id
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|r| ProtocolActionView {
        id: r.id,
        committee: CommitteeRef { slug: r.slug, name: r.name, short_name: r.short_name },
        plan_slug: r.plan_slug,
        reference: format!("{}.{}.{}", r.outcome_number, r.minor, r.position),
        description: r.description,
    })
    .collect();
    Ok(Some(ProtocolPage {
        slug: p.slug,
        title: p.title,
        summary: p.summary,
        owner: match (p.s_slug, p.s_name, p.s_short) {
            (Some(slug), Some(name), Some(short_name)) => Some(SubgroupRef { slug, name, short_name }),
            _ => None,
        },
        owner_name: p.owner_name,
        versions,
        ratifications,
        actions,
        can_add_version: false,
        owner_subgroup_id: p.owner_subgroup_id,
    }))
}
