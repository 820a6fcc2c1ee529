use leptos::config::get_configuration;
use server::cli::{self, Command};
use server::config::Config;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn")),
        )
        .init();

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
    let pool = server::connect(&config).await.map_err(|e| format!("cannot connect to the database: {e}"))?;
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
            migrate(&pool).await?;
            if demo {
                load_demo(&pool).await?;
            }
            serve(pool).await
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

async fn serve(pool: sqlx::PgPool) -> Result<(), String> {
    use axum::serve::ListenerExt;
    let conf = get_configuration(None).map_err(|e| format!("leptos configuration: {e}"))?;
    let addr = conf.leptos_options.site_addr;
    let cache = server::page_cache::PageCache::new(2_000, std::time::Duration::from_secs(60));
    server::page_cache::spawn_listener(pool.clone(), cache.clone());
    let app = server::routes::router(server::state(pool, conf.leptos_options), cache);
    let listener = tokio::net::TcpListener::bind(&addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    // Without TCP_NODELAY small static responses stall ~40 ms on keep-alive connections.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
    });
    tracing::info!("listening on http://{addr}");
    axum::serve(listener, app.into_make_service())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| format!("server error: {e}"))
}
