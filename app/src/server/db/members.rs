//! Committee and subgroup memberships. Every statement names the committee or subgroup, and
//! row-level security limits changes to that committee's lead officers (or the subgroup's
//! chair) and platform admins.

use crate::domain::account::{CommitteeRole, SubgroupRole};
use crate::domain::views::MemberView;
use crate::error::AppError;
use crate::server::db::audit::{self, AuditEvent, Entity, Operation};
use sqlx::PgConnection;
use uuid::Uuid;

pub async fn committee_members(db: &mut PgConnection, committee_id: Uuid) -> Result<Vec<MemberView>, AppError> {
    let rows = sqlx::query!(
        r#"select p.id, p.display_name, p.email, m.role, p.password_set_at is not null as "active!"
             from committee_memberships m join people p on p.id = m.person_id
            where m.committee_id = $1
            order by p.display_name, p.email"#,
        committee_id
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MemberView {
            person_id: r.id,
            display_name: r.display_name,
            email: r.email,
            role: r.role,
            active: r.active,
            two_step: None,
        })
        .collect())
}

pub async fn subgroup_members(db: &mut PgConnection, subgroup_id: Uuid) -> Result<Vec<MemberView>, AppError> {
    let rows = sqlx::query!(
        r#"select p.id, p.display_name, p.email, m.role, p.password_set_at is not null as "active!"
             from subgroup_memberships m join people p on p.id = m.person_id
            where m.subgroup_id = $1
            order by p.display_name, p.email"#,
        subgroup_id
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MemberView {
            person_id: r.id,
            display_name: r.display_name,
            email: r.email,
            role: r.role,
            active: r.active,
            two_step: None,
        })
        .collect())
}

/// Someone named in an audit event about their membership.
pub struct Named<'a> {
    pub display_name: &'a str,
    pub email: &'a str,
}

/// Changes the member's role, with its audit event: their role before, or `None` if they are
/// not a member.
pub async fn change_committee_member_role(
    db: &mut PgConnection,
    committee_id: Uuid,
    person_id: Uuid,
    role: CommitteeRole,
) -> Result<Option<String>, AppError> {
    let Some(before) = sqlx::query_scalar!(
        r#"update committee_memberships m set role = $3
             from committee_memberships old
            where m.committee_id = $1 and m.person_id = $2
              and old.committee_id = m.committee_id and old.person_id = m.person_id
            returning old.role"#,
        committee_id,
        person_id,
        role.code()
    )
    .fetch_optional(&mut *db)
    .await?
    else {
        return Ok(None);
    };
    membership_event(
        db,
        Scope::Committee(committee_id),
        person_id,
        Operation::Update,
        format!("Changed a member's role to {}", role.label().to_lowercase()),
        Some(serde_json::json!({ "role": before })),
        Some(serde_json::json!({ "role": role.code() })),
    )
    .await?;
    Ok(Some(before))
}

