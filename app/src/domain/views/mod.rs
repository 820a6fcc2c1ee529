//! What the server sends to pages: read models shaped for rendering, shared by both sides,
//! one module per area of the site.

mod accounts;
mod action;
mod common;
mod editing;
mod imports;
mod my_work;
mod overview;
mod plan;
mod protocols;
mod quarterly;
mod subgroup;

pub use crate::domain::plan_file::{ImportProblem, ImportRow};
pub use accounts::*;
pub use action::*;
pub use common::*;
pub use editing::*;
pub use imports::*;
pub use my_work::*;
pub use overview::*;
pub use plan::*;
pub use protocols::*;
pub use quarterly::*;
pub use subgroup::*;
