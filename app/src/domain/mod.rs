//! Types and rules both the server and the browser use.

pub mod account;
pub mod address;
pub mod audit;
pub mod compare;
pub mod dashboard;
pub mod dates;
pub mod filter;
pub mod leads;
pub mod links;
pub mod live;
pub mod numbering;
pub mod period;
pub mod plan;
#[cfg(feature = "ssr")]
pub mod plan_csv;
pub mod plan_file;
pub mod protocol;
pub mod report;
pub mod risk;
pub mod slug;
pub mod status;
pub mod structure;
pub mod text;
pub mod timescale;
pub mod update;
pub mod views;
