//! Argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane). Hashing takes tens of
//! milliseconds of CPU, so it runs on the blocking pool, never on the async workers.

use crate::error::AppError;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_now(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

/// The PHC string for `password`.
pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_now(&password)).await.map_err(|e| {
        tracing::error!(error = %e, "password hashing task failed");
        AppError::Internal
    })?
}

/// Whether `password` matches `stored`. With no stored hash (unknown email, or an invitation
/// not yet accepted) it still spends the same work on a dummy hash, so response times do not
/// tell which emails have accounts.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| {
            DUMMY.get_or_init(|| hash_now("not a real password, only spends time").unwrap_or_default()).clone()
        });
        let matches = PasswordHash::new(&stored)
            .map(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false);
        known && matches
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let hashed = hash("three random words".into()).await.unwrap();
        assert!(hashed.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hashed}");
        assert!(verify("three random words".into(), Some(hashed.clone())).await);
        assert!(!verify("three random word".into(), Some(hashed)).await);
        assert!(!verify("anything".into(), None).await);
    }
}
