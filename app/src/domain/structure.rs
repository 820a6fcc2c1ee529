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
    pub fn entity(self) -> &'static str {
        self.code()
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

/// A review date as the form sends it ("2026-11-26").
pub fn parse_review_date(value: &str) -> Result<(i32, u8, u8), AppError> {
    let refuse = || AppError::invalid("reviewed_on", "Enter the date of the review, e.g. 2026-11-26.");
    let mut parts = value.trim().split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(refuse());
    };
    let y: i32 = y.parse().map_err(|_| refuse())?;
    let m: u8 = m.parse().map_err(|_| refuse())?;
    let d: u8 = d.parse().map_err(|_| refuse())?;
    if !(2000..=2100).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(refuse());
    }
    Ok((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_dates_are_checked() {
        assert_eq!(check_title(Part::Priority, "  Leadership   and governance ").unwrap(), "Leadership and governance");
        assert!(check_title(Part::Objective, " ").is_err());
        assert_eq!(check_title(Part::Outcome, "").unwrap(), "");
        assert_eq!(parse_review_date("2026-11-26").unwrap(), (2026, 11, 26));
        for bad in ["", "26/11/2026", "2026-13-01", "2026-11", "1999-01-01"] {
            assert!(parse_review_date(bad).is_err(), "{bad}");
        }
        assert!(Part::parse("action").is_err());
    }
}
