//! The plan's traffic-light key. "Not yet assessed" is `Option::<Status>::None`, never a code.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// G: on target.
    OnTarget,
    /// A: progress delayed.
    Delayed,
    /// R: outwith deadline, revision required.
    RevisionRequired,
    /// P: complete.
    Complete,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::OnTarget, Status::Delayed, Status::RevisionRequired, Status::Complete];

    /// Parses the one-letter code used by the plans, the CSV format and the database.
    pub fn parse(code: &str) -> Result<Self, String> {
        match code.trim() {
            "G" | "g" => Ok(Status::OnTarget),
            "A" | "a" => Ok(Status::Delayed),
            "R" | "r" => Ok(Status::RevisionRequired),
            "P" | "p" => Ok(Status::Complete),
            other => Err(format!(
                "\"{other}\" is not a status: use G (on target), A (progress delayed), \
                 R (revision required), P (complete) or leave it empty (not yet assessed)"
            )),
        }
    }

    /// Parses an optional code: empty means not yet assessed.
    pub fn parse_optional(code: &str) -> Result<Option<Self>, String> {
        if code.trim().is_empty() {
            Ok(None)
        } else {
            Self::parse(code).map(Some)
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::OnTarget => "G",
            Status::Delayed => "A",
            Status::RevisionRequired => "R",
            Status::Complete => "P",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::OnTarget => "On target",
            Status::Delayed => "Progress delayed",
            Status::RevisionRequired => "Revision required",
            Status::Complete => "Complete",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What a page shows for an optional status: the word, a distinct icon and a colour class,
/// so the meaning never rests on colour alone.
pub fn status_label(status: Option<Status>) -> &'static str {
    status.map_or("Not yet assessed", Status::label)
}

pub fn status_icon(status: Option<Status>) -> &'static str {
    match status {
        Some(Status::OnTarget) => "✓",
        Some(Status::Delayed) => "▲",
        Some(Status::RevisionRequired) => "✕",
        Some(Status::Complete) => "★",
        None => "○",
    }
}

/// The code used in URLs and CSS classes; `none` for not yet assessed.
pub fn status_key(status: Option<Status>) -> &'static str {
    match status {
        Some(Status::OnTarget) => "g",
        Some(Status::Delayed) => "a",
        Some(Status::RevisionRequired) => "r",
        Some(Status::Complete) => "p",
        None => "none",
    }
}

/// The inverse of [`status_key`], for filter parameters.
pub fn parse_status_key(key: &str) -> Option<Option<Status>> {
    match key {
        "g" | "G" => Some(Some(Status::OnTarget)),
        "a" | "A" => Some(Some(Status::Delayed)),
        "r" | "R" => Some(Some(Status::RevisionRequired)),
        "p" | "P" => Some(Some(Status::Complete)),
        "none" => Some(None),
        _ => None,
    }
}

/// Counts of actions per status, in the key's order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub on_target: u32,
    pub delayed: u32,
    pub revision_required: u32,
    pub complete: u32,
    pub not_assessed: u32,
}

impl StatusCounts {
    pub fn add(&mut self, status: Option<Status>) {
        *self.slot(status) += 1;
    }

    pub fn get(&self, status: Option<Status>) -> u32 {
        match status {
            Some(Status::OnTarget) => self.on_target,
            Some(Status::Delayed) => self.delayed,
            Some(Status::RevisionRequired) => self.revision_required,
            Some(Status::Complete) => self.complete,
            None => self.not_assessed,
        }
    }

    fn slot(&mut self, status: Option<Status>) -> &mut u32 {
        match status {
            Some(Status::OnTarget) => &mut self.on_target,
            Some(Status::Delayed) => &mut self.delayed,
            Some(Status::RevisionRequired) => &mut self.revision_required,
            Some(Status::Complete) => &mut self.complete,
            None => &mut self.not_assessed,
        }
    }

    /// Adds another set of counts to these (a committee's plans together).
    pub fn add_all(&mut self, other: &StatusCounts) {
        for status in Self::keyed() {
            *self.slot(status) += other.get(status);
        }
    }

    pub fn total(&self) -> u32 {
        self.on_target + self.delayed + self.revision_required + self.complete + self.not_assessed
    }

    /// Every status including "not yet assessed", in the order the key lists them.
    pub fn keyed() -> [Option<Status>; 5] {
        [Some(Status::OnTarget), Some(Status::Delayed), Some(Status::RevisionRequired), Some(Status::Complete), None]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back_to_itself() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.code()), Ok(status));
            assert_eq!(parse_status_key(status_key(Some(status))), Some(Some(status)));
        }
    }

    #[test]
    fn empty_code_means_not_yet_assessed() {
        assert_eq!(Status::parse_optional(""), Ok(None));
        assert_eq!(Status::parse_optional("  "), Ok(None));
        assert_eq!(parse_status_key("none"), Some(None));
    }

    #[test]
    fn unknown_codes_are_refused_with_the_key_in_the_message() {
        let err = Status::parse("X").unwrap_err();
        assert!(err.contains("\"X\" is not a status"), "{err}");
        assert!(err.contains("G (on target)"), "{err}");
        assert!(Status::parse("Complete").is_err());
        assert_eq!(parse_status_key("purple"), None);
    }

    #[test]
    fn icons_and_labels_differ_for_every_status() {
        let keyed = StatusCounts::keyed();
        for (i, a) in keyed.iter().enumerate() {
            for b in &keyed[i + 1..] {
                assert_ne!(status_icon(*a), status_icon(*b));
                assert_ne!(status_label(*a), status_label(*b));
            }
        }
    }

    #[test]
    fn counts_add_up() {
        let mut counts = StatusCounts::default();
        counts.add(Some(Status::Complete));
        counts.add(Some(Status::Complete));
        counts.add(None);
        assert_eq!(counts.get(Some(Status::Complete)), 2);
        assert_eq!(counts.get(None), 1);
        assert_eq!(counts.total(), 3);
    }
}
