//! The server: configuration, the router, command-line tasks and the demo data loader. The
//! binary in main.rs only dispatches to these, so tests drive the same code.

pub mod auth;
pub mod backup;
pub mod cli;
pub mod config;
pub mod demo;
pub mod handlers;
pub mod headers;
pub mod import_upload;
pub mod live;
pub mod observe;
pub mod page_cache;
pub mod plan_upload;
pub mod plan_xlsx;
pub mod renderer;
pub mod replica;
pub mod report_files;
pub mod routes;
pub mod scale;
pub mod security;
pub mod signed_in;

use app::server::state::AppState;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

pub async fn connect(config: &config::Config, url: &str) -> Result<PgPool, sqlx::Error> {
    pool_options(config).connect(url).await
}

/// The serving pool, as the server's role: every connection carries the statement limits.
pub async fn connect_server(config: &config::Config, url: &str) -> Result<PgPool, sqlx::Error> {
    let options: PgConnectOptions = url.parse()?;
    pool_options(config).connect_with(with_statement_limits(options, config.statement_limits)).await
}

/// How the replica's connections name themselves (`pg_stat_activity.application_name` there).
pub const REPLICA_READS: &str = "forth-valley-replica-reads";

/// The read replica's pool, as the server's role with the statement limits. It connects when
/// first used, so the server starts (and reads the primary) while the replica is down; a
/// connection is waited for only briefly, since the primary can always answer instead. Each
/// connection is checked as it is lent (one empty round trip): a replica restarted leaves the
/// pool's idle connections dead, and each would otherwise fail a page before being dropped.
pub fn connect_replica(config: &config::Config, url: &str) -> Result<PgPool, sqlx::Error> {
    let options: PgConnectOptions = url.parse()?;
    Ok(pool_options(config)
        .acquire_timeout(std::time::Duration::from_millis(500))
        .test_before_acquire(true)
        .connect_lazy_with(with_statement_limits(options.application_name(REPLICA_READS), config.statement_limits)))
}

/// Sets `statement_timeout` and `lock_timeout` on each connection as it is opened (startup
/// parameters: no round trip on any request). A cancelled statement is SQLSTATE 57014 or
/// 55P03, which `AppError` answers 503 "busy".
pub fn with_statement_limits(options: PgConnectOptions, limits: config::StatementLimits) -> PgConnectOptions {
    options.options([
        ("statement_timeout", format!("{}ms", limits.statement.as_millis())),
        ("lock_timeout", format!("{}ms", limits.lock.as_millis())),
    ])
}

/// The server's pool. No ping before each use (sqlx's default `test_before_acquire`): that is
/// one more round trip on every acquire, and a connection the database dropped fails its first
/// statement instead, is discarded, and the request gets the error page (503).
pub fn pool_options(config: &config::Config) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(config.pool_size)
        .acquire_timeout(config.acquire_timeout)
        .test_before_acquire(false)
}

/// State with the safe defaults: Secure cookies, no proxy trusted, origin from Host.
pub fn state(pool: PgPool, leptos_options: leptos::config::LeptosOptions) -> AppState {
    AppState {
        leptos_options,
        pool,
        public_origin: None,
        secure_cookies: true,
        proxy_hops: 0,
        live_head: Default::default(),
        retention: Default::default(),
        two_step_required: Default::default(),
    }
}

/// Refuses to serve through a role that could read past row-level security: the server's
/// role must not be a superuser, must not bypass RLS and must own nothing.
pub async fn check_server_role(pool: &PgPool) -> Result<(), String> {
    let (name, privileged, owns): (String, bool, bool) = sqlx::query_as(
        "select current_user::text, rolsuper or rolbypassrls,
                exists (select 1 from pg_class where relowner = r.oid and relnamespace = 'public'::regnamespace)
           from pg_roles r where rolname = current_user",
    )
    .fetch_one(pool)
    .await
    .map_err(|e| format!("cannot check the database role: {e}"))?;
    if privileged || owns {
        return Err(format!(
            "DATABASE_URL connects as \"{name}\", which {} row-level security. The server must connect as a role \
             that owns no table and cannot bypass RLS (fv_app; see README); migrations use DATABASE_OWNER_URL.",
            if privileged { "can bypass" } else { "owns tables and so could switch off" }
        ));
    }
    Ok(())
}
