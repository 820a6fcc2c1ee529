//! The signed-in person of the current request, loaded once per request by the server's
//! session middleware and placed in the request's extensions.

use crate::domain::account::{CommitteeRole, SignedIn, SubgroupRole};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Viewer {
    pub id: Uuid,
    pub is_admin: bool,
    pub committees: Vec<(Uuid, CommitteeRole)>,
    pub subgroups: Vec<(Uuid, SubgroupRole)>,
    /// What pages show about them.
    pub shown: SignedIn,
}

impl Viewer {
    pub fn committee_role(&self, committee_id: Uuid) -> Option<CommitteeRole> {
        self.committees.iter().find(|(id, _)| *id == committee_id).map(|(_, role)| *role)
    }

    /// Whether they hold at least `role` in the committee.
    pub fn has_role(&self, committee_id: Uuid, role: CommitteeRole) -> bool {
        self.committee_role(committee_id).is_some_and(|r| r >= role)
    }

    pub fn subgroup_role(&self, subgroup_id: Uuid) -> Option<SubgroupRole> {
        self.subgroups.iter().find(|(id, _)| *id == subgroup_id).map(|(_, role)| *role)
    }
}

/// The committees and subgroups whose unpublished material a request may read: the
/// application's own copy of the rule the database enforces with row-level security.
#[derive(Debug, Clone, Default)]
pub struct Access {
    pub person_id: Option<Uuid>,
    pub committees: Vec<Uuid>,
    pub subgroups: Vec<Uuid>,
}

impl Access {
    pub fn of(viewer: Option<&Viewer>) -> Self {
        match viewer {
            None => Access::default(),
            Some(v) => Access {
                person_id: Some(v.id),
                committees: v.committees.iter().map(|(id, _)| *id).collect(),
                subgroups: v.subgroups.iter().map(|(id, _)| *id).collect(),
            },
        }
    }
}

/// The client's address as the server saw it (or as a trusted proxy reported it), for
/// throttling sign-in attempts.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);
