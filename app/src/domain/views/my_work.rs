//! `/me`: what the signed-in person can update.

use crate::domain::status::Status;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Everything the signed-in person can update, grouped by committee (shared actions by their
/// subgroup), what needs attention first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyWork {
    pub groups: Vec<WorkGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkGroup {
    pub name: String,
    pub href: String,
    /// Shared Forth Valley actions of a subgroup rather than one committee's own.
    pub shared: bool,
    pub items: Vec<WorkItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkItem {
    pub id: Uuid,
    pub description: String,
    pub status: Option<Status>,
    pub timescale: String,
    pub revised_timescale: Option<String>,
    pub progress: String,
    pub evidence: String,
    pub version: i32,
    /// RFC 3339: the last update, or when the action was created.
    pub last_updated: String,
    pub flags: Vec<WorkFlag>,
    /// Every plan placing it, with the plan's own reference; the first is where it is updated.
    pub placements: Vec<Placement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum WorkFlag {
    Red,
    Amber,
    PastTimescale,
    NotUpdated,
}

impl WorkFlag {
    pub fn label(self) -> &'static str {
        match self {
            WorkFlag::Red => "Red: revision required",
            WorkFlag::Amber => "Amber: progress delayed",
            WorkFlag::PastTimescale => "Past its timescale",
            WorkFlag::NotUpdated => "Not updated for 90 days",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    pub committee: String,
    pub plan_title: String,
    pub reference: String,
    pub href: String,
}
