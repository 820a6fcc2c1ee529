//! People, roles and the rules for what they type into account forms.

use crate::error::{AppError, Validation};
use serde::{Deserialize, Serialize};

/// A person's role in a committee, weakest first (DESIGN.md, "Who may do what").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CommitteeRole {
    Member,
    Contributor,
    LeadOfficer,
}

impl CommitteeRole {
    pub const ALL: [CommitteeRole; 3] = [CommitteeRole::Member, CommitteeRole::Contributor, CommitteeRole::LeadOfficer];

    pub fn code(self) -> &'static str {
        match self {
            CommitteeRole::Member => "member",
            CommitteeRole::Contributor => "contributor",
            CommitteeRole::LeadOfficer => "lead_officer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CommitteeRole::Member => "Member",
            CommitteeRole::Contributor => "Contributor",
            CommitteeRole::LeadOfficer => "Lead officer",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubgroupRole {
    Member,
    Chair,
}

impl SubgroupRole {
    pub fn code(self) -> &'static str {
        match self {
            SubgroupRole::Member => "member",
            SubgroupRole::Chair => "chair",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SubgroupRole::Member => "Member",
            SubgroupRole::Chair => "Chair",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [SubgroupRole::Member, SubgroupRole::Chair].into_iter().find(|r| r.code() == code)
    }
}

/// A committee or subgroup the signed-in person belongs to, for the header and /account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipView {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    /// The role's code (lead_officer, chair, ...).
    pub role: String,
}

/// "Lead officer", "Chair": the label of a committee or subgroup role code.
pub fn role_label(code: &str) -> &'static str {
    CommitteeRole::parse(code)
        .map(CommitteeRole::label)
        .or_else(|| SubgroupRole::parse(code).map(SubgroupRole::label))
        .unwrap_or("Member")
}

impl SignedIn {
    pub fn committee_role(&self, committee_slug: &str) -> Option<CommitteeRole> {
        self.committees.iter().find(|m| m.slug == committee_slug).and_then(|m| CommitteeRole::parse(&m.role))
    }
}

/// Who is signed in, as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub display_name: String,
    pub email: String,
    pub is_admin: bool,
    pub committees: Vec<MembershipView>,
    pub subgroups: Vec<MembershipView>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlashKind {
    Success,
    Error,
}

/// A message carried across the redirect that follows a plain form post, with what the person
/// typed (never passwords) so a refused form comes back filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub kind: FlashKind,
    pub message: String,
    /// The form's action path, so only that form is refilled.
    pub form: Option<String>,
    pub fields: Vec<(String, String)>,
    pub error: Option<AppError>,
    /// A one-time sign-in link to pass on (shown once, to the person who created it).
    pub link: Option<String>,
    /// Recovery codes for two-step sign-in (shown once, to their owner).
    #[serde(default)]
    pub codes: Vec<String>,
}

impl Flash {
    pub fn success(message: impl Into<String>) -> Self {
        Flash {
            kind: FlashKind::Success,
            message: message.into(),
            form: None,
            fields: vec![],
            error: None,
            link: None,
            codes: vec![],
        }
    }

    /// A refused form's message, carried back with what was typed into the form posted to
    /// `form`: never secrets, and bounded (fields, characters per field, bytes in all) so a
    /// refused post cannot fill the session store. Only a field-by-field refusal or a stale
    /// edit keeps the error itself (for the messages by each field and the conflict panel).
    pub fn refused(error: AppError, form: String, fields: Vec<(String, String)>) -> Self {
        use crate::domain::text::{MAX_FLASH_BYTES, MAX_FLASH_FIELDS, MAX_FLASH_FIELD_CHARS};
        let mut kept = Vec::new();
        let mut bytes = 0;
        for (name, value) in fields.into_iter().filter(|(name, _)| !is_secret_field(name)).take(MAX_FLASH_FIELDS) {
            let value: String = value.chars().take(MAX_FLASH_FIELD_CHARS).collect();
            let name: String = name.chars().take(100).collect();
            if bytes + name.len() + value.len() > MAX_FLASH_BYTES {
                break;
            }
            bytes += name.len() + value.len();
            kept.push((name, value));
        }
        let message: String = error.to_string().chars().take(500).collect();
        let error = matches!(error, AppError::Invalid(_) | AppError::Stale(_)).then_some(error);
        Flash { kind: FlashKind::Error, message, form: Some(form), fields: kept, error, link: None, codes: vec![] }
    }