/// Lead officers left in the committee, counted after a change in the same transaction: the
/// row lock taken by `for update` keeps two lead officers from demoting each other at once.
pub async fn lead_officer_count(db: &mut PgConnection, committee_id: Uuid) -> Result<i64, AppError> {
    let leads = sqlx::query_scalar!(
        r#"select person_id from committee_memberships
            where committee_id = $1 and role = 'lead_officer' for update"#,
        committee_id
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(leads.len() as i64)
}

/// Adds the committee membership and its audit event; `false` (nothing written) when the
/// person already belongs to the committee.
pub async fn add_committee_member(
    db: &mut PgConnection,
    committee_id: Uuid,
    person_id: Uuid,
    role: CommitteeRole,
    who: &Named<'_>,
) -> Result<bool, AppError> {
    add_member(db, Scope::Committee(committee_id), person_id, (role.code(), role.label()), who).await
}

/// Adds the subgroup membership and its audit event; `false` when already a member.
pub async fn add_subgroup_member(
    db: &mut PgConnection,
    subgroup_id: Uuid,
    person_id: Uuid,
    role: SubgroupRole,
    who: &Named<'_>,
) -> Result<bool, AppError> {
    add_member(db, Scope::Subgroup(subgroup_id), person_id, (role.code(), role.label()), who).await
}

/// Removes the committee member, with its audit event: their role, or `None` if they were not
/// a member.
pub async fn remove_committee_member(
    db: &mut PgConnection,
    committee_id: Uuid,
    person_id: Uuid,
) -> Result<Option<String>, AppError> {
    remove_member(db, Scope::Committee(committee_id), person_id).await
}

/// Removes the subgroup member, with its audit event: the role they had, if any.
pub async fn remove_subgroup_member(
    db: &mut PgConnection,
    subgroup_id: Uuid,
    person_id: Uuid,
) -> Result<Option<String>, AppError> {
    remove_member(db, Scope::Subgroup(subgroup_id), person_id).await
}

async fn add_member(
    db: &mut PgConnection,
    scope: Scope,
    person_id: Uuid,
    (code, label): (&str, &str),
    who: &Named<'_>,
) -> Result<bool, AppError> {
    let added = match scope {
        Scope::Committee(c) => sqlx::query!(
            r#"insert into committee_memberships (person_id, committee_id, role) values ($1, $2, $3)
               on conflict (person_id, committee_id) do nothing"#,
            person_id,
            c,
            code
        )
        .execute(&mut *db)
        .await?
        .rows_affected(),
        Scope::Subgroup(s) => sqlx::query!(
            r#"insert into subgroup_memberships (person_id, subgroup_id, role) values ($1, $2, $3)
               on conflict (person_id, subgroup_id) do nothing"#,
            person_id,
            s,
            code
        )
        .execute(&mut *db)
        .await?
        .rows_affected(),
    };
    if added != 1 {
        return Ok(false);
    }
    let summary = format!("Added {} ({}) as {}", who.display_name, who.email, label.to_lowercase());
    let after = serde_json::json!({ "person": who.email, "role": code });
    membership_event(db, scope, person_id, Operation::Insert, summary, None, Some(after)).await?;
    Ok(true)
}

/// The event is written first, while the acting person (who may be removing themselves) still
/// belongs to the committee or subgroup whose trail it goes into; it is one transaction anyway.
async fn remove_member(db: &mut PgConnection, scope: Scope, person_id: Uuid) -> Result<Option<String>, AppError> {
    let before = match scope {
        Scope::Committee(c) => {
            sqlx::query_scalar!(
                "select role from committee_memberships where committee_id = $1 and person_id = $2 for update",
                c,
                person_id
            )
            .fetch_optional(&mut *db)
            .await?
        }
        Scope::Subgroup(s) => {
            sqlx::query_scalar!(
                "select role from subgroup_memberships where subgroup_id = $1 and person_id = $2 for update",
                s,
                person_id
            )
            .fetch_optional(&mut *db)
            .await?
        }
    };
    let Some(before) = before else { return Ok(None) };
    let was = serde_json::json!({ "role": before });
    membership_event(db, scope, person_id, Operation::Delete, "Removed a member".into(), Some(was), None).await?;
    match scope {
        Scope::Committee(c) => {
            sqlx::query!("delete from committee_memberships where committee_id = $1 and person_id = $2", c, person_id)
                .execute(&mut *db)
                .await?
        }
        Scope::Subgroup(s) => {
            sqlx::query!("delete from subgroup_memberships where subgroup_id = $1 and person_id = $2", s, person_id)
                .execute(&mut *db)
                .await?
        }
    };
    Ok(Some(before))
}

/// The audit event of a change to a membership: in the committee's trail or the subgroup's.
async fn membership_event(
    db: &mut PgConnection,
    scope: Scope,
    person_id: Uuid,
    operation: Operation,
    summary: String,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), AppError> {
    let (committee_id, subgroup_id, entity) = match scope {
        Scope::Committee(c) => (Some(c), None, Entity::Membership),
        Scope::Subgroup(s) => (None, Some(s), Entity::SubgroupMembership),
    };
    audit::record(
        db,
        AuditEvent { committee_id, subgroup_id, entity, entity_id: Some(person_id), operation, summary, before, after },
    )
    .await
}

/// Whose memberships: a committee's or a subgroup's.
#[derive(Clone, Copy)]
enum Scope {
    Committee(Uuid),
    Subgroup(Uuid),
}

/// A committee or subgroup: its id and how pages name it.
pub struct NamedRef {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub short_name: String,
}

impl NamedRef {
    /// How pages name it.
    pub fn committee_ref(&self) -> crate::domain::views::CommitteeRef {
        crate::domain::views::CommitteeRef {
            slug: self.slug.clone(),
            name: self.name.clone(),
            short_name: self.short_name.clone(),
        }
    }
}

pub async fn committee_by_slug(db: &mut PgConnection, slug: &str) -> Result<Option<NamedRef>, AppError> {
    let row = sqlx::query!("select id, slug, name, short_name from committees where slug = $1", slug)
        .fetch_optional(&mut *db)
        .await?;
    Ok(row.map(|r| NamedRef { id: r.id, slug: r.slug, name: r.name, short_name: r.short_name }))
}

pub async fn subgroup_by_slug(db: &mut PgConnection, slug: &str) -> Result<Option<NamedRef>, AppError> {
    let row = sqlx::query!("select id, slug, name, short_name from subgroups where slug = $1", slug)
        .fetch_optional(&mut *db)
        .await?;
    Ok(row.map(|r| NamedRef { id: r.id, slug: r.slug, name: r.name, short_name: r.short_name }))
}

/// The committees taking part in a subgroup: a regional one's participants, a local one's
/// committee.
pub async fn subgroup_committee_ids(db: &mut PgConnection, subgroup_id: Uuid) -> Result<Vec<Uuid>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select committee_id as "id!" from subgroup_committees where subgroup_id = $1
           union
           select committee_id as "id!" from subgroups where id = $1 and committee_id is not null"#,
        subgroup_id
    )
    .fetch_all(&mut *db)
    .await?)
}
