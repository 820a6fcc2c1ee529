//! What the server sends to pages: read models shaped for rendering, shared by both sides.

use crate::domain::numbering::ObjectiveNumber;
use crate::domain::status::{Status, StatusCounts};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A link to a subgroup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubgroupRef {
    pub slug: String,
    pub name: String,
    pub short_name: String,
}

/// A link to a committee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitteeRef {
    pub slug: String,
    pub name: String,
    pub short_name: String,
}

// ---- Forth Valley overview ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub region_name: String,
    pub committees: Vec<CommitteeSummary>,
    pub subgroups: Vec<SubgroupSummary>,
    pub protocols: Vec<ProtocolSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitteeSummary {
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
    pub slug: String,
    pub title: String,
    /// draft, published or archived.
    pub state: String,
    pub is_sample: bool,
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

// ---- Committee ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitteePage {
    pub committee: CommitteeSummary,
    pub region_name: String,
    pub subgroups: Vec<SubgroupRef>,
}

// ---- Plan ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanView {
    pub committee: CommitteeRef,
    pub committee_is_sample: bool,
    pub slug: String,
    pub title: String,
    pub state: String,
    pub is_sample: bool,
    pub reviews: Vec<ReviewView>,
    pub priorities: Vec<PriorityView>,
    /// Every subgroup that owns or leads an action in this plan, for the filter.
    pub subgroups: Vec<SubgroupRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
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
}

impl PlanView {
    pub fn actions(&self) -> impl Iterator<Item = &ActionRow> {
        self.priorities.iter().flat_map(|p| &p.outcomes).flat_map(|o| &o.objectives).flat_map(|o| &o.actions)
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

// ---- One action ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionDetail {
    pub committee: CommitteeRef,
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

// ---- Subgroup ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubgroupPage {
    pub id: Uuid,
    /// The reader is a member or chair: they update its shared actions.
    pub can_update: bool,
    /// The reader chairs it: they create shared actions.
    pub is_chair: bool,
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

// ---- Protocols ----

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
    /// pending, ratified, declined, or "n/a" when the committee does not take part.
    pub state: String,
    pub decided_on: Option<String>,
    pub reason: Option<String>,
}

// ---- Accounts and memberships ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    pub person_id: Uuid,
    pub display_name: String,
    pub email: String,
    /// The role's code (member, contributor, lead_officer; member, chair).
    pub role: String,
    /// Has set a password; otherwise their invitation is still open.
    pub active: bool,
}

/// `/committees/{c}/members`: who sits on the committee; lead officers manage them here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembersPage {
    pub committee: CommitteeRef,
    pub can_manage: bool,
    pub members: Vec<MemberView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub display_name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub occurred_at: String,
    pub person: String,
    pub entity: String,
    pub entity_id: Option<Uuid>,
    pub operation: String,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// `/committees/{c}/audit`, filtered by person, dates and kind of object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub committee: CommitteeRef,
    pub people: Vec<(Uuid, String)>,
    pub entities: Vec<String>,
    pub entries: Vec<AuditEntry>,
    /// More entries matched than are shown.
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminPerson {
    pub person_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub is_admin: bool,
    pub active: bool,
    /// "Clackmannanshire: Lead officer", "FV PPP: Chair".
    pub memberships: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminSubgroup {
    pub slug: String,
    pub name: String,
    pub members: Vec<MemberView>,
}

/// `/admin`: committees, subgroups and people, for platform admins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminPage {
    pub committees: Vec<CommitteeRef>,
    pub subgroups: Vec<AdminSubgroup>,
    pub people: Vec<AdminPerson>,
}

// ---- My work ----

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

/// A plan where a lead officer may place a subgroup's shared action, with its objectives
/// (number "1.2", title).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdoptTarget {
    pub committee_slug: String,
    pub committee_name: String,
    pub plan_slug: String,
    pub plan_title: String,
    pub objectives: Vec<(String, String)>,
}
