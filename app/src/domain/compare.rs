//! Comparing a plan with the snapshot kept at one of its reviews: what was added, retired,
//! re-worded, renumbered, and whose status or timescale changed.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One live action as a plan held it at a moment (a review's snapshot, or now).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotAction {
    pub id: Uuid,
    /// The plan's own reference, e.g. "3.1.2".
    #[serde(rename = "ref")]
    pub reference: String,
    pub description: String,
    /// G, A, R, P or none.
    pub status: Option<String>,
    /// The timescale in force (the revised one, if any).
    pub timescale: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ChangeKind {
    Added,
    Retired,
    Reworded,
    Renumbered,
    Status,
    Timescale,
}

impl ChangeKind {
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Added => "Added",
            ChangeKind::Retired => "Retired",
            ChangeKind::Reworded => "Re-worded",
            ChangeKind::Renumbered => "Renumbered",
            ChangeKind::Status => "Status changed",
            ChangeKind::Timescale => "Timescale changed",
        }
    }
}

/// One action's differences: how it stood at the review and how it stands now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionDifference {
    pub kinds: Vec<ChangeKind>,
    pub before: Option<SnapshotAction>,
    pub now: Option<SnapshotAction>,
}

/// Every action that differs, in the order of the plan now (retired ones where they stood).
pub fn compare(before: &[SnapshotAction], now: &[SnapshotAction]) -> Vec<ActionDifference> {
    let mut out = Vec::new();
    for current in now {
        match before.iter().find(|b| b.id == current.id) {
            None => {
                out.push(ActionDifference { kinds: vec![ChangeKind::Added], before: None, now: Some(current.clone()) })
            }
            Some(old) => {
                let mut kinds = Vec::new();
                if old.description.trim() != current.description.trim() {
                    kinds.push(ChangeKind::Reworded);
                }
                if old.reference != current.reference {
                    kinds.push(ChangeKind::Renumbered);
                }
                if old.status != current.status {
                    kinds.push(ChangeKind::Status);
                }
                if old.timescale.trim() != current.timescale.trim() {
                    kinds.push(ChangeKind::Timescale);
                }
                if !kinds.is_empty() {
                    out.push(ActionDifference { kinds, before: Some(old.clone()), now: Some(current.clone()) });
                }
            }
        }
    }
    for old in before.iter().filter(|b| !now.iter().any(|n| n.id == b.id)) {
        out.push(ActionDifference { kinds: vec![ChangeKind::Retired], before: Some(old.clone()), now: None });
    }
    out.sort_by_key(|d| {
        crate::domain::numbering::sort_key(
            &d.now.as_ref().or(d.before.as_ref()).map(|a| a.reference.clone()).unwrap_or_default(),
        )
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(n: u128, reference: &str, description: &str, status: Option<&str>, timescale: &str) -> SnapshotAction {
        SnapshotAction {
            id: Uuid::from_u128(n),
            reference: reference.into(),
            description: description.into(),
            status: status.map(str::to_owned),
            timescale: timescale.into(),
        }
    }

    #[test]
    fn every_kind_of_change_is_found_and_nothing_else() {
        let before = vec![
            action(1, "1.1.1", "Induct members", None, "As required"),
            action(2, "1.1.2", "Audit case files", Some("A"), "March 2024"),
            action(3, "1.1.3", "Retire me", None, ""),
            action(4, "1.2.1", "Unchanged", Some("G"), "2025"),
        ];
        let now = vec![
            action(1, "1.1.1", "Induct all new members", None, "As required"),
            action(2, "1.1.3", "Audit case files", Some("R"), "June 2024"),
            action(4, "1.2.1", "Unchanged", Some("G"), "2025"),
            action(5, "1.2.2", "New action", None, "2026"),
        ];
        let diff = compare(&before, &now);
        let kinds: Vec<(u128, Vec<ChangeKind>)> = diff
            .iter()
            .map(|d| (d.now.as_ref().or(d.before.as_ref()).unwrap().id.as_u128(), d.kinds.clone()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (1, vec![ChangeKind::Reworded]),
                (2, vec![ChangeKind::Renumbered, ChangeKind::Status, ChangeKind::Timescale]),
                (3, vec![ChangeKind::Retired]),
                (5, vec![ChangeKind::Added]),
            ]
        );
    }

    #[test]
    fn snapshots_read_the_stored_json() {
        let json = r#"[{"id":"00000000-0000-0000-0000-000000000001","ref":"2.1.1","description":"x","status":null,"timescale":"2024"}]"#;
        let parsed: Vec<SnapshotAction> = serde_json::from_str(json).unwrap();
        assert_eq!(parsed[0].reference, "2.1.1");
    }
}
