//! Inviting people: shared by committee lead officers, subgroup chairs and platform admins.

use crate::domain::account::{parse_display_name, parse_email, CommitteeRole, SubgroupRole};
use crate::error::{AppError, FieldError};
use crate::server::auth::token::new_token;
use crate::server::auth::viewer::Viewer;
use crate::server::db::members::{self, NamedRef};
use crate::server::db::people::{self, NewInvitation};
use sqlx::PgConnection;
use uuid::Uuid;

pub struct NewPerson {
    pub email: String,
    pub display_name: String,
}

/// Every problem with an invitation form at once.
pub fn validate_invitee(email: &str, display_name: &str, role_ok: bool) -> Result<NewPerson, AppError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let mut take = |r: Result<String, AppError>| match r {
        Ok(v) => Some(v),
        Err(AppError::Invalid(e)) => {
            errors.extend(e);
            None
        }
        Err(_) => None,
    };
    let email = take(parse_email(email));
    let display_name = take(parse_display_name(display_name));
    if !role_ok {
        errors.push(FieldError { field: "role".into(), message: "Choose a role from the list.".into() });
    }
    match (email, display_name) {
        (Some(email), Some(display_name)) if errors.is_empty() => Ok(NewPerson { email, display_name }),
        _ => Err(AppError::Invalid(errors)),
    }
}

pub struct Invitee {
    pub person_id: Uuid,
    pub is_new: bool,
}

/// The account with this email, or a new one without a password.
pub async fn find_or_create(db: &mut PgConnection, p: &NewPerson) -> Result<Invitee, AppError> {
    match people::person_by_email(db, &p.email).await? {
        Some(person_id) => Ok(Invitee { person_id, is_new: false }),
        None => Ok(Invitee { person_id: people::create_person(db, &p.email, &p.display_name).await?, is_new: true }),
    }
}

/// A one-time link for someone who has never set a password; `None` for everyone else.
pub async fn link_if_needed(
    db: &mut PgConnection,
    invitee: &Invitee,
    committee_id: Option<Uuid>,
    subgroup_id: Option<Uuid>,
    created_by: Uuid,
) -> Result<Option<String>, AppError> {
    if !invitee.is_new && people::has_password(db, invitee.person_id).await? {
        return Ok(None);
    }
    issue_link(db, invitee.person_id, committee_id, subgroup_id, created_by).await.map(Some)
}

/// A fresh one-time link for the person; earlier unused links stop working.
pub async fn issue_link(
    db: &mut PgConnection,
    person_id: Uuid,
    committee_id: Option<Uuid>,
    subgroup_id: Option<Uuid>,
    created_by: Uuid,
) -> Result<String, AppError> {
    let (token, token_hash) = new_token();
    people::create_invitation(
        db,
        NewInvitation {
            person_id,
            committee_id,
            subgroup_id,
            token_hash: &token_hash,
            created_by,
            valid_days: crate::api::members::LINK_VALID_DAYS,
        },
    )
    .await?;
    Ok(token)
}

/// The committee `slug` for someone who may manage its members (its lead officers and
/// platform admins): 404 when there is no such committee, 403 for anyone else.
pub async fn managed_committee(db: &mut PgConnection, viewer: &Viewer, slug: &str) -> Result<NamedRef, AppError> {
    let c = members::committee_by_slug(db, slug)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a committee called \"{slug}\"")))?;
    if viewer.has_role(c.id, CommitteeRole::LeadOfficer) || viewer.is_admin {
        Ok(c)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The subgroup `slug` for someone who may manage its members (its chair, platform admins).
pub async fn managed_subgroup(db: &mut PgConnection, viewer: &Viewer, slug: &str) -> Result<NamedRef, AppError> {
    let s = members::subgroup_by_slug(db, slug)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a subgroup called \"{slug}\"")))?;
    if viewer.subgroup_role(s.id) == Some(SubgroupRole::Chair) || viewer.is_admin {
        Ok(s)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The signed-in platform admin, or 401/403.
pub fn admin(viewer: Option<Viewer>) -> Result<Viewer, AppError> {
    let viewer = viewer.ok_or(AppError::Unauthorized)?;
    if viewer.is_admin {
        Ok(viewer)
    } else {
        Err(AppError::Forbidden)
    }
}
