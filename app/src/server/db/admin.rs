//! Platform set-up: regions, committees, subgroups, protocols, and placing a subgroup's shared
//! action into plans. Used by the demo loader today and by platform admins later. Each write
//! leaves an audit event in the caller's transaction.

use crate::domain::numbering::ObjectiveNumber;
use crate::error::AppError;
use crate::server::db::audit::{record, AuditEvent};
use sqlx::PgConnection;
use time::Date;
use uuid::Uuid;

pub async fn create_region(db: &mut PgConnection, slug: &str, name: &str) -> Result<Uuid, AppError> {
    let id = sqlx::query_scalar!(r#"insert into regions (slug, name) values ($1, $2) returning id"#, slug, name)
        .fetch_one(&mut *db)
        .await?;
    audit_insert(db, None, None, "region", id, format!("Created region {name}")).await?;
    Ok(id)
}

pub struct NewCommittee<'a> {
    pub region_id: Uuid,
    pub slug: &'a str,
    pub name: &'a str,
    pub short_name: &'a str,
    pub council_areas: &'a [String],
    pub cog_name: &'a str,
    pub is_sample: bool,
}

pub async fn create_committee(db: &mut PgConnection, c: NewCommittee<'_>) -> Result<Uuid, AppError> {
    let id = sqlx::query_scalar!(
        r#"insert into committees (region_id, slug, name, short_name, council_areas, cog_name, is_sample)
           values ($1, $2, $3, $4, $5, $6, $7) returning id"#,
        c.region_id,
        c.slug,
        c.name,
        c.short_name,
        c.council_areas,
        c.cog_name,
        c.is_sample
    )
    .fetch_one(&mut *db)
    .await?;
    audit_insert(db, Some(id), None, "committee", id, format!("Created committee {}", c.name)).await?;
    Ok(id)
}

pub struct NewSubgroup<'a> {
    pub region_id: Uuid,
    pub slug: &'a str,
    pub name: &'a str,
    pub short_name: &'a str,
    pub aliases: &'a [String],
    /// Regional subgroups list their participating committees; a local one names its own.
    pub local_committee: Option<Uuid>,
    pub participating: &'a [Uuid],
}

pub async fn create_subgroup(db: &mut PgConnection, s: NewSubgroup<'_>) -> Result<Uuid, AppError> {
    let scope = if s.local_committee.is_some() { "local" } else { "regional" };
    let id = sqlx::query_scalar!(
        r#"insert into subgroups (region_id, committee_id, slug, name, short_name, aliases, scope)
           values ($1, $2, $3, $4, $5, $6, $7) returning id"#,
        s.region_id,
        s.local_committee,
        s.slug,
        s.name,
        s.short_name,
        s.aliases,
        scope
    )
    .fetch_one(&mut *db)
    .await?;
    sqlx::query!(
        r#"insert into subgroup_committees (subgroup_id, committee_id) select $1, unnest($2::uuid[])"#,
        id,
        s.participating
    )
    .execute(&mut *db)
    .await?;
    audit_insert(db, s.local_committee, Some(id), "subgroup", id, format!("Created subgroup {}", s.name)).await?;
    Ok(id)
}

pub async fn add_plan_review(
    db: &mut PgConnection,
    committee_slug: &str,
    plan_slug: &str,
    reviewed_on: Date,
    note: &str,
) -> Result<(), AppError> {
    let plan = plan_id(db, committee_slug, plan_slug).await?;
    let id = sqlx::query_scalar!(
        r#"insert into plan_reviews (plan_id, committee_id, reviewed_on, note) values ($1, $2, $3, $4) returning id"#,
        plan.0,
        plan.1,
        reviewed_on,
        note
    )
    .fetch_one(&mut *db)
    .await?;
    let snapshot = serde_json::to_value(crate::server::db::reviews::snapshot(db, plan.0).await?)
        .map_err(|_| AppError::Internal)?;
    sqlx::query!("update plan_reviews set snapshot = $2 where id = $1", id, snapshot).execute(&mut *db).await?;
    audit_insert(db, Some(plan.1), None, "plan_review", id, format!("Recorded review of plan {plan_slug}: {note}"))
        .await
}

