//! Two-step sign-in in the database: secrets, accepted steps and recovery-code hashes are
//! reachable only through the database's own functions (`auth.two_step_*`, `app.*_two_step`),
//! and every change is written here with its audit event.

use crate::domain::two_step::Standing;
use crate::error::AppError;
use crate::server::db::audit::{self, AuditEvent, Entity, Operation};
use crate::server::db::people::person_event;
use sqlx::PgConnection;
use uuid::Uuid;

/// The person's name as the transaction's acting person may see it (empty when they may not).
pub async fn display_name(db: &mut PgConnection, person: Uuid) -> Result<String, AppError> {
    Ok(sqlx::query_scalar!("select display_name from people where id = $1", person)
        .fetch_optional(&mut *db)
        .await?
        .unwrap_or_default())
}

/// What the sign-in rule needs to know of someone whose password matched (`None`: no such
/// active person).
pub async fn standing(db: &mut PgConnection, person: Uuid) -> Result<Option<Standing>, AppError> {
    let row = sqlx::query!(
        r#"select enabled as "enabled!", is_admin as "is_admin!", is_lead as "is_lead!",
                  committee_requires as "committee_requires!"
             from auth.two_step_standing($1)"#,
        person
    )
    .fetch_optional(&mut *db)
    .await?;
    Ok(row.map(|r| Standing {
        enabled: r.enabled,
        is_admin: r.is_admin,
        is_lead: r.is_lead,
        committee_requires: r.committee_requires,
    }))
}

