//! The Forth Valley report for the regional Chief Officers Group: one report across the
//! committees, built only from what every member of any Forth Valley committee or subgroup may
//! read (published plans, the subgroups' shared actions, the protocols), exceptions first; and
//! the subgroups' risk registers, each only for a reader of that register.

use crate::domain::dashboard::{build, DashboardAction};
use crate::domain::report::ReportAction;
use crate::domain::risk::{RegisterHolder, RiskRow};
use crate::domain::status::{Status, StatusCounts};
use crate::domain::views::CommitteeRef;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A published plan as the report gathers it: its actions in plan order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GatheredPlan {
    pub committee: CommitteeRef,
    pub slug: String,
    pub title: String,
    pub href: String,
    pub last_review: Option<String>,
    pub actions: Vec<ReportAction>,
}

/// One published plan's part: its counts and its exceptions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionalPlan {
    pub slug: String,
    pub title: String,
    pub href: String,
    pub counts: StatusCounts,
    /// Red first, then amber, each with its reason.
    pub attention: Vec<ReportAction>,
    pub past_timescale: Vec<ReportAction>,
    pub not_updated: Vec<ReportAction>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionalCommittee {
    pub committee: CommitteeRef,
    /// Its published plans' counts added up.
    pub counts: StatusCounts,
    pub plans: Vec<RegionalPlan>,
}

/// Where a shared action stands in one plan that adopts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adoption {
    pub committee: String,
    pub plan: String,
    pub reference: String,
    pub href: String,
}

/// A subgroup's shared action: one status, whichever plan shows it, and every published plan
/// that adopts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedActionStatus {
    pub id: Uuid,
    pub subgroup: String,
    pub subgroup_slug: String,
    pub description: String,
    pub status: Option<Status>,
    pub timescale: String,
    pub revised_timescale: Option<String>,
    pub revision_reason: Option<String>,
    /// RFC 3339.
    pub updated_at: String,
    pub adoptions: Vec<Adoption>,
}

/// A protocol's current version and where each committee stands on ratifying it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtocolStanding {
    pub slug: String,
    pub title: String,
    pub version: Option<String>,
    /// ISO date.
    pub review_due_on: Option<String>,
    pub review_overdue: bool,
    /// (committee short name, "ratified" | "pending" | "declined" | "not asked").
    pub committees: Vec<(String, String)>,
}

/// A subgroup's open risks, highest score first, for a reader of its register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubgroupRegister {
    pub holder: RegisterHolder,
    pub risks: Vec<RiskRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionalReport {
    pub region: String,
    /// ISO date (UK).
    pub reported_on: String,
    pub committees: Vec<RegionalCommittee>,
    pub shared: Vec<SharedActionStatus>,
    pub protocols: Vec<ProtocolStanding>,
    /// The registers this reader may see; `registers_withheld` counts the others.
    pub registers: Vec<SubgroupRegister>,
    pub registers_withheld: u32,
}

impl RegionalReport {
    /// Every exception of every committee: red and amber, past timescale, not updated.
    pub fn exception_count(&self) -> usize {
        self.committees
            .iter()
            .flat_map(|c| &c.plans)
            .map(|p| p.attention.len() + p.past_timescale.len() + p.not_updated.len())
            .sum()
    }
}

/// Each committee's part, in the order given (every committee of the region, with or
/// without a published plan), from its published plans as of `today` (ISO).
pub fn committee_parts(committees: Vec<CommitteeRef>, plans: &[GatheredPlan], today: &str) -> Vec<RegionalCommittee> {
    committees
        .into_iter()
        .map(|committee| {
            let plans: Vec<RegionalPlan> =
                plans.iter().filter(|p| p.committee.slug == committee.slug).map(|p| plan_part(p, today)).collect();
            let mut counts = StatusCounts::default();
            for p in &plans {
                counts.add_all(&p.counts);
            }
            RegionalCommittee { committee, counts, plans }
        })
        .collect()
}

fn plan_part(plan: &GatheredPlan, today: &str) -> RegionalPlan {
    let rows: Vec<DashboardAction> = plan.actions.iter().map(|a| a.action.clone()).collect();
    let dashboard = build(rows, Vec::new(), plan.last_review.clone(), today);
    let pick = |ids: &[DashboardAction]| -> Vec<ReportAction> {
        ids.iter().filter_map(|d| plan.actions.iter().find(|a| a.action.id == d.id).cloned()).collect()
    };
    RegionalPlan {
        slug: plan.slug.clone(),
        title: plan.title.clone(),
        href: plan.href.clone(),
        counts: dashboard.counts,
        attention: pick(&dashboard.attention),
        past_timescale: pick(&dashboard.past_timescale),
        not_updated: pick(&dashboard.not_updated),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(reference: &str, status: Option<Status>, timescale: &str, updated: &str) -> ReportAction {
        ReportAction {
            action: DashboardAction {
                id: Uuid::new_v4(),
                version: 1,
                reference: reference.into(),
                href: String::new(),
                description: format!("Action {reference}"),
                status,
                progress: String::new(),
                timescale: timescale.into(),
                revised_timescale: None,
                revision_reason: None,
                updated_at: updated.into(),
                group: "P".into(),
                subgroup: None,
            },
            objective: String::new(),
            lead: String::new(),
            evidence: String::new(),
            original_timescale: timescale.into(),
            timescale_moves: 0,
        }
    }

    #[test]
    fn each_committee_gets_its_published_plans_counts_and_exceptions_and_none_of_anothers() {
        let committee = |slug: &str| CommitteeRef { slug: slug.into(), name: slug.into(), short_name: slug.into() };
        let plans = vec![
            GatheredPlan {
                committee: committee("a"),
                slug: "2025-27".into(),
                title: "A".into(),
                href: String::new(),
                last_review: None,
                actions: vec![
                    action("1.1.1", Some(Status::RevisionRequired), "March 2030", "2026-11-20T10:00:00Z"),
                    action("1.1.2", Some(Status::OnTarget), "March 2024", "2026-11-20T10:00:00Z"),
                    action("1.1.3", Some(Status::Complete), "March 2024", "2025-01-01T10:00:00Z"),
                    action("1.1.4", Some(Status::OnTarget), "March 2030", "2026-01-01T10:00:00Z"),
                ],
            },
            GatheredPlan {
                committee: committee("b"),
                slug: "2024-26".into(),
                title: "B".into(),
                href: String::new(),
                last_review: None,
                actions: vec![action("2.1.1", Some(Status::Delayed), "Ongoing", "2026-11-30T10:00:00Z")],
            },
        ];
        let parts = committee_parts(vec![committee("a"), committee("b"), committee("c")], &plans, "2026-12-01");
        assert_eq!(parts.len(), 3);
        let a = &parts[0];
        assert_eq!((a.counts.revision_required, a.counts.on_target, a.counts.complete), (1, 2, 1));
        let refs = |xs: &[ReportAction]| xs.iter().map(|x| x.action.reference.clone()).collect::<Vec<_>>();
        assert_eq!(refs(&a.plans[0].attention), vec!["1.1.1"]);
        assert_eq!(refs(&a.plans[0].past_timescale), vec!["1.1.2"], "complete actions are never past due");
        assert_eq!(refs(&a.plans[0].not_updated), vec!["1.1.4"]);
        assert_eq!(refs(&parts[1].plans[0].attention), vec!["2.1.1"]);
        assert!(parts[2].plans.is_empty() && parts[2].counts.total() == 0, "a committee with no published plan");
    }
}
