//! The lead column is free text ("Independent Chair, Lead Officer, Committee Members"); the
//! plan page filters by the people and groups it names.

/// Splits a lead cell into the names it lists, in order, without duplicates.
pub fn lead_names(lead: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for part in lead.split([',', '\n', ';']) {
        let name = part.trim().trim_end_matches('.').trim();
        if name.is_empty() || names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            continue;
        }
        names.push(name.to_owned());
    }
    names
}

/// Whether a lead cell names `wanted` (case-insensitive, as a whole name).
pub fn lead_names_include(lead: &str, wanted: &str) -> bool {
    let wanted = wanted.trim();
    lead_names(lead).iter().any(|n| n.eq_ignore_ascii_case(wanted))
}

/// The distinct lead names of many cells, most frequent first, then alphabetical.
pub fn distinct_leads<'a>(leads: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut counted: Vec<(String, usize)> = Vec::new();
    for lead in leads {
        for name in lead_names(lead) {
            match counted.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(&name)) {
                Some((_, count)) => *count += 1,
                None => counted.push((name, 1)),
            }
        }
    }
    counted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.to_lowercase().cmp(&b.0.to_lowercase())));
    counted.into_iter().map(|(name, _)| name).collect()
}

/// Normalises a subgroup name for matching against lead text: case, "&", "FV", and the
/// several spellings of "subgroup" that plans use.
pub fn normalise_group_name(text: &str) -> String {
    let lowered = text.to_lowercase().replace('&', " and ");
    let words: Vec<&str> = lowered.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        match (words[i], words.get(i + 1)) {
            ("fv", _) => {
                out.push("forth");
                out.push("valley");
            }
            ("sub", Some(&"group")) => {
                out.push("subgroup");
                i += 1;
            }
            (w, _) => out.push(w),
        }
        i += 1;
    }
    out.join(" ")
}

/// Whether a lead cell names a group known by any of `names`.
pub fn lead_mentions(lead: &str, names: &[String]) -> bool {
    let lead = format!(" {} ", normalise_group_name(lead));
    names.iter().map(|n| normalise_group_name(n)).filter(|n| !n.is_empty()).any(|n| lead.contains(&format!(" {n} ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_cells_split_into_names() {
        assert_eq!(
            lead_names("Independent Chair, Lead Officer, Committee Members"),
            vec!["Independent Chair", "Lead Officer", "Committee Members"]
        );
        assert_eq!(lead_names("Lead Officer\nlead officer, "), vec!["Lead Officer"]);
        assert!(lead_names("").is_empty());
    }

    #[test]
    fn distinct_leads_put_the_most_common_first() {
        let leads = distinct_leads(["Lead Officer, CPC Members", "Independent Chair, Lead Officer", "Lead Officer"]);
        assert_eq!(leads, vec!["Lead Officer", "CPC Members", "Independent Chair"]);
    }

    #[test]
    fn lead_filter_matches_whole_names_only() {
        assert!(lead_names_include("Independent Chair, Lead Officer", "lead officer"));
        assert!(!lead_names_include("Independent Chair, Lead Officer", "Lead"));
    }

    #[test]
    fn subgroup_spellings_in_plans_match_their_subgroup() {
        let pmqa = vec!["Performance Management and Quality Assurance Subgroup".to_owned()];
        assert!(lead_mentions("Lead Officer, Performance Management and Quality Assurance sub group", &pmqa));
        assert!(lead_mentions("Performance Management and Quality Assurance Sub Group", &pmqa));
        assert!(!lead_mentions("Performance and Quality Assurance Sub Group", &pmqa));

        let ppie = vec!["Forth Valley Public Info, Engagement & Participation Subgroup".to_owned()];
        assert!(lead_mentions("Lead Officer, FV Public Info, Engagement & Participation Subgroup", &ppie));
        assert!(!lead_mentions("Lead Officer", &ppie));
    }
}
