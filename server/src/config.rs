//! Typed configuration, read once at start from the environment. Nothing secret has a default.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// The server's role: owns nothing, cannot bypass row-level security.
    pub database_url: String,
    /// The owner role, for migrations, the demo loader and operator commands.
    pub owner_database_url: String,
    /// A streaming replica of the database, as the server's role (DATABASE_REPLICA_URL):
    /// anonymous pages read from it once it has replayed what they must show (`replica`).
    pub replica_url: Option<String>,
    pub pool_size: u32,
    pub acquire_timeout: Duration,
    /// The longest any one statement of the server's, and any wait for a lock, may take.
    pub statement_limits: StatementLimits,
    pub public_origin: Option<String>,
    pub secure_cookies: bool,
    /// Proxies in front that add to X-Forwarded-For; 0 when none is trusted.
    pub proxy_hops: usize,
    /// Open live streams: at most this many per instance and per client address.
    pub live: crate::live::Limits,
    /// This instance's name behind a load balancer (FV_INSTANCE), sent as `x-fv-instance` so
    /// an operator (and the tests) can tell which instance answered.
    pub instance: Option<String>,
    /// Pages remembered per instance for signed-in people (`signed_in`); 0 renders every one.
    pub signed_in_pages: usize,
    /// Where Prometheus scrapes `/metrics` (FV_METRICS_ADDR); none when unset. Never the
    /// public listener: metrics name routes and load, which are for the operator.
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// Session lifetimes and what the sweeper keeps (FV_SESSION_*, FV_RETAIN_*).
    pub retention: app::domain::retention::Retention,
    /// Who two-step sign-in is required of, platform-wide (FV_TWO_STEP_REQUIRED).
    pub two_step_required: app::domain::two_step::PlatformRequirement,
}

/// Bounds on the server role's statements (FV_DB_STATEMENT_SECONDS, default 10, and
/// FV_DB_LOCK_SECONDS, default 3): a query held up by a lock, or slow for any reason, is
/// cancelled by PostgreSQL and its request answered 503 "busy", so a slow database holds a
/// connection for a bounded time and the pool cannot stay drained by waiting requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementLimits {
    pub statement: Duration,
    pub lock: Duration,
}

impl Default for StatementLimits {
    fn default() -> Self {
        StatementLimits { statement: Duration::from_secs(10), lock: Duration::from_secs(3) }
    }
}

fn statement_limits(statement: Option<String>, lock: Option<String>) -> Result<StatementLimits, String> {
    let seconds = |name: &str, value: Option<String>, default: Duration, max: u64| match value {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .map(Duration::from_secs)
            .ok_or_else(|| format!("{name} must be a whole number of seconds from 1 to {max}, not {v:?}")),
    };
    let defaults = StatementLimits::default();
    let limits = StatementLimits {
        statement: seconds("FV_DB_STATEMENT_SECONDS", statement, defaults.statement, 600)?,
        lock: seconds("FV_DB_LOCK_SECONDS", lock, defaults.lock, 600)?,
    };
    if limits.lock > limits.statement {
        return Err(format!(
            "FV_DB_LOCK_SECONDS ({}) may not be longer than FV_DB_STATEMENT_SECONDS ({}): a statement waiting on a lock \
             is cancelled at the statement limit anyway",
            limits.lock.as_secs(),
            limits.statement.as_secs()
        ));
    }
    Ok(limits)
}

/// How log lines are written (FV_LOG_FORMAT): one JSON object per line (the default, for a log
/// collector), or plain text for a person at a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Text,
}

pub fn log_format() -> Result<LogFormat, String> {
    match std::env::var("FV_LOG_FORMAT") {
        Err(_) => Ok(LogFormat::Json),
        Ok(v) => match v.trim().to_ascii_lowercase().as_str() {
            "json" => Ok(LogFormat::Json),
            "text" => Ok(LogFormat::Text),
            _ => Err(format!("FV_LOG_FORMAT must be json or text, not {v:?}")),
        },
    }
}

fn metrics_addr(value: Option<String>) -> Result<Option<std::net::SocketAddr>, String> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            format!("FV_METRICS_ADDR must be an address and port to listen on, e.g. 127.0.0.1:9464, not {v:?}")
        }),
    }
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

