//! Two-step sign-in: who it is required of, what a typed code is, and its limits. The codes
//! themselves (RFC 6238) are made and checked by `server::auth::two_step`; the database keeps
//! the secrets out of the server role's reach (`auth.two_step`).

use crate::domain::account::ThrottleKey;
use crate::error::AppError;

/// A code from an authenticator app has this many digits, and changes every `STEP_SECONDS`.
pub const DIGITS: usize = 6;
pub const STEP_SECONDS: u64 = 30;
/// A code from the step before or after the server's is accepted too (a phone's clock, and
/// the time taken to type it).
pub const SKEW_STEPS: i64 = 1;
/// Recovery codes given when two-step is turned on (or replaced): each works once.
pub const RECOVERY_CODES: usize = 10;
/// A recovery code's letters (no 0/o, 1/l/i: read off paper) and length, shown in two halves.
pub const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
pub const RECOVERY_LENGTH: usize = 10;
/// The second step must follow the password within this many minutes.
pub const PENDING_MINUTES: i64 = 10;
/// Wrong codes per person within the throttling window before codes are refused for a while.
pub const CODE_ATTEMPTS: i32 = 5;
/// Shown in authenticator apps beside the account's email.
pub const ISSUER: &str = "Forth Valley Child Protection";

/// Who the platform requires two-step sign-in of (FV_TWO_STEP_REQUIRED). A committee can
/// require it of its own lead officers as well (on its Members page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlatformRequirement {
    #[default]
    Nobody,
    Admins,
    AdminsAndLeads,
}

pub const REQUIREMENT_VAR: &str = "FV_TWO_STEP_REQUIRED";

impl PlatformRequirement {
    /// The setting's text (unset: nobody), or the message an operator sees at start.
    pub fn from_var(value: Option<&str>) -> Result<Self, String> {
        match value.map(str::trim) {
            None | Some("") | Some("none") => Ok(PlatformRequirement::Nobody),
            Some("admins") => Ok(PlatformRequirement::Admins),
            Some("admins-and-leads") => Ok(PlatformRequirement::AdminsAndLeads),
            Some(other) => Err(format!(
                "{REQUIREMENT_VAR} must be none, admins or admins-and-leads (lead officers of every committee), not {other:?}"
            )),
        }
    }
}

/// What could require two-step of someone, as the database tells it at sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub enabled: bool,
    pub is_admin: bool,
    /// A lead officer of any committee.
    pub is_lead: bool,
    /// A lead officer of a committee that requires it of its lead officers.
    pub committee_requires: bool,
}

impl Standing {
    /// The rule: required of admins and lead officers when the platform says so, and of a
    /// committee's lead officers when that committee says so.
    pub fn required(&self, platform: PlatformRequirement) -> bool {
        self.committee_requires
            || match platform {
                PlatformRequirement::Nobody => false,
                PlatformRequirement::Admins => self.is_admin,
                PlatformRequirement::AdminsAndLeads => self.is_admin || self.is_lead,
            }
    }

    /// What signing in needs after the password.
    pub fn next_step(&self, platform: PlatformRequirement) -> AfterPassword {
        if self.enabled {
            AfterPassword::Code
        } else if self.required(platform) {
            AfterPassword::SetUp
        } else {
            AfterPassword::SignedIn
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AfterPassword {
    /// Two-step is off and not required: signed in.
    SignedIn,
    /// A code from their app (or a recovery code) next.
    Code,
    /// Required of them and not yet on: they set it up before they are signed in.
    SetUp,
}

/// What someone setting two-step up is shown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SetupView {
    pub email: String,
    /// The secret in base32, in groups of four, for typing into an app by hand.
    pub secret: String,
    /// The `otpauth://` address the QR code holds (a phone's own browser can open it).
    pub uri: String,
    /// The QR code: its width in modules (quiet zone included) and one SVG path of its squares.
    pub qr_size: i32,
    pub qr_path: String,
    /// Being set up as they sign in, because it is required of them (not from /account).
    pub during_sign_in: bool,
}

/// Someone's two-step sign-in as their account page shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OwnTwoStep {
    pub enabled: bool,
    /// When it was turned on, as a date.
    pub since: Option<String>,
    pub codes_left: i32,
    /// Required of them (so it cannot be turned off), and by what.
    pub required_by: Option<String>,
}

/// A code as typed: spaces and dashes are ignored, letters may be in either case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    /// Six digits from the authenticator app.
    App(String),
    /// One of the person's recovery codes, normalised (lower case, no dash).
    Recovery(String),
}

pub const CODE_FIELD: &str = "code";

