//! The Forth Valley overview and a committee's page.

use super::common::{CommitteeRef, SubgroupRef};
use crate::domain::plan::PlanState;
use crate::domain::status::StatusCounts;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub region_name: String,
    pub committees: Vec<CommitteeSummary>,
    pub subgroups: Vec<SubgroupSummary>,
    pub protocols: Vec<ProtocolSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitteeSummary {
    /// For deciding the flags on the server; never sent.
    #[serde(skip)]
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub council_areas: Vec<String>,
    pub cog_name: String,
    pub is_sample: bool,
    pub plans: Vec<PlanSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub state: PlanState,
    pub is_sample: bool,
    /// The reader may publish it (one of its committee's lead officers, and not published).
    pub can_publish: bool,
    /// ISO date of the latest review, if any.
    pub last_reviewed_on: Option<String>,
    pub counts: StatusCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubgroupSummary {
    pub slug: String,
    pub name: String,
    pub scope: String,
    pub committees: Vec<CommitteeRef>,
    /// Shared actions this subgroup owns.
    pub shared_actions: u32,
    /// Actions anywhere whose lead names this subgroup.
    pub led_actions: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtocolSummary {
    pub slug: String,
    pub title: String,
    pub current_version: Option<String>,
    pub review_due_on: Option<String>,
    pub review_overdue: bool,
    pub ratified: u32,
    pub pending: u32,
    pub declined: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitteePage {
    /// What the reader may open from it: the members and audit pages (its members; the member
    /// list for admins too) and importing a plan (its lead officers).
    pub can_see_members: bool,
    pub can_read_audit: bool,
    pub can_import: bool,
    pub committee: CommitteeSummary,
    pub region_name: String,
    pub subgroups: Vec<SubgroupRef>,
}
