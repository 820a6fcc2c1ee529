//! The rules for updating an action's status, progress and evidence, checked on the server for
//! every form post (the browser only helps).

use crate::domain::status::Status;
use crate::error::{AppError, Validation};

pub const MAX_TEXT: usize = 8_000;
pub const MAX_SHORT: usize = 200;

/// What an update form asks for, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionUpdate {
    pub status: Option<Status>,
    pub progress: String,
    pub evidence: String,
    /// Set only when the update moves the action to R (or changes the revision while at R).
    pub revision: Option<Revision>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub timescale: String,
    pub reason: String,
}

/// The form's fields as posted.
#[derive(Debug, Clone, Default)]
pub struct UpdateForm<'a> {
    pub status: &'a str,
    pub progress: &'a str,
    pub evidence: &'a str,
    pub revised_timescale: &'a str,
    pub reason: &'a str,
    pub note: &'a str,
}

/// Checks a posted update against the action's current status. A move to R needs a revised
/// timescale and a reason; staying at R keeps the recorded revision unless a new one is typed.
pub fn check_update(form: &UpdateForm<'_>, current: Option<Status>) -> Result<ActionUpdate, AppError> {
    let mut v = Validation::default();
    let status = Status::parse_optional(form.status);
    v.check(status.is_ok(), "status", "Choose a status: G, A, R, P or not yet assessed.");
    let status = status.unwrap_or(current);
    let progress = form.progress.trim().to_owned();
    let evidence = form.evidence.trim().to_owned();
    let timescale = one_line(form.revised_timescale);
    let reason = form.reason.trim().to_owned();
    let note = form.note.trim().to_owned();
    let moving_to_r = status == Some(Status::RevisionRequired) && current != Some(Status::RevisionRequired);
    v.check(progress.chars().count() <= MAX_TEXT, "progress", "Keep the progress report under 8,000 characters.")
        .check(evidence.chars().count() <= MAX_TEXT, "evidence", "Keep the evidence note under 8,000 characters.")
        .check(note.chars().count() <= MAX_TEXT, "note", "Keep the note under 8,000 characters.")
        .check(timescale.chars().count() <= MAX_SHORT, "revised_timescale", "Keep the timescale under 200 characters.")
        .check(reason.chars().count() <= MAX_TEXT, "reason", "Keep the reason under 8,000 characters.")
        .check(
            !moving_to_r || !timescale.is_empty(),
            "revised_timescale",
            "A move to R (revision required) needs the revised timescale, e.g. \"March 2026\".",
        )
        .check(!moving_to_r || !reason.is_empty(), "reason", "A move to R needs the reason the timescale is revised.")
        .check(
            status == Some(Status::RevisionRequired) || (timescale.is_empty() && reason.is_empty()),
            "revised_timescale",
            "A revised timescale is recorded only with status R (revision required); clear it or choose R.",
        );
    v.finish()?;
    let revision = (status == Some(Status::RevisionRequired) && !timescale.is_empty() && !reason.is_empty())
        .then_some(Revision { timescale, reason });
    Ok(ActionUpdate { status, progress, evidence, revision, note })
}

/// An action's wording as a form gives it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionWording {
    pub description: String,
    pub lead: String,
    pub timescale: String,
    pub evidence: String,
}

pub fn check_wording(
    description: &str,
    lead: &str,
    timescale: &str,
    evidence: &str,
) -> Result<ActionWording, AppError> {
    let wording = ActionWording {
        description: description.trim().to_owned(),
        lead: lead.trim().to_owned(),
        timescale: one_line(timescale),
        evidence: evidence.trim().to_owned(),
    };
    let mut v = Validation::default();
    v.check(!wording.description.is_empty(), "description", "Describe the action.")
        .check(wording.description.chars().count() <= 2_000, "description", "Keep the action under 2,000 characters.")
        .check(wording.lead.chars().count() <= 500, "lead", "Keep the lead under 500 characters.")
        .check(wording.timescale.chars().count() <= MAX_SHORT, "timescale", "Keep the timescale under 200 characters.")
        .check(wording.evidence.chars().count() <= MAX_TEXT, "evidence", "Keep the evidence under 8,000 characters.");
    v.finish()?;
    Ok(wording)
}

