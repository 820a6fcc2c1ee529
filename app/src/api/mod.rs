//! Server functions: the only way pages reach data. Each one opens one transaction, calls the
//! persistence layer and returns `AppError` on failure.

pub mod actions;
pub mod overview;
pub mod plans;
pub mod protocols;
pub mod subgroups;
