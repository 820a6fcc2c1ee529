//! The year in one place: a committee's closed quarters of one financial year combined, as the
//! starting point of its annual report: each quarter's counts, what was completed in the year,
//! whose timescale moved in it, and how the plans and the risks changed from the start of the
//! year (the closed period before its first quarter, if any) to its last closed quarter.

use super::report::Snapshot;
use super::snapshot_compare::{compare_snapshots, SnapshotComparison};
use super::status::{Status, StatusCounts};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterLine {
    pub slug: String,
    pub label: String,
    pub reported_on: String,
    /// Every published plan's actions together.
    pub counts: StatusCounts,
}

/// An action of the year's last record, with what the year did to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearAction {
    pub plan: String,
    pub reference: String,
    pub description: String,
    pub href: String,
    pub original_timescale: String,
    pub timescale: String,
    /// Timescale moves recorded during the year.
    pub moves: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualSummary {
    pub committee: String,
    /// "2026/27".
    pub year_label: String,
    pub quarters: Vec<QuarterLine>,
    /// The record the year is measured from: the closed period before its first quarter.
    pub baseline: Option<String>,
    pub completed: Vec<YearAction>,
    pub moved: Vec<YearAction>,
    /// From the baseline (or the first quarter) to the last quarter.
    pub changes: SnapshotComparison,
}

fn year_action(plan: &str, a: &super::report::ReportAction, moves: u32) -> YearAction {
    YearAction {
        plan: plan.to_owned(),
        reference: a.action.reference.clone(),
        description: a.action.description.clone(),
        href: a.action.href.clone(),
        original_timescale: a.original_timescale.clone(),
        timescale: a.current_timescale().to_owned(),
        moves,
    }
}

/// The year of `quarters` (its closed quarters' current snapshots, in order), measured from
/// `baseline`. None when no quarter of the year is closed.
pub fn annual(year_label: &str, quarters: &[Snapshot], baseline: Option<&Snapshot>) -> Option<AnnualSummary> {
    let last = quarters.last()?;
    let start = baseline.unwrap_or(&quarters[0]);
    let lines = quarters
        .iter()
        .map(|q| {
            let mut counts = StatusCounts::default();
            for a in q.plans.iter().flat_map(|p| &p.actions) {
                counts.add(a.action.status);
            }
            QuarterLine {
                slug: q.period_slug.clone(),
                label: q.period_label.clone(),
                reported_on: q.taken_on.clone(),
                counts,
            }
        })
        .collect();
    let earlier = |plan: uuid::Uuid, action: uuid::Uuid| {
        baseline
            .and_then(|b| b.plans.iter().find(|p| p.id == plan))
            .and_then(|p| p.actions.iter().find(|a| a.action.id == action))
    };
    let mut completed = Vec::new();
    let mut moved = Vec::new();
    for plan in &last.plans {
        for a in &plan.actions {
            let before = earlier(plan.id, a.action.id);
            if a.action.status == Some(Status::Complete)
                && before.is_none_or(|b| b.action.status != Some(Status::Complete))
            {
                completed.push(year_action(&plan.title, a, 0));
            }
            let moves = a.timescale_moves.saturating_sub(before.map(|b| b.timescale_moves).unwrap_or(0));
            if moves > 0 {
                moved.push(year_action(&plan.title, a, moves));
            }
        }
    }
    Some(AnnualSummary {
        committee: last.committee.clone(),
        year_label: year_label.to_owned(),
        quarters: lines,
        baseline: baseline.map(|b| b.period_label.clone()),
        completed,
        moved,
        changes: compare_snapshots(start, last),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::fixtures::{action, risk, snapshot};

    #[test]
    fn the_year_measured_from_the_quarter_before_it() {
        let baseline = snapshot(
            vec![
                action(1, "1.1.1", Some(Status::Complete), "2026-03-01", ""),
                action(2, "1.1.2", None, "2026-03-01", "June 2026"),
            ],
            vec![risk(1, 2, 2, 4)],
        );
        let mut q1 = snapshot(
            vec![
                action(1, "1.1.1", Some(Status::Complete), "2026-03-01", ""),
                action(2, "1.1.2", Some(Status::OnTarget), "2026-06-01", "June 2026"),
            ],
            vec![risk(1, 3, 3, 4)],
        );
        q1.period_label = "Q1 2026/27".into();
        let mut moved = action(2, "1.1.2", Some(Status::Complete), "2026-09-01", "June 2026");
        moved.action.revised_timescale = Some("September 2026".into());
        moved.timescale_moves = 1;
        let mut q2 =
            snapshot(vec![action(1, "1.1.1", Some(Status::Complete), "2026-03-01", ""), moved], vec![risk(1, 4, 3, 4)]);
        q2.period_label = "Q2 2026/27".into();
        let year = annual("2026/27", &[q1, q2], Some(&baseline)).unwrap();
        assert_eq!(
            year.quarters.iter().map(|q| q.label.as_str()).collect::<Vec<_>>(),
            vec!["Q1 2026/27", "Q2 2026/27"]
        );
        assert_eq!(year.quarters[1].counts.complete, 2);
        assert_eq!(
            year.completed.iter().map(|a| a.reference.as_str()).collect::<Vec<_>>(),
            vec!["1.1.2"],
            "1.1.1 was complete before the year"
        );
        assert_eq!(year.moved.len(), 1);
        assert_eq!(
            (year.moved[0].original_timescale.as_str(), year.moved[0].timescale.as_str(), year.moved[0].moves),
            ("June 2026", "September 2026", 1)
        );
        assert_eq!(
            year.changes.risks.iter().map(|r| (r.before, r.after)).collect::<Vec<_>>(),
            vec![(Some(4), Some(12))]
        );
        assert!(annual("2026/27", &[], None).is_none());
    }
}
