//! Live status: what a change event says, as the server's stream (`/live`) sends it and the
//! browser reads it. The events come from the database (`live.change_events`, written by
//! triggers); README "Live status" says how they travel.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use uuid::Uuid;

/// Where an event stands in the one order every instance and every browser sees: the writing
/// transaction's id, then the event's place within it. Sent as the SSE `id` (`"xid-seq"`), so
/// a reconnecting browser resumes just after it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Position {
    pub xid: u64,
    pub seq: i64,
}

impl Position {
    /// Before every event.
    pub const START: Position = Position { xid: 0, seq: 0 };

    /// Parses `"xid-seq"`; anything else is `None`.
    pub fn parse(text: &str) -> Option<Position> {
        let (xid, seq) = text.trim().split_once('-')?;
        let xid = xid.parse().ok()?;
        let seq: i64 = seq.parse().ok()?;
        (seq >= 0).then_some(Position { xid, seq })
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.xid, self.seq)
    }
}

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An action's status, progress, wording or links.
    Action,
    /// A plan's parts or placements.
    Structure,
    /// A plan itself: created, published, re-titled, archived.
    Plan,
    /// A plan's recorded reviews.
    Review,
    /// A protocol, its versions or a committee's ratification.
    Protocol,
    /// Someone's memberships (never sent to browsers: the stream looks again at what they may see).
    Membership,
    /// Someone's password, name or admin rights (never sent: the stream checks them again).
    Person,
    /// The region's committees, subgroups and who takes part in which.
    Region,
    /// A committee's risk register: a risk, its assessments or its mitigating actions.
    Risk,
    /// A committee's reporting periods and their closings.
    Period,
}

impl Kind {
    pub fn parse(text: &str) -> Option<Kind> {
        Some(match text {
            "action" => Kind::Action,
            "structure" => Kind::Structure,
            "plan" => Kind::Plan,
            "review" => Kind::Review,
            "protocol" => Kind::Protocol,
            "membership" => Kind::Membership,
            "person" => Kind::Person,
            "region" => Kind::Region,
            "risk" => Kind::Risk,
            "period" => Kind::Period,
            _ => return None,
        })
    }

    /// Kinds about someone's rights, which only the server acts on.
    pub fn is_internal(self) -> bool {
        matches!(self, Kind::Membership | Kind::Person)
    }
}

/// What the pages show of an action, as a live view patches it in: the public fields of a
/// published action (carried by its event), or what a member fetches for a private one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionCells {
    pub id: Uuid,
    pub version: i32,
    /// The one-letter code, or `None` for not yet assessed.
    pub status: Option<String>,
    pub progress: String,
    pub evidence: String,
    pub timescale: String,
    pub revised_timescale: Option<String>,
    pub revision_reason: Option<String>,
    pub description: String,
    pub lead: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// A plan's counts in the order of the key: on target, delayed, revision required, complete,
/// not yet assessed.
pub type Counts = [i32; 5];

/// One event as a browser receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
    /// The plans that show it (for the public: the published ones).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<Uuid>,
    /// Public events about an action: its public fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<ActionCells>,
    /// Public events: the counts of the published plans concerned.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counts: BTreeMap<Uuid, Counts>,
    /// Public plan and protocol events: the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Public plan events: draft, published or archived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_status: Option<String>,
}

/// The public part of an event as the database writes it (`live.change_events.data`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventData {
    #[serde(default)]
    pub action: Option<ActionCells>,
    #[serde(default)]
    pub counts: BTreeMap<Uuid, Counts>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub plan_status: Option<String>,
}

/// The SSE event name that tells a browser it missed more than the log still holds: it
/// should load the page again.
pub const RELOAD: &str = "reload";

/// Events are kept this long; a browser away for longer reloads.
pub const RETENTION_DAYS: i64 = 7;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_read_back_what_they_write_and_order_by_transaction_then_sequence() {
        let p = Position { xid: 26301, seq: 37 };
        assert_eq!(Position::parse(&p.to_string()), Some(p));
        for bad in ["", "1", "1-", "-1", "a-b", "1--2", "1-2-3", "18446744073709551616-1"] {
            assert_eq!(Position::parse(bad), None, "{bad}");
        }
        assert!(Position { xid: 1, seq: 90 } < Position { xid: 2, seq: 3 });
        assert!(Position { xid: 2, seq: 3 } < Position { xid: 2, seq: 4 });
    }

    #[test]
    fn an_event_reads_back_as_written() {
        let event = LiveEvent {
            kind: Kind::Plan,
            object: Some(Uuid::nil()),
            version: Some(3),
            plans: vec![Uuid::nil()],
            action: None,
            counts: BTreeMap::from([(Uuid::nil(), [1, 2, 3, 4, 5])]),
            title: Some("Plan".into()),
            plan_status: Some("published".into()),
        };
        let json = serde_json::to_string(&event).unwrap();
        assert_eq!(serde_json::from_str::<LiveEvent>(&json).unwrap(), event);
        assert!(!json.contains("action"), "{json}");
    }
}
