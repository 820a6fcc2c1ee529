//! Server-only code: application state, who is asking, the current request, and the
//! persistence layer (all SQL lives in `db`).

pub mod accounts;
pub mod auth;
pub mod authz;
pub mod db;
pub mod request;
pub mod security;
pub mod state;
