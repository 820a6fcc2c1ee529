//! Committee and subgroup memberships. Every statement names the committee or subgroup, and
//! row-level security limits changes to that committee's lead officers (or the subgroup's
//! chair) and platform admins.

use crate::domain::account::{CommitteeRole, SubgroupRole};
use crate::domain::views::MemberView;
use crate::error::AppError;
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
        })
        .collect())
}

/// Adds the membership; `false` when the person already belongs to the committee.
pub async fn add_committee_member(
    db: &mut PgConnection,
    committee_id: Uuid,
    person_id: Uuid,
    role: CommitteeRole,
) -> Result<bool, AppError> {
    let added = sqlx::query!(
        r#"insert into committee_memberships (person_id, committee_id, role) values ($1, $2, $3)
           on conflict (person_id, committee_id) do nothing"#,
        person_id,
        committee_id,
        role.code()
    )
    .execute(&mut *db)
    .await?
    .rows_affected();
    Ok(added == 1)
}

/// The member's role before the change, or `None` if they are not a member.
pub async fn set_committee_role(
    db: &mut PgConnection,
    committee_id: Uuid,
    person_id: Uuid,
    role: CommitteeRole,
) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar!(
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
    .await?)
}

/// The removed member's role, or `None` if they were not a member.
pub async fn remove_committee_member(
    db: &mut PgConnection,
    committee_id: Uuid,
    person_id: Uuid,
) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar!(
        "delete from committee_memberships where committee_id = $1 and person_id = $2 returning role",
        committee_id,
        person_id
    )
    .fetch_optional(&mut *db)
    .await?)
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

pub async fn add_subgroup_member(
    db: &mut PgConnection,
    subgroup_id: Uuid,
    person_id: Uuid,
    role: SubgroupRole,
) -> Result<bool, AppError> {
    let added = sqlx::query!(
        r#"insert into subgroup_memberships (person_id, subgroup_id, role) values ($1, $2, $3)
           on conflict (person_id, subgroup_id) do nothing"#,
        person_id,
        subgroup_id,
        role.code()
    )
    .execute(&mut *db)
    .await?
    .rows_affected();
    Ok(added == 1)
}

pub async fn remove_subgroup_member(
    db: &mut PgConnection,
    subgroup_id: Uuid,
    person_id: Uuid,
) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar!(
        "delete from subgroup_memberships where subgroup_id = $1 and person_id = $2 returning role",
        subgroup_id,
        person_id
    )
    .fetch_optional(&mut *db)
    .await?)
}

/// A committee or subgroup: its id and how pages name it.
pub struct NamedRef {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub short_name: String,
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