/// DATABASE_REPLICA_URL: unset or empty for none; otherwise a PostgreSQL address.
fn replica_url(value: Option<String>) -> Result<Option<String>, String> {
    match value.map(|v| v.trim().to_owned()) {
        None => Ok(None),
        Some(v) if v.is_empty() => Ok(None),
        Some(v) if v.starts_with("postgres://") || v.starts_with("postgresql://") => Ok(Some(v)),
        Some(_) => Err("DATABASE_REPLICA_URL must be a postgres:// address of the replica".into()),
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
        let signed_in_pages = match std::env::var("FV_SIGNED_IN_PAGES") {
            Ok(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= 100_000)
                .ok_or_else(|| format!("FV_SIGNED_IN_PAGES must be a whole number from 0 to 100000, not {v:?}"))?,
            Err(_) => 2_000,
        };
        Ok(Config {
            metrics_addr: metrics_addr(std::env::var("FV_METRICS_ADDR").ok())?,
            retention: app::domain::retention::Retention::from_vars(|name| std::env::var(name).ok())?,
            two_step_required: app::domain::two_step::PlatformRequirement::from_var(
                std::env::var(app::domain::two_step::REQUIREMENT_VAR).ok().as_deref(),
            )?,
            signed_in_pages,
            database_url,
            owner_database_url,
            replica_url: replica_url(std::env::var("DATABASE_REPLICA_URL").ok())?,
            pool_size,
            acquire_timeout: acquire_timeout(std::env::var("FV_DB_ACQUIRE_SECONDS").ok())?,
            statement_limits: statement_limits(
                std::env::var("FV_DB_STATEMENT_SECONDS").ok(),
                std::env::var("FV_DB_LOCK_SECONDS").ok(),
            )?,
            public_origin,
            secure_cookies: flag("FV_COOKIE_SECURE", true)?,
            proxy_hops: proxy_hops(flag("FV_TRUST_PROXY", false)?, std::env::var("FV_PROXY_HOPS").ok())?,
            live: live_limits()?,
            instance: match std::env::var("FV_INSTANCE") {
                Ok(v) if v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && (1..=32).contains(&v.len()) => {
                    Some(v)
                }
                Ok(v) if !v.is_empty() => {
                    return Err(format!("FV_INSTANCE must be a short name (letters, digits, -), not {v:?}"))
                }
                _ => None,
            },
        })
    }

    /// What serving needs beyond the rest: outside demo mode, the public origin, since links
    /// people are given (one-time sign-in links) must not be built from whatever Host a
    /// request names.
    pub fn check_for_serving(&self, demo: bool) -> Result<(), String> {
        if self.public_origin.is_none() && !demo {
            return Err("FV_PUBLIC_ORIGIN is not set: give the address people use to reach the site, e.g. \
                        https://plans.forthvalley.example (only `serve --demo` may go without it)"
                .into());
        }
        Ok(())
    }
}

fn count(name: &str, default: usize, max: usize) -> Result<usize, String> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(v) => v
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| format!("{name} must be a whole number from 1 to {max}, not {v:?}")),
    }
}

/// FV_LIVE_MAX_STREAMS (default 20,000) and FV_LIVE_PER_ADDRESS (default 500: a council's
/// offices may reach the site from one address).
/// How long a request waits for a database connection before it is answered 503 "busy"
/// (FV_DB_ACQUIRE_SECONDS, default 2): also the longest a page takes to say so while the
/// database is down, since connecting is retried until then.
fn acquire_timeout(value: Option<String>) -> Result<Duration, String> {
    match value {
        None => Ok(Duration::from_secs(2)),
        Some(v) => {
            v.trim().parse::<u64>().ok().filter(|n| (1..=30).contains(n)).map(Duration::from_secs).ok_or_else(|| {
                format!("FV_DB_ACQUIRE_SECONDS must be a whole number of seconds from 1 to 30, not {v:?}")
            })
        }
    }
}

fn live_limits() -> Result<crate::live::Limits, String> {
    let defaults = crate::live::Limits::default();
    Ok(crate::live::Limits {
        max_streams: count("FV_LIVE_MAX_STREAMS", defaults.max_streams, 1_000_000)?,
        per_address: count("FV_LIVE_PER_ADDRESS", defaults.per_address, 1_000_000)?,
        ..defaults
    })
}

