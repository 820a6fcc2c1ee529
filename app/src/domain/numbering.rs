//! Plan numbering: outcomes are whole numbers, objectives "<outcome>.<n>", actions are the
//! objective's number and their position within it ("3.1.2").

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectiveNumber {
    pub outcome: u32,
    pub minor: u32,
}

impl ObjectiveNumber {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let bad = || format!("\"{text}\" is not an objective number: write it as outcome.number, e.g. 1.2");
        let (outcome, minor) = text.split_once('.').ok_or_else(bad)?;
        let outcome = parse_positive(outcome).ok_or_else(bad)?;
        let minor = parse_positive(minor).ok_or_else(bad)?;
        Ok(ObjectiveNumber { outcome, minor })
    }

    /// Parses and checks that the objective sits under the given outcome.
    pub fn parse_under(text: &str, outcome: u32) -> Result<Self, String> {
        let number = Self::parse(text)?;
        if number.outcome != outcome {
            return Err(format!(
                "objective {number} does not belong to outcome {outcome}: its number must start with {outcome}."
            ));
        }
        Ok(number)
    }
}

impl fmt::Display for ObjectiveNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.outcome, self.minor)
    }
}

/// Parses an outcome number: a whole number from 1.
pub fn parse_outcome_number(text: &str) -> Result<u32, String> {
    parse_positive(text.trim())
        .ok_or_else(|| format!("\"{}\" is not an outcome number: use a whole number from 1", text.trim()))
}

fn parse_positive(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) || text.starts_with('0') {
        return None;
    }
    text.parse().ok().filter(|n| *n > 0)
}

/// The reference shown for an action: its objective's number and its position within it.
/// A reference's numbers, for sorting: "1.10.2" after "1.9.1".
pub fn sort_key(reference: &str) -> Vec<u32> {
    reference.split('.').filter_map(|p| p.parse().ok()).collect()
}

pub fn action_ref(objective: ObjectiveNumber, position: u32) -> String {
    format!("{objective}.{position}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objective_numbers_round_trip() {
        let n = ObjectiveNumber::parse("4.6").unwrap();
        assert_eq!(n, ObjectiveNumber { outcome: 4, minor: 6 });
        assert_eq!(n.to_string(), "4.6");
        assert_eq!(ObjectiveNumber::parse(" 12.10 ").unwrap().to_string(), "12.10");
    }

    #[test]
    fn malformed_objective_numbers_are_refused() {
        for bad in ["", "1", "1.", ".1", "1.2.3", "a.1", "1.b", "0.1", "1.0", "01.2", "-1.2", "1,2"] {
            assert!(ObjectiveNumber::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn objectives_must_sit_under_their_outcome() {
        assert!(ObjectiveNumber::parse_under("8.1", 8).is_ok());
        let err = ObjectiveNumber::parse_under("3.1", 8).unwrap_err();
        assert!(err.contains("must start with 8"), "{err}");
    }

    #[test]
    fn outcome_numbers_are_positive_whole_numbers() {
        assert_eq!(parse_outcome_number("8"), Ok(8));
        assert!(parse_outcome_number("0").is_err());
        assert!(parse_outcome_number("1.1").is_err());
        assert!(parse_outcome_number("").is_err());
    }

    #[test]
    fn action_refs_extend_the_objective_number() {
        assert_eq!(action_ref(ObjectiveNumber { outcome: 3, minor: 1 }, 2), "3.1.2");
    }
}
