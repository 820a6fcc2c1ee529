//! The plan page's filters. They live in the URL (`?status=a&lead=Lead+Officer&subgroup=…`)
//! so a filtered view can be shared; unknown values are ignored rather than refused.

use crate::domain::leads::lead_names_include;
use crate::domain::status::{parse_status_key, status_key, Status};
use crate::domain::views::ActionRow;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanFilter {
    /// `Some(None)` selects actions not yet assessed.
    pub status: Option<Option<Status>>,
    pub lead: Option<String>,
    pub subgroup: Option<String>,
}

impl PlanFilter {
    pub fn from_query(status: Option<&str>, lead: Option<&str>, subgroup: Option<&str>) -> Self {
        let non_empty = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        PlanFilter { status: status.and_then(parse_status_key), lead: non_empty(lead), subgroup: non_empty(subgroup) }
    }

    pub fn is_active(&self) -> bool {
        self.status.is_some() || self.lead.is_some() || self.subgroup.is_some()
    }

    pub fn matches(&self, action: &ActionRow) -> bool {
        self.status.is_none_or(|s| action.status == s)
            && self.lead.as_deref().is_none_or(|lead| lead_names_include(&action.lead, lead))
            && self.subgroup.as_deref().is_none_or(|slug| action.subgroups().any(|s| s.slug == slug))
    }

    /// Whether a group (priority, outcome, objective) holding `actions` is shown: always
    /// without filters, otherwise when one of its actions matches.
    pub fn shows<'a>(&self, mut actions: impl Iterator<Item = &'a ActionRow>) -> bool {
        !self.is_active() || actions.any(|a| self.matches(a))
    }

    /// Whether every filter names something this plan has (a lead of its actions, one of its
    /// subgroups): only such addresses are worth sharing between readers.
    pub fn names_only(&self, leads: &[String], subgroup_slugs: &[&str]) -> bool {
        self.lead.as_deref().is_none_or(|lead| leads.iter().any(|l| l.eq_ignore_ascii_case(lead)))
            && self.subgroup.as_deref().is_none_or(|slug| subgroup_slugs.contains(&slug))
    }

    /// The status parameter's value, "" when any status will do.
    pub fn status_param(&self) -> &'static str {
        self.status.map_or("", status_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::views::SubgroupRef;

    fn action(status: Option<Status>, lead: &str, subgroup: Option<&str>) -> ActionRow {
        ActionRow {
            version: 1,
            can_update: false,
            id: uuid::Uuid::nil(),
            reference: "1.1.1".into(),
            description: "Do it".into(),
            lead: lead.into(),
            timescale: String::new(),
            revised_timescale: None,
            evidence: String::new(),
            progress: String::new(),
            status,
            owner_subgroup: subgroup.map(|s| SubgroupRef { slug: s.into(), name: s.into(), short_name: s.into() }),
            lead_subgroups: Vec::new(),
            local_note: String::new(),
            owner_ids: (None, None),
        }
    }

    #[test]
    fn no_filter_matches_everything() {
        let f = PlanFilter::from_query(None, Some(""), None);
        assert!(!f.is_active());
        assert!(f.matches(&action(None, "", None)));
    }

    #[test]
    fn filters_combine() {
        let f = PlanFilter::from_query(Some("p"), Some("Lead Officer"), Some("fv-ppp"));
        assert!(f.matches(&action(Some(Status::Complete), "Chair, Lead Officer", Some("fv-ppp"))));
        assert!(!f.matches(&action(Some(Status::OnTarget), "Chair, Lead Officer", Some("fv-ppp"))));
        assert!(!f.matches(&action(Some(Status::Complete), "Chair", Some("fv-ppp"))));
        assert!(!f.matches(&action(Some(Status::Complete), "Lead Officer", None)));
    }

    #[test]
    fn not_assessed_is_a_status_of_its_own() {
        let f = PlanFilter::from_query(Some("none"), None, None);
        assert!(f.matches(&action(None, "", None)));
        assert!(!f.matches(&action(Some(Status::Complete), "", None)));
        assert_eq!(f.status_param(), "none");
    }

    #[test]
    fn unknown_status_values_are_ignored() {
        assert_eq!(PlanFilter::from_query(Some("purple"), None, None).status, None);
    }
}
