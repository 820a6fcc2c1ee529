//! What platform admins set up: committees and subgroups (with their audit events), and what
//! the admin page lists. Each write leaves an audit event in the caller's transaction.

use crate::error::AppError;
use crate::server::db::audit::{self, record, AuditEvent};
use sqlx::PgConnection;
use uuid::Uuid;

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
    audit_insert(db, Some(id), None, audit::Entity::Committee, id, format!("Created committee {}", c.name)).await?;
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
    audit_insert(db, s.local_committee, Some(id), audit::Entity::Subgroup, id, format!("Created subgroup {}", s.name))
        .await?;
    Ok(id)
}

/// Everyone on the platform with their memberships, for platform admins (row-level security
/// shows others nothing here).
pub async fn people_overview(db: &mut PgConnection) -> Result<Vec<crate::domain::views::AdminPerson>, AppError> {
    let rows = sqlx::query!(
        r#"select p.id, p.display_name, p.email, p.is_platform_admin, p.password_set_at is not null as "active!",
                  (p.deactivated_at at time zone 'Europe/London')::date::text as deactivated_on,
                  array(select c.short_name || ': ' || replace(initcap(replace(m.role, '_', ' ')), 'Officer', 'officer')
                          from committee_memberships m join committees c on c.id = m.committee_id
                         where m.person_id = p.id order by c.name)
                  || array(select s.short_name || ': ' || initcap(m.role)
                          from subgroup_memberships m join subgroups s on s.id = m.subgroup_id
                         where m.person_id = p.id order by s.name) as "memberships!",
                  p.id = any (two_step.ids) as "two_step!"
             from people p, (select app.two_step_people() as ids) two_step
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
            deactivated_on: r.deactivated_on,
            memberships: r.memberships,
            two_step: r.two_step,
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
                    two_step: None,
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

/// A person's name and email, if the acting person may see them.
pub async fn person_label(db: &mut PgConnection, person_id: Uuid) -> Result<Option<(String, String)>, AppError> {
    let row = sqlx::query!("select display_name, email from people where id = $1", person_id)
        .fetch_optional(&mut *db)
        .await?;
    Ok(row.map(|r| (r.display_name, r.email)))
}

pub(crate) async fn audit_insert(
    db: &mut PgConnection,
    committee_id: Option<Uuid>,
    subgroup_id: Option<Uuid>,
    entity: audit::Entity,
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
            operation: audit::Operation::Insert,
            summary,
            before: None,
            after: None,
        },
    )
    .await
}
