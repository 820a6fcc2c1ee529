//! The Chief Officers Group report: what a closed period's snapshot holds, and the report made
//! from it, exceptions first (red and amber with their reasons, past their timescale, not
//! updated for 90 days, what changed since the previous snapshot, timescales pushed out, risks
//! that rose or stand above their target, protocols awaiting ratification), then the whole
//! plan. Worked out here from the frozen snapshot alone, so a report reads the same however
//! often and however late it is opened.

use crate::domain::compare::{compare, ActionDifference, SnapshotAction};
use crate::domain::dashboard::{build, DashboardAction, GroupCounts};
use crate::domain::risk::RiskRow;
use crate::domain::status::{Status, StatusCounts};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The snapshot's layout; a later layout reads earlier ones through serde defaults.
pub const SNAPSHOT_FORMAT: u32 = 1;

/// Everything a closed period froze.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: u32,
    pub committee: String,
    pub committee_slug: String,
    pub period_slug: String,
    pub period_label: String,
    /// ISO dates.
    pub starts_on: String,
    pub ends_on: String,
    /// When it was closed (RFC 3339), the day (ISO, UK), and by whom.
    pub taken_at: String,
    pub taken_on: String,
    pub taken_by: String,
    /// The committee's plans that were published at that moment.
    pub plans: Vec<SnapshotPlan>,
    /// Its risk register, open and closed risks.
    #[serde(default)]
    pub risks: Vec<SnapshotRisk>,
    /// Protocol versions the committee had still to ratify.
    #[serde(default)]
    pub ratifications: Vec<PendingRatification>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotPlan {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub last_review: Option<String>,
    pub actions: Vec<ReportAction>,
}

/// One action of a plan as it stood, with what the report needs beyond the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportAction {
    /// Reference, wording, status, progress, timescales; `group` is the priority and
    /// `subgroup` the outcome.
    #[serde(flatten)]
    pub action: DashboardAction,
    #[serde(default)]
    pub objective: String,
    #[serde(default)]
    pub lead: String,
    #[serde(default)]
    pub evidence: String,
    /// The timescale when the plan was first written (before any re-wording or revision).
    #[serde(default)]
    pub original_timescale: String,
    /// How many times its timescale has moved: revisions recorded with a move to R, and
    /// re-wordings that changed it.
    #[serde(default)]
    pub timescale_moves: u32,
}

impl ReportAction {
    /// The timescale in force: the revised one, if any.
    pub fn current_timescale(&self) -> &str {
        self.action.revised_timescale.as_deref().unwrap_or(&self.action.timescale)
    }

