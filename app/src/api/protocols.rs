use crate::domain::views::ProtocolRegister;
use crate::error::AppError;
use leptos::prelude::*;

/// Requires: nothing (drafts only for who may read them). The register of shared protocols
/// with each committee's ratification.
#[server(endpoint = "protocols")]
pub async fn get_protocols() -> Result<ProtocolRegister, AppError> {
    use crate::server::{
        auth::viewer::Access,
        db::{overview, protocols},
        request,
    };
    let (viewer, mut tx) = request::begin().await?;
    let region = overview::home_region(&mut tx).await?;
    let register = protocols::register(&mut tx, &Access::of(viewer.as_ref()), region).await?;
    tx.commit().await?;
    Ok(register)
}
