//! People, credentials, sign-in throttling and one-time links. Password hashes are reachable
//! only through the database's own functions (app.credentials and friends): the server's role
//! cannot select or update that column.

use crate::domain::account::{CommitteeRole, MembershipView, SignedIn, SubgroupRole, ThrottleKey};
use crate::error::AppError;
use crate::server::auth::viewer::Viewer;
use crate::server::db::audit::{self, AuditEvent, Entity, Operation};
use sqlx::PgConnection;
use uuid::Uuid;

/// A signed-in person as the server keeps them: their viewer, the password version and the
/// access version (`access_versions`) they were loaded under.
pub struct LoadedViewer {
    pub viewer: Viewer,
    pub auth_version: i32,
    pub access: i64,
}

/// The person's access version: it moves in the same transaction as any change to their
/// memberships or account. `None`: no such person.
pub async fn access_version(pool: &sqlx::PgPool, person_id: Uuid) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar!(r#"select app.access_version($1) as "version""#, person_id).fetch_one(pool).await?)
}

/// The person's viewer and password version.
pub async fn load_viewer(db: &mut PgConnection, person_id: Uuid) -> Result<Option<(Viewer, i32)>, AppError> {
    Ok(load_signed_in(db, person_id).await?.map(|l| (l.viewer, l.auth_version)))
}

/// One membership as the viewer's query returns it.
#[derive(Debug, serde::Deserialize)]
struct MembershipRow {
    id: Uuid,
    slug: String,
    name: String,
    short_name: String,
    role: String,
}

/// The person with their memberships, the auth version their sessions must carry, and their
/// access version, in one statement (one snapshot). Runs in a transaction acting as that
/// person, so row-level security shows them exactly their own.
pub async fn load_signed_in(db: &mut PgConnection, person_id: Uuid) -> Result<Option<LoadedViewer>, AppError> {
    use sqlx::types::Json;
    let Some(person) = sqlx::query!(
        r#"select p.id, p.display_name, p.email, p.is_platform_admin, p.auth_version,
                  coalesce(app.access_version(p.id), 0) as "access!",
                  (select coalesce(json_agg(json_build_object('id', c.id, 'slug', c.slug, 'name', c.name,
                                                              'short_name', c.short_name, 'role', m.role)
                                            order by c.name), '[]')
                     from committee_memberships m join committees c on c.id = m.committee_id
                    where m.person_id = p.id) as "committees!: Json<Vec<MembershipRow>>",
                  (select coalesce(json_agg(json_build_object('id', s.id, 'slug', s.slug, 'name', s.name,
                                                              'short_name', s.short_name, 'role', m.role)
                                            order by s.name), '[]')
                     from subgroup_memberships m join subgroups s on s.id = m.subgroup_id
                    where m.person_id = p.id) as "subgroups!: Json<Vec<MembershipRow>>"
             from people p where p.id = $1"#,
        person_id
    )
    .fetch_optional(&mut *db)
    .await?
    else {
        return Ok(None);
    };
    let in_committees: Vec<(Uuid, CommitteeRole, MembershipView)> = person
        .committees
        .0
        .into_iter()
        .filter_map(|c| {
            let role = CommitteeRole::parse(&c.role)?;
            let shown =
                MembershipView { slug: c.slug, name: c.name, short_name: c.short_name, role: role.code().into() };
            Some((c.id, role, shown))
        })
        .collect();
    let in_subgroups: Vec<(Uuid, SubgroupRole, MembershipView)> = person
        .subgroups
        .0
        .into_iter()
        .filter_map(|s| {
            let role = SubgroupRole::parse(&s.role)?;
            let shown =
                MembershipView { slug: s.slug, name: s.name, short_name: s.short_name, role: role.code().into() };
            Some((s.id, role, shown))
        })
        .collect();
    let viewer = Viewer::new(
        person.id,
        person.is_platform_admin,
        in_committees.iter().map(|(id, role, _)| (*id, *role)).collect(),
        in_subgroups.iter().map(|(id, role, _)| (*id, *role)).collect(),
        SignedIn {
            display_name: person.display_name,
            email: person.email,
            is_admin: person.is_platform_admin,
            committees: in_committees.into_iter().map(|(_, _, m)| m).collect(),
            subgroups: in_subgroups.into_iter().map(|(_, _, m)| m).collect(),
        },
    );
    Ok(Some(LoadedViewer { viewer, auth_version: person.auth_version, access: person.access }))
}

pub struct Credentials {
    pub person_id: Uuid,
    pub password_hash: Option<String>,
    pub auth_version: i32,
}

