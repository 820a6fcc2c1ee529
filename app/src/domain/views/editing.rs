//! Shaping a plan (the editor) and comparing it with a review.

use super::common::CommitteeRef;
use super::plan::ReviewView;
use crate::domain::plan::PlanState;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A plan as its lead officers edit it: every live part with its id and version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanEditor {
    pub committee: CommitteeRef,
    pub slug: String,
    pub title: String,
    pub state: PlanState,
    pub reviews: Vec<ReviewView>,
    pub priorities: Vec<EditPriority>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditPriority {
    pub id: Uuid,
    pub version: i32,
    pub position: i32,
    pub title: String,
    pub outcomes: Vec<EditOutcome>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditOutcome {
    pub id: Uuid,
    pub version: i32,
    pub number: i32,
    pub title: String,
    pub objectives: Vec<EditObjective>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditObjective {
    pub id: Uuid,
    pub version: i32,
    pub number: String,
    pub title: String,
    pub actions: Vec<EditAction>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditAction {
    pub id: Uuid,
    pub reference: String,
    pub description: String,
    pub lead: String,
    pub timescale: String,
    pub evidence: String,
    /// The action's own version (its wording).
    pub version: i32,
    /// The plan's placement of it (its place and number).
    pub placement_version: i32,
    /// Owned by a subgroup: worded by it, stopped rather than retired here.
    pub shared_by: Option<String>,
}

/// The plan now beside the snapshot kept at one of its reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub committee: CommitteeRef,
    pub plan_slug: String,
    pub plan_title: String,
    pub reviewed_on: String,
    pub note: String,
    pub differences: Vec<crate::domain::compare::ActionDifference>,
    pub unchanged: usize,
    pub reviews: Vec<ReviewView>,
}
