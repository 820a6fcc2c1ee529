//! Two-step sign-in: the code after the password, setting it up (from `/account`, or as one
//! signs in where it is required), recovery codes, turning it off, and the requirements a
//! committee's lead officers or a platform admin set.

use crate::domain::two_step::{OwnTwoStep, SetupView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod rules {
    use crate::domain::two_step::{AfterPassword, PlatformRequirement, Standing};
    use crate::error::AppError;
    use crate::server::auth::session::{self, PendingSignIn};
    use crate::server::auth::viewer::Viewer;
    use crate::server::{db, db::two_step, request, state::app_state};
    use sqlx::{PgConnection, Postgres, Transaction};
    use uuid::Uuid;

    /// Who is setting two-step up: someone signed in, or someone made to as they sign in.
    pub enum Setter {
        SignedIn(Viewer),
        SigningIn(PendingSignIn),
    }

    impl Setter {
        pub fn person(&self) -> Uuid {
            match self {
                Setter::SignedIn(v) => v.id,
                Setter::SigningIn(p) => p.person_id,
            }
        }

        pub fn email(&self) -> String {
            match self {
                Setter::SignedIn(v) => v.shown.email.clone(),
                Setter::SigningIn(p) => p.email.clone(),
            }
        }
    }

    /// The setter: 401 for anyone else.
    pub async fn setter() -> Result<Setter, AppError> {
        if let Some(viewer) = request::viewer() {
            return Ok(Setter::SignedIn(viewer));
        }
        match session::pending(&request::session()?).await? {
            Some(p) if p.next_step == AfterPassword::SetUp => Ok(Setter::SigningIn(p)),
            _ => Err(AppError::Unauthorized),
        }
    }

    /// A transaction acting as the setter.
    pub async fn begin(setter: &Setter) -> Result<Transaction<'static, Postgres>, AppError> {
        db::begin_as(&app_state()?.pool, Some(setter.person())).await
    }

    /// What requires two-step of `person`, in words, if anything does.
    pub async fn required_by(db: &mut PgConnection, person: Uuid) -> Result<Option<&'static str>, AppError> {
        let platform = app_state()?.two_step_required;
        let Some(standing) = two_step::standing(db, person).await? else { return Ok(None) };
        Ok(required_words(&standing, platform))
    }

    fn required_words(standing: &Standing, platform: PlatformRequirement) -> Option<&'static str> {
        if !standing.required(platform) {
            None
        } else if standing.committee_requires {
            Some("a committee you are a lead officer of")
        } else {
            Some("the platform, for admins and lead officers")
        }
    }

    /// The current password, checked (it guards every change to two-step from a signed-in
    /// session, so a session left open cannot be turned against its owner).
    pub async fn check_password(db: &mut PgConnection, typed: String) -> Result<(), AppError> {
        use crate::server::auth::password;
        let stored = db::people::own_password_hash(db).await?;
        if !password::verify(typed, stored).await {
            return Err(AppError::invalid("current_password", "That is not your current password."));
        }
        Ok(())
    }

    /// A code attempt for `person`, counted before it is checked (as passwords are): its id,
    /// or 429 once too many were wrong.
    pub async fn claim_code_attempt(person: Uuid) -> Result<(Uuid, String), AppError> {
        use crate::domain::account::THROTTLE_MINUTES;
        let keys = crate::domain::two_step::code_throttle_keys(&person.to_string(), &request::client_addr());
        let mut tx = db::begin_as(&app_state()?.pool, None).await?;
        let attempt = db::people::claim_attempt(&mut tx, &keys).await?;
        tx.commit().await?;
        match attempt {
            Some(attempt) => Ok((attempt, keys[0].key.clone())),
            None => Err(AppError::TooManyRequests(format!(
                "Too many wrong codes. Please wait {THROTTLE_MINUTES} minutes and try again. If you have lost your \
                 phone, use one of your recovery codes; if you have lost those too, a platform admin can turn \
                 two-step sign-in off for you."
            ))),
        }
    }
}