/// FV_TRUST_PROXY=true trusts one proxy; FV_PROXY_HOPS=n says how many there are.
fn proxy_hops(trust: bool, hops: Option<String>) -> Result<usize, String> {
    match hops {
        None => Ok(usize::from(trust)),
        Some(v) => v
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= 10)
            .ok_or_else(|| format!("FV_PROXY_HOPS must be a whole number from 0 to 10, not {v:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(public_origin: Option<&str>) -> Config {
        Config {
            database_url: String::new(),
            owner_database_url: String::new(),
            replica_url: None,
            pool_size: 1,
            acquire_timeout: Duration::from_secs(1),
            statement_limits: Default::default(),
            public_origin: public_origin.map(str::to_owned),
            secure_cookies: true,
            proxy_hops: 0,
            live: crate::live::Limits::default(),
            instance: None,
            signed_in_pages: 2_000,
            metrics_addr: None,
            retention: Default::default(),
            two_step_required: Default::default(),
        }
    }

    #[test]
    fn the_wait_for_a_connection_is_short_and_bounded() {
        assert_eq!(acquire_timeout(None), Ok(Duration::from_secs(2)));
        assert_eq!(acquire_timeout(Some(" 5 ".into())), Ok(Duration::from_secs(5)));
        for bad in ["0", "31", "2.5", "soon"] {
            assert!(acquire_timeout(Some(bad.into())).unwrap_err().contains("FV_DB_ACQUIRE_SECONDS"), "{bad}");
        }
    }

    #[test]
    fn a_replica_is_optional_and_must_be_a_postgres_address() {
        assert_eq!(replica_url(None), Ok(None));
        assert_eq!(replica_url(Some(" ".into())), Ok(None));
        let url = "postgres://fv_app:x@127.0.0.1:5433/forth_valley";
        assert_eq!(replica_url(Some(url.into())), Ok(Some(url.into())));
        // The message never repeats the value: it may carry a password.
        let error = replica_url(Some("mysql://fv_app:secret@db/x".into())).unwrap_err();
        assert!(error.contains("DATABASE_REPLICA_URL") && !error.contains("secret"), "{error}");
    }

    #[test]
    fn statements_and_lock_waits_are_bounded() {
        assert_eq!(statement_limits(None, None), Ok(StatementLimits::default()));
        assert_eq!(
            statement_limits(Some("30".into()), Some(" 5 ".into())),
            Ok(StatementLimits { statement: Duration::from_secs(30), lock: Duration::from_secs(5) })
        );
        assert!(statement_limits(Some("0".into()), None).unwrap_err().contains("FV_DB_STATEMENT_SECONDS"));
        assert!(statement_limits(None, Some("soon".into())).unwrap_err().contains("FV_DB_LOCK_SECONDS"));
        assert!(statement_limits(Some("2".into()), None).unwrap_err().contains("may not be longer"));
    }

    #[test]
    fn the_metrics_address_is_an_address_or_nothing() {
        assert_eq!(metrics_addr(None), Ok(None));
        assert_eq!(metrics_addr(Some(" ".into())), Ok(None));
        assert_eq!(metrics_addr(Some("127.0.0.1:9464".into())).unwrap().unwrap().port(), 9464);
        assert!(metrics_addr(Some("localhost".into())).unwrap_err().contains("FV_METRICS_ADDR"));
    }

    #[test]
    fn serving_outside_demo_mode_needs_the_public_origin() {
        assert!(config(None).check_for_serving(false).unwrap_err().contains("FV_PUBLIC_ORIGIN"));
        assert!(config(None).check_for_serving(true).is_ok());
        assert!(config(Some("https://plans.example.org")).check_for_serving(false).is_ok());
    }

    #[test]
    fn proxy_hops_come_from_trust_or_a_count() {
        assert_eq!(proxy_hops(false, None), Ok(0));
        assert_eq!(proxy_hops(true, None), Ok(1));
        assert_eq!(proxy_hops(true, Some("2".into())), Ok(2));
        assert!(proxy_hops(false, Some("many".into())).is_err());
        assert!(proxy_hops(false, Some("11".into())).is_err());
    }
}
