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

/// One row of an uploaded plan file as it was read: its spreadsheet row number (the header is
/// row 1) and the cells of the plan CSV format. Also how an upload's rows are stored while they
/// await confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    pub row: u32,
    pub priority: String,
    pub outcome_number: String,
    pub outcome: String,
    pub objective_number: String,
    pub objective: String,
    pub action: String,
    pub lead: String,
    pub timescale: String,
    pub evidence: String,
    pub progress: String,
    pub status: String,
}

/// A problem found in an uploaded file: the row (0 for the whole file), the column if one, and
/// what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    pub row: u32,
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for ImportProblem {
    /// As the command-line importer words it: "row R, column C: reason".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.row, &self.column) {
            (0, _) => write!(f, "{}", self.message),
            (row, Some(column)) => write!(f, "row {row}, column {column}: {}", self.message),
            (row, None) => write!(f, "row {row}: {}", self.message),
        }
    }
}

/// The upload page: the committee, and the periods it already has plans for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanImportStart {
    pub committee: CommitteeRef,
    pub existing_plans: Vec<String>,
}

/// An uploaded plan file awaiting its lead officer's confirmation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanImportPreview {
    pub committee: CommitteeRef,
    pub id: Uuid,
    pub file_name: String,
    /// "csv" or "xlsx".
    pub format: String,
    /// RFC 3339.
    pub uploaded_at: String,
    pub rows: Vec<ImportRow>,
    pub problems: Vec<ImportProblem>,
    pub existing_plans: Vec<String>,
}

// ---- Shaping a plan ----

/// A plan as its lead officers edit it: every live part with its id and version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanEditor {
    pub committee: CommitteeRef,
    pub slug: String,
    pub title: String,
    pub state: String,
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
    pub state: String,
    pub decided_on: Option<String>,
    pub reason: Option<String>,
    pub version: i32,
    /// The reader is one of this committee's lead officers.
    pub can_record: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtocolActionView {
    pub id: Uuid,
    pub committee: CommitteeRef,
    pub plan_slug: String,
    pub reference: String,
    pub description: String,
}
