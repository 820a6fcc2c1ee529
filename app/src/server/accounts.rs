//! Inviting people, and the rule for who may set whose password: shared by committee lead
//! officers, subgroup chairs and platform admins.

use crate::domain::account::{parse_display_name, parse_email};
use crate::error::{AppError, FieldError};
use crate::server::auth::token::new_token;
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
}

/// The account with this email, or a new one without a password.
pub async fn find_or_create(db: &mut PgConnection, p: &NewPerson) -> Result<Invitee, AppError> {
    match people::person_by_email(db, &p.email).await? {
        Some(person_id) => Ok(Invitee { person_id }),
        None => Ok(Invitee { person_id: people::create_person(db, &p.email, &p.display_name).await? }),
    }
}

/// What an invitation gave the inviter, by the rule for who may set a person's password:
///
/// | the person invited | outcome |
/// |---|---|
/// | nobody has that email | a new person, and a link for the inviter to pass on |
/// | has a password | the membership; they sign in as usual |
/// | pending, every membership theirs is the inviter's to manage | a new link (earlier ones stop working) |
/// | pending, with a membership someone else manages | the membership, no link: their link from that invitation works for this one too, or a platform admin issues a new one |
///
/// A platform admin manages every membership, so gets a link for anyone pending. The
/// database enforces the same rule (`app.may_issue_link`), whatever the caller asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invited {
    Link(String),
    SignsInAsUsual,
    InvitedElsewhere,
}

impl Invited {
    /// The confirmation the inviter sees, after `added` ("Ann is now a member of …").
    pub fn message(&self, added: &str) -> String {
        match self {
            Invited::Link(_) => format!(
                "{added} Send them this one-time link to set their password (it works once, for {} days; \
                 any earlier link of theirs no longer works):",
                crate::domain::account::LINK_VALID_DAYS
            ),
            Invited::SignsInAsUsual => format!("{added} They already have an account and can sign in as usual."),
            Invited::InvitedElsewhere => format!(
                "{added} They were invited by another committee or subgroup and have not set their password yet: \
                 the link from that invitation works for this one too, or a platform admin can issue a new one."
            ),
        }
    }
}

/// Applies the rule above once the membership is in place.
pub async fn invitation_outcome(
    db: &mut PgConnection,
    invitee: &Invitee,
    committee_id: Option<Uuid>,
    subgroup_id: Option<Uuid>,
) -> Result<Invited, AppError> {
    match people::invitee_standing(db, invitee.person_id).await? {
        Some(people::Standing::Active) => Ok(Invited::SignsInAsUsual),
        Some(people::Standing::Foreign) => Ok(Invited::InvitedElsewhere),
        Some(people::Standing::Managed) => {
            issue_link(db, invitee.person_id, committee_id, subgroup_id).await?.map(Invited::Link).ok_or_else(|| {
                tracing::error!("the database refused a link the invitation rule allows");
                AppError::Internal
            })
        }
        None => {
            tracing::error!("an invited person vanished within the invitation");
            Err(AppError::Internal)
        }
    }
}

/// A fresh one-time link for the person if the acting person may issue one; earlier unused
/// links stop working. `None` when the rule refuses.
pub async fn issue_link(
    db: &mut PgConnection,
    person_id: Uuid,
    committee_id: Option<Uuid>,
    subgroup_id: Option<Uuid>,
) -> Result<Option<String>, AppError> {
    let (token, token_hash) = new_token();
    let issued = people::issue_invitation(
        db,
        NewInvitation {
            person_id,
            committee_id,
            subgroup_id,
            token_hash: &token_hash,
            valid_days: crate::domain::account::LINK_VALID_DAYS,
        },
    )
    .await?;
    Ok(issued.then_some(token))
}

/// A new one-time link for someone who has forgotten their password, issued by a platform
/// admin (the only one who may issue a link for someone with a password), with its audit event.
pub async fn reset_link(db: &mut PgConnection, person_id: Uuid, name: &str) -> Result<String, AppError> {
    let (token, token_hash) = new_token();
    if !people::issue_reset_link(db, person_id, &token_hash, crate::domain::account::LINK_VALID_DAYS, name).await? {
        return Err(AppError::Forbidden);
    }
    Ok(token)
}
