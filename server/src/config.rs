//! Typed configuration, read once at start from the environment. Nothing secret has a default.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub pool_size: u32,
    pub acquire_timeout: Duration,
}

impl Config {
    pub fn from_env() -> Result<Self, String> {
        let database_url = std::env::var("DATABASE_URL")
            .map_err(|_| "DATABASE_URL is not set: point it at the PostgreSQL database (scripts/run sets it for the embedded one)".to_owned())?;
        let pool_size = match std::env::var("FV_DB_POOL_SIZE") {
            Ok(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=500).contains(n))
                .ok_or_else(|| format!("FV_DB_POOL_SIZE must be a whole number from 1 to 500, not {v:?}"))?,
            Err(_) => 16,
        };
        Ok(Config { database_url, pool_size, acquire_timeout: Duration::from_secs(5) })
    }
}
