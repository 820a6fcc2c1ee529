//! Live status: the change events of the database, fanned out to every open view (README,
//! "Live status"). `hub` follows the log, once per instance; `stream` is `GET /live`.

pub mod hub;
pub mod stream;

pub use hub::{Change, Limits, LiveHub};