/// The note a committee keeps with a shared action it adopts, checked.
pub fn check_local_note(note: &str) -> Result<String, AppError> {
    let note = note.trim();
    if note.chars().count() > 2_000 {
        return Err(AppError::invalid("local_note", "Keep the note under 2,000 characters."));
    }
    Ok(note.to_owned())
}

/// "committee/plan/1.2" from an adopt form's choice: where to place a shared action.
pub fn parse_placement(value: &str) -> Result<(String, String, i32, i32), AppError> {
    let refuse = || AppError::invalid("placement", "Choose the plan and objective to place the action under.");
    let mut parts = value.trim().split('/');
    let (Some(committee), Some(plan), Some(objective), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(refuse());
    };
    let (outcome, minor) = objective.split_once('.').ok_or_else(refuse)?;
    let outcome: i32 = outcome.parse().map_err(|_| refuse())?;
    let minor: i32 = minor.parse().map_err(|_| refuse())?;
    if committee.is_empty() || plan.is_empty() || outcome < 1 || minor < 1 {
        return Err(refuse());
    }
    Ok((committee.to_owned(), plan.to_owned(), outcome, minor))
}

/// The first words of a long text, for messages and the audit trail.
pub fn excerpt(text: &str) -> String {
    let line = one_line(text);
    match line.char_indices().nth(70) {
        Some((cut, _)) => format!("{}…", line[..cut].trim_end()),
        None => line,
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(status: &'a str) -> UpdateForm<'a> {
        UpdateForm { status, progress: " Going well. ", ..Default::default() }
    }

    #[test]
    fn a_plain_update_is_trimmed() {
        let update = check_update(&form("a"), Some(Status::OnTarget)).unwrap();
        assert_eq!(update.status, Some(Status::Delayed));
        assert_eq!(update.progress, "Going well.");
        assert_eq!(update.revision, None);
    }

    #[test]
    fn a_move_to_r_needs_timescale_and_reason() {
        let error = check_update(&form("R"), Some(Status::Delayed)).unwrap_err();
        assert!(error.field_message("revised_timescale").is_some());
        assert!(error.field_message("reason").is_some());
        let ok = check_update(
            &UpdateForm { revised_timescale: " March  2026 ", reason: "Staff changes", ..form("R") },
            Some(Status::Delayed),
        )
        .unwrap();
        assert_eq!(ok.revision, Some(Revision { timescale: "March 2026".into(), reason: "Staff changes".into() }));
    }

    #[test]
    fn staying_at_r_keeps_the_revision_unless_a_new_one_is_given() {
        let kept = check_update(&form("R"), Some(Status::RevisionRequired)).unwrap();
        assert_eq!(kept.revision, None);
    }

    #[test]
    fn placements_and_wording_are_checked() {
        assert_eq!(parse_placement("stirling/2024-26/3.2").unwrap(), ("stirling".into(), "2024-26".into(), 3, 2));
        for bad in ["", "stirling/2024-26", "stirling/2024-26/3", "a/b/x.1", "a/b/0.1", "a/b/1.1/extra"] {
            assert!(parse_placement(bad).is_err(), "{bad}");
        }
        assert!(check_wording("  ", "", "", "").unwrap_err().field_message("description").is_some());
        assert_eq!(check_wording(" Do it ", "Chair", " March   2026 ", "").unwrap().timescale, "March 2026");
    }

    #[test]
    fn revisions_belong_to_r_only_and_statuses_are_checked() {
        let error =
            check_update(&UpdateForm { revised_timescale: "May", ..form("G") }, Some(Status::OnTarget)).unwrap_err();
        assert!(error.field_message("revised_timescale").is_some());
        assert!(check_update(&form("X"), None).unwrap_err().field_message("status").is_some());
        assert_eq!(check_update(&form(""), Some(Status::OnTarget)).unwrap().status, None);
    }
}
