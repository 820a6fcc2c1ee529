//! Typed configuration, read once at start from the environment. Nothing secret has a default.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// The server's role: owns nothing, cannot bypass row-level security.
    pub database_url: String,
    /// The owner role, for migrations, the demo loader and operator commands.
    pub owner_database_url: String,
    pub pool_size: u32,
    pub acquire_timeout: Duration,
    pub public_origin: Option<String>,
    pub secure_cookies: bool,
    pub trust_proxy: bool,
}

fn flag(name: &str, default: bool) -> Result<bool, String> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(v) => match v.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(format!("{name} must be true or false, not {v:?}")),
        },
    }
}

impl Config {
    pub fn from_env() -> Result<Self, String> {
        let database_url = std::env::var("DATABASE_URL")
            .map_err(|_| "DATABASE_URL is not set: point it at the PostgreSQL database (scripts/run sets it for the embedded one)".to_owned())?;
        let owner_database_url = std::env::var("DATABASE_OWNER_URL").unwrap_or_else(|_| database_url.clone());
        let pool_size = match std::env::var("FV_DB_POOL_SIZE") {
            Ok(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=500).contains(n))
                .ok_or_else(|| format!("FV_DB_POOL_SIZE must be a whole number from 1 to 500, not {v:?}"))?,
            Err(_) => 16,
        };
        let public_origin = match std::env::var("FV_PUBLIC_ORIGIN") {
            Ok(v) if v.starts_with("http://") || v.starts_with("https://") => Some(v.trim_end_matches('/').to_owned()),
            Ok(v) if !v.is_empty() => return Err(format!("FV_PUBLIC_ORIGIN must look like https://host, not {v:?}")),
            _ => None,
        };
        Ok(Config {
            database_url,
            owner_database_url,
            pool_size,
            acquire_timeout: Duration::from_secs(5),
            public_origin,
            secure_cookies: flag("FV_COOKIE_SECURE", true)?,
            trust_proxy: flag("FV_TRUST_PROXY", false)?,
        })
    }
}
