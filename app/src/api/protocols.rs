use crate::domain::views::ProtocolRegister;
use crate::error::AppError;
use leptos::prelude::*;

/// The register of shared protocols with each committee's ratification.
#[server(endpoint = "protocols")]
pub async fn get_protocols() -> Result<ProtocolRegister, AppError> {
    use crate::server::{
        db::{overview, protocols},
        state::app_state,
    };
    let mut tx = app_state()?.pool.begin().await?;
    let region = overview::home_region(&mut tx).await?;
    let register = protocols::register(&mut tx, region).await?;
    tx.commit().await?;
    Ok(register)
}
