//! Dates travel as ISO strings (keeps a date library out of the WASM); pages format them.

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

fn split(iso: &str) -> Option<(u32, usize, u32)> {
    let date = iso.get(..10)?;
    let mut parts = date.split('-');
    let y = parts.next()?.parse().ok()?;
    let m: usize = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    (1..=12).contains(&m).then_some((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_read_as_people_write_them() {
        assert_eq!(long_date("2024-03-12"), "12 March 2024");
        assert_eq!(month_year("2023-11-01"), "November 2023");
        assert_eq!(long_date("2024-11-25T10:00:00Z"), "25 November 2024");
        assert_eq!(long_date("soon"), "soon");
        assert_eq!(month_year("2023-13-01"), "2023-13-01");
    }
}
