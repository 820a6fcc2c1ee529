//! Operator work: what has no path through the application's own functions, for the demo
//! loader and operator commands, which run as the owner role. Creating the region, demo
//! accounts with passwords, handing a committee's action to a subgroup, dating a protocol
//! version as its source does; and switching the demo's transaction between the owner and the
//! server's role, so that everything else it loads goes through the real functions, as the
//! people who would do it, under row-level security.

use crate::domain::numbering::ObjectiveNumber;
use crate::error::AppError;
use crate::server::db::admin::audit_insert;
use crate::server::db::audit::{self, record, AuditEvent};
use sqlx::PgConnection;
use time::Date;
use uuid::Uuid;

/// From here to the end of the transaction (or `as_owner`), act as the server's role, whose
/// every statement row-level security checks (the owner is a member of fv_app for this).
pub async fn as_server_role(db: &mut PgConnection) -> Result<(), AppError> {
    sqlx::query!("set local role fv_app").execute(&mut *db).await?;
    Ok(())
}

/// Back to the owner role, for the next operator step.
pub async fn as_owner(db: &mut PgConnection) -> Result<(), AppError> {
    sqlx::query!("reset role").execute(&mut *db).await?;
    Ok(())
}

/// The platform's region (slug, name): made by the demo loader, or by `server create-admin`
/// on a database that has none.
pub const HOME_REGION: (&str, &str) = ("forth-valley", "Forth Valley");

pub async fn create_region(db: &mut PgConnection, slug: &str, name: &str) -> Result<Uuid, AppError> {
    let id = sqlx::query_scalar!(r#"insert into regions (slug, name) values ($1, $2) returning id"#, slug, name)
        .fetch_one(&mut *db)
        .await?;
    audit_insert(db, None, None, audit::Entity::Region, id, format!("Created region {name}")).await?;
    Ok(id)
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
            entity: audit::Entity::Action,
            entity_id: Some(action_id),
            operation: audit::Operation::Update,
            summary: format!("Action handed to subgroup {subgroup_slug}"),
            before: Some(serde_json::json!({ "owner_committee_id": before })),
            after: Some(serde_json::json!({ "owner_subgroup_id": subgroup })),
        },
    )
    .await
}

async fn subgroup_id(db: &mut PgConnection, slug: &str) -> Result<Uuid, AppError> {
    sqlx::query_scalar!(r#"select id from subgroups where slug = $1 order by created_at limit 1"#, slug)
        .fetch_optional(&mut *db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("subgroup \"{slug}\"")))
}

/// A ready-to-use account with a password (the demo loader only; real people are invited and
/// set their own).
pub async fn create_demo_person(
    db: &mut PgConnection,
    email: &str,
    display_name: &str,
    password_hash: &str,
    is_admin: bool,
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
    audit_insert(db, None, None, audit::Entity::Person, id, format!("Created demo account {email}")).await?;
    Ok(id)
}

/// Dates a protocol version as its source does (the application dates new versions today).
pub async fn date_protocol_version(
    db: &mut PgConnection,
    version_id: Uuid,
    effective_on: Date,
) -> Result<(), AppError> {
    sqlx::query!("update protocol_versions set effective_on = $2 where id = $1", version_id, effective_on)
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// `server create-admin`: the person with `email` as a platform admin (made if new, with
/// `display_name`), their earlier unused sign-in links withdrawn, and a new one-time link's
/// hash stored; one audit event. As the owner role, for the first admin of a deployment (or one
/// locked out), when no admin can do it in the application. A deactivated person is refused.
/// On a database with no region yet, the home region is made first (an admin's work starts
/// there: committees and subgroups belong to it).
pub async fn create_admin_link(
    db: &mut PgConnection,
    email: &str,
    display_name: &str,
    token_hash: &str,
    valid_days: i32,
) -> Result<AdminLink, AppError> {
    let region_created =
        !sqlx::query_scalar!(r#"select exists (select 1 from regions) as "exists!""#).fetch_one(&mut *db).await?;
    if region_created {
        create_region(db, HOME_REGION.0, HOME_REGION.1).await?;
    }
    let existing = sqlx::query!(
        r#"select id, deactivated_at is not null as "deactivated!", is_platform_admin from people where lower(email) = lower($1)"#,
        email
    )
    .fetch_optional(&mut *db)
    .await?;
    let (id, created) = match existing {
        Some(p) if p.deactivated => {
            return Err(AppError::Conflict(format!("{email} was deactivated; a deactivated account is not reopened")))
        }
        Some(p) => {
            if !p.is_platform_admin {
                sqlx::query!("update people set is_platform_admin = true where id = $1", p.id)
                    .execute(&mut *db)
                    .await?;
            }
            (p.id, false)
        }
        None => {
            let id = sqlx::query_scalar!(
                r#"insert into people (email, display_name, is_platform_admin) values ($1, $2, true) returning id"#,
                email,
                display_name
            )
            .fetch_one(&mut *db)
            .await?;
            (id, true)
        }
    };
    sqlx::query!("update invitations set used_at = now() where person_id = $1 and used_at is null", id)
        .execute(&mut *db)
        .await?;
    sqlx::query!(
        r#"insert into invitations (person_id, token_hash, expires_at)
           values ($1, $2, now() + make_interval(days => $3))"#,
        id,
        token_hash,
        valid_days
    )
    .execute(&mut *db)
    .await?;
    let what = if created { "Created platform admin" } else { "Made platform admin and issued a sign-in link to" };
    audit_insert(db, None, None, audit::Entity::Person, id, format!("{what} {email} (server create-admin)")).await?;
    Ok(AdminLink { person_id: id, person_created: created, region_created })
}

pub struct AdminLink {
    pub person_id: Uuid,
    pub person_created: bool,
    pub region_created: bool,
}
