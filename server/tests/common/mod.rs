//! Test helpers: the real router over a fresh database (one per test, from #[sqlx::test]),
//! driven in-process, with one method per kind of request.

#![allow(dead_code)] // Each test file uses a different subset.

use app::domain::plan_csv::parse_plan_csv;
use app::server::db::import::{import_plan, NewPlan};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use tower::ServiceExt;

pub struct TestApp {
    pub pool: PgPool,
    pub cache: std::sync::Arc<server::page_cache::PageCache>,
    router: axum::Router,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub cache: String,
    pub content_type: String,
    pub disposition: String,
    pub body: String,
}

impl TestApp {
    /// The app over `pool`, with nothing loaded.
    pub fn new(pool: PgPool) -> Self {
        let options = LeptosOptions::builder().output_name("forth").site_root("target/site").build();
        // Not listening for changes, so it never serves from memory: see `with_live_cache`.
        let cache = server::page_cache::PageCache::new(100, std::time::Duration::from_secs(60));
        let router = server::routes::router(server::state(pool.clone(), options), cache.clone());
        TestApp { pool, cache, router }
    }

    /// Starts the change listener, as the server does, and waits until it listens.
    pub async fn with_live_cache(self) -> Self {
        server::page_cache::spawn_listener(self.pool.clone(), self.cache.clone());
        for _ in 0..100 {
            if self.cache.is_listening() {
                return self;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the change listener did not start");
    }

    /// The app over `pool` with the demo data loaded.
    pub async fn with_demo(pool: PgPool) -> Self {
        assert!(server::demo::load_if_empty(&pool).await.expect("demo loads"), "the database was empty");
        Self::new(pool)
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(Request::get(path).body(Body::empty()).expect("request")).await
    }

    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> TestResponse {
        self.send(Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).expect("request")).await
    }

    async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.expect("router answers");
        let status = response.status();
        let header_text =
            |name| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let content_type = header_text(header::CONTENT_TYPE);
        let disposition = header_text(header::CONTENT_DISPOSITION);
        let cache = header_text(header::HeaderName::from_static("x-page-cache"));
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        TestResponse {
            status,
            cache,
            content_type,
            disposition,
            body: String::from_utf8(bytes.to_vec()).expect("UTF-8 body"),
        }
    }
}

/// Imports `csv` as a published plan in one transaction, as the CLI does.
pub async fn import(pool: &PgPool, committee: &str, plan: &str, csv: &str) -> Result<(), app::error::AppError> {
    let parsed = parse_plan_csv(csv.as_bytes()).expect("valid CSV");
    let mut tx = pool.begin().await?;
    import_plan(
        &mut tx,
        NewPlan { committee_slug: committee, plan_slug: plan, title: "Plan", state: "published", is_sample: false },
        &parsed,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A region with the given committees and no plans.
pub async fn committees(pool: &PgPool, slugs: &[&str]) {
    use app::server::db::admin::{create_committee, create_region, NewCommittee};
    let mut tx = pool.begin().await.unwrap();
    let region = create_region(&mut tx, "forth-valley", "Forth Valley").await.unwrap();
    for slug in slugs {
        create_committee(
            &mut tx,
            NewCommittee {
                region_id: region,
                slug,
                name: slug,
                short_name: slug,
                council_areas: &[],
                cog_name: "",
                is_sample: false,
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// Rows in every table of the schema, to show that a refused operation changed nothing.
pub async fn table_sizes(pool: &PgPool) -> Vec<(String, i64)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "select tablename::text from pg_tables where schemaname = 'public' and tablename <> '_sqlx_migrations' order by 1",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut sizes = Vec::new();
    for table in tables {
        let n: i64 = sqlx::query_scalar(&format!("select count(*) from {table}")).fetch_one(pool).await.unwrap();
        sizes.push((table, n));
    }
    sizes
}

/// The Clackmannanshire rows whose progress report the source gives as "Complete".
pub fn source_complete_count() -> usize {
    let plan = parse_plan_csv(server::demo::CLACKMANNANSHIRE_CSV.as_bytes()).unwrap();
    plan.priorities
        .iter()
        .flat_map(|p| &p.outcomes)
        .flat_map(|o| &o.objectives)
        .flat_map(|o| &o.actions)
        .filter(|a| a.progress == "Complete")
        .count()
}