    /// What was typed into `field` of the form posted to `form`.
    pub fn value(&self, form: &str, field: &str) -> Option<String> {
        (self.form.as_deref() == Some(form))
            .then(|| self.fields.iter().find(|(k, _)| k == field).map(|(_, v)| v.clone()))
            .flatten()
    }

    /// The validation message for `field` of the form posted to `form`.
    pub fn field_error(&self, form: &str, field: &str) -> Option<String> {
        (self.form.as_deref() == Some(form)).then(|| self.error.as_ref()?.field_message(field).map(str::to_owned))?
    }
}

/// Fields whose values are never carried back into a form or written anywhere.
pub fn is_secret_field(name: &str) -> bool {
    name.contains("password") || name == "token" || name == "confirm" || name == crate::domain::two_step::CODE_FIELD
}

/// How long a one-time sign-in link stays good.
pub const LINK_VALID_DAYS: i32 = 7;

pub const MIN_PASSWORD_LEN: usize = 12;
pub const MAX_PASSWORD_LEN: usize = 256;

/// NCSC and OWASP guidance: length over composition rules, and no upper limit a passphrase
/// would hit.
pub fn check_new_password(password: &str, confirm: &str, email: &str) -> Result<(), AppError> {
    let chars = password.chars().count();
    let mut v = Validation::default();
    v.check(chars >= MIN_PASSWORD_LEN, "password", "Use at least 12 characters; three random words work well.")
        .check(chars <= MAX_PASSWORD_LEN, "password", "Use at most 256 characters.")
        .check(
            !password.trim().eq_ignore_ascii_case(email.trim()),
            "password",
            "Your password must not be your email address.",
        )
        .check(password == confirm, "confirm", "The two passwords do not match.");
    v.finish()
}

/// A normalised email address, or a message for the `email` field.
pub fn parse_email(input: &str) -> Result<String, AppError> {
    let email = input.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !email.chars().any(|c| c.is_whitespace())
        && email.matches('@').count() == 1;
    if valid {
        Ok(email)
    } else {
        Err(AppError::invalid("email", "Enter an email address like name@example.org."))
    }
}

pub fn parse_display_name(input: &str) -> Result<String, AppError> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > 120 {
        Err(AppError::invalid("display_name", "Enter the person's name (up to 120 characters)."))
    } else {
        Ok(name)
    }
}

/// One limit on failed sign-ins: at most `limit` failures under `key` within `window_minutes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleKey {
    pub key: String,
    pub limit: i32,
    pub window_minutes: i32,
}

pub const THROTTLE_MINUTES: i32 = 15;
/// Failures allowed for one account from one client address, and from one address across
/// accounts, per 15 minutes; and for one account from all addresses, per hour. The owner,
/// from their own address, is locked out only by their own mistakes or by a guesser sending
/// 100 an hour, which the address limit makes take many addresses.
pub const ACCOUNT_ADDRESS_ATTEMPTS: i32 = 5;
pub const ADDRESS_ATTEMPTS: i32 = 20;
pub const ACCOUNT_ATTEMPTS_PER_HOUR: i32 = 100;

/// The limits a sign-in attempt for `email` from `address` counts against.
pub fn throttle_keys(email: &str, address: &str) -> Vec<ThrottleKey> {
    let email = email.trim().to_lowercase();
    vec![
        ThrottleKey {
            key: format!("account-address:{email}|{address}"),
            limit: ACCOUNT_ADDRESS_ATTEMPTS,
            window_minutes: THROTTLE_MINUTES,
        },
        ThrottleKey { key: format!("address:{address}"), limit: ADDRESS_ATTEMPTS, window_minutes: THROTTLE_MINUTES },
        ThrottleKey { key: format!("account:{email}"), limit: ACCOUNT_ATTEMPTS_PER_HOUR, window_minutes: 60 },
    ]
}