/// The secret a code is checked against: the confirmed one, or (`pending`) the one being set up.
pub async fn secret(db: &mut PgConnection, person: Uuid, pending: bool) -> Result<Option<Vec<u8>>, AppError> {
    Ok(sqlx::query_scalar!(r#"select auth.two_step_secret($1, $2) as "secret""#, person, pending)
        .fetch_one(&mut *db)
        .await?)
}

/// Accepts the code of `step` once: false when that step or a later one was used already.
pub async fn accept_step(db: &mut PgConnection, person: Uuid, step: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(r#"select auth.accept_step($1, $2) as "accepted!""#, person, step)
        .fetch_one(&mut *db)
        .await?)
}

/// Uses up a recovery code, with its audit event in the person's name (the transaction acts
/// as them): how many are left, or `None` when it is not one of theirs.
pub async fn use_recovery_code(
    db: &mut PgConnection,
    person: Uuid,
    hash: &str,
    name: &str,
) -> Result<Option<i32>, AppError> {
    let left = sqlx::query_scalar!(r#"select auth.use_recovery_code($1, $2) as "left""#, person, hash)
        .fetch_one(&mut *db)
        .await?;
    if let Some(left) = left {
        person_event(db, person, format!("{name} signed in with a recovery code; {left} left")).await?;
    }
    Ok(left)
}

/// The acting person's two-step sign-in.
pub struct Own {
    pub enabled: bool,
    pub confirmed_at: Option<time::OffsetDateTime>,
    /// The secret being set up, if any.
    pub pending_secret: Option<Vec<u8>>,
    pub codes_left: i32,
}

pub async fn own(db: &mut PgConnection) -> Result<Own, AppError> {
    let row = sqlx::query!(
        r#"select enabled as "enabled!", confirmed_at, pending_secret, codes_left as "codes_left!"
             from app.own_two_step()"#
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::Unauthorized)?;
    Ok(Own {
        enabled: row.enabled,
        confirmed_at: row.confirmed_at,
        pending_secret: row.pending_secret,
        codes_left: row.codes_left,
    })
}

/// Starts setting up two-step for the acting person with `secret`: false when it is on already.
pub async fn begin(db: &mut PgConnection, secret: &[u8]) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(r#"select app.begin_two_step($1) as "begun!""#, secret).fetch_one(&mut *db).await?)
}

/// Turns two-step on for the acting person (`person`, named `name`) once a code of `step`
/// matched, with these recovery-code hashes and its audit event: their new auth version (their
/// other sessions end), or `None` when nothing was being set up.
pub async fn confirm(
    db: &mut PgConnection,
    person: Uuid,
    name: &str,
    step: i64,
    hashes: &[String],
) -> Result<Option<i32>, AppError> {
    let version = sqlx::query_scalar!(r#"select app.confirm_two_step($1, $2) as "version""#, step, hashes)
        .fetch_one(&mut *db)
        .await?;
    if version.is_some() {
        person_event(db, person, format!("{name} turned on two-step sign-in; their other sessions ended")).await?;
    }
    Ok(version)
}

/// New recovery codes for the acting person, with its audit event: false when two-step is off.
pub async fn replace_codes(
    db: &mut PgConnection,
    person: Uuid,
    name: &str,
    hashes: &[String],
) -> Result<bool, AppError> {
    let replaced = sqlx::query_scalar!(r#"select app.replace_recovery_codes($1) as "replaced!""#, hashes)
        .fetch_one(&mut *db)
        .await?;
    if replaced {
        person_event(db, person, format!("{name} made new two-step recovery codes; the old ones no longer work"))
            .await?;
    }
    Ok(replaced)
}

/// Turns the acting person's two-step off (and drops a setup not finished), with its audit
/// event: false when it was not on.
pub async fn turn_off(db: &mut PgConnection, person: Uuid, name: &str) -> Result<bool, AppError> {
    let off = sqlx::query_scalar!(r#"select app.turn_off_two_step() as "off!""#).fetch_one(&mut *db).await?;
    if off {
        person_event(db, person, format!("{name} turned off two-step sign-in")).await?;
    }
    Ok(off)
}

/// A platform admin turns off someone's two-step (authenticator and recovery codes lost), with
/// its audit event; their sessions end. False when refused or it was not on.
pub async fn reset(db: &mut PgConnection, person: Uuid, name: &str) -> Result<bool, AppError> {
    let reset = sqlx::query_scalar!(r#"select app.reset_two_step($1) as "reset!""#, person).fetch_one(&mut *db).await?;
    if reset {
        person_event(
            db,
            person,
            format!("Turned off two-step sign-in for {name} (authenticator lost); their sessions ended"),
        )
        .await?;
    }
    Ok(reset)
}

/// Which members of a committee have two-step on, for those who manage its members.
pub async fn committee_members(db: &mut PgConnection, committee: Uuid) -> Result<Vec<(Uuid, bool)>, AppError> {
    Ok(sqlx::query!(
        r#"select person_id as "person_id!", enabled as "enabled!" from app.committee_two_step($1)"#,
        committee
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|r| (r.person_id, r.enabled))
    .collect())
}

/// Whether a committee requires two-step sign-in of its lead officers.
pub async fn required_of_leads(db: &mut PgConnection, committee: Uuid) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!("select two_step_for_leads from committees where id = $1", committee)
        .fetch_optional(&mut *db)
        .await?
        .unwrap_or(false))
}

/// Requires two-step of a committee's lead officers, or stops, with its audit event in the
/// committee's trail: how many lead officers were signed out to set it up, or `None` when the
/// acting person may not.
pub async fn set_for_leads(
    db: &mut PgConnection,
    committee: Uuid,
    name: &str,
    on: bool,
) -> Result<Option<i32>, AppError> {
    let ended = sqlx::query_scalar!(r#"select app.set_two_step_for_leads($1, $2) as "ended""#, committee, on)
        .fetch_one(&mut *db)
        .await?;
    let Some(ended) = ended else { return Ok(None) };
    let summary = if on {
        format!("Required two-step sign-in of {name}'s lead officers; {ended} without it were signed out to set it up")
    } else {
        format!("Stopped requiring two-step sign-in of {name}'s lead officers")
    };
    audit::record(
        db,
        AuditEvent {
            committee_id: Some(committee),
            subgroup_id: None,
            entity: Entity::Committee,
            entity_id: Some(committee),
            operation: Operation::Update,
            summary,
            before: None,
            after: Some(serde_json::json!({ "two_step_for_leads": on })),
        },
    )
    .await?;
    Ok(Some(ended))
}