/// Requires: a sign-in whose password matched, waiting for its second step (anyone may try;
/// attempts are throttled). Without one, back to the sign-in page.
#[server(endpoint = "sign_in_code")]
pub async fn sign_in_code(code: String) -> Result<(), AppError> {
    use crate::domain::two_step::{parse_code, wrong_code, AfterPassword, Code};
    use crate::server::auth::{session, two_step as totp};
    use crate::server::{db, db::two_step, request, state::app_state};

    let session = request::session()?;
    let Some(pending) = session::pending(&session).await?.filter(|p| p.next_step == AfterPassword::Code) else {
        return request::redirect("/sign-in?again=1");
    };
    let typed = parse_code(&code)?;
    let (attempt, key) = rules::claim_code_attempt(pending.person_id).await?;
    let pool = app_state()?.pool;
    let mut tx = db::begin_as(&pool, Some(pending.person_id)).await?;
    let name = crate::server::db::two_step::display_name(&mut tx, pending.person_id).await?;
    let codes_left = match typed {
        Code::App(digits) => {
            let secret = two_step::secret(&mut tx, pending.person_id, false).await?;
            let step = secret.and_then(|s| totp::matching_step(&s, &digits, session::now()));
            match step {
                Some(step) if two_step::accept_step(&mut tx, pending.person_id, step).await? => None,
                _ => return Err(wrong_code()),
            }
        }
        Code::Recovery(code) => {
            let hash = totp::hash_recovery_code(&code);
            Some(two_step::use_recovery_code(&mut tx, pending.person_id, &hash, &name).await?.ok_or_else(wrong_code)?)
        }
    };
    db::people::attempt_succeeded(&mut tx, attempt, &key).await?;
    tx.commit().await?;
    session::start(&session, pending.person_id, pending.auth_version).await?;
    if let Some(left) = codes_left {
        request::notice(format!(
            "You signed in with a recovery code; it will not work again. {left} left{}",
            if left <= 3 { ": make new ones from your account page." } else { "." }
        ))
        .await?;
    }
    request::redirect(&pending.next)
}

/// Requires: someone signed in, or signing in and made to set two-step up. What they scan or
/// type into their app; `None` when nothing is being set up.
#[server(endpoint = "two_step_setup")]
pub async fn get_two_step_setup() -> Result<Option<SetupView>, AppError> {
    use crate::server::{auth::two_step as totp, db::two_step};
    let setter = rules::setter().await?;
    let mut tx = rules::begin(&setter).await?;
    let own = two_step::own(&mut tx).await?;
    tx.commit().await?;
    let during_sign_in = matches!(setter, rules::Setter::SigningIn(_));
    Ok(own.pending_secret.and_then(|secret| totp::setup_view(&secret, &setter.email(), during_sign_in)))
}

