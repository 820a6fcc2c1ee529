//! Dates travel as ISO strings (keeps a date library out of the WASM); pages format them.
//! A date typed into a form is parsed once, at the edge, into an `IsoDate`: a real calendar
//! date, never 2026-02-31.

use serde::{Deserialize, Serialize};

/// A calendar date ("2026-11-26"), checked to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct IsoDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl IsoDate {
    /// "YYYY-MM-DD" for a date that exists, from the year 2000 to 2100 (what plans, reviews and
    /// decisions use); surrounding spaces are ignored.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| {
            text.get(range).filter(|t| t.bytes().all(|b| b.is_ascii_digit())).and_then(|t| t.parse::<u32>().ok())
        };
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        let year = i32::try_from(year).ok().filter(|y| (2000..=2100).contains(y))?;
        let month = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
        let day =
            u8::try_from(day).ok().filter(|d| *d >= 1 && u32::from(*d) <= days_in_month(year, u32::from(month)))?;
        Some(IsoDate { year, month, day })
    }
}

impl std::fmt::Display for IsoDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(feature = "ssr")]
impl From<IsoDate> for time::Date {
    fn from(d: IsoDate) -> Self {
        // `parse` admits only dates that exist, so this cannot fail.
        time::Month::try_from(d.month)
            .ok()
            .and_then(|m| time::Date::from_calendar_date(d.year, m, d.day).ok())
            .unwrap_or(time::Date::MIN)
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "2023-11-01" → "1 November 2023"; anything else is returned as it is.
pub fn long_date(iso: &str) -> String {
    match split(iso) {
        Some((y, m, d)) => format!("{d} {} {y}", MONTHS[m - 1]),
        None => iso.to_owned(),
    }
}

/// "2023-11-01" → "November 2023", as plans date their reviews.
pub fn month_year(iso: &str) -> String {
    match split(iso) {
        Some((y, m, _)) => format!("{} {y}", MONTHS[m - 1]),
        None => iso.to_owned(),
    }
}

/// (year, month, day) of an ISO date or timestamp.
pub fn ymd(iso: &str) -> Option<(i32, u32, u32)> {
    let y = iso.get(..4)?.parse().ok()?;
    let m = iso.get(5..7)?.parse().ok()?;
    let d = iso.get(8..10)?.parse().ok()?;
    Some((y, m, d))
}

/// Days from 1970-01-01 (civil calendar), for differences between dates.
pub fn day_number(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn split(iso: &str) -> Option<(u32, usize, u32)> {
    let date = iso.get(..10)?;
    let mut parts = date.split('-');
    let y = parts.next()?.parse().ok()?;
    let m: usize = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    (1..=12).contains(&m).then_some((y, m, d))
}

/// A UTC timestamp ("2026-07-01T13:05:00Z") as UK clock time: "1 July 2026 at 14:05".
/// Committees meet in Scotland, so times follow British Summer Time (last Sunday of March to
/// last Sunday of October, changing at 01:00 UTC).
pub fn long_date_time(iso: &str) -> String {
    let Some((y, m, d)) = split(iso) else { return iso.to_owned() };
    let time = iso.get(11..16).and_then(|t| {
        let (h, min) = t.split_once(':')?;
        Some((h.parse::<u32>().ok()?, min.parse::<u32>().ok()?))
    });
    let Some((h, min)) = time else { return long_date(iso) };
    let (mut y, mut m, mut d, mut h) = (y as i32, m as u32, d, h);
    if is_bst(y, m, d, h) {
        h += 1;
        if h == 24 {
            h = 0;
            (y, m, d) = next_day(y, m, d);
        }
    }
    format!("{d} {} {y} at {h:02}:{min:02}", MONTHS[m as usize - 1])
}

fn is_bst(y: i32, m: u32, d: u32, h: u32) -> bool {
    let start = last_sunday(y, 3);
    let end = last_sunday(y, 10);
    let after_start = m > 3 || (m == 3 && (d > start || (d == start && h >= 1)));
    let before_end = m < 10 || (m == 10 && (d < end || (d == end && h < 1)));
    after_start && before_end
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// 0 = Sunday (Sakamoto's method).
fn weekday(y: i32, m: u32, d: u32) -> u32 {
    const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if m < 3 { y - 1 } else { y };
    ((y + y / 4 - y / 100 + y / 400 + T[m as usize - 1] + d as i32).rem_euclid(7)) as u32
}

fn last_sunday(y: i32, m: u32) -> u32 {
    let last = days_in_month(y, m);
    last - weekday(y, m, last)
}

fn next_day(y: i32, m: u32, d: u32) -> (i32, u32, u32) {
    if d < days_in_month(y, m) {
        (y, m, d + 1)
    } else if m < 12 {
        (y, m + 1, 1)
    } else {
        (y + 1, 1, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_dates_that_exist_are_dates() {
        assert_eq!(IsoDate::parse(" 2026-11-26 ").map(|d| d.to_string()).as_deref(), Some("2026-11-26"));
        assert!(IsoDate::parse("2028-02-29").is_some(), "a leap year");
        for bad in [
            "2026-02-31",
            "2026-02-29",
            "2026-13-01",
            "2026-04-31",
            "2026-00-10",
            "1999-12-31",
            "26/11/2026",
            "2026-1-5",
            "２０２６-01-01",
            "",
        ] {
            assert_eq!(IsoDate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn times_follow_the_uk_clock() {
        assert_eq!(long_date_time("2026-11-26T09:05:00Z"), "26 November 2026 at 09:05");
        assert_eq!(long_date_time("2026-07-01T13:05:00.5Z"), "1 July 2026 at 14:05");
        // 2026: BST from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(long_date_time("2026-03-29T00:59:00Z"), "29 March 2026 at 00:59");
        assert_eq!(long_date_time("2026-03-29T01:00:00Z"), "29 March 2026 at 02:00");
        assert_eq!(long_date_time("2026-10-25T00:30:00Z"), "25 October 2026 at 01:30");
        assert_eq!(long_date_time("2026-10-25T01:30:00Z"), "25 October 2026 at 01:30");
        assert_eq!(long_date_time("2026-06-30T23:30:00Z"), "1 July 2026 at 00:30");
        assert_eq!(long_date_time("2026-06-30"), "30 June 2026");
    }

    #[test]
    fn iso_dates_read_as_people_write_them() {
        assert_eq!(long_date("2024-03-12"), "12 March 2024");
        assert_eq!(month_year("2023-11-01"), "November 2023");
        assert_eq!(long_date("2024-11-25T10:00:00Z"), "25 November 2024");
        assert_eq!(long_date("soon"), "soon");
        assert_eq!(month_year("2023-13-01"), "2023-13-01");
    }

    #[test]
    fn day_numbers_follow_the_calendar() {
        assert_eq!(day_number(1970, 1, 1), 0);
        assert_eq!(day_number(2000, 3, 1) - day_number(2000, 2, 28), 2, "2000 was a leap year");
        assert_eq!(day_number(2026, 12, 1) - day_number(2026, 9, 2), 90);
    }
}
