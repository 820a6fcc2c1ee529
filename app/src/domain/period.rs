//! Reporting periods: by default the financial year's quarters (April–June first), each with
//! an address ("2026-27-q3") and a name ("Q3 2026/27"); a committee may move a period's dates
//! to fit its meeting cycle (then the stored dates count).

use crate::domain::dates::IsoDate;
use crate::error::{AppError, Validation};
use serde::{Deserialize, Serialize};

/// A financial-year quarter: the year it starts in (2026 for 2026/27) and its number (1–4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quarter {
    pub year: i32,
    pub number: u8,
}

fn days_in(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl Quarter {
    /// The quarter that holds `date`.
    pub fn of(date: IsoDate) -> Quarter {
        match date.month {
            4..=6 => Quarter { year: date.year, number: 1 },
            7..=9 => Quarter { year: date.year, number: 2 },
            10..=12 => Quarter { year: date.year, number: 3 },
            _ => Quarter { year: date.year - 1, number: 4 },
        }
    }

    /// "2026-27-q3".
    pub fn slug(self) -> String {
        format!("{}-{:02}-q{}", self.year, (self.year + 1).rem_euclid(100), self.number)
    }

    pub fn parse(slug: &str) -> Option<Quarter> {
        let (years, q) = slug.split_once("-q")?;
        let (start, end) = years.split_once('-')?;
        let year: i32 = start.parse().ok().filter(|y| (2000..2100).contains(y))?;
        let number: u8 = q.parse().ok().filter(|n| (1..=4).contains(n))?;
        let quarter = Quarter { year, number };
        (end == format!("{:02}", (year + 1).rem_euclid(100)) && quarter.slug() == slug).then_some(quarter)
    }

    /// "Q3 2026/27".
    pub fn label(self) -> String {
        format!("Q{} {}/{:02}", self.number, self.year, (self.year + 1).rem_euclid(100))
    }

    /// Its first and last day.
    pub fn dates(self) -> (IsoDate, IsoDate) {
        let (year, first_month) = match self.number {
            1 => (self.year, 4),
            2 => (self.year, 7),
            3 => (self.year, 10),
            _ => (self.year + 1, 1),
        };
        let last_month = first_month + 2;
        (
            IsoDate { year, month: first_month, day: 1 },
            IsoDate { year, month: last_month, day: days_in(year, last_month) },
        )
    }

    pub fn previous(self) -> Quarter {
        if self.number == 1 {
            Quarter { year: self.year - 1, number: 4 }
        } else {
            Quarter { year: self.year, number: self.number - 1 }
        }
    }

    /// The quarters a committee is offered on `today`: this financial year's and last year's,
    /// up to the current quarter, newest first.
    pub fn offered(today: IsoDate) -> Vec<Quarter> {
        let now = Quarter::of(today);
        let mut out = vec![now];
        let first = Quarter { year: now.year - 1, number: 1 };
        let mut q = now;
        while q > first {
            q = q.previous();
            out.push(q);
        }
        out
    }
}

/// A period as the pages list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodView {
    pub slug: String,
    pub label: String,
    /// ISO dates.
    pub starts_on: String,
    pub ends_on: String,
    /// The current snapshot's closing, if closed: when (RFC 3339) and by whom.
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    /// How many earlier snapshots the current one supersedes.
    pub superseded: u32,
}

/// New dates for a period, checked.
pub fn check_dates(starts_on: &str, ends_on: &str) -> Result<(IsoDate, IsoDate), AppError> {
    let (start, end) = (IsoDate::parse(starts_on), IsoDate::parse(ends_on));
    let mut v = Validation::default();
    v.check(start.is_some(), "starts_on", "Write the first day as YYYY-MM-DD, e.g. 2026-10-01.").check(
        end.is_some(),
        "ends_on",
        "Write the last day as YYYY-MM-DD, e.g. 2026-12-31.",
    );
    if let (Some(s), Some(e)) = (start, end) {
        v.check(e >= s, "ends_on", "The last day cannot be before the first.");
    }
    v.finish()?;
    Ok((
        start.unwrap_or(IsoDate { year: 2000, month: 1, day: 1 }),
        end.unwrap_or(IsoDate { year: 2000, month: 1, day: 1 }),
    ))
}

/// Closing a period again (superseding its snapshot) needs a reason.
pub fn check_reclose_reason(reason: &str, already_closed: bool) -> Result<String, AppError> {
    let reason = reason.trim();
    let mut v = Validation::default();
    v.check(
        !already_closed || !reason.is_empty(),
        "reason",
        "This period is already closed: say why it is closed again (the earlier snapshot is kept, marked superseded).",
    )
    .check(
        reason.chars().count() <= crate::domain::text::MAX_NOTE,
        "reason",
        "Keep the reason under 4,000 characters.",
    );
    v.finish()?;
    Ok(reason.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> IsoDate {
        IsoDate::parse(text).unwrap()
    }

    #[test]
    fn quarters_follow_the_financial_year() {
        assert_eq!(Quarter::of(d("2026-04-01")), Quarter { year: 2026, number: 1 });
        assert_eq!(Quarter::of(d("2026-12-02")), Quarter { year: 2026, number: 3 });
        assert_eq!(Quarter::of(d("2027-03-31")), Quarter { year: 2026, number: 4 });
        let q4 = Quarter { year: 2026, number: 4 };
        assert_eq!(q4.dates(), (d("2027-01-01"), d("2027-03-31")));
        assert_eq!(Quarter { year: 2027, number: 4 }.dates().1, d("2028-03-31"));
        assert_eq!(Quarter { year: 2026, number: 2 }.dates(), (d("2026-07-01"), d("2026-09-30")));
        assert_eq!(q4.slug(), "2026-27-q4");
        assert_eq!(q4.label(), "Q4 2026/27");
        assert_eq!(Quarter { year: 2099, number: 1 }.slug(), "2099-00-q1");
        assert_eq!(Quarter::parse("2026-27-q4"), Some(q4));
        for junk in ["2026-28-q4", "2026-27-q5", "2026-27-q04", "x", "2026-27", "1999-00-q1"] {
            assert_eq!(Quarter::parse(junk), None, "{junk}");
        }
    }

    #[test]
    fn a_committee_is_offered_this_year_and_last_year_up_to_now() {
        let offered = Quarter::offered(d("2026-12-02"));
        let slugs: Vec<String> = offered.iter().map(|q| q.slug()).collect();
        assert_eq!(
            slugs,
            ["2026-27-q3", "2026-27-q2", "2026-27-q1", "2025-26-q4", "2025-26-q3", "2025-26-q2", "2025-26-q1"]
        );
    }

    #[test]
    fn dates_and_reasons_are_checked() {
        assert!(check_dates("2026-10-01", "2026-09-30").unwrap_err().field_error("ends_on").is_some());
        assert!(check_dates("soon", "").is_err());
        assert_eq!(check_dates("2026-10-01", "2026-12-15").unwrap(), (d("2026-10-01"), d("2026-12-15")));
        assert!(check_reclose_reason(" ", true).is_err());
        assert_eq!(check_reclose_reason("", false).unwrap(), "");
    }
}
