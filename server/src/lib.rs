//! The server: configuration, the router, command-line tasks and the demo data loader. The
//! binary in main.rs only dispatches to these, so tests drive the same code.

pub mod cli;
pub mod config;
pub mod demo;
pub mod handlers;
pub mod page_cache;
pub mod routes;
pub mod scale;

use app::server::state::AppState;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

pub async fn connect(config: &config::Config) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(config.pool_size)
        .acquire_timeout(config.acquire_timeout)
        .connect(&config.database_url)
        .await
}

pub fn state(pool: PgPool, leptos_options: leptos::config::LeptosOptions) -> AppState {
    AppState { leptos_options, pool }
}
