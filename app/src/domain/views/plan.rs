//! A plan as its page shows it: structure, actions, reviews.

use super::common::{CommitteeRef, SubgroupRef};
use crate::domain::numbering::ObjectiveNumber;
use crate::domain::plan::PlanState;
use crate::domain::status::{Status, StatusCounts};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanView {
    pub id: Uuid,
    pub committee: CommitteeRef,
    pub committee_is_sample: bool,
    pub slug: String,
    pub title: String,
    pub state: PlanState,
    pub is_sample: bool,
    pub reviews: Vec<ReviewView>,
    pub priorities: Vec<PriorityView>,
    /// The reader is one of its committee's lead officers (and it is not archived).
    pub can_edit: bool,
    /// Every subgroup that owns or leads an action in this plan, for the filter.
    pub subgroups: Vec<SubgroupRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    pub id: Uuid,
    /// ISO date.
    pub reviewed_on: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriorityView {
    pub position: u32,
    pub title: String,
    pub outcomes: Vec<OutcomeView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeView {
    pub number: u32,
    pub title: String,
    pub objectives: Vec<ObjectiveView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveView {
    pub number: ObjectiveNumber,
    pub title: String,
    pub actions: Vec<ActionRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionRow {
    pub id: Uuid,
    /// What live updates compare with: an event for an older version is not applied.
    pub version: i32,
    /// The plan's own reference, e.g. "3.1.2".
    pub reference: String,
    pub description: String,
    pub lead: String,
    pub timescale: String,
    pub revised_timescale: Option<String>,
    pub evidence: String,
    pub progress: String,
    pub status: Option<Status>,
    /// Set when a Forth Valley subgroup owns this action and the plan adopts it.
    pub owner_subgroup: Option<SubgroupRef>,
    /// Subgroups named in the lead.
    pub lead_subgroups: Vec<SubgroupRef>,
    pub local_note: String,
    /// Whether the reader may update its status, progress and evidence.
    pub can_update: bool,
    /// The owning committee and subgroup (one of them), for deciding `can_update` on the
    /// server; never sent.
    #[serde(skip)]
    pub owner_ids: (Option<Uuid>, Option<Uuid>),
}

impl PlanView {
    pub fn actions(&self) -> impl Iterator<Item = &ActionRow> {
        self.priorities.iter().flat_map(|p| &p.outcomes).flat_map(|o| &o.objectives).flat_map(|o| &o.actions)
    }

    pub fn actions_mut(&mut self) -> impl Iterator<Item = &mut ActionRow> {
        self.priorities
            .iter_mut()
            .flat_map(|p| &mut p.outcomes)
            .flat_map(|o| &mut o.objectives)
            .flat_map(|o| &mut o.actions)
    }

    pub fn counts(&self) -> StatusCounts {
        let mut counts = StatusCounts::default();
        for action in self.actions() {
            counts.add(action.status);
        }
        counts
    }
}

impl ActionRow {
    /// Every subgroup this action belongs to: its owner and those its lead names.
    pub fn subgroups(&self) -> impl Iterator<Item = &SubgroupRef> {
        self.owner_subgroup.iter().chain(self.lead_subgroups.iter())
    }
}