/// The committee action at `reference` ("3.1.2") of a plan.
pub async fn action_at(
    db: &mut PgConnection,
    committee_slug: &str,
    plan_slug: &str,
    objective: ObjectiveNumber,
    position: u32,
) -> Result<Uuid, AppError> {
    sqlx::query_scalar!(
        r#"select pa.action_id from plan_actions pa
             join plans p on p.id = pa.plan_id
             join committees c on c.id = p.committee_id
             join objectives ob on ob.id = pa.objective_id
            where c.slug = $1 and p.slug = $2 and ob.outcome_number = $3 and ob.minor = $4 and pa.position = $5"#,
        committee_slug,
        plan_slug,
        objective.outcome as i32,
        objective.minor as i32,
        position as i32
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or_else(|| {
        AppError::not_found(format!("action {objective}.{position} in plan {plan_slug} of {committee_slug}"))
    })
}

/// Hands a committee's action to a subgroup of its region: from now on the subgroup owns it
/// and the plans that adopt it share one record.
pub async fn transfer_to_subgroup(db: &mut PgConnection, action_id: Uuid, subgroup_slug: &str) -> Result<(), AppError> {
    let subgroup = subgroup_id(db, subgroup_slug).await?;
    let before = sqlx::query_scalar!(
        r#"update actions a set owner_committee_id = null, owner_subgroup_id = $2, version = a.version + 1, updated_at = now()
             from actions old
            where a.id = $1 and old.id = a.id and a.owner_committee_id is not null
            returning old.owner_committee_id"#,
        action_id,
        subgroup
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or_else(|| AppError::Conflict("Only a committee's own action can be handed to a subgroup.".into()))?;
    sqlx::query!(
        r#"insert into action_subgroups (action_id, subgroup_id) values ($1, $2) on conflict do nothing"#,
        action_id,
        subgroup
    )
    .execute(&mut *db)
    .await?;
    record(
        db,
        AuditEvent {
            committee_id: before,
            subgroup_id: Some(subgroup),
            entity: "action",
            entity_id: Some(action_id),
            operation: "update",
            summary: format!("Action handed to subgroup {subgroup_slug}"),
            before: Some(serde_json::json!({ "owner_committee_id": before })),
            after: Some(serde_json::json!({ "owner_subgroup_id": subgroup })),
        },
    )
    .await
}

/// Places a subgroup's shared action into a plan, last under `objective`, and returns its
/// position there.
pub async fn adopt_action(
    db: &mut PgConnection,
    action_id: Uuid,
    committee_slug: &str,
    plan_slug: &str,
    objective: ObjectiveNumber,
    local_note: &str,
) -> Result<u32, AppError> {
    let target = sqlx::query!(
        r#"select ob.id, ob.plan_id, ob.committee_id,
                  exists (select 1 from actions a
                            join subgroup_committees sc on sc.subgroup_id = a.owner_subgroup_id and sc.committee_id = ob.committee_id
                           where a.id = $5) as "may_adopt!"
             from objectives ob
             join plans p on p.id = ob.plan_id
             join committees c on c.id = p.committee_id
            where c.slug = $1 and p.slug = $2 and ob.outcome_number = $3 and ob.minor = $4 and ob.retired_at is null"#,
        committee_slug,
        plan_slug,
        objective.outcome as i32,
        objective.minor as i32,
        action_id
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or_else(|| AppError::not_found(format!("objective {objective} in plan {plan_slug} of {committee_slug}")))?;
    if !target.may_adopt {
        return Err(AppError::Conflict(
            "Only shared actions of a subgroup this committee takes part in can be adopted.".into(),
        ));
    }
    let position = sqlx::query_scalar!(
        r#"insert into plan_actions (plan_id, committee_id, objective_id, action_id, position, local_note)
           select $1, $2, $3, $4, coalesce(max(position), 0) + 1, $5 from plan_actions where objective_id = $3
           returning position"#,
        target.plan_id,
        target.committee_id,
        target.id,
        action_id,
        local_note
    )
    .fetch_one(&mut *db)
    .await?;
    record(
        db,
        AuditEvent {
            committee_id: Some(target.committee_id),
            subgroup_id: None,
            entity: "plan_action",
            entity_id: Some(action_id),
            operation: "insert",
            summary: format!("Shared action adopted into plan {plan_slug} as {objective}.{position}"),
            before: None,
            after: Some(
                serde_json::json!({ "plan_id": target.plan_id, "objective_id": target.id, "position": position }),
            ),
        },
    )
    .await?;
    Ok(position as u32)
}

pub struct NewProtocol<'a> {
    pub region_id: Uuid,
    pub owner_subgroup_slug: Option<&'a str>,
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
}

pub async fn create_protocol(db: &mut PgConnection, p: NewProtocol<'_>) -> Result<Uuid, AppError> {
    let owner = match p.owner_subgroup_slug {
        Some(slug) => Some(subgroup_id(db, slug).await?),
        None => None,
    };
    let id = sqlx::query_scalar!(
        r#"insert into protocols (region_id, owner_subgroup_id, slug, title, summary) values ($1, $2, $3, $4, $5) returning id"#,
        p.region_id,
        owner,
        p.slug,
        p.title,
        p.summary
    )
    .fetch_one(&mut *db)
    .await?;
    audit_insert(db, None, owner, "protocol", id, format!("Created protocol {}", p.title)).await?;
    Ok(id)
}

pub struct NewProtocolVersion<'a> {
    pub protocol_id: Uuid,
    pub label: &'a str,
    pub document_url: Option<&'a str>,
    pub effective_on: Option<Date>,
    pub review_due_on: Option<Date>,
}

/// Adds a version; every committee taking part in the owning subgroup (or, for a regional
/// protocol, every committee of the region) starts as pending ratification.
pub async fn add_protocol_version(db: &mut PgConnection, v: NewProtocolVersion<'_>) -> Result<Uuid, AppError> {
    let id = sqlx::query_scalar!(
        r#"insert into protocol_versions (protocol_id, label, document_url, effective_on, review_due_on)
           values ($1, $2, $3, $4, $5) returning id"#,
        v.protocol_id,
        v.label,
        v.document_url,
        v.effective_on,
        v.review_due_on
    )
    .fetch_one(&mut *db)
    .await?;
    sqlx::query!(
        r#"insert into protocol_ratifications (protocol_version_id, committee_id)
           select $1, c.id from protocols p
             join committees c on c.region_id = p.region_id
            where p.id = $2
              and (p.owner_subgroup_id is null
                   or exists (select 1 from subgroup_committees sc where sc.subgroup_id = p.owner_subgroup_id and sc.committee_id = c.id))"#,
        id,
        v.protocol_id
    )
    .execute(&mut *db)
    .await?;
    audit_insert(db, None, None, "protocol_version", id, format!("Added protocol version {}", v.label)).await?;
    Ok(id)
}

pub async fn record_ratification(
    db: &mut PgConnection,
    version_id: Uuid,
    committee_slug: &str,
    state: &str,
    decided_on: Option<Date>,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let committee = sqlx::query_scalar!(
        r#"update protocol_ratifications r set state = $3, decided_on = $4, reason = $5, updated_at = now()
             from committees c
            where c.slug = $2 and r.committee_id = c.id and r.protocol_version_id = $1
            returning c.id"#,
        version_id,
        committee_slug,
        state,
        decided_on,
        reason
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or_else(|| AppError::not_found(format!("a ratification by {committee_slug} for that protocol version")))?;
    record(
        db,
        AuditEvent {
            committee_id: Some(committee),
            subgroup_id: None,
            entity: "protocol_ratification",
            entity_id: Some(version_id),
            operation: "update",
            summary: format!("Ratification recorded as {state}"),
            before: None,
            after: Some(serde_json::json!({ "state": state, "decided_on": decided_on.map(|d| d.to_string()), "reason": reason })),
        },
    )
    .await
}

pub async fn link_action_protocol(db: &mut PgConnection, action_id: Uuid, protocol_id: Uuid) -> Result<(), AppError> {
    sqlx::query!(
        r#"insert into action_protocols (action_id, protocol_id) values ($1, $2) on conflict do nothing"#,
        action_id,
        protocol_id
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}

async fn plan_id(db: &mut PgConnection, committee_slug: &str, plan_slug: &str) -> Result<(Uuid, Uuid), AppError> {
    let row = sqlx::query!(
        r#"select p.id, p.committee_id from plans p join committees c on c.id = p.committee_id where c.slug = $1 and p.slug = $2"#,
        committee_slug,
        plan_slug
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or_else(|| AppError::not_found(format!("plan {plan_slug} of {committee_slug}")))?;
    Ok((row.id, row.committee_id))
}

async fn subgroup_id(db: &mut PgConnection, slug: &str) -> Result<Uuid, AppError> {
    sqlx::query_scalar!(r#"select id from subgroups where slug = $1 order by created_at limit 1"#, slug)
        .fetch_optional(&mut *db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("subgroup \"{slug}\"")))
}

async fn audit_insert(
    db: &mut PgConnection,
    committee_id: Option<Uuid>,
    subgroup_id: Option<Uuid>,
    entity: &'static str,
    id: Uuid,
    summary: String,
) -> Result<(), AppError> {
    record(
        db,
        AuditEvent {
            committee_id,
            subgroup_id,
            entity,
            entity_id: Some(id),
            operation: "insert",
            summary,
            before: None,
            after: None,
        },
    )
    .await
}

/// Everyone on the platform with their memberships, for platform admins (row-level security
/// shows others nothing here).
pub async fn people_overview(db: &mut PgConnection) -> Result<Vec<crate::domain::views::AdminPerson>, AppError> {
    let rows = sqlx::query!(
        r#"select p.id, p.display_name, p.email, p.is_platform_admin, p.password_set_at is not null as "active!",
                  array(select c.short_name || ': ' || replace(initcap(replace(m.role, '_', ' ')), 'Officer', 'officer')
                          from committee_memberships m join committees c on c.id = m.committee_id
                         where m.person_id = p.id order by c.name)
                  || array(select s.short_name || ': ' || initcap(m.role)
                          from subgroup_memberships m join subgroups s on s.id = m.subgroup_id
                         where m.person_id = p.id order by s.name) as "memberships!"
             from people p
            order by p.display_name, p.email"#
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| crate::domain::views::AdminPerson {
            person_id: r.id,
            display_name: r.display_name,
            email: r.email,
            is_admin: r.is_platform_admin,
            active: r.active,
            memberships: r.memberships,
        })
        .collect())
}

/// Every subgroup with its members, in two queries.
pub async fn subgroups_with_members(
    db: &mut PgConnection,
    region_id: Uuid,
) -> Result<Vec<crate::domain::views::AdminSubgroup>, AppError> {
    let subgroups = sqlx::query!("select id, slug, name from subgroups where region_id = $1 order by name", region_id)
        .fetch_all(&mut *db)
        .await?;
    let members = sqlx::query!(
        r#"select m.subgroup_id, p.id, p.display_name, p.email, m.role, p.password_set_at is not null as "active!"
             from subgroup_memberships m join people p on p.id = m.person_id
             join subgroups s on s.id = m.subgroup_id
            where s.region_id = $1
            order by p.display_name"#,
        region_id
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(subgroups
        .into_iter()
        .map(|s| crate::domain::views::AdminSubgroup {
            members: members
                .iter()
                .filter(|m| m.subgroup_id == s.id)
                .map(|m| crate::domain::views::MemberView {
                    person_id: m.id,
                    display_name: m.display_name.clone(),
                    email: m.email.clone(),
                    role: m.role.clone(),
                    active: m.active,
                })
                .collect(),
            slug: s.slug,
            name: s.name,
        })
        .collect())
}

pub async fn committee_ids(db: &mut PgConnection, region_id: Uuid) -> Result<Vec<Uuid>, AppError> {
    Ok(sqlx::query_scalar!("select id from committees where region_id = $1", region_id).fetch_all(&mut *db).await?)
}

pub async fn slug_taken(db: &mut PgConnection, table: SlugTable, slug: &str) -> Result<bool, AppError> {
    let taken = match table {
        SlugTable::Committees => {
            sqlx::query_scalar!(r#"select exists (select 1 from committees where slug = $1) as "taken!""#, slug)
                .fetch_one(&mut *db)
                .await?
        }
        SlugTable::Subgroups => {
            sqlx::query_scalar!(r#"select exists (select 1 from subgroups where slug = $1) as "taken!""#, slug)
                .fetch_one(&mut *db)
                .await?
        }
    };
    Ok(taken)
}

pub enum SlugTable {
    Committees,
    Subgroups,
}

/// A person's name and email, if the acting person may see them.
pub async fn person_label(db: &mut PgConnection, person_id: Uuid) -> Result<Option<(String, String)>, AppError> {
    let row = sqlx::query!("select display_name, email from people where id = $1", person_id)
        .fetch_optional(&mut *db)
        .await?;
    Ok(row.map(|r| (r.display_name, r.email)))
}

/// A ready-to-use account with a password (the demo loader only; real people are invited).
pub async fn create_demo_person(
    db: &mut PgConnection,
    email: &str,
    display_name: &str,
    password_hash: &str,
    is_admin: bool,
    committees: &[(&str, &str)],
    subgroups: &[(&str, &str)],
) -> Result<Uuid, AppError> {
    let id = sqlx::query_scalar!(
        r#"insert into people (email, display_name, password_hash, password_set_at, is_platform_admin)
           values ($1, $2, $3, now(), $4) returning id"#,
        email,
        display_name,
        password_hash,
        is_admin
    )
    .fetch_one(&mut *db)
    .await?;
    let (committee_slugs, committee_roles): (Vec<String>, Vec<String>) =
        committees.iter().map(|(s, r)| ((*s).to_owned(), (*r).to_owned())).unzip();
    sqlx::query!(
        r#"insert into committee_memberships (person_id, committee_id, role)
           select $1, c.id, m.role from unnest($2::text[], $3::text[]) as m(slug, role) join committees c on c.slug = m.slug"#,
        id,
        &committee_slugs,
        &committee_roles
    )
    .execute(&mut *db)
    .await?;
    let (subgroup_slugs, subgroup_roles): (Vec<String>, Vec<String>) =
        subgroups.iter().map(|(s, r)| ((*s).to_owned(), (*r).to_owned())).unzip();
    sqlx::query!(
        r#"insert into subgroup_memberships (person_id, subgroup_id, role)
           select $1, s.id, m.role from unnest($2::text[], $3::text[]) as m(slug, role) join subgroups s on s.slug = m.slug"#,
        id,
        &subgroup_slugs,
        &subgroup_roles
    )
    .execute(&mut *db)
    .await?;
    audit_insert(db, None, None, "person", id, format!("Created demo account {email}")).await?;
    Ok(id)
}
