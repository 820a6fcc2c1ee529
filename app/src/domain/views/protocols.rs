//! The protocol register and a protocol's page.

use super::common::{CommitteeRef, SubgroupRef};
use crate::domain::protocol::RatificationState;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtocolRegister {
    pub region_name: String,
    pub committees: Vec<CommitteeRef>,
    pub protocols: Vec<ProtocolEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtocolEntry {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub owner: Option<SubgroupRef>,
    pub current_version: Option<String>,
    pub document_url: Option<String>,
    pub effective_on: Option<String>,
    pub review_due_on: Option<String>,
    pub review_overdue: bool,
    /// One entry per committee of the register, in the register's committee order.
    pub ratifications: Vec<RatificationView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatificationView {
    pub committee_slug: String,
    /// `None` when the committee does not take part.
    pub state: Option<RatificationState>,
    pub decided_on: Option<String>,
    pub reason: Option<String>,
}

/// `/protocols/{slug}`: one protocol, its versions, each committee's decision on the current
/// one and the actions that deliver it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtocolPage {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub owner: Option<SubgroupRef>,
    /// The named person or role who keeps it up to date.
    pub owner_name: String,
    /// Newest first.
    pub versions: Vec<ProtocolVersionView>,
    /// For the current version, one per committee asked to ratify it.
    pub ratifications: Vec<RatificationRow>,
    pub actions: Vec<ProtocolActionView>,
    /// The reader belongs to the owning subgroup.
    pub can_add_version: bool,
    /// For deciding `can_add_version` on the server; never sent.
    #[serde(skip)]
    pub owner_subgroup_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtocolVersionView {
    pub id: Uuid,
    pub label: String,
    pub document_url: Option<String>,
    pub body: String,
    pub review_due_on: Option<String>,
    pub overdue: bool,
    /// RFC 3339.
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatificationRow {
    pub version_id: Uuid,
    pub committee: CommitteeRef,
    pub state: RatificationState,
    pub decided_on: Option<String>,
    pub reason: Option<String>,
    pub version: i32,
    /// The reader is one of this committee's lead officers.
    pub can_record: bool,
    /// For deciding `can_record` on the server; never sent.
    #[serde(skip)]
    pub committee_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtocolActionView {
    pub id: Uuid,
    pub committee: CommitteeRef,
    pub plan_slug: String,
    pub reference: String,
    pub description: String,
}
