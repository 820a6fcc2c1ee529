//! Pieces that several pages use.

pub mod error_page;
pub mod layout;
pub mod status;
