//! URL slugs: committees and subgroups use lower-case words joined by hyphens; plans use
//! their period ("2023-25").

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Slug(String);

impl Slug {
    pub fn parse(text: &str) -> Result<Self, String> {
        let ok = !text.is_empty()
            && text.len() <= 64
            && text
                .split('-')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        if ok {
            Ok(Slug(text.to_owned()))
        } else {
            Err(format!(
                "\"{text}\" is not a valid name for a web address: use lower-case letters and digits joined by single hyphens"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A plan's period, written as its slug: first year in full, last year's final two digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PlanPeriod {
    pub start_year: u16,
    pub end_year: u16,
}

impl PlanPeriod {
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("\"{text}\" is not a plan period: write it like 2023-25");
        let (start, end) = text.split_once('-').ok_or_else(bad)?;
        if start.len() != 4 || end.len() != 2 {
            return Err(bad());
        }
        let start_year: u16 = start.parse().map_err(|_| bad())?;
        let end_short: u16 = end.parse().map_err(|_| bad())?;
        if !(2000..=2999).contains(&start_year) {
            return Err(bad());
        }
        let century = start_year - start_year % 100;
        let mut end_year = century + end_short;
        if end_year < start_year {
            end_year += 100;
        }
        if end_year == start_year || end_year - start_year > 10 {
            return Err(format!("\"{text}\" is not a plan period: a plan runs for one to ten years"));
        }
        Ok(PlanPeriod { start_year, end_year })
    }

    pub fn slug(&self) -> String {
        format!("{}-{:02}", self.start_year, self.end_year % 100)
    }
}

/// The names of a new committee or subgroup, checked: a name, a short name and the slug of
/// its web address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    pub name: String,
    pub short_name: String,
    pub slug: String,
}

pub fn check_names(name: &str, short_name: &str, slug: &str) -> Result<Names, crate::error::AppError> {
    use crate::domain::text::{MAX_NAME, MAX_SHORT_NAME};
    let tidy = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (name, short_name, slug) = (tidy(name), tidy(short_name), slug.trim().to_lowercase());
    let mut v = crate::error::Validation::default();
    v.check(!name.is_empty() && name.chars().count() <= MAX_NAME, "name", "Enter a name of up to 120 characters.")
        .check(
            !short_name.is_empty() && short_name.chars().count() <= MAX_SHORT_NAME,
            "short_name",
            "Enter a short name of up to 40 characters.",
        )
        .check(
            Slug::parse(&slug).is_ok(),
            "slug",
            "Use lower-case letters and digits joined by hyphens, e.g. west-lothian.",
        );
    v.finish()?;
    Ok(Names { name, short_name, slug })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_a_new_committee_are_tidied_or_refused_by_field() {
        let names = check_names("  West   Lothian CPC ", "West Lothian", " West-Lothian ").unwrap();
        assert_eq!((names.name.as_str(), names.slug.as_str()), ("West Lothian CPC", "west-lothian"));
        let refused = check_names("", &"x".repeat(41), "no spaces please").unwrap_err();
        for field in ["name", "short_name", "slug"] {
            assert!(refused.field_message(field).is_some(), "{field}");
        }
    }

    #[test]
    fn committee_slugs() {
        assert!(Slug::parse("clackmannanshire").is_ok());
        assert!(Slug::parse("fv-ird-steering-group").is_ok());
        for bad in ["", "Falkirk", "a--b", "-a", "a-", "a b", "a/b", "ä"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn plan_periods() {
        let p = PlanPeriod::parse("2023-25").unwrap();
        assert_eq!((p.start_year, p.end_year), (2023, 2025));
        assert_eq!(p.slug(), "2023-25");
        assert_eq!(PlanPeriod::parse("2099-01").unwrap().end_year, 2101);
        for bad in ["2023", "2023-2025", "23-25", "2023-23", "abcd-ef", "2023-5", "1999-01"] {
            assert!(PlanPeriod::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
