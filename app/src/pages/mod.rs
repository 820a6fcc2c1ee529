//! One module per page, named for its route.

pub mod accessibility;
pub mod account;
pub mod action;
pub mod action_update;
pub mod admin;
pub mod annual;
pub mod audit;
pub mod committee;
pub mod members;
pub mod my_work;
pub mod overview;
pub mod period_compare;
pub mod periods;
pub mod plan;
pub mod plan_compare;
pub mod plan_edit;
pub mod plan_import;
pub mod protocol;
pub mod protocols;
pub mod regional;
pub mod risk_import;
pub mod risks;
pub mod subgroup;
pub mod summary;

/// A route parameter, or "" when absent (the route cannot match without it).
pub(crate) fn param(map: &leptos_router::params::ParamsMap, key: &str) -> String {
    map.get(key).unwrap_or_default()
}

pub(crate) use crate::domain::links::{action_href, plan_href};