/// Requires: someone signed in. Their two-step sign-in, for their account page.
#[server(endpoint = "own_two_step")]
pub async fn get_own_two_step() -> Result<OwnTwoStep, AppError> {
    use crate::server::{authz, db::two_step, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = authz::require_signed_in(viewer)?;
    let own = two_step::own(&mut tx).await?;
    let required_by = rules::required_by(&mut tx, viewer.id).await?;
    tx.commit().await?;
    Ok(OwnTwoStep {
        enabled: own.enabled,
        since: own.confirmed_at.map(|t| crate::domain::dates::long_date(&t.date().to_string())),
        codes_left: own.codes_left,
        required_by: required_by.map(str::to_owned),
    })
}

/// Requires: someone signed in. Starts setting up two-step with a new secret (replacing one
/// not yet confirmed), and goes to the page that shows it.
#[server(endpoint = "begin_two_step")]
pub async fn begin_two_step() -> Result<(), AppError> {
    use crate::server::{auth::two_step as totp, authz, db::two_step, request};
    let (viewer, mut tx) = request::begin().await?;
    authz::require_signed_in(viewer)?;
    let begun = two_step::begin(&mut tx, &totp::new_secret()).await?;
    tx.commit().await?;
    if !begun {
        request::notice("Two-step sign-in is on already.").await?;
        return request::redirect("/account");
    }
    request::redirect("/account/two-step")
}

/// Requires: someone signed in (with their current password), or signing in and made to set
/// two-step up. Turns it on once a code from their app matches: their other sessions end, and
/// they are shown their recovery codes once.
#[server(endpoint = "confirm_two_step")]
pub async fn confirm_two_step(code: String, #[server(default)] current_password: String) -> Result<(), AppError> {
    use crate::domain::two_step::{parse_app_code, wrong_code};
    use crate::server::auth::{session, two_step as totp};
    use crate::server::{db::two_step, request};

    let setter = rules::setter().await?;
    let digits = parse_app_code(&code)?;
    let person = setter.person();
    let (attempt, key) = rules::claim_code_attempt(person).await?;
    let mut tx = rules::begin(&setter).await?;
    if let rules::Setter::SignedIn(_) = setter {
        rules::check_password(&mut tx, current_password).await?;
    }
    let name = crate::server::db::two_step::display_name(&mut tx, person).await?;
    let secret = two_step::secret(&mut tx, person, true).await?;
    let Some(secret) = secret else {
        return Err(AppError::Conflict(
            "Nothing is being set up: start again from your account page (two-step sign-in may be on already).".into(),
        ));
    };
    let step = totp::matching_step(&secret, &digits, session::now()).ok_or_else(wrong_code)?;
    let (codes, hashes) = totp::new_recovery_codes();
    let version = two_step::confirm(&mut tx, person, &name, step, &hashes)
        .await?
        .ok_or(AppError::Conflict("Two-step sign-in was turned on already, from another page or device.".into()))?;
    crate::server::db::people::attempt_succeeded(&mut tx, attempt, &key).await?;
    tx.commit().await?;
    let session_now = request::session()?;
    let next = match &setter {
        rules::Setter::SignedIn(_) => {
            session::renew(&session_now, version).await?;
            "/account".to_owned()
        }
        rules::Setter::SigningIn(p) => {
            session::start(&session_now, person, version).await?;
            p.next.clone()
        }
    };
    request::notice_with_codes(
        "Two-step sign-in is on. From now on you will be asked for a code from your app after your password, \
         and you have been signed out everywhere else. If you lose your phone, each of these recovery codes \
         signs you in once:",
        &codes,
    )
    .await?;
    request::redirect(&next)
}

/// Requires: someone signed in, with their current password. New recovery codes, shown once;
/// the old ones stop working.
#[server(endpoint = "new_recovery_codes")]
pub async fn new_recovery_codes(current_password: String) -> Result<(), AppError> {
    use crate::server::{auth::two_step as totp, authz, db::two_step, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = authz::require_signed_in(viewer)?;
    rules::check_password(&mut tx, current_password).await?;
    let (codes, hashes) = totp::new_recovery_codes();
    let replaced = two_step::replace_codes(&mut tx, viewer.id, &viewer.shown.display_name, &hashes).await?;
    tx.commit().await?;
    if !replaced {
        return request::notice("Two-step sign-in is not on, so there are no recovery codes to replace.").await;
    }
    request::notice_with_codes("These are your new recovery codes; the old ones no longer work:", &codes).await
}

/// Requires: someone signed in, with their current password, of whom two-step is not
/// required. Turns it off.
#[server(endpoint = "turn_off_two_step")]
pub async fn turn_off_two_step(current_password: String) -> Result<(), AppError> {
    use crate::server::{authz, db::two_step, request};
    let (viewer, mut tx) = request::begin().await?;
    let viewer = authz::require_signed_in(viewer)?;
    rules::check_password(&mut tx, current_password).await?;
    if let Some(by) = rules::required_by(&mut tx, viewer.id).await? {
        return Err(AppError::Conflict(format!("Two-step sign-in is required of you by {by}, so it stays on.")));
    }
    let off = two_step::turn_off(&mut tx, viewer.id, &viewer.shown.display_name).await?;
    tx.commit().await?;
    request::notice(if off {
        "Two-step sign-in is off: your password alone signs you in. Your recovery codes no longer work."
    } else {
        "Two-step sign-in was not on."
    })
    .await
}

/// Requires: a lead officer of the committee, or a platform admin. Requires two-step sign-in
/// of its lead officers (those without it are signed out and set it up as they next sign in),
/// or stops requiring it.
#[server(endpoint = "set_two_step_for_leads")]
pub async fn set_two_step_for_leads(committee: String, required: String) -> Result<(), AppError> {
    use crate::server::authz::{self, CommitteeNeed};
    use crate::server::{db::two_step, request};
    let (viewer, mut tx) = request::begin().await?;
    let c = authz::committee(&mut tx, viewer.as_ref(), &committee, CommitteeNeed::ManageMembers).await?;
    let on = match required.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::invalid("required", "Choose whether two-step sign-in is required.")),
    };
    let ended = two_step::set_for_leads(&mut tx, c.id, &c.name, on).await?.ok_or(AppError::Forbidden)?;
    let own_missing = on && authz::may_lead(viewer.as_ref(), c.id) && !two_step::own(&mut tx).await?.enabled;
    tx.commit().await?;
    let mut message = if on {
        format!(
            "Two-step sign-in is now required of {}'s lead officers. {ended} without it were signed out and will set it up as they next sign in.",
            c.name
        )
    } else {
        format!("Two-step sign-in is no longer required of {}'s lead officers.", c.name)
    };
    if own_missing {
        message
            .push_str(" You have not turned it on yourself: you will be asked to set it up the next time you sign in.");
    }
    request::notice(message).await
}

/// Requires: a platform admin. Turns off two-step for someone who has lost their authenticator
/// and their recovery codes; their sessions end, and they can set it up again.
#[server(endpoint = "reset_two_step")]
pub async fn reset_two_step(person: String) -> Result<(), AppError> {
    use crate::server::{authz, db::two_step, request};
    let (viewer, mut tx) = request::begin().await?;
    authz::require_admin(viewer)?;
    let not_found = || AppError::not_found("that person");
    let person = uuid::Uuid::parse_str(person.trim()).map_err(|_| not_found())?;
    let name = crate::server::db::two_step::display_name(&mut tx, person).await?;
    if name.is_empty() {
        return Err(not_found());
    }
    let reset = two_step::reset(&mut tx, person, &name).await?;
    tx.commit().await?;
    request::notice(if reset {
        format!("Two-step sign-in is off for {name}, and their sessions have ended. They sign in with their password and can set it up again.")
    } else {
        format!("{name} did not have two-step sign-in on.")
    })
    .await
}