pub async fn credentials(db: &mut PgConnection, email: &str) -> Result<Option<Credentials>, AppError> {
    let row = sqlx::query!(
        r#"select person_id as "person_id!", password_hash, auth_version as "auth_version!" from app.credentials($1)"#,
        email
    )
    .fetch_optional(&mut *db)
    .await?;
    Ok(row.map(|r| Credentials {
        person_id: r.person_id,
        password_hash: r.password_hash,
        auth_version: r.auth_version,
    }))
}

/// Counts a sign-in attempt against every limit in one atomic step (the keys are locked while
/// they are counted): the attempt's id while all limits allow it, `None` once one is reached.
/// The attempt counts as a failure until [`attempt_succeeded`] removes it, so parallel guesses
/// are counted before any of them is checked.
pub async fn claim_attempt(db: &mut PgConnection, keys: &[ThrottleKey]) -> Result<Option<Uuid>, AppError> {
    let names: Vec<String> = keys.iter().map(|k| k.key.clone()).collect();
    let limits: Vec<i32> = keys.iter().map(|k| k.limit).collect();
    let windows: Vec<i32> = keys.iter().map(|k| k.window_minutes).collect();
    Ok(sqlx::query_scalar!(r#"select auth.claim_attempt($1, $2, $3) as "attempt""#, &names, &limits, &windows)
        .fetch_one(&mut *db)
        .await?)
}

/// A successful sign-in: its attempt no longer counts, nor do earlier failures under `clear`.
pub async fn attempt_succeeded(db: &mut PgConnection, attempt: Uuid, clear: &str) -> Result<(), AppError> {
    sqlx::query!("delete from auth.sign_in_failures where attempt_id = $1 or key = $2", attempt, clear)
        .execute(&mut *db)
        .await?;
    Ok(())
}

pub async fn own_password_hash(db: &mut PgConnection) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar!(r#"select app.own_password_hash() as "hash""#).fetch_one(&mut *db).await?)
}

/// Sets the acting person's password, with its audit event; returns their new auth version
/// (their other sessions carry the old one and so end).
pub async fn set_own_password(db: &mut PgConnection, hash: &str, person: &Viewer) -> Result<i32, AppError> {
    let version = sqlx::query_scalar!(r#"select app.set_own_password($1) as "version""#, hash)
        .fetch_one(&mut *db)
        .await?
        .ok_or(AppError::Unauthorized)?;
    person_event(
        db,
        person.id,
        format!("{} changed their password; their other sessions ended", person.shown.display_name),
    )
    .await?;
    Ok(version)
}

pub struct Invitee {
    pub person_id: Uuid,
    pub display_name: String,
    pub email: String,
}

/// Who a one-time link is for, if it is still good.
pub async fn invitation_person(db: &mut PgConnection, token_hash: &str) -> Result<Option<Invitee>, AppError> {
    let row = sqlx::query!(
        r#"select person_id as "person_id!", display_name as "display_name!", email as "email!"
             from app.invitation_person($1)"#,
        token_hash
    )
    .fetch_optional(&mut *db)
    .await?;
    Ok(row.map(|r| Invitee { person_id: r.person_id, display_name: r.display_name, email: r.email }))
}

/// Uses a one-time link up and sets the password, with its audit event in the person's own
/// name: the person and their new auth version, or `None` when the link is unknown, used or
/// expired. The rest of the transaction acts as that person.
pub async fn redeem_invitation(
    db: &mut PgConnection,
    token_hash: &str,
    password_hash: &str,
    invitee: &Invitee,
) -> Result<Option<(Uuid, i32)>, AppError> {
    let row = sqlx::query!(
        r#"select person_id as "person_id!", auth_version as "auth_version!" from app.redeem_invitation($1, $2)"#,
        token_hash,
        password_hash
    )
    .fetch_optional(&mut *db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    // Who has just proved who they are with the link acts from here on.
    crate::server::db::act_as(db, row.person_id).await?;
    person_event(db, row.person_id, format!("{} accepted their invitation and set a password", invitee.display_name))
        .await?;
    Ok(Some((row.person_id, row.auth_version)))
}

/// The account with this email, for someone allowed to invite (otherwise always `None`).
pub async fn person_by_email(db: &mut PgConnection, email: &str) -> Result<Option<Uuid>, AppError> {
    Ok(sqlx::query_scalar!(r#"select app.person_by_email($1) as "id""#, email).fetch_one(&mut *db).await?)
}

/// A new account without a password. The id is made here rather than returned: row-level
/// security lets the inviter see the person only once they share a committee or subgroup,
/// which the caller's next statement (the membership) establishes.
pub async fn create_person(db: &mut PgConnection, email: &str, display_name: &str) -> Result<Uuid, AppError> {
    let id = Uuid::new_v4();
    sqlx::query!("insert into people (id, email, display_name) values ($1, $2, $3)", id, email, display_name)
        .execute(&mut *db)
        .await?;
    Ok(id)
}

/// Where a person stands for an invitation by the acting person (the database decides, since
/// the inviter cannot see memberships outside their own committees and subgroups).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Has a password: signs in as usual.
    Active,
    /// Never set a password, and every membership they hold is the acting person's to manage.
    Managed,
    /// Never set a password, and holds a membership someone else manages.
    Foreign,
}

pub async fn invitee_standing(db: &mut PgConnection, person_id: Uuid) -> Result<Option<Standing>, AppError> {
    let standing =
        sqlx::query_scalar!(r#"select app.invitee_standing($1) as "standing""#, person_id).fetch_one(&mut *db).await?;
    Ok(match standing.as_deref() {
        Some("active") => Some(Standing::Active),
        Some("managed") => Some(Standing::Managed),
        Some("foreign") => Some(Standing::Foreign),
        _ => None,
    })
}

pub struct NewInvitation<'a> {
    pub person_id: Uuid,
    pub committee_id: Option<Uuid>,
    pub subgroup_id: Option<Uuid>,
    pub token_hash: &'a str,
    pub valid_days: i32,
}

/// A new one-time link, if the acting person may issue one for this person (the database's
/// `app.may_issue_link`); their earlier unused links stop working. `false` when refused.
pub async fn issue_invitation(db: &mut PgConnection, i: NewInvitation<'_>) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select app.issue_invitation($1, $2, $3, $4, $5) as "issued!""#,
        i.person_id,
        i.committee_id,
        i.subgroup_id,
        i.token_hash,
        i.valid_days
    )
    .fetch_one(&mut *db)
    .await?)
}

/// A platform admin's new link for someone who forgot their password, with its audit event;
/// `false` when the acting person may not issue it.
pub async fn issue_reset_link(
    db: &mut PgConnection,
    person_id: Uuid,
    token_hash: &str,
    valid_days: i32,
    name: &str,
) -> Result<bool, AppError> {
    let issued = issue_invitation(
        db,
        NewInvitation { person_id, committee_id: None, subgroup_id: None, token_hash, valid_days },
    )
    .await?;
    if issued {
        person_event(db, person_id, format!("Issued a new sign-in link for {name}")).await?;
    }
    Ok(issued)
}

/// Deactivates someone who has left, for a platform admin (the database function checks it
/// again): their sessions end, their password and links stop working, their memberships go,
/// each with its audit event in that committee's or subgroup's trail, and one on the account.
/// Returns how many memberships were removed; 409 if they were deactivated already.
pub async fn deactivate(db: &mut PgConnection, person_id: Uuid, name: &str) -> Result<usize, AppError> {
    let already =
        sqlx::query_scalar!(r#"select deactivated_at is not null as "gone!" from people where id = $1"#, person_id)
            .fetch_optional(&mut *db)
            .await?
            .ok_or_else(|| AppError::not_found("that person"))?;
    if already {
        return Err(AppError::Conflict(format!("{name} was deactivated already.")));
    }
    let removed =
        sqlx::query!(r#"select committee_id, subgroup_id, role as "role!" from app.deactivate_person($1)"#, person_id)
            .fetch_all(&mut *db)
            .await?;
    let still =
        sqlx::query_scalar!(r#"select deactivated_at is null as "active!" from people where id = $1"#, person_id)
            .fetch_one(&mut *db)
            .await?;
    if still {
        return Err(AppError::Forbidden);
    }
    let events: Vec<AuditEvent> = removed
        .iter()
        .map(|m| AuditEvent {
            committee_id: m.committee_id,
            subgroup_id: m.subgroup_id,
            entity: if m.committee_id.is_some() { Entity::Membership } else { Entity::SubgroupMembership },
            entity_id: Some(person_id),
            operation: Operation::Delete,
            summary: format!("{name} left: deactivated by a platform admin"),
            before: Some(serde_json::json!({ "role": m.role })),
            after: None,
        })
        .collect();
    audit::record_many(db, &events).await?;
    person_event(
        db,
        person_id,
        format!(
            "Deactivated {name}: sessions ended, password and sign-in links void, {} memberships removed",
            removed.len()
        ),
    )
    .await?;
    Ok(removed.len())
}

/// The audit event of a change to someone's account (outside any committee's trail).
pub(crate) async fn person_event(db: &mut PgConnection, person_id: Uuid, summary: String) -> Result<(), AppError> {
    audit::record(
        db,
        AuditEvent {
            committee_id: None,
            subgroup_id: None,
            entity: Entity::Person,
            entity_id: Some(person_id),
            operation: Operation::Update,
            summary,
            before: None,
            after: None,
        },
    )
    .await
}
