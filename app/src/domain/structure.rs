//! The parts of a plan a lead officer shapes, and the rules for what they type.

use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Priority,
    Outcome,
    Objective,
}

impl Part {
    pub fn parse(kind: &str) -> Result<Self, AppError> {
        match kind {
            "priority" => Ok(Part::Priority),
            "outcome" => Ok(Part::Outcome),
            "objective" => Ok(Part::Objective),
            _ => Err(AppError::BadRequest("The request was not understood.".into())),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Part::Priority => "priority",
            Part::Outcome => "outcome",
            Part::Objective => "objective",
        }
    }

    pub fn label(self) -> &'static str {
        self.code()
    }

    /// The audit trail's name for it.
    pub fn entity(self) -> crate::domain::audit::Entity {
        match self {
            Part::Priority => crate::domain::audit::Entity::Priority,
            Part::Outcome => crate::domain::audit::Entity::Outcome,
            Part::Objective => crate::domain::audit::Entity::Objective,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    pub fn parse(value: &str) -> Result<Self, AppError> {
        match value {
            "up" => Ok(Direction::Up),
            "down" => Ok(Direction::Down),
            _ => Err(AppError::BadRequest("The request was not understood.".into())),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }
}

/// A priority, outcome or objective title. Outcomes may have none (some plans leave them
/// unstated); the others need one.
pub fn check_title(part: Part, title: &str) -> Result<String, AppError> {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() && part != Part::Outcome {
        return Err(AppError::invalid("title", format!("Give the {} a title.", part.label())));
    }
    if title.chars().count() > 1_000 {
        return Err(AppError::invalid("title", "Keep the title under 1,000 characters."));
    }
    Ok(title)
}

/// A date a form sends ("2026-11-26"), for the field `field`: a date that exists, or the
/// field's message.
pub fn parse_date_field(value: &str, field: &str, message: &str) -> Result<crate::domain::dates::IsoDate, AppError> {
    crate::domain::dates::IsoDate::parse(value).ok_or_else(|| AppError::invalid(field, message))
}

/// A review date as the form sends it.
pub fn parse_review_date(value: &str) -> Result<crate::domain::dates::IsoDate, AppError> {
    parse_date_field(value, "reviewed_on", "Enter the date of the review, e.g. 2026-11-26 (a date that exists).")
}

/// A review as the form records it: its date and note, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewForm {
    pub date: crate::domain::dates::IsoDate,
    pub note: String,
}

pub fn check_review(reviewed_on: &str, note: &str) -> Result<ReviewForm, AppError> {
    let date = parse_review_date(reviewed_on);
    let note = note.trim().to_owned();
    let mut v = crate::error::Validation::default();
    if let Err(AppError::Invalid(errors)) = &date {
        for e in errors {
            v.check(false, &e.field, &e.message);
        }
    }
    v.check(note.chars().count() <= crate::domain::text::MAX_NOTE, "note", "Keep the note under 4,000 characters.");
    v.finish()?;
    Ok(ReviewForm { date: date?, note })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_dates_are_checked() {
        assert_eq!(check_title(Part::Priority, "  Leadership   and governance ").unwrap(), "Leadership and governance");
        assert!(check_title(Part::Objective, " ").is_err());
        assert_eq!(check_title(Part::Outcome, "").unwrap(), "");
        assert_eq!(parse_review_date("2026-11-26").unwrap().to_string(), "2026-11-26");
        for bad in ["", "26/11/2026", "2026-13-01", "2026-11", "1999-01-01", "2026-02-31"] {
            assert!(parse_review_date(bad).is_err(), "{bad}");
        }
        assert!(Part::parse("action").is_err());
    }
}
