use leptos::config::get_configuration;
use server::cli::{self, Command};
use server::config::{Config, LogFormat};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let format = match server::config::log_format() {
        Ok(format) => format,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    match format {
        // One object per line; its spans (outermost the request's: id, method, path) on each.
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .with_current_span(false)
            .with_span_list(true)
            .with_env_filter(filter)
            .init(),
        LogFormat::Text => tracing_subscriber::fmt().with_env_filter(filter).init(),
    }

    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match cli::parse(&args) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("{message}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    match run(command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), String> {
    let config = Config::from_env()?;
    // Everything but serving runs as the owner role: migrations, the demo, operator commands.
    let pool = server::connect(&config, &config.owner_database_url)
        .await
        .map_err(|e| format!("cannot connect to the database (DATABASE_OWNER_URL): {e}"))?;
    match command {
        Command::Migrate => migrate(&pool).await,
        Command::LoadDemo => {
            migrate(&pool).await?;
            load_demo(&pool).await
        }
        Command::ImportPlan { committee, plan, title, publish, file } => {
            migrate(&pool).await?;
            let report = cli::run_import(&pool, &committee, &plan, title.as_deref(), publish, &file).await?;
            println!("{report}");
            Ok(())
        }
        Command::CreateAdmin { email, name } => {
            migrate(&pool).await?;
            println!("{}", cli::run_create_admin(&pool, &email, &name, config.public_origin.as_deref()).await?);
            Ok(())
        }
        Command::ExportCommittee { committee } => {
            migrate(&pool).await?;
            print!("{}", server::backup::run_export(&pool, &committee).await?);
            Ok(())
        }
        Command::RestoreCommittee { file } => {
            migrate(&pool).await?;
            let text = std::fs::read_to_string(&file).map_err(|e| format!("cannot read {file}: {e}"))?;
            print!("{}", server::backup::run_restore(&pool, &text, config.public_origin.as_deref()).await?);
            Ok(())
        }
        Command::ExportPlan { committee, plan } => {
            print!("{}", cli::run_export(&pool, &committee, &plan).await?);
            Ok(())
        }
        Command::SeedScale { committees, actions } => {
            migrate(&pool).await?;
            server::scale::seed(&pool, committees, actions).await.map_err(|e| format!("seeding failed: {e}"))?;
            println!("Seeded {committees} committees with {actions} actions each.");
            Ok(())
        }
        Command::Serve { demo } => {
            config.check_for_serving(demo)?;
            migrate(&pool).await?;
            if demo {
                load_demo(&pool).await?;
            }
            pool.close().await;
            let app_pool = server::connect_server(&config, &config.database_url)
                .await
                .map_err(|e| format!("cannot connect to the database (DATABASE_URL): {e}"))?;
            server::check_server_role(&app_pool).await?;
            let replica_pool = match &config.replica_url {
                Some(url) => Some(
                    server::connect_replica(&config, url)
                        .map_err(|e| format!("the read replica's address (DATABASE_REPLICA_URL): {e}"))?,
                ),
                None => None,
            };
            serve(app_pool, replica_pool, &config).await
        }
    }
}

async fn migrate(pool: &sqlx::PgPool) -> Result<(), String> {
    server::MIGRATOR.run(pool).await.map_err(|e| format!("migrations failed: {e}"))
}

async fn load_demo(pool: &sqlx::PgPool) -> Result<(), String> {
    match server::demo::load_if_empty(pool).await {
        Ok(true) => tracing::info!("demo data loaded"),
        Ok(false) => tracing::info!("database already has data; demo not loaded again"),
        Err(e) => return Err(format!("loading the demo data failed: {e}")),
    }
    Ok(())
}

async fn serve(pool: sqlx::PgPool, replica_pool: Option<sqlx::PgPool>, config: &Config) -> Result<(), String> {
    use axum::serve::ListenerExt;
    let conf = get_configuration(None).map_err(|e| format!("leptos configuration: {e}"))?;
    let addr = conf.leptos_options.site_addr;
    let cache = server::page_cache::PageCache::new(2_000, std::time::Duration::from_secs(60));
    spawn_housekeeping(pool.clone(), config.retention);
    let mut state = server::state(pool.clone(), conf.leptos_options);
    if let Some(replica_pool) = replica_pool {
        tracing::info!("anonymous pages read from the replica once it has caught up (DATABASE_REPLICA_URL)");
        cache.read_from(server::replica::Replica::new(replica_pool, pool.clone(), state.live_head.clone()));
    }
    let hub = server::live::LiveHub::new(pool, state.live_head.clone(), config.live);
    hub.spawn();
    server::page_cache::follow(hub.clone(), cache.clone());
    state.public_origin = config.public_origin.clone();
    state.secure_cookies = config.secure_cookies;
    state.proxy_hops = config.proxy_hops;
    state.retention = config.retention;
    state.two_step_required = config.two_step_required;
    if !state.secure_cookies {
        tracing::warn!("session cookies are sent without Secure (FV_COOKIE_SECURE=false): plain-HTTP development only");
    }
    let memory = server::signed_in::SignedIn::new(config.signed_in_pages);
    let metrics = server::observe::Metrics::new();
    if let Some(metrics_addr) = config.metrics_addr {
        let sources = server::observe::Sources {
            metrics: metrics.clone(),
            pool: state.pool.clone(),
            pool_max: config.pool_size,
            hub: hub.clone(),
            cache: cache.clone(),
        };
        let listener = tokio::net::TcpListener::bind(metrics_addr)
            .await
            .map_err(|e| format!("cannot listen on {metrics_addr} (FV_METRICS_ADDR): {e}"))?;
        tracing::info!("metrics at http://{metrics_addr}/metrics");
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, server::observe::metrics_router(sources)).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
    }
    let mut app = server::routes::router_observed(state, cache.clone(), hub.clone(), memory, metrics);
    if let Some(instance) = &config.instance {
        let value = axum::http::HeaderValue::from_str(instance).map_err(|e| format!("FV_INSTANCE: {e}"))?;
        app = app.layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            axum::http::HeaderName::from_static("x-fv-instance"),
            value,
        ));
    }
    let listener = tokio::net::TcpListener::bind(&addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    // Without TCP_NODELAY small static responses stall ~40 ms on keep-alive connections.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
    });
    tracing::info!("listening on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            // Open live streams would hold the shutdown forever: end them (browsers reconnect,
            // to another instance behind the balancer, and resume where they were).
            tracing::info!(streams = hub.open_streams(), "shutting down: closing live streams");
            hub.close_all();
        })
        .await
        .map_err(|e| format!("server error: {e}"))
}

/// Ctrl-C or SIGTERM (what systemd and `kill` send).
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
}

/// Every hour: removes expired sessions, old sign-in failures and change events older than
/// the retention period.
/// The sweeper: every hour (and once at start), what the retention settings no longer keep.
fn spawn_housekeeping(pool: sqlx::PgPool, keep: app::domain::retention::Retention) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            match app::server::db::housekeeping::sweep(&pool, &keep).await {
                Ok(s) => tracing::info!(
                    sessions = s.sessions,
                    sign_in_failures = s.sign_in_failures,
                    events = s.events,
                    uploads = s.uploads,
                    "retention sweep"
                ),
                Err(_) => tracing::warn!("the retention sweep failed; it runs again in an hour"),
            }
        }
    });
}
