//! The rules for protocols, their versions and each committee's ratification.

use crate::domain::structure::parse_review_date;
use crate::error::{AppError, Validation};

/// A new version as the form gives it, checked: a document link or the text itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionForm {
    pub label: String,
    pub document_url: Option<String>,
    pub body: String,
    /// "2027-03-31"
    pub review_due_on: Option<String>,
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
            due.is_empty() || parse_review_date(due).is_ok(),
            "review_due_on",
            "Enter the review date like 2027-03-31.",
        );
    v.finish()?;
    Ok(VersionForm {
        label,
        document_url: (!url.is_empty()).then(|| url.to_owned()),
        body,
        review_due_on: (!due.is_empty()).then(|| due.to_owned()),
    })
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
    pub state: &'static str,
    pub decided_on: Option<String>,
    pub reason: Option<String>,
}

pub fn check_decision(state: &str, decided_on: &str, reason: &str) -> Result<Decision, AppError> {
    let reason = reason.trim();
    let date = decided_on.trim();
    let mut v = Validation::default();
    let state = match state {
        "pending" => "pending",
        "ratified" => "ratified",
        "declined" => "declined",
        _ => {
            return Err(AppError::invalid("state", "Choose pending, ratified or declined."));
        }
    };
    v.check(
        state == "pending" || parse_review_date(date).is_ok(),
        "decided_on",
        "Enter the date of the committee's decision, e.g. 2026-11-26.",
    )
    .check(state != "declined" || !reason.is_empty(), "reason", "Say why the committee declined it.")
    .check(reason.chars().count() <= 4_000, "reason", "Keep the reason under 4,000 characters.");
    v.finish()?;
    Ok(Decision {
        state,
        decided_on: (state != "pending").then(|| date.to_owned()),
        reason: (state == "declined").then(|| reason.to_owned()),
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
    }

    #[test]
    fn slugs_come_from_titles() {
        assert_eq!(slug_from_title("Forth Valley IRD Procedure (2026)"), "forth-valley-ird-procedure-2026");
        assert_eq!(slug_from_title("!!!"), "protocol");
    }
}
