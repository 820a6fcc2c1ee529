//! A subgroup's page: its shared actions and where they are adopted.

use super::action::{AdoptionView, ProtocolRef};
use super::common::CommitteeRef;
use crate::domain::status::Status;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubgroupPage {
    pub id: Uuid,
    /// The reader is a member or chair: they update its shared actions.
    pub can_update: bool,
    /// The reader chairs it: they create shared actions.
    pub is_chair: bool,
    /// The reader may open its risk register (members, and lead officers of its committees).
    pub can_read_risks: bool,
    /// Where the reader, as a lead officer of a committee taking part, may place its actions.
    pub adopt_targets: Vec<AdoptTarget>,
    pub slug: String,
    pub name: String,
    pub scope: String,
    pub region_name: String,
    pub committees: Vec<CommitteeRef>,
    pub shared_actions: Vec<SharedActionView>,
    /// Committee-owned actions whose lead names this subgroup, plan by plan.
    pub led_actions: Vec<LedActionView>,
    pub protocols: Vec<ProtocolRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedActionView {
    pub id: Uuid,
    pub description: String,
    pub lead: String,
    pub timescale: String,
    pub revised_timescale: Option<String>,
    pub progress: String,
    pub evidence: String,
    pub version: i32,
    pub status: Option<Status>,
    pub adoptions: Vec<AdoptionView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedActionView {
    pub id: Uuid,
    pub committee: CommitteeRef,
    pub plan_slug: String,
    pub reference: String,
    pub description: String,
    pub status: Option<Status>,
}

/// A plan where a lead officer may place a subgroup's shared action, with its objectives
/// (number "1.2", title).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdoptTarget {
    /// For deciding on the server who may adopt into it; never sent.
    #[serde(skip)]
    pub committee_id: Uuid,
    pub committee_slug: String,
    pub committee_name: String,
    pub plan_slug: String,
    pub plan_title: String,
    pub objectives: Vec<(String, String)>,
}
