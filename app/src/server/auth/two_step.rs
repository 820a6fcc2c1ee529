//! Time-based one-time codes (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps, what every
//! authenticator app reads from an `otpauth://` address), their secrets, and recovery codes.
//! Secrets and codes are never logged.

use crate::domain::two_step::{
    SetupView, DIGITS, ISSUER, RECOVERY_ALPHABET, RECOVERY_CODES, RECOVERY_LENGTH, SKEW_STEPS, STEP_SECONDS,
};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use totp_rs::{Algorithm, TOTP};

/// 160 random bits, as RFC 4226 recommends.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; 20];
    OsRng.fill_bytes(&mut secret);
    secret
}

fn totp(secret: &[u8], account: &str) -> Option<TOTP> {
    // The label's account part may not hold a colon; an email never does, but be sure.
    let account = account.replace(':', " ");
    TOTP::new(Algorithm::SHA1, DIGITS, 0, STEP_SECONDS, secret.to_vec(), Some(ISSUER.to_owned()), account)
        .map_err(|e| tracing::error!(error = %e, "a two-step secret was refused"))
        .ok()
}

/// The time step `unix_seconds` falls in.
pub fn step_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS as i64)
}

/// The code of one time step.
pub fn code_at(secret: &[u8], step: i64) -> Option<String> {
    let at = u64::try_from(step).ok()?.checked_mul(STEP_SECONDS)?;
    Some(totp(secret, "")?.generate(at))
}

/// The time step whose code `code` is, of those near `unix_seconds` (the step before, that
/// one, and the step after), compared in constant time; `None` when it is none of them. The
/// caller makes sure a step is accepted once (`auth.accept_step`).
pub fn matching_step(secret: &[u8], code: &str, unix_seconds: i64) -> Option<i64> {
    let totp = totp(secret, "")?;
    let now = step_of(unix_seconds);
    // Every candidate is computed, so the time taken says nothing about which matched.
    let mut found = None;
    for step in now - SKEW_STEPS..=now + SKEW_STEPS {
        let Some(at) = u64::try_from(step).ok().and_then(|s| s.checked_mul(STEP_SECONDS)) else { continue };
        if totp.check(code, at) && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// What someone setting up two-step sees: the secret as text (in groups of four, for typing),
/// the `otpauth://` address and its QR code.
pub fn setup_view(secret: &[u8], email: &str, during_sign_in: bool) -> Option<SetupView> {
    let totp = totp(secret, email)?;
    let uri = totp.get_url();
    let text = totp.get_secret_base32();
    let grouped = text.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>();
    let qr = qrcodegen::QrCode::encode_text(&uri, qrcodegen::QrCodeEcc::Medium)
        .map_err(|_| tracing::error!("an otpauth address was too long for a QR code"))
        .ok()?;
    // One square per dark module, in one path, with a quiet zone of four modules around it.
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{} {}h1v1h-1z", x + 4, y + 4));
            }
        }
    }
    Some(SetupView {
        email: email.to_owned(),
        secret: grouped.join(" "),
        uri,
        qr_size: qr.size() + 8,
        qr_path: path,
        during_sign_in,
    })
}

/// Fresh recovery codes (shown once) and the hashes to keep of them.
pub fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    (0..RECOVERY_CODES)
        .map(|_| {
            let code: String = (0..RECOVERY_LENGTH)
                .map(|_| {
                    // Rejection sampling: every letter equally likely.
                    let n = RECOVERY_ALPHABET.len() as u32;
                    let zone = u32::MAX - u32::MAX % n;
                    loop {
                        let r = OsRng.next_u32();
                        if r < zone {
                            break RECOVERY_ALPHABET[(r % n) as usize] as char;
                        }
                    }
                })
                .collect();
            let hash = hash_recovery_code(&code);
            (code, hash)
        })
        .unzip()
}

/// The hash kept of a recovery code (normalised as `domain::two_step::parse_code` reads it).
pub fn hash_recovery_code(code: &str) -> String {
    super::token::hash_token(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::two_step::{parse_code, Code};

    /// RFC 6238, appendix B: the SHA-1 secret "12345678901234567890", 8-digit codes; ours are
    /// the last six digits of the same numbers.
    #[test]
    fn codes_are_those_of_rfc_6238() {
        let secret = b"12345678901234567890";
        for (time, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(code_at(secret, step_of(time)).as_deref(), Some(&eight[2..]), "at {time}");
        }
    }

    #[test]
    fn a_code_matches_its_own_step_and_its_neighbours_only() {
        let secret = new_secret();
        let now = 1_800_000_015;
        let step = step_of(now);
        for offset in -1..=1 {
            let code = code_at(&secret, step + offset).unwrap();
            assert_eq!(matching_step(&secret, &code, now), Some(step + offset));
        }
        for offset in [-3, -2, 2, 3] {
            let code = code_at(&secret, step + offset).unwrap();
            // Another step's code can collide by chance (1 in a million); only then may it match.
            let collides = (-1..=1).any(|o| code_at(&secret, step + o).as_deref() == Some(code.as_str()));
            assert_eq!(matching_step(&secret, &code, now).is_some(), collides, "offset {offset}");
        }
        assert_eq!(matching_step(&new_secret(), "12345", now), None);
    }

    #[test]
    fn the_setup_shows_what_an_authenticator_app_reads() {
        let secret = b"12345678901234567890".to_vec();
        let view = setup_view(&secret, "ann@example.org", false).unwrap();
        assert_eq!(
            view.uri,
            "otpauth://totp/Forth%20Valley%20Child%20Protection:ann%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Forth%20Valley%20Child%20Protection"
        );
        assert_eq!(view.secret, "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
        assert!(view.qr_size > 20 && view.qr_path.starts_with("M4 4h1v1h-1z"), "the finder pattern's corner");
    }

    #[test]
    fn recovery_codes_are_random_read_back_and_hashed() {
        let (codes, hashes) = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let distinct: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), RECOVERY_CODES);
        for (code, hash) in codes.iter().zip(&hashes) {
            let shown = crate::domain::two_step::show_recovery_code(code);
            assert_eq!(parse_code(&shown.to_uppercase()), Ok(Code::Recovery(code.clone())));
            assert_eq!(&hash_recovery_code(code), hash);
            assert_ne!(hash, code);
        }
    }
}
