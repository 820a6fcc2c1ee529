//! Memberships, invitations, the audit trail and platform administration.

use super::common::CommitteeRef;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    pub person_id: Uuid,
    pub display_name: String,
    pub email: String,
    /// The role's code (member, contributor, lead_officer; member, chair).
    pub role: String,
    /// Has set a password; otherwise their invitation is still open.
    pub active: bool,
    /// Whether they have two-step sign-in on: shown only to those who manage the members.
    #[serde(default)]
    pub two_step: Option<bool>,
}

/// `/committees/{c}/members`: who sits on the committee; lead officers manage them here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembersPage {
    pub committee: CommitteeRef,
    pub can_manage: bool,
    /// The committee requires two-step sign-in of its lead officers.
    pub two_step_for_leads: bool,
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
    /// ISO date they were deactivated (they left), if they were.
    pub deactivated_on: Option<String>,
    /// "Clackmannanshire: Lead officer", "FV PPP: Chair".
    pub memberships: Vec<String>,
    /// Has two-step sign-in on.
    pub two_step: bool,
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
