//! Signing in and out, passwords, and accepting an invitation.

use crate::domain::views::InvitationView;
use crate::error::AppError;
use leptos::prelude::*;

/// Requires: nothing (anyone may try; attempts are throttled).
#[server(endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String, #[server(default)] next: String) -> Result<(), AppError> {
    use crate::domain::account::{safe_return_path, throttle_keys, THROTTLE_MINUTES};
    use crate::domain::text::MAX_PASSWORD;
    use crate::domain::two_step::AfterPassword;
    use crate::server::auth::{password, session};
    use crate::server::{db, db::people, request, state::app_state};

    let keys = throttle_keys(&email, &request::client_addr());
    let pool = app_state()?.pool;
    // Counted before it is checked, in one step, so parallel guesses cannot slip past.
    let mut tx = db::begin_as(&pool, None).await?;
    let Some(attempt) = people::claim_attempt(&mut tx, &keys).await? else {
        return Err(AppError::TooManyRequests(format!(
            "Too many failed attempts to sign in. Please wait {THROTTLE_MINUTES} minutes and try again. \
             If you have forgotten your password, a platform admin can give you a new one-time sign-in link."
        )));
    };
    let credentials = people::credentials(&mut tx, &email).await?;
    tx.commit().await?;
    let (person, version, hash) = match credentials {
        Some(c) => (Some(c.person_id), c.auth_version, c.password_hash),
        None => (None, 0, None),
    };
    // No password is longer than the limit, but checking one still takes the usual time.
    let too_long = password.chars().count() > MAX_PASSWORD;
    let matches = password::verify(if too_long { String::new() } else { password }, hash).await && !too_long;
    let Some(person_id) = person.filter(|_| matches) else {
        return Err(AppError::BadCredentials);
    };
    // The password matched: the second step, if two-step is on or required of them.
    let mut tx = db::begin_as(&pool, None).await?;
    people::attempt_succeeded(&mut tx, attempt, &keys[0].key).await?;
    let standing = db::two_step::standing(&mut tx, person_id).await?;
    let platform = app_state()?.two_step_required;
    let after = standing.map_or(AfterPassword::SignedIn, |s| s.next_step(platform));
    if after == AfterPassword::SetUp {
        // What they will scan: a secret of their own, acting as them (they proved who they are).
        db::act_as(&mut tx, person_id).await?;
        db::two_step::begin(&mut tx, &crate::server::auth::two_step::new_secret()).await?;
    }
    tx.commit().await?;
    let session = request::session()?;
    let next = safe_return_path(&next);
    if after == AfterPassword::SignedIn {
        session::start(&session, person_id, version).await?;
        return request::redirect(&next);
    }
    let pending = session::PendingSignIn {
        person_id,
        auth_version: version,
        email: email.trim().to_lowercase(),
        next_step: after,
        next,
        since: session::now(),
    };
    session::start_pending(&session, pending).await?;
    request::redirect(if after == AfterPassword::Code { "/sign-in/code" } else { "/sign-in/two-step" })
}

/// Requires: nothing (signing out without a session changes nothing).
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::{auth::session, request};
    session::end(&request::session()?).await?;
    request::redirect("/")
}

/// Requires: someone signed in. Changes their password and ends every other session of theirs.
#[server(endpoint = "change_password")]
pub async fn change_password(current_password: String, password: String, confirm: String) -> Result<(), AppError> {
    use crate::domain::account::check_new_password;
    use crate::server::auth::{password as pw, session};
    use crate::server::db::people;
    use crate::server::{authz, request};

    let (viewer, mut tx) = request::begin().await?;
    let viewer = authz::require_signed_in(viewer)?;
    check_new_password(&password, &confirm, &viewer.shown.email)?;
    let stored = people::own_password_hash(&mut tx).await?;
    if !pw::verify(current_password, stored).await {
        return Err(AppError::invalid("current_password", "That is not your current password."));
    }
    let hash = pw::hash(password).await?;
    let version = people::set_own_password(&mut tx, &hash, &viewer).await?;
    tx.commit().await?;
    session::renew(&request::session()?, version).await?;
    request::notice("Your password is changed. You have been signed out everywhere else.").await
}

/// Requires: a one-time link that is still good. Who it is for, for the set-password page.
#[server(endpoint = "invitation")]
pub async fn get_invitation(token: String) -> Result<InvitationView, AppError> {
    use crate::server::auth::token::hash_token;
    use crate::server::{db, db::people, state::app_state};
    let mut tx = db::begin_as(&app_state()?.pool, None).await?;
    let invitee = people::invitation_person(&mut tx, &hash_token(&token)).await?.ok_or_else(expired_link)?;
    tx.commit().await?;
    Ok(InvitationView { display_name: invitee.display_name, email: invitee.email })
}

#[cfg(feature = "ssr")]
fn expired_link() -> AppError {
    AppError::NotFound(
        "this sign-in link: it may have been used already, replaced by a newer one, or have expired. Ask the person who invited you, or a platform admin, for a new one"
            .into(),
    )
}

/// Requires: a one-time link that is still good (anyone may hold it). Sets the invited
/// person's password from it and signs them in.
#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String, password: String, confirm: String) -> Result<(), AppError> {
    use crate::domain::account::check_new_password;
    use crate::server::auth::{password as pw, session, token::hash_token};
    use crate::server::{db, db::people, request, state::app_state};

    let token_hash = hash_token(&token);
    let pool = app_state()?.pool;
    let mut tx = db::begin_as(&pool, None).await?;
    let invitee = people::invitation_person(&mut tx, &token_hash).await?.ok_or_else(expired_link)?;
    check_new_password(&password, &confirm, &invitee.email)?;
    let hash = pw::hash(password).await?;
    let (person_id, version) =
        people::redeem_invitation(&mut tx, &token_hash, &hash, &invitee).await?.ok_or_else(expired_link)?;
    tx.commit().await?;
    session::start(&request::session()?, person_id, version).await?;
    request::notice(format!("Welcome, {}. Your password is set and you are signed in.", invitee.display_name)).await?;
    request::redirect("/account")
}
