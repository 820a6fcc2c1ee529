//! Two closed periods side by side: per plan, the actions added, retired, re-worded,
//! renumbered, and whose status or timescale changed (the plan comparison's own rules), and
//! every risk whose score changed, was added or was closed between them.

use super::compare::{compare, ActionDifference};
use super::report::{ReportAction, Snapshot};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanChanges {
    pub id: Uuid,
    pub title: String,
    /// In only one of the two snapshots (published after the first, or no longer published).
    pub only_in: Option<Side>,
    pub differences: Vec<ActionDifference>,
    pub unchanged: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Side {
    Earlier,
    Later,
}

/// A risk that differs: its score at each side (none where it was not on the register, or
/// closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskChange {
    pub id: Uuid,
    pub reference: String,
    pub title: String,
    pub before: Option<u8>,
    pub after: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotComparison {
    pub earlier: (String, String),
    pub later: (String, String),
    pub plans: Vec<PlanChanges>,
    pub risks: Vec<RiskChange>,
}

/// `earlier` and `later` compared: plans in the later snapshot's order, then plans only the
/// earlier one had; risks in the later register's order, then those it no longer holds.
pub fn compare_snapshots(earlier: &Snapshot, later: &Snapshot) -> SnapshotComparison {
    let actions =
        |p: &super::report::SnapshotPlan| p.actions.iter().map(ReportAction::snapshot_action).collect::<Vec<_>>();
    let mut plans = Vec::new();
    for plan in &later.plans {
        let now = actions(plan);
        let (before, only_in) = match earlier.plans.iter().find(|p| p.id == plan.id) {
            Some(p) => (actions(p), None),
            None => (Vec::new(), Some(Side::Later)),
        };
        let differences = compare(&before, &now);
        plans.push(PlanChanges {
            id: plan.id,
            title: plan.title.clone(),
            only_in,
            unchanged: now.len().saturating_sub(differences.iter().filter(|d| d.now.is_some()).count()),
            differences,
        });
    }
    for plan in earlier.plans.iter().filter(|p| !later.plans.iter().any(|l| l.id == p.id)) {
        let before = actions(plan);
        plans.push(PlanChanges {
            id: plan.id,
            title: plan.title.clone(),
            only_in: Some(Side::Earlier),
            differences: compare(&before, &[]),
            unchanged: 0,
        });
    }
    let score = |s: &Snapshot, id: Uuid| {
        s.risks.iter().find(|r| r.risk.id == id).filter(|r| !r.risk.closed).map(|r| r.risk.score())
    };
    let mut risks = Vec::new();
    for r in later.risks.iter().map(|r| &r.risk).chain(earlier.risks.iter().map(|r| &r.risk)) {
        if risks.iter().any(|c: &RiskChange| c.id == r.id) {
            continue;
        }
        let (before, after) = (score(earlier, r.id), score(later, r.id));
        if before != after {
            risks.push(RiskChange { id: r.id, reference: r.reference.clone(), title: r.title.clone(), before, after });
        }
    }
    SnapshotComparison {
        earlier: (earlier.period_label.clone(), earlier.taken_at.clone()),
        later: (later.period_label.clone(), later.taken_at.clone()),
        plans,
        risks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::compare::ChangeKind;
    use crate::domain::report::fixtures::{action, risk, snapshot};
    use crate::domain::status::Status;

    #[test]
    fn actions_and_risks_that_differ_between_two_closed_periods() {
        let earlier = snapshot(
            vec![
                action(1, "1.1.1", Some(Status::OnTarget), "2026-06-01", "March 2027"),
                action(2, "1.1.2", None, "2026-06-01", ""),
                action(4, "1.1.3", Some(Status::Delayed), "2026-06-01", ""),
            ],
            vec![risk(1, 3, 3, 4), risk(2, 2, 2, 4), risk(5, 5, 5, 4)],
        );
        let mut moved = action(1, "1.1.1", Some(Status::RevisionRequired), "2026-09-01", "March 2027");
        moved.action.revised_timescale = Some("June 2027".into());
        let mut closed = risk(5, 5, 5, 4);
        closed.risk.closed = true;
        let later = snapshot(
            vec![
                moved,
                action(3, "1.1.2", None, "2026-09-01", ""),
                action(4, "1.1.3", Some(Status::Delayed), "2026-06-01", ""),
            ],
            vec![risk(1, 4, 3, 4), risk(2, 2, 2, 4), risk(3, 1, 1, 1), closed],
        );
        let c = compare_snapshots(&earlier, &later);
        assert_eq!(c.plans.len(), 1);
        let plan = &c.plans[0];
        assert_eq!(plan.only_in, None);
        let kinds = |n: u128| {
            plan.differences
                .iter()
                .find(|d| d.now.as_ref().or(d.before.as_ref()).is_some_and(|a| a.id == Uuid::from_u128(n)))
                .map(|d| d.kinds.clone())
        };
        assert_eq!(kinds(1), Some(vec![ChangeKind::Status, ChangeKind::Timescale]));
        assert_eq!(kinds(3), Some(vec![ChangeKind::Added]));
        assert_eq!(kinds(2), Some(vec![ChangeKind::Retired]));
        assert_eq!(kinds(4), None, "unchanged");
        assert_eq!(plan.unchanged, 1);
        let risks: Vec<_> = c.risks.iter().map(|r| (r.reference.as_str(), r.before, r.after)).collect();
        assert_eq!(risks, vec![("R1", Some(9), Some(12)), ("R3", None, Some(1)), ("R5", Some(25), None)]);
    }

    #[test]
    fn a_plan_published_or_withdrawn_between_them_is_marked() {
        let earlier = snapshot(vec![action(1, "1.1.1", None, "2026-06-01", "")], vec![]);
        let mut later = snapshot(vec![action(1, "1.1.1", None, "2026-06-01", "")], vec![]);
        later.plans[0].id = Uuid::from_u128(7);
        let c = compare_snapshots(&earlier, &later);
        assert_eq!(c.plans.iter().map(|p| p.only_in).collect::<Vec<_>>(), vec![Some(Side::Later), Some(Side::Earlier)]);
        assert!(c.plans[1].differences.iter().all(|d| d.kinds == vec![ChangeKind::Retired]));
    }
}
