//! One action: its place, history, adoptions and protocols.

use super::common::CommitteeRef;
use super::plan::ActionRow;
use crate::domain::numbering::ObjectiveNumber;
use crate::domain::status::Status;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionDetail {
    pub committee: CommitteeRef,
    pub plan_id: Uuid,
    pub plan_slug: String,
    pub plan_title: String,
    pub priority: String,
    pub outcome_number: u32,
    pub outcome: String,
    pub objective_number: ObjectiveNumber,
    pub objective: String,
    pub row: ActionRow,
    pub version: i32,
    /// The version of this plan's placement of the action (its number and local note).
    pub placement_version: i32,
    /// A shared action, and the reader is a lead officer of this plan's committee.
    pub can_stop_adopting: bool,
    /// The committee of the plan this page shows the action in, for deciding the flags on the
    /// server; never sent.
    #[serde(skip)]
    pub placement_committee_id: Uuid,
    /// The reader shapes the action (lead officer of its committee, chair of its subgroup).
    pub can_link_protocols: bool,
    /// Protocols it could be linked to (only for those who may).
    pub protocol_options: Vec<ProtocolRef>,
    pub history: Vec<StatusUpdateView>,
    /// For a shared action: every plan that adopts it, this one included.
    pub adoptions: Vec<AdoptionView>,
    pub protocols: Vec<ProtocolRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusUpdateView {
    /// RFC 3339 timestamp.
    pub at: String,
    pub by: Option<String>,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub progress: String,
    pub evidence: String,
    pub revised_timescale: Option<String>,
    pub reason: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdoptionView {
    pub committee: CommitteeRef,
    pub plan_slug: String,
    pub plan_title: String,
    pub reference: String,
    pub objective: String,
    pub local_note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtocolRef {
    pub slug: String,
    pub title: String,
}
