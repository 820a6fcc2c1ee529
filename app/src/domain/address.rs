//! Which query parameters each page reads, so that equal pages have one address: the page
//! cache keys anonymous pages by it (junk parameters cannot make entries of their own) and the
//! "sign in and come back" link uses it.

use crate::domain::status::parse_status_key;

/// The plan page's filters, in the order its canonical address lists them.
const PLAN_FILTERS: [&str; 3] = ["status", "lead", "subgroup"];

/// The query parameters the page at `path` reads.
fn known_parameters(path: &str) -> &'static [&'static str] {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["committees", _, "plans", plan] if *plan != "import" => &PLAN_FILTERS,
        _ => &[],
    }
}

/// The page's canonical address: its path, then the parameters it reads with their values
/// trimmed, in a fixed order, empty ones left out; parameters it does not read are dropped.
/// `None` when the address is ambiguous or wrong for the page (a parameter given twice, a
/// status key that does not exist), so it is not to be shared.
pub fn canonical_address(path: &str, query: Option<&str>) -> Option<String> {
    let known = known_parameters(path);
    let mut values: Vec<Option<String>> = vec![None; known.len()];
    for (name, value) in form_pairs(query.unwrap_or_default()) {
        let Some(index) = known.iter().position(|k| *k == name) else { continue };
        if values[index].is_some() {
            return None;
        }
        let value = value.trim().to_owned();
        if name == "status" && !value.is_empty() && parse_status_key(&value).is_none() {
            return None;
        }
        values[index] = Some(value);
    }
    let query: Vec<String> = known
        .iter()
        .zip(values)
        .filter_map(|(name, value)| value.filter(|v| !v.is_empty()).map(|v| format!("{name}={}", encode(&v))))
        .collect();
    Some(if query.is_empty() { path.to_owned() } else { format!("{path}?{}", query.join("&")) })
}

/// `application/x-www-form-urlencoded` pairs, decoded (no dependency, for the WASM side too).
fn form_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(name), decode(value))
    })
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 3 <= bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Percent-encodes a query value (spaces as `+`).
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "/committees/clackmannanshire/plans/2023-25";

    #[test]
    fn a_plan_page_keeps_its_filters_in_one_order_and_drops_the_rest() {
        assert_eq!(canonical_address(PLAN, None).unwrap(), PLAN);
        assert_eq!(canonical_address(PLAN, Some("x=1&utm_source=mail")).unwrap(), PLAN);
        assert_eq!(
            canonical_address(PLAN, Some("lead=Lead%20Officer&status=g&x=2")).unwrap(),
            format!("{PLAN}?status=g&lead=Lead+Officer")
        );
        assert_eq!(canonical_address(PLAN, Some("status=&lead=")).unwrap(), PLAN);
        assert_eq!(
            canonical_address(PLAN, Some("status=p&subgroup=ird-steering-group")).unwrap(),
            format!("{PLAN}?status=p&subgroup=ird-steering-group")
        );
    }

    #[test]
    fn ambiguous_or_wrong_filters_have_no_canonical_address() {
        assert_eq!(canonical_address(PLAN, Some("status=g&status=a")), None);
        assert_eq!(canonical_address(PLAN, Some("status=purple")), None);
    }

    #[test]
    fn other_pages_read_no_parameters() {
        assert_eq!(canonical_address("/", Some("x=1")).unwrap(), "/");
        assert_eq!(canonical_address("/committees/stirling", Some("status=g")).unwrap(), "/committees/stirling");
        assert_eq!(
            canonical_address("/committees/stirling/plans/import", Some("status=g")).unwrap(),
            "/committees/stirling/plans/import"
        );
    }

    #[test]
    fn escapes_decode_and_bad_escapes_stay_as_typed() {
        assert_eq!(decode("a%20b+c%2"), "a b c%2");
        assert_eq!(decode("%zz%41"), "%zzA");
        assert_eq!(decode("%"), "%");
        assert_eq!(decode("%é%C3%A9"), "%éé");
    }
}