/// The typed code, or a message by the field.
pub fn parse_code(typed: &str) -> Result<Code, AppError> {
    let compact: String =
        typed.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_lowercase).collect();
    if compact.len() == DIGITS && compact.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Code::App(compact));
    }
    if compact.len() == RECOVERY_LENGTH && compact.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)) {
        return Ok(Code::Recovery(compact));
    }
    Err(AppError::invalid(
        CODE_FIELD,
        if compact.is_empty() {
            "Enter the 6-digit code from your authenticator app."
        } else {
            "Enter the 6-digit code from your authenticator app, or one of your recovery codes (10 letters and numbers)."
        },
    ))
}

/// Only an app's code, for setting two-step up (recovery codes do not exist yet).
pub fn parse_app_code(typed: &str) -> Result<String, AppError> {
    match parse_code(typed) {
        Ok(Code::App(digits)) => Ok(digits),
        _ => {
            Err(AppError::invalid(CODE_FIELD, "Enter the 6-digit code your authenticator app shows for this account."))
        }
    }
}

/// A recovery code as it is shown: two halves of five.
pub fn show_recovery_code(code: &str) -> String {
    let (a, b) = code.split_at(code.len().min(RECOVERY_LENGTH / 2));
    format!("{a}-{b}")
}

/// The limits a code attempt for `person` from `address` counts against: few per person
/// (codes are short), and the client address's limit shared with passwords.
pub fn code_throttle_keys(person: &str, address: &str) -> Vec<ThrottleKey> {
    use crate::domain::account::{ADDRESS_ATTEMPTS, THROTTLE_MINUTES};
    vec![
        ThrottleKey { key: format!("code:{person}"), limit: CODE_ATTEMPTS, window_minutes: THROTTLE_MINUTES },
        ThrottleKey { key: format!("address:{address}"), limit: ADDRESS_ATTEMPTS, window_minutes: THROTTLE_MINUTES },
    ]
}

/// A wrong code: the same words whether it was wrong, used already or from another account.
pub fn wrong_code() -> AppError {
    AppError::invalid(
        CODE_FIELD,
        "That code is not right, or has been used already. Codes change every 30 seconds: enter the one your app shows now.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing(enabled: bool, is_admin: bool, is_lead: bool, committee_requires: bool) -> Standing {
        Standing { enabled, is_admin, is_lead, committee_requires }
    }

    #[test]
    fn the_requirement_follows_the_platform_and_the_committee() {
        use PlatformRequirement::*;
        let member = standing(false, false, false, false);
        let lead = standing(false, false, true, false);
        let admin = standing(false, true, false, false);
        let required_lead = standing(false, false, true, true);
        for p in [Nobody, Admins, AdminsAndLeads] {
            assert!(!member.required(p));
            assert!(required_lead.required(p));
        }
        assert!(!admin.required(Nobody) && admin.required(Admins) && admin.required(AdminsAndLeads));
        assert!(!lead.required(Nobody) && !lead.required(Admins) && lead.required(AdminsAndLeads));
        assert_eq!(lead.next_step(AdminsAndLeads), AfterPassword::SetUp);
        assert_eq!(lead.next_step(Admins), AfterPassword::SignedIn);
        assert_eq!(standing(true, false, false, false).next_step(Nobody), AfterPassword::Code);
        assert_eq!(standing(true, true, true, true).next_step(AdminsAndLeads), AfterPassword::Code);
    }

    #[test]
    fn the_setting_is_read_strictly() {
        assert_eq!(PlatformRequirement::from_var(None), Ok(PlatformRequirement::Nobody));
        assert_eq!(PlatformRequirement::from_var(Some("none")), Ok(PlatformRequirement::Nobody));
        assert_eq!(PlatformRequirement::from_var(Some(" admins ")), Ok(PlatformRequirement::Admins));
        assert_eq!(PlatformRequirement::from_var(Some("admins-and-leads")), Ok(PlatformRequirement::AdminsAndLeads));
        let refused = PlatformRequirement::from_var(Some("everyone")).unwrap_err();
        assert!(refused.contains(REQUIREMENT_VAR) && refused.contains("\"everyone\""), "{refused}");
    }

    #[test]
    fn codes_are_read_as_typed_and_anything_else_is_refused() {
        assert_eq!(parse_code(" 123 456 "), Ok(Code::App("123456".into())));
        assert_eq!(parse_code("ABCDE-FGHJK"), Ok(Code::Recovery("abcdefghjk".into())));
        for bad in ["", "12345", "1234567", "12345a", "abcde-fghj", "abcde-fghi0", "⁴⁵⁶⁷⁸⁹"] {
            assert!(matches!(parse_code(bad), Err(AppError::Invalid(_))), "{bad:?} was accepted");
        }
        assert!(parse_app_code("abcde-fghjk").is_err());
        assert_eq!(parse_app_code("000 001"), Ok("000001".into()));
        assert_eq!(show_recovery_code("abcdefghjk"), "abcde-fghjk");
    }
}
