//! The rules for protocols, their versions and each committee's ratification.

use crate::domain::dates::IsoDate;
use crate::error::{AppError, Validation};
use serde::{Deserialize, Serialize};

/// A committee's decision on a protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RatificationState {
    Pending,
    Ratified,
    Declined,
}

impl RatificationState {
    pub const ALL: [RatificationState; 3] =
        [RatificationState::Pending, RatificationState::Ratified, RatificationState::Declined];

    /// The code the database stores (`protocol_ratifications.state`).
    pub fn code(self) -> &'static str {
        match self {
            RatificationState::Pending => "pending",
            RatificationState::Ratified => "ratified",
            RatificationState::Declined => "declined",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// As read back from the database (its check constraint admits only the three codes).
    pub fn stored(code: &str) -> Self {
        Self::parse(code).unwrap_or(RatificationState::Pending)
    }
}

impl std::fmt::Display for RatificationState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A new version as the form gives it, checked: a document link or the text itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionForm {
    pub label: String,
    pub document_url: Option<String>,
    pub body: String,
    pub review_due_on: Option<IsoDate>,
}

pub fn check_version(
    label: &str,
    document_url: &str,
    body: &str,
    review_due_on: &str,
) -> Result<VersionForm, AppError> {
    let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
    let url = document_url.trim();
    let body = body.trim().to_owned();
    let due = review_due_on.trim();
    let mut v = Validation::default();
    v.check(!label.is_empty(), "label", "Name the version, e.g. \"Version 2\" or \"2026\".")
        .check(label.chars().count() <= 60, "label", "Keep the version name under 60 characters.")
        .check(
            url.is_empty()
                || ((url.starts_with("https://") || url.starts_with("http://"))
                    && !url.contains(char::is_whitespace)
                    && url.len() <= 2_000),
            "document_url",
            "Give the document's full web address, starting https://",
        )
        .check(!url.is_empty() || !body.is_empty(), "document_url", "Give a link to the document or its text below.")
        .check(
            body.chars().count() <= 100_000,
            "body",
            "Keep the text under 100,000 characters; link to longer documents.",
        )
        .check(
            due.is_empty() || IsoDate::parse(due).is_some(),
            "review_due_on",
            "Enter the review date like 2027-03-31 (a date that exists).",
        );
    v.finish()?;
    Ok(VersionForm {
        label,
        document_url: (!url.is_empty()).then(|| url.to_owned()),
        body,
        review_due_on: IsoDate::parse(due),
    })
}

/// What a new protocol is, as its form gives it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolForm {
    pub title: String,
    pub summary: String,
    pub owner_name: String,
}

/// A new protocol and its first version, every problem of both at once.
pub fn check_protocol(
    title: &str,
    summary: &str,
    owner_name: &str,
    label: &str,
    document_url: &str,
    body: &str,
    review_due_on: &str,
) -> Result<(ProtocolForm, VersionForm), AppError> {
    use crate::domain::text::{MAX_NOTE, MAX_PROTOCOL_TITLE};
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut v = Validation::default();
    v.check(!title.is_empty(), "title", "Give the protocol a title.")
        .check(title.chars().count() <= MAX_PROTOCOL_TITLE, "title", "Keep the title under 300 characters.")
        .check(summary.chars().count() <= MAX_NOTE, "summary", "Keep the summary under 4,000 characters.")
        .check(owner_name.chars().count() <= 200, "owner_name", "Keep the owner under 200 characters.");
    let version = check_version(label, document_url, body, review_due_on);
    match (v.finish(), version) {
        (Err(AppError::Invalid(mut a)), Err(AppError::Invalid(b))) => {
            a.extend(b);
            Err(AppError::Invalid(a))
        }
        (Err(e), _) | (Ok(()), Err(e)) => Err(e),
        (Ok(()), Ok(version)) => Ok((
            ProtocolForm { title, summary: summary.trim().to_owned(), owner_name: owner_name.trim().to_owned() },
            version,
        )),
    }
}

/// A protocol's slug from its title: lower-case words joined by hyphens.
pub fn slug_from_title(title: &str) -> String {
    let mut slug = String::new();
    for word in title.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if slug.len() + word.len() > 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    if slug.is_empty() {
        "protocol".to_owned()
    } else {
        slug
    }
}

/// A committee's decision on a version, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub state: RatificationState,
    pub decided_on: Option<IsoDate>,
    pub reason: Option<String>,
}

pub fn check_decision(state: &str, decided_on: &str, reason: &str) -> Result<Decision, AppError> {
    let reason = reason.trim();
    let state = RatificationState::parse(state)
        .ok_or_else(|| AppError::invalid("state", "Choose pending, ratified or declined."))?;
    let date = IsoDate::parse(decided_on);
    let pending = state == RatificationState::Pending;
    let mut v = Validation::default();
    v.check(
        pending || date.is_some(),
        "decided_on",
        "Enter the date of the committee's decision, e.g. 2026-11-26 (a date that exists).",
    )
    .check(state != RatificationState::Declined || !reason.is_empty(), "reason", "Say why the committee declined it.")
    .check(
        reason.chars().count() <= crate::domain::text::MAX_NOTE,
        "reason",
        "Keep the reason under 4,000 characters.",
    );
    v.finish()?;
    Ok(Decision {
        state,
        decided_on: date.filter(|_| !pending),
        reason: (state == RatificationState::Declined).then(|| reason.to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_need_a_link_or_text_and_a_proper_date() {
        assert!(check_version("Version 2", "https://example.org/p.pdf", "", "2027-03-31").is_ok());
        assert!(check_version("Version 2", "", "The text", "").is_ok());
        let none = check_version("Version 2", "", "", "").unwrap_err();
        assert!(none.field_message("document_url").is_some());
        assert!(check_version("", "javascript:alert(1)", "", "soon")
            .unwrap_err()
            .field_message("review_due_on")
            .is_some());
        assert!(check_version("v", "javascript:alert(1)", "x", "").is_err(), "only web links");
    }

    #[test]
    fn decisions_need_dates_and_declines_need_reasons() {
        assert_eq!(check_decision("pending", "", "").unwrap().decided_on, None);
        assert!(check_decision("ratified", "", "").is_err());
        assert!(check_decision("declined", "2026-11-01", " ").unwrap_err().field_message("reason").is_some());
        assert_eq!(
            check_decision("declined", "2026-11-01", "Awaiting legal advice").unwrap().reason.as_deref(),
            Some("Awaiting legal advice")
        );
        assert!(check_decision("maybe", "", "").is_err());
        assert!(check_decision("ratified", "2026-02-31", "").unwrap_err().field_message("decided_on").is_some());
    }

    #[test]
    fn slugs_come_from_titles() {
        assert_eq!(slug_from_title("Forth Valley IRD Procedure (2026)"), "forth-valley-ird-procedure-2026");
        assert_eq!(slug_from_title("!!!"), "protocol");
    }
}
