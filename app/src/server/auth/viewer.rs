//! The signed-in person of the current request (the `Viewer`, whose roles only `authz` reads),
//! loaded once per request by the server's session middleware and placed in the request's
//! extensions; and what they may read, as the queries filter it.

use uuid::Uuid;

pub use crate::server::authz::Viewer;

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
            Some(v) => Access { person_id: Some(v.id), committees: v.committee_ids(), subgroups: v.subgroup_ids() },
        }
    }
}

/// The client's address as the server saw it (or as a trusted proxy reported it), for
/// throttling sign-in attempts.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);
