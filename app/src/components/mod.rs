//! Pieces that several pages use.

pub mod dashboard;
pub mod enhance;
pub mod error_page;
pub mod forms;
pub mod layout;
pub mod live;
pub mod session;
pub mod status;
