//! Links other pages carry: a committee, a subgroup.

use serde::{Deserialize, Serialize};

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