    pub(crate) fn snapshot_action(&self) -> SnapshotAction {
        SnapshotAction {
            id: self.action.id,
            reference: self.action.reference.clone(),
            description: self.action.description.clone(),
            status: self.action.status.map(|s| s.code().to_owned()),
            timescale: self.current_timescale().to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotRisk {
    #[serde(flatten)]
    pub risk: RiskRow,
    /// Its score when the period began (the last assessment before its first day), if it
    /// existed then.
    #[serde(default)]
    pub score_at_start: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRatification {
    pub protocol: String,
    pub version: String,
    pub href: String,
}

/// One plan's part of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanReport {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub counts: StatusCounts,
    /// Counts by strategic priority, for the chart and its table.
    pub by_priority: Vec<GroupCounts>,
    /// Red first, then amber, each with its reason.
    pub attention: Vec<ReportAction>,
    pub past_timescale: Vec<ReportAction>,
    pub not_updated: Vec<ReportAction>,
    /// Against the previous snapshot of the same plan (empty when there is none).
    pub changed: Vec<ActionDifference>,
    /// Timescales pushed out: original and current side by side.
    pub moved: Vec<ReportAction>,
    /// The whole plan, in its order.
    pub actions: Vec<ReportAction>,
}

/// A risk that needs the COG's eye, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskException {
    pub risk: RiskRow,
    /// The score it is compared with (the previous report's, or the period's start), if any.
    pub was: Option<u8>,
    pub rose: bool,
    pub above_target: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CogReport {
    pub committee: String,
    pub committee_slug: String,
    pub period_slug: String,
    pub period_label: String,
    pub starts_on: String,
    pub ends_on: String,
    pub taken_at: String,
    pub taken_on: String,
    pub taken_by: String,
    /// The previous report compared with: its period's name and when it was closed.
    pub previous: Option<(String, String)>,
    pub plans: Vec<PlanReport>,
    pub risk_exceptions: Vec<RiskException>,
    /// The open risks, highest score first.
    pub risks: Vec<RiskRow>,
    pub ratifications: Vec<PendingRatification>,
}

fn pick(actions: &[ReportAction], ids: impl IntoIterator<Item = Uuid>) -> Vec<ReportAction> {
    ids.into_iter().filter_map(|id| actions.iter().find(|a| a.action.id == id).cloned()).collect()
}

/// The report of `snapshot`, compared with `previous` (the committee's last closed period
/// before it) where there is one.
pub fn cog_report(snapshot: &Snapshot, previous: Option<&Snapshot>) -> CogReport {
    let plans = snapshot
        .plans
        .iter()
        .map(|plan| {
            let rows: Vec<DashboardAction> = plan.actions.iter().map(|a| a.action.clone()).collect();
            let dashboard = build(rows, Vec::new(), plan.last_review.clone(), &snapshot.taken_on);
            let changed = match previous.and_then(|p| p.plans.iter().find(|pp| pp.id == plan.id)) {
                Some(before) => {
                    let before: Vec<SnapshotAction> =
                        before.actions.iter().map(ReportAction::snapshot_action).collect();
                    let now: Vec<SnapshotAction> = plan.actions.iter().map(ReportAction::snapshot_action).collect();
                    compare(&before, &now)
                }
                None => Vec::new(),
            };
            let moved = plan
                .actions
                .iter()
                .filter(|a| a.timescale_moves > 0 || a.current_timescale().trim() != a.original_timescale.trim())
                .cloned()
                .collect();
            PlanReport {
                id: plan.id,
                slug: plan.slug.clone(),
                title: plan.title.clone(),
                counts: dashboard.counts,
                by_priority: dashboard.groups,
                attention: pick(&plan.actions, dashboard.attention.iter().map(|a| a.id)),
                past_timescale: pick(&plan.actions, dashboard.past_timescale.iter().map(|a| a.id)),
                not_updated: pick(&plan.actions, dashboard.not_updated.iter().map(|a| a.id)),
                changed,
                moved,
                actions: plan.actions.clone(),
            }
        })
        .collect();
    let mut risk_exceptions: Vec<RiskException> = snapshot
        .risks
        .iter()
        .filter(|r| !r.risk.closed)
        .filter_map(|r| {
            let earlier =
                previous.and_then(|p| p.risks.iter().find(|pr| pr.risk.id == r.risk.id)).map(|pr| pr.risk.score());
            let was = earlier.or(r.score_at_start);
            let rose = was.is_some_and(|w| r.risk.score() > w);
            let above_target = r.risk.above_target();
            (rose || above_target).then(|| RiskException { risk: r.risk.clone(), was, rose, above_target })
        })
        .collect();
    risk_exceptions.sort_by_key(|e| (std::cmp::Reverse(e.rose), std::cmp::Reverse(e.risk.score())));
    let mut risks: Vec<RiskRow> = snapshot.risks.iter().filter(|r| !r.risk.closed).map(|r| r.risk.clone()).collect();
    risks.sort_by_key(|r| (std::cmp::Reverse(r.score()), crate::domain::numbering::sort_key(&r.reference)));
    CogReport {
        committee: snapshot.committee.clone(),
        committee_slug: snapshot.committee_slug.clone(),
        period_slug: snapshot.period_slug.clone(),
        period_label: snapshot.period_label.clone(),
        starts_on: snapshot.starts_on.clone(),
        ends_on: snapshot.ends_on.clone(),
        taken_at: snapshot.taken_at.clone(),
        taken_on: snapshot.taken_on.clone(),
        taken_by: snapshot.taken_by.clone(),
        previous: previous.map(|p| (p.period_label.clone(), p.taken_at.clone())),
        plans,
        risk_exceptions,
        risks,
        ratifications: snapshot.ratifications.clone(),
    }
}

/// The sections a report is downloaded by (CSV and workbook sheets), with their names.
pub const SECTIONS: [(&str, &str); 7] = [
    ("attention", "Red and amber"),
    ("past-timescale", "Past timescale"),
    ("not-updated", "Not updated for 90 days"),
    ("timescales-moved", "Timescales moved"),
    ("risks", "Risks"),
    ("ratifications", "Ratifications pending"),
    ("plan", "Whole plan"),
];

/// One section as rows of cells (the first row is the header), for CSV and XLSX.
pub fn section_rows(report: &CogReport, section: &str) -> Option<Vec<Vec<String>>> {
    let status = |s: Option<Status>| crate::domain::status::status_label(s).to_owned();
    let action_header = || {
        vec![
            "Plan",
            "Ref",
            "Action",
            "Lead",
            "Status",
            "Progress",
            "Timescale",
            "Revised timescale",
            "Reason",
            "Last updated",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>()
    };
    let action_row = |plan: &PlanReport, a: &ReportAction| {
        vec![
            plan.title.clone(),
            a.action.reference.clone(),
            a.action.description.clone(),
            a.lead.clone(),
            status(a.action.status),
            a.action.progress.clone(),
            a.action.timescale.clone(),
            a.action.revised_timescale.clone().unwrap_or_default(),
            a.action.revision_reason.clone().unwrap_or_default(),
            a.action.updated_at.get(..10).unwrap_or_default().to_owned(),
        ]
    };
    let actions = |which: fn(&PlanReport) -> &Vec<ReportAction>| {
        let mut rows = vec![action_header()];
        for plan in &report.plans {
            rows.extend(which(plan).iter().map(|a| action_row(plan, a)));
        }
        rows
    };
    Some(match section {
        "attention" => actions(|p| &p.attention),
        "past-timescale" => actions(|p| &p.past_timescale),
        "not-updated" => actions(|p| &p.not_updated),
        "plan" => actions(|p| &p.actions),
        "timescales-moved" => {
            let mut rows = vec![["Plan", "Ref", "Action", "Original timescale", "Current timescale", "Times moved"]
                .map(str::to_owned)
                .to_vec()];
            for plan in &report.plans {
                rows.extend(plan.moved.iter().map(|a| {
                    vec![
                        plan.title.clone(),
                        a.action.reference.clone(),
                        a.action.description.clone(),
                        a.original_timescale.clone(),
                        a.current_timescale().to_owned(),
                        a.timescale_moves.to_string(),
                    ]
                }));
            }
            rows
        }
        "risks" => {
            let mut rows = vec![[
                "Ref",
                "Risk",
                "Owner",
                "Likelihood",
                "Impact",
                "Score",
                "Rating",
                "Target",
                "Previous score",
                "Rose",
                "Above target",
                "Controls",
                "Mitigating actions",
                "Review date",
            ]
            .map(str::to_owned)
            .to_vec()];
            for r in &report.risks {
                let exception = report.risk_exceptions.iter().find(|e| e.risk.id == r.id);
                rows.push(vec![
                    r.reference.clone(),
                    r.title.clone(),
                    r.owner.clone(),
                    r.likelihood.to_string(),
                    r.impact.to_string(),
                    r.score().to_string(),
                    crate::domain::risk::Band::of(r.score()).label().to_owned(),
                    r.target_score.to_string(),
                    exception.and_then(|e| e.was).map(|w| w.to_string()).unwrap_or_default(),
                    if exception.is_some_and(|e| e.rose) { "Yes" } else { "No" }.to_owned(),
                    if r.above_target() { "Yes" } else { "No" }.to_owned(),
                    r.controls.clone(),
                    r.mitigations.join(", "),
                    r.review_on.clone().unwrap_or_default(),
                ]);
            }
            rows
        }
        "ratifications" => {
            let mut rows = vec![vec!["Protocol".to_owned(), "Version".to_owned()]];
            rows.extend(report.ratifications.iter().map(|r| vec![r.protocol.clone(), r.version.clone()]));
            rows
        }
        _ => return None,
    })
}

/// Snapshots made by hand, for the report's and the comparison's tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    pub(crate) fn action(
        n: u128,
        reference: &str,
        status: Option<Status>,
        updated: &str,
        timescale: &str,
    ) -> ReportAction {
        ReportAction {
            action: DashboardAction {
                id: Uuid::from_u128(n),
                version: 1,
                reference: reference.into(),
                href: String::new(),
                description: format!("Action {reference}"),
                status,
                progress: format!("Progress of {reference}"),
                timescale: timescale.into(),
                revised_timescale: None,
                revision_reason: None,
                updated_at: updated.into(),
                group: "Leadership".into(),
                subgroup: Some("Outcome 1".into()),
            },
            objective: "1.1".into(),
            lead: "Lead Officer".into(),
            evidence: String::new(),
            original_timescale: timescale.into(),
            timescale_moves: 0,
        }
    }

    pub(crate) fn risk(n: u128, l: u8, i: u8, target: u8) -> SnapshotRisk {
        SnapshotRisk {
            risk: RiskRow {
                id: Uuid::from_u128(n),
                reference: format!("R{n}"),
                title: format!("Risk {n}"),
                description: String::new(),
                cause: String::new(),
                consequence: String::new(),
                owner: String::new(),
                controls: String::new(),
                likelihood: l,
                impact: i,
                target_score: target,
                review_on: None,
                closed: false,
                closed_reason: None,
                version: 1,
                mitigations: vec![],
                updated_at: String::new(),
            },
            score_at_start: None,
        }
    }

    pub(crate) fn snapshot(actions: Vec<ReportAction>, risks: Vec<SnapshotRisk>) -> Snapshot {
        Snapshot {
            format: SNAPSHOT_FORMAT,
            committee: "Clackmannanshire CPC".into(),
            committee_slug: "clackmannanshire".into(),
            period_slug: "2026-27-q3".into(),
            period_label: "Q3 2026/27".into(),
            starts_on: "2026-10-01".into(),
            ends_on: "2026-12-31".into(),
            taken_at: "2026-12-02T10:00:00Z".into(),
            taken_on: "2026-12-02".into(),
            taken_by: "Lead".into(),
            plans: vec![SnapshotPlan {
                id: Uuid::from_u128(99),
                slug: "2023-25".into(),
                title: "Plan".into(),
                last_review: None,
                actions,
            }],
            risks,
            ratifications: vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{action, risk, snapshot};
    use super::*;

    #[test]
    fn exceptions_are_exact_and_red_comes_first() {
        let mut red = action(1, "1.1.1", Some(Status::RevisionRequired), "2026-11-20T09:00:00Z", "March 2025");
        red.action.revised_timescale = Some("March 2027".into());
        red.action.revision_reason = Some("Staff shortage".into());
        red.timescale_moves = 2;
        let actions = vec![
            action(2, "1.1.2", Some(Status::Delayed), "2026-11-01T09:00:00Z", "2027"),
            red,
            action(3, "1.1.3", Some(Status::OnTarget), "2026-08-01T09:00:00Z", "2027"),
            action(4, "1.1.4", None, "2026-11-30T09:00:00Z", "June 2026"),
            action(5, "1.1.5", Some(Status::Complete), "2025-01-01T09:00:00Z", "June 2025"),
        ];
        let report = cog_report(&snapshot(actions, vec![]), None);
        let plan = &report.plans[0];
        let refs = |list: &[ReportAction]| list.iter().map(|a| a.action.reference.clone()).collect::<Vec<_>>();
        assert_eq!(refs(&plan.attention), ["1.1.1", "1.1.2"], "R first, then A");
        assert_eq!(plan.attention[0].action.revision_reason.as_deref(), Some("Staff shortage"));
        assert_eq!(refs(&plan.past_timescale), ["1.1.4"], "open and due before December 2026; R's revised date counts");
        assert_eq!(refs(&plan.not_updated), ["1.1.3"], "123 days; complete ones are not chased");
        assert_eq!(refs(&plan.moved), ["1.1.1"]);
        assert_eq!(plan.moved[0].original_timescale, "March 2025");
        assert_eq!(plan.moved[0].current_timescale(), "March 2027");
        assert_eq!(plan.counts.total(), 5);
        assert_eq!(plan.by_priority[0].title, "Leadership");
        assert!(plan.changed.is_empty(), "nothing to compare with");
    }

    #[test]
    fn risks_that_rose_or_exceed_their_target_are_reported() {
        let mut earlier = snapshot(vec![], vec![risk(1, 2, 2, 4), risk(2, 3, 3, 12), risk(3, 1, 1, 4)]);
        earlier.period_label = "Q2 2026/27".into();
        let mut started_high = risk(4, 2, 2, 4);
        started_high.score_at_start = Some(9);
        let now = snapshot(
            vec![],
            vec![risk(1, 3, 3, 4), risk(2, 2, 3, 12), risk(3, 1, 1, 4), started_high, risk(5, 5, 5, 25)],
        );
        let report = cog_report(&now, Some(&earlier));
        let found: Vec<(String, Option<u8>, bool, bool)> =
            report.risk_exceptions.iter().map(|e| (e.risk.reference.clone(), e.was, e.rose, e.above_target)).collect();
        assert_eq!(found, vec![(s("R1"), Some(4), true, true)]);
        assert_eq!(report.previous.as_ref().map(|p| p.0.as_str()), Some("Q2 2026/27"));
        assert_eq!(report.risks[0].reference, "R5", "highest score first");
        let rows = section_rows(&report, "risks").unwrap();
        assert_eq!(rows.len(), 6);
        assert_eq!(rows[0][5], "Score");
        assert!(section_rows(&report, "nonsense").is_none());
    }

    fn s(v: &str) -> String {
        v.to_owned()
    }

    #[test]
    fn changes_since_the_previous_snapshot_are_listed() {
        let before = snapshot(vec![action(1, "1.1.1", Some(Status::OnTarget), "2026-09-01T00:00:00Z", "2027")], vec![]);
        let now = snapshot(
            vec![
                action(1, "1.1.1", Some(Status::Delayed), "2026-11-01T00:00:00Z", "2027"),
                action(2, "1.1.2", None, "2026-11-01T00:00:00Z", "2027"),
            ],
            vec![],
        );
        let report = cog_report(&now, Some(&before));
        let kinds: Vec<_> = report.plans[0].changed.iter().map(|d| d.kinds.clone()).collect();
        use crate::domain::compare::ChangeKind;
        assert_eq!(kinds, vec![vec![ChangeKind::Status], vec![ChangeKind::Added]]);
        // The stored JSON reads back as it was written.
        let json = serde_json::to_string(&now).unwrap();
        assert_eq!(serde_json::from_str::<Snapshot>(&json).unwrap(), now);
    }
}
