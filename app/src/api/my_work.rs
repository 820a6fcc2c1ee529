//! `/me`: what the signed-in person can update, across every committee and subgroup.

use crate::domain::views::MyWork;
use crate::error::AppError;
use leptos::prelude::*;

/// Requires: someone signed in. What they can update (what row-level security lets them).
#[server(endpoint = "my_work")]
pub async fn get_my_work() -> Result<MyWork, AppError> {
    use crate::server::{authz, db::my_work, request};
    let (viewer, mut tx) = request::begin().await?;
    authz::require_signed_in(viewer)?;
    let work = my_work::my_work(&mut tx, time::OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(work)
}
