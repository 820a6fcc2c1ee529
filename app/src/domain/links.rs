//! The site's addresses, built in one place for pages, server functions and read models.

pub fn committee_href(committee: &str) -> String {
    format!("/committees/{committee}")
}

pub fn plan_href(committee: &str, plan: &str) -> String {
    format!("/committees/{committee}/plans/{plan}")
}

pub fn action_href(committee: &str, plan: &str, action: &uuid::Uuid) -> String {
    format!("/committees/{committee}/plans/{plan}/actions/{action}")
}

pub fn subgroup_href(subgroup: &str) -> String {
    format!("/subgroups/{subgroup}")
}
