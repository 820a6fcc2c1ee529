//! What a live view fetches when an event names something private: just the changed object,
//! never the whole page. Events about published material carry their fields themselves.

use crate::domain::live::{ActionCells, Counts};
use crate::error::{AppError, StaleEdit};
use leptos::prelude::*;

/// The id in `text`, or "not found" for `what` (a malformed id names nothing).
#[cfg(feature = "ssr")]
fn id(text: &str, what: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(text.trim()).map_err(|_| AppError::not_found(what))
}

/// Requires: that the viewer may read the action (row-level security decides, as for its
/// page); anything else is "not found", whether it exists or not.
#[server(endpoint = "live_action")]
pub async fn live_action(id: String) -> Result<ActionCells, AppError> {
    use crate::server::{db, request};
    let action = self::id(&id, "that action")?;
    let (_, mut tx) = request::begin().await?;
    let cells = db::live::action_cells(&mut tx, action).await?.ok_or_else(|| AppError::not_found("that action"))?;
    tx.commit().await?;
    Ok(cells)
}

/// Requires: that the viewer may read the plan (row-level security decides).
#[server(endpoint = "live_plan_counts")]
pub async fn live_plan_counts(plan: String) -> Result<Counts, AppError> {
    use crate::server::{db, request};
    let plan = self::id(&plan, "that plan")?;
    let (_, mut tx) = request::begin().await?;
    let counts = db::live::plan_counts(&mut tx, plan).await?.ok_or_else(|| AppError::not_found("that plan"))?;
    tx.commit().await?;
    Ok(counts)
}

/// What others saved on an action after `version` (who, when, each field's old and new
/// value), for an edit form that is open while someone else saves.
/// Requires: that the viewer may read the action (row-level security decides).
#[server(endpoint = "action_changes_since")]
pub async fn action_changes_since(action: String, version: i32) -> Result<StaleEdit, AppError> {
    use crate::server::{db, request};
    let action = self::id(&action, "that action")?;
    let (_, mut tx) = request::begin().await?;
    let changes = db::updates::changes_since(&mut tx, action, version)
        .await?
        .ok_or_else(|| AppError::not_found("that action"))?;
    tx.commit().await?;
    Ok(changes)
}
