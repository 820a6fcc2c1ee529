//! Dashboards: what a committee (or a subgroup) needs to see of its plans at a glance. Status
//! by group (a plan's priorities and outcomes, or a subgroup's adopting committees), what is
//! red or amber and why, what is past its timescale, what nobody has updated for 90 days,
//! what changed since the last recorded review, and the status counts month by month.
//! Worked out here from plain rows, so the rules have one home and are tested without a
//! database.

use crate::domain::dates::{day_number as days, ymd};
use crate::domain::status::{Status, StatusCounts};
use crate::domain::timescale::is_past;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Not updated for this many days is "not updated lately".
pub const STALE_DAYS: i64 = 90;
/// The chart goes back at most this many months.
pub const HISTORY_MONTHS: usize = 24;

/// One action as a dashboard reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardAction {
    pub id: Uuid,
    pub version: i32,
    /// The plan's reference ("3.1.2"), or for a subgroup the committees adopting it.
    pub reference: String,
    /// Where the action page is.
    pub href: String,
    pub description: String,
    pub status: Option<Status>,
    pub progress: String,
    pub timescale: String,
    pub revised_timescale: Option<String>,
    pub revision_reason: Option<String>,
    /// RFC 3339.
    pub updated_at: String,
    /// Its group and, within it, its subgroup (a priority and an outcome).
    pub group: String,
    pub subgroup: Option<String>,
}

/// One recorded change of status: when (RFC 3339), of which action, from what to what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub action: Uuid,
    pub at: String,
    pub from: Option<Status>,
    pub to: Option<Status>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupCounts {
    pub title: String,
    pub counts: StatusCounts,
    pub parts: Vec<GroupCounts>,
}

/// The counts at the end of one month ("2026-03").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthCounts {
    pub month: String,
    pub counts: StatusCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub counts: StatusCounts,
    pub groups: Vec<GroupCounts>,
    /// Red first, then amber; each with its reason (progress report, revision reason).
    pub attention: Vec<DashboardAction>,
    pub past_timescale: Vec<DashboardAction>,
    pub not_updated: Vec<DashboardAction>,
    /// ISO date of the last recorded review, and what changed after it.
    pub last_review: Option<String>,
    pub changed_since_review: Vec<DashboardAction>,
    pub history: Vec<MonthCounts>,
}

/// One plan's dashboard, on its committee's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanDashboard {
    pub plan_id: Uuid,
    pub title: String,
    pub state: crate::domain::plan::PlanState,
    pub href: String,
    pub dashboard: Dashboard,
}

