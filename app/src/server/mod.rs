//! Server-only code: application state and the persistence layer (all SQL lives in `db`).

pub mod db;
pub mod state;
