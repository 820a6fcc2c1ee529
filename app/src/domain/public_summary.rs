//! The public summary of a published plan in a closed period, in plain language: how many
//! actions stand where, what was completed, what is delayed and why, in the plan's own public
//! words (what its published page already shows). Never a lead's name, evidence, update notes,
//! who closed the period, or anything of the risk register: this type has no field for them,
//! and it is what the database stores for the public (`period_summaries`).

use super::report::{ReportAction, Snapshot};
use super::status::{Status, StatusCounts};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAction {
    pub reference: String,
    pub description: String,
    pub status: Option<Status>,
    /// The timescale in force, and the published one when it was revised.
    pub timescale: String,
    pub original_timescale: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicSummary {
    pub committee: String,
    pub committee_slug: String,
    pub plan_slug: String,
    pub plan_title: String,
    pub period_label: String,
    pub starts_on: String,
    pub ends_on: String,
    /// The day the period was closed.
    pub reported_on: String,
    pub counts: StatusCounts,
    /// Complete when the period closed and not at the committee's previous closed period (all
    /// complete ones when there is none to compare with).
    pub completed: Vec<PublicAction>,
    pub completed_before: u32,
    /// Red and amber, red first.
    pub delayed: Vec<PublicAction>,
}

fn public(a: &ReportAction) -> PublicAction {
    let revised = a.action.revised_timescale.clone().filter(|t| !t.trim().is_empty());
    PublicAction {
        reference: a.action.reference.clone(),
        description: a.action.description.clone(),
        status: a.action.status,
        timescale: revised.clone().unwrap_or_else(|| a.action.timescale.clone()),
        original_timescale: revised.map(|_| a.action.timescale.clone()),
        reason: a.action.revision_reason.clone().filter(|r| !r.trim().is_empty()),
    }
}

/// One summary per published plan of `snapshot`, compared with `previous` (the committee's
/// closed period before it) for what was newly completed.
pub fn public_summaries(snapshot: &Snapshot, previous: Option<&Snapshot>) -> Vec<(Uuid, PublicSummary)> {
    snapshot
        .plans
        .iter()
        .map(|plan| {
            let mut counts = StatusCounts::default();
            for a in &plan.actions {
                counts.add(a.action.status);
            }
            let was_complete = |id: Uuid| {
                previous
                    .and_then(|p| p.plans.iter().find(|pp| pp.id == plan.id))
                    .and_then(|pp| pp.actions.iter().find(|a| a.action.id == id))
                    .is_some_and(|a| a.action.status == Some(Status::Complete))
            };
            let complete: Vec<&ReportAction> =
                plan.actions.iter().filter(|a| a.action.status == Some(Status::Complete)).collect();
            let completed: Vec<PublicAction> =
                complete.iter().filter(|a| !was_complete(a.action.id)).map(|a| public(a)).collect();
            let mut delayed: Vec<PublicAction> = plan
                .actions
                .iter()
                .filter(|a| matches!(a.action.status, Some(Status::RevisionRequired | Status::Delayed)))
                .map(public)
                .collect();
            delayed.sort_by_key(|a| a.status != Some(Status::RevisionRequired));
            (
                plan.id,
                PublicSummary {
                    committee: snapshot.committee.clone(),
                    committee_slug: snapshot.committee_slug.clone(),
                    plan_slug: plan.slug.clone(),
                    plan_title: plan.title.clone(),
                    period_label: snapshot.period_label.clone(),
                    starts_on: snapshot.starts_on.clone(),
                    ends_on: snapshot.ends_on.clone(),
                    reported_on: snapshot.taken_on.clone(),
                    counts,
                    completed_before: (complete.len() - completed.len()) as u32,
                    completed,
                    delayed,
                },
            )
        })
        .collect()
}

/// The summary's opening sentence: "Of its 87 actions, 20 are complete, …".
pub fn in_words(s: &PublicSummary) -> String {
    let c = &s.counts;
    let n = |k: u32, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    format!(
        "At the end of {}, of the plan's {}, {} complete, {} on target, {} delayed, {} a revised timescale and {} not yet assessed.",
        s.period_label,
        n(c.total(), "action", "actions"),
        n(c.complete, "was", "were"),
        n(c.on_target, "was", "were"),
        n(c.delayed, "was", "were"),
        n(c.revision_required, "needed", "needed"),
        n(c.not_assessed, "was", "were"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::fixtures::{action, risk, snapshot};

    #[test]
    fn newly_completed_and_delayed_in_the_plans_public_words() {
        let earlier = snapshot(
            vec![
                action(1, "1.1.1", Some(Status::Complete), "2026-06-01", ""),
                action(2, "1.1.2", Some(Status::OnTarget), "2026-06-01", ""),
            ],
            vec![],
        );
        let mut red = action(3, "1.1.3", Some(Status::RevisionRequired), "2026-09-01", "March 2026");
        red.action.revised_timescale = Some("June 2027".into());
        red.action.revision_reason = Some("Awaiting the data sharing agreement".into());
        let later = snapshot(
            vec![
                action(1, "1.1.1", Some(Status::Complete), "2026-06-01", ""),
                action(2, "1.1.2", Some(Status::Complete), "2026-09-01", ""),
                red,
                action(4, "1.1.4", Some(Status::Delayed), "2026-09-01", "Ongoing"),
            ],
            vec![risk(1, 5, 5, 1)],
        );
        let (_, s) = public_summaries(&later, Some(&earlier)).remove(0);
        assert_eq!(s.completed.iter().map(|a| a.reference.as_str()).collect::<Vec<_>>(), vec!["1.1.2"]);
        assert_eq!(s.completed_before, 1);
        assert_eq!(s.delayed.iter().map(|a| a.reference.as_str()).collect::<Vec<_>>(), vec!["1.1.3", "1.1.4"]);
        assert_eq!(s.delayed[0].timescale, "June 2027");
        assert_eq!(s.delayed[0].original_timescale.as_deref(), Some("March 2026"));
        assert_eq!(s.delayed[0].reason.as_deref(), Some("Awaiting the data sharing agreement"));
        assert_eq!(
            in_words(&s),
            "At the end of Q3 2026/27, of the plan's 4 actions, 2 were complete, 0 were on target, 1 was delayed, 1 needed a revised timescale and 0 were not yet assessed."
        );
        // Nothing of who leads, the evidence or the register travels with it.
        let json = serde_json::to_string(&s).unwrap();
        for private in ["Lead Officer", "Progress of", "Risk 1"] {
            assert!(!json.contains(private), "{private} is in the public summary");
        }
        let (_, first) = public_summaries(&earlier, None).remove(0);
        assert_eq!(first.completed.len(), 1, "with nothing to compare, every complete action counts");
    }
}
