//! Server functions: the only way pages reach data and the only way anything changes. Each
//! one opens one transaction acting as the signed-in person (row-level security applies),
//! checks permission itself before changing anything, and returns `AppError` on failure.

pub mod account;
pub mod actions;
pub mod admin;
pub mod audit;
pub mod dashboards;
pub mod imports;
pub mod live;
pub mod members;
pub mod my_work;
pub mod overview;
pub mod periods;
pub mod plans;
pub mod protocol_edits;
pub mod protocols;
pub mod risks;
pub mod shared;
pub mod structure;
pub mod subgroups;
pub mod two_step;
pub mod updates;