/// A same-site path to return to after signing in, or `/`: never another site, never a
/// server function, and always a valid header value.
///
/// Parsed, not filtered: the text must be an origin-relative reference in the URL grammar,
/// i.e. a path starting with exactly one `/` (so no scheme and no authority), made only of
/// visible ASCII other than `\\` (browsers read a backslash as `/`, and strip tabs and line
/// breaks, so `/<TAB>/evil.example` would become `//evil.example`). Percent-escapes stay
/// escapes: `/%09/evil.example` is a path on this site.
pub fn safe_return_path(next: &str) -> String {
    let bytes = next.as_bytes();
    let origin_relative = bytes.first() == Some(&b'/') && !matches!(bytes.get(1), Some(b'/' | b'\\'));
    let visible_ascii = bytes.iter().all(|b| (0x21..=0x7e).contains(b) && *b != b'\\');
    let ours = !(next == "/api" || next.starts_with("/api/") || next.starts_with("/api?") || next.starts_with("/api#"));
    if origin_relative && visible_ascii && ours && next.len() <= crate::domain::text::MAX_RETURN_PATH {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_order() {
        for role in CommitteeRole::ALL {
            assert_eq!(CommitteeRole::parse(role.code()), Some(role));
        }
        assert!(CommitteeRole::LeadOfficer > CommitteeRole::Contributor);
        assert_eq!(CommitteeRole::parse("owner"), None);
        assert_eq!(SubgroupRole::parse("chair"), Some(SubgroupRole::Chair));
    }

    #[test]
    fn passwords_are_checked_for_length_match_and_email() {
        assert!(check_new_password("correct horse battery", "correct horse battery", "a@b.org").is_ok());
        let short = check_new_password("short", "short", "a@b.org").unwrap_err();
        assert!(short.field_message("password").is_some());
        let mismatch = check_new_password("correct horse battery", "correct horse batter", "a@b.org").unwrap_err();
        assert!(mismatch.field_message("confirm").is_some());
        assert!(mismatch.field_message("password").is_none());
        assert!(check_new_password("someone@example.org", "someone@example.org", "Someone@example.org").is_err());
        let long = "x".repeat(257);
        assert!(check_new_password(&long, &long, "a@b.org").is_err());
    }

    #[test]
    fn emails_are_normalised_or_refused() {
        assert_eq!(parse_email("  Ann.Smith@Example.ORG ").unwrap(), "ann.smith@example.org");
        for bad in ["", "ann", "ann@", "@example.org", "ann@example", "a b@example.org", "a@b@example.org"] {
            assert!(parse_email(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn return_paths_stay_on_this_site() {
        for good in
            ["/", "/committees/stirling", "/committees/x/plans/2023-25?status=g&lead=Lead+Officer#top", "/%09/x"]
        {
            assert_eq!(safe_return_path(good), good);
        }
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "\\/evil.example",
            "javascript:alert(1)",
            "/api/sign_in",
            "/api",
            "/\t/evil.example/",
            "/\n/evil.example/",
            "/\u{b}/evil.example/",
            "/\r\nSet-Cookie: x=1",
            "/ /evil.example",
            "/caf\u{e9}",
            "",
            "evil.example",
        ] {
            assert_eq!(safe_return_path(bad), "/", "{bad:?}");
        }
        assert_eq!(safe_return_path(&format!("/{}", "a".repeat(3000))), "/");
    }

    #[test]
    fn every_accepted_return_path_is_a_header_value_on_this_origin() {
        // Every one- and two-character suffix of "/": nothing accepted may leave the site.
        let chars: Vec<char> = (0u8..=0x7f).map(char::from).chain(['\u{85}', '\u{2028}', '\u{feff}']).collect();
        for a in &chars {
            for b in &chars {
                let next = format!("/{a}{b}");
                let kept = safe_return_path(&next);
                assert!(http::HeaderValue::from_str(&kept).is_ok(), "{next:?}");
                assert!(!kept.starts_with("//") && !kept.contains('\\'), "{next:?} kept as {kept:?}");
            }
        }
    }

    #[test]
    fn flash_refills_only_its_own_form() {
        let flash = Flash {
            kind: FlashKind::Error,
            message: "x".into(),
            form: Some("/api/invite".into()),
            fields: vec![("email".into(), "a@b.org".into())],
            error: Some(AppError::invalid("email", "bad")),
            link: None,
            codes: vec![],
        };
        assert_eq!(flash.value("/api/invite", "email").as_deref(), Some("a@b.org"));
        assert_eq!(flash.value("/api/other", "email"), None);
        assert_eq!(flash.field_error("/api/invite", "email").as_deref(), Some("bad"));
        assert!(is_secret_field("new_password") && is_secret_field("token") && !is_secret_field("email"));
    }
}