fn month_key(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

/// Builds the dashboard of `actions` as of `today` (an ISO date), with the status changes
/// recorded for them and the date of the last review, if any.
pub fn build(
    actions: Vec<DashboardAction>,
    mut changes: Vec<StatusChange>,
    last_review: Option<String>,
    today: &str,
) -> Dashboard {
    let today_ymd = ymd(today).unwrap_or((1970, 1, 1));
    let today_days = days(today_ymd.0, today_ymd.1, today_ymd.2);
    let mut counts = StatusCounts::default();
    let mut groups: Vec<GroupCounts> = Vec::new();
    for a in &actions {
        counts.add(a.status);
        let at = match groups.iter().position(|g| g.title == a.group) {
            Some(at) => at,
            None => {
                groups.push(GroupCounts { title: a.group.clone(), counts: StatusCounts::default(), parts: Vec::new() });
                groups.len() - 1
            }
        };
        let group = &mut groups[at];
        group.counts.add(a.status);
        if let Some(part) = &a.subgroup {
            match group.parts.iter_mut().find(|p| &p.title == part) {
                Some(p) => p.counts.add(a.status),
                None => {
                    let mut c = StatusCounts::default();
                    c.add(a.status);
                    group.parts.push(GroupCounts { title: part.clone(), counts: c, parts: Vec::new() });
                }
            }
        }
    }
    let open = |a: &&DashboardAction| a.status != Some(Status::Complete);
    let mut attention: Vec<DashboardAction> = actions
        .iter()
        .filter(|a| matches!(a.status, Some(Status::RevisionRequired | Status::Delayed)))
        .cloned()
        .collect();
    attention.sort_by_key(|a| a.status != Some(Status::RevisionRequired));
    let past_timescale = actions
        .iter()
        .filter(open)
        .filter(|a| is_past(a.revised_timescale.as_deref().unwrap_or(&a.timescale), today_ymd))
        .cloned()
        .collect();
    let not_updated = actions
        .iter()
        .filter(open)
        .filter(|a| ymd(&a.updated_at).is_some_and(|(y, m, d)| today_days - days(y, m, d) >= STALE_DAYS))
        .cloned()
        .collect();
    // Changed after the review day: anything saved on a later day.
    let changed_since_review = match last_review.as_deref().and_then(ymd) {
        Some((y, m, d)) => {
            let reviewed = days(y, m, d);
            actions
                .iter()
                .filter(|a| ymd(&a.updated_at).is_some_and(|(y, m, d)| days(y, m, d) > reviewed))
                .cloned()
                .collect()
        }
        None => Vec::new(),
    };
    Dashboard {
        counts,
        groups,
        attention,
        past_timescale,
        not_updated,
        last_review,
        changed_since_review,
        history: history(&actions, &mut changes, today_ymd),
    }
}

/// The counts at the end of each month, from the first recorded change (at most
/// `HISTORY_MONTHS` back) to this month: today's statuses with later changes undone.
fn history(actions: &[DashboardAction], changes: &mut Vec<StatusChange>, today: (i32, u32, u32)) -> Vec<MonthCounts> {
    let ids: std::collections::HashSet<Uuid> = actions.iter().map(|a| a.id).collect();
    let mut status: std::collections::HashMap<Uuid, Option<Status>> =
        actions.iter().map(|a| (a.id, a.status)).collect();
    changes.retain(|c| ids.contains(&c.action));
    // Newest first, to undo them one by one going back in time.
    changes.sort_by(|a, b| b.at.cmp(&a.at));
    let first = changes.last().and_then(|c| ymd(&c.at)).map(|(y, m, _)| (y, m)).unwrap_or((today.0, today.1));
    let mut months = Vec::new();
    let (mut y, mut m) = (today.0, today.1);
    loop {
        months.push((y, m));
        if (y, m) <= first || months.len() >= HISTORY_MONTHS {
            break;
        }
        (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    }
    let mut undone = 0;
    let mut out = Vec::with_capacity(months.len());
    for (y, m) in months {
        // Everything after the end of this month is undone.
        let next = if m == 12 { month_key(y + 1, 1) } else { month_key(y, m + 1) };
        while undone < changes.len() && changes[undone].at.as_str() >= next.as_str() {
            status.insert(changes[undone].action, changes[undone].from);
            undone += 1;
        }
        let mut counts = StatusCounts::default();
        for s in status.values() {
            counts.add(*s);
        }
        out.push(MonthCounts { month: month_key(y, m), counts });
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(n: u128, status: Option<Status>, timescale: &str, updated: &str, group: &str) -> DashboardAction {
        DashboardAction {
            id: Uuid::from_u128(n),
            version: 1,
            reference: format!("1.1.{n}"),
            href: String::new(),
            description: format!("Action {n}"),
            status,
            progress: format!("Progress {n}"),
            timescale: timescale.into(),
            revised_timescale: None,
            revision_reason: None,
            updated_at: updated.into(),
            group: group.into(),
            subgroup: Some(format!("{group} outcome")),
        }
    }

    #[test]
    fn red_then_amber_past_timescales_stale_and_changed_since_review() {
        let actions = vec![
            action(1, Some(Status::Delayed), "March 2027", "2026-11-20T10:00:00Z", "Leadership"),
            action(2, Some(Status::RevisionRequired), "Dec 2025", "2026-06-01T10:00:00Z", "Leadership"),
            action(3, Some(Status::Complete), "Dec 2024", "2025-01-01T10:00:00Z", "Practice"),
            action(4, None, "June 2026", "2026-08-01T10:00:00Z", "Practice"),
        ];
        let d = build(actions, vec![], Some("2026-10-01".into()), "2026-12-01");
        assert_eq!(d.counts.total(), 4);
        assert_eq!(d.groups.len(), 2);
        assert_eq!(d.groups[0].counts.total(), 2);
        assert_eq!(d.groups[0].parts[0].title, "Leadership outcome");
        let ids = |v: &[DashboardAction]| v.iter().map(|a| a.id.as_u128()).collect::<Vec<_>>();
        assert_eq!(ids(&d.attention), vec![2, 1], "red before amber");
        // A complete action is never overdue or stale.
        assert_eq!(ids(&d.past_timescale), vec![2, 4]);
        assert_eq!(ids(&d.not_updated), vec![2, 4], "90 days or more without an update");
        assert_eq!(ids(&d.changed_since_review), vec![1]);
    }

    #[test]
    fn a_revised_timescale_is_the_one_that_counts() {
        let mut a = action(1, Some(Status::RevisionRequired), "Dec 2025", "2026-11-30T00:00:00Z", "G");
        a.revised_timescale = Some("June 2027".into());
        assert!(build(vec![a], vec![], None, "2026-12-01").past_timescale.is_empty());
    }

    #[test]
    fn history_undoes_later_changes_month_by_month() {
        let actions = vec![
            action(1, Some(Status::OnTarget), "", "2026-11-02T00:00:00Z", "G"),
            action(2, Some(Status::Delayed), "", "2026-10-02T00:00:00Z", "G"),
        ];
        let change = |n, at: &str, from, to| StatusChange { action: Uuid::from_u128(n), at: at.into(), from, to };
        let changes = vec![
            change(1, "2026-11-02T09:00:00Z", Some(Status::Delayed), Some(Status::OnTarget)),
            change(2, "2026-09-15T09:00:00Z", None, Some(Status::Delayed)),
            // Another plan's action: ignored.
            change(9, "2026-01-15T09:00:00Z", None, Some(Status::Delayed)),
        ];
        let h = build(actions, changes, None, "2026-12-01").history;
        let months: Vec<&str> = h.iter().map(|m| m.month.as_str()).collect();
        assert_eq!(months, ["2026-09", "2026-10", "2026-11", "2026-12"]);
        let g = |i: usize| (h[i].counts.on_target, h[i].counts.delayed, h[i].counts.not_assessed);
        // End of September: 1 was still amber (its change to green came in November).
        assert_eq!(g(0), (0, 2, 0));
        assert_eq!(g(1), (0, 2, 0));
        assert_eq!(g(2), (1, 1, 0));
        assert_eq!(g(3), (1, 1, 0));
    }

    #[test]
    fn with_no_recorded_change_history_is_this_month() {
        let h = build(vec![action(1, None, "", "2026-11-02T00:00:00Z", "G")], vec![], None, "2026-12-01").history;
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].month, "2026-12");
    }
}
