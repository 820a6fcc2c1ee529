//! What the session remembers about a sign-in, and the flash message carried across the
//! redirect after a plain form post. Session ids are random and stored server-side by
//! tower-sessions; nothing here is ever logged.

use crate::domain::account::Flash;
use crate::domain::retention::Retention;
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use uuid::Uuid;

const AUTH_KEY: &str = "fv.auth";
const FLASH_KEY: &str = "fv.flash";
const PENDING_KEY: &str = "fv.pending";

/// A sign-in half done: the password matched, and the second step (a code, or setting
/// two-step up where it is required) is still to come. Not signed in: no page treats this
/// session as anyone's.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub person_id: Uuid,
    pub auth_version: i32,
    pub email: String,
    pub next_step: crate::domain::two_step::AfterPassword,
    /// Where to go once signed in (already checked: a path on this site).
    pub next: String,
    /// Unix seconds of the password.
    pub since: i64,
}

impl PendingSignIn {
    pub fn expired(&self, now: i64) -> bool {
        now - self.since > crate::domain::two_step::PENDING_MINUTES * 60 || now < self.since - 60
    }
}

/// The password matched; the second step comes next, in a session of its own (a new id).
pub async fn start_pending(session: &Session, pending: PendingSignIn) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.remove_value(AUTH_KEY).await.map_err(session_error)?;
    session.insert(PENDING_KEY, pending).await.map_err(session_error)
}

/// The half-done sign-in of this session, unless it has timed out.
pub async fn pending(session: &Session) -> Result<Option<PendingSignIn>, AppError> {
    let pending = session.get::<PendingSignIn>(PENDING_KEY).await.map_err(session_error)?;
    Ok(pending.filter(|p| !p.expired(now())))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionAuth {
    pub person_id: Uuid,
    /// people.auth_version at sign-in; a password change bumps it and so ends this session.
    pub auth_version: i32,
    /// Unix seconds.
    pub signed_in_at: i64,
    /// Unix seconds of the last request, refreshed at most every few minutes (each refresh is
    /// a write to the session store).
    pub last_seen: i64,
}

/// How stale `last_seen` may get before a request refreshes it.
pub const TOUCH_SECONDS: i64 = 5 * 60;

impl SessionAuth {
    /// Past the idle or the absolute limit of `limits` (the operator's retention settings).
    pub fn expired(&self, now: i64, limits: &Retention) -> bool {
        now - self.signed_in_at > limits.session_max_seconds()
            || now - self.last_seen > limits.session_idle_seconds()
            || now < self.signed_in_at - 60
    }
}

/// Records activity on a signed-in session when `last_seen` has gone stale.
pub async fn touch(session: &Session, mut auth: SessionAuth, now: i64) -> Result<(), AppError> {
    if now - auth.last_seen < TOUCH_SECONDS {
        return Ok(());
    }
    auth.last_seen = now;
    session.insert(AUTH_KEY, auth).await.map_err(session_error)
}

/// The session store is the database: when it cannot be reached the answer is "busy, try
/// again" (503), as for any other query; a record that cannot be read or written is a bug.
fn session_error(e: tower_sessions::session::Error) -> AppError {
    match e {
        tower_sessions::session::Error::Store(tower_sessions::session_store::Error::Backend(_)) => {
            tracing::warn!(error = %e, "session store unavailable");
            AppError::Unavailable
        }
        _ => {
            tracing::error!(error = %e, "session store failed");
            AppError::Internal
        }
    }
}

pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Signs `person_id` in: a new session id first (no fixation), then the record.
pub async fn start(session: &Session, person_id: Uuid, auth_version: i32) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.remove_value(PENDING_KEY).await.map_err(session_error)?;
    session
        .insert(AUTH_KEY, SessionAuth { person_id, auth_version, signed_in_at: now(), last_seen: now() })
        .await
        .map_err(session_error)
}

/// Keeps this session signed in after a password change, under a new id.
pub async fn renew(session: &Session, auth_version: i32) -> Result<(), AppError> {
    let mut auth = current(session).await?.ok_or(AppError::Unauthorized)?;
    auth.auth_version = auth_version;
    session.cycle_id().await.map_err(session_error)?;
    session.insert(AUTH_KEY, auth).await.map_err(session_error)
}

pub async fn current(session: &Session) -> Result<Option<SessionAuth>, AppError> {
    session.get::<SessionAuth>(AUTH_KEY).await.map_err(session_error)
}

/// Deletes the session from the store and clears the cookie.
pub async fn end(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

pub async fn set_flash(session: &Session, flash: Flash) -> Result<(), AppError> {
    session.insert(FLASH_KEY, flash).await.map_err(session_error)
}

/// The flash message, removed from the session. Only a session that has one is changed:
/// removing marks a session modified, and a modified session is written back to the store at
/// the end of the request, which would otherwise cost every signed-in page view a write.
pub async fn take_flash(session: &Session) -> Result<Option<Flash>, AppError> {
    if session.get_value(FLASH_KEY).await.map_err(session_error)?.is_none() {
        return Ok(None);
    }
    session.remove::<Flash>(FLASH_KEY).await.map_err(session_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(signed_in_at: i64, last_seen: i64) -> SessionAuth {
        SessionAuth { person_id: Uuid::nil(), auth_version: 1, signed_in_at, last_seen }
    }

    #[test]
    fn sessions_end_when_idle_or_too_old_whatever_the_activity() {
        let start = 1_000_000;
        let limits = Retention::default();
        let (idle, max) = (limits.session_idle_seconds(), limits.session_max_seconds());
        assert!(!auth(start, start).expired(start + 60, &limits));
        // Idle: nothing for longer than the idle limit.
        assert!(auth(start, start).expired(start + idle + 1, &limits));
        assert!(!auth(start, start + idle).expired(start + idle + 60, &limits));
        // Absolute: active all along, but signed in too long ago.
        let active = auth(start, start + max);
        assert!(active.expired(start + max + 1, &limits));
        // A clock far behind the sign-in time is not trusted either.
        assert!(auth(start, start).expired(start - 3600, &limits));
    }

    #[test]
    fn the_operators_limits_are_the_ones_applied() {
        let start = 1_000_000;
        let short = Retention { session_idle_minutes: 10, session_max_hours: 1, ..Retention::default() };
        assert!(auth(start, start).expired(start + 11 * 60, &short));
        assert!(!auth(start, start).expired(start + 11 * 60, &Retention::default()));
        let active = auth(start, start + 3600);
        assert!(active.expired(start + 3601, &short));
        assert!(!active.expired(start + 3601, &Retention::default()));
    }
}
