//! Plans write timescales as people say them ("March 2024", "Dec 2023", "By end of 2025",
//! "Ongoing"). Where one names a month or a year, the action is due by the end of it.

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// The (year, month) by whose end the timescale falls due, if it names one. A bare year is due
/// by December; "2023/24" and "2023-24" (financial years) by March of the later year. With
/// several dates ("June 2023 – March 2024") the last one counts.
pub fn due_by(timescale: &str) -> Option<(i32, u32)> {
    let lower = timescale.to_lowercase();
    let words: Vec<&str> =
        lower.split(|c: char| !c.is_ascii_alphanumeric() && c != '/').filter(|w| !w.is_empty()).collect();
    let mut due = None;
    let mut month: Option<u32> = None;
    for word in words {
        if let Some(m) = MONTHS.iter().position(|m| word.starts_with(m) && word.len() >= 3) {
            month = Some(m as u32 + 1);
            continue;
        }
        if let Some((from, to)) = word.split_once('/') {
            if let (Some(_), Some(to)) = (year(from), short_or_full_year(from, to)) {
                due = Some((to, 3));
                month = None;
            }
            continue;
        }
        if let Some(y) = year(word) {
            due = Some((y, month.take().unwrap_or(12)));
        }
    }
    due
}

/// Whether the timescale's due month ended before `today` (year, month, day).
pub fn is_past(timescale: &str, today: (i32, u32, u32)) -> bool {
    due_by(timescale).is_some_and(|due| due < (today.0, today.1))
}

fn year(word: &str) -> Option<i32> {
    (word.len() == 4).then(|| word.parse::<i32>().ok()).flatten().filter(|y| (2000..2100).contains(y))
}

fn short_or_full_year(from: &str, to: &str) -> Option<i32> {
    match to.len() {
        2 => Some(from.get(..2)?.parse::<i32>().ok()? * 100 + to.parse::<i32>().ok()?),
        4 => year(to),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_years_are_read_as_written() {
        assert_eq!(due_by("March 2024"), Some((2024, 3)));
        assert_eq!(due_by("Dec 2023"), Some((2023, 12)));
        assert_eq!(due_by("By end of 2025"), Some((2025, 12)));
        assert_eq!(due_by("June 2023 – March 2024"), Some((2024, 3)));
        assert_eq!(due_by("2023/24"), Some((2024, 3)));
        assert_eq!(due_by("Ongoing"), None);
        assert_eq!(due_by("As required"), None);
        assert_eq!(due_by("When planning CPC meetings"), None);
    }

    #[test]
    fn a_timescale_is_past_once_its_month_has_ended() {
        assert!(is_past("March 2024", (2024, 4, 1)));
        assert!(!is_past("March 2024", (2024, 3, 31)));
        assert!(!is_past("Ongoing", (2030, 1, 1)));
    }
}
