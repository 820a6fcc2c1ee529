//! Test helpers: the real router over a fresh database (one per test, from #[sqlx::test]),
//! driven in-process, with one method per kind of request.

#![allow(dead_code)] // Each test file uses a different subset.

pub mod surface;

use app::domain::plan_csv::parse_plan_csv;
use app::server::db::import::{import_plan, NewPlan};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use tower::ServiceExt;

/// The site's own origin as the tests present it (Host and Origin headers).
pub const HOST: &str = "plans.test";
pub const ORIGIN: &str = "http://plans.test";

pub struct TestApp {
    /// Connected as the owner role (what #[sqlx::test] hands out): for setting up and checking
    /// the database behind the app's back.
    pub pool: PgPool,
    /// Connected as fv_app, the server's role, as in production: every request goes through it.
    pub app_pool: PgPool,
    pub cache: std::sync::Arc<server::page_cache::PageCache>,
    /// The instance's change hub; not following the log until `with_live_cache` or `live`.
    pub hub: std::sync::Arc<server::live::hub::LiveHub>,
    router: axum::Router,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub cache: String,
    pub content_type: String,
    pub disposition: String,
    pub location: String,
    pub cache_control: String,
    /// The session cookie the response sets ("fv_session=..."), if any, and its attributes.
    pub set_cookie: Option<String>,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestResponse {
    /// "fv_session=<id>", ready for a Cookie header.
    pub fn session_cookie(&self) -> Option<String> {
        self.set_cookie.as_deref().and_then(|c| c.split(';').next()).map(str::to_owned)
    }
}

/// How to reach `owner`'s database as the server's role.
pub fn app_options(owner: &PgPool) -> sqlx::postgres::PgConnectOptions {
    let options = owner.connect_options().as_ref().clone().username("fv_app");
    match std::env::var("FV_APP_PASSWORD") {
        Ok(password) => options.password(&password),
        Err(_) => options,
    }
}

/// A pool on the same database as `owner`, connected as the server's role.
pub fn app_pool(owner: &PgPool, max_connections: u32) -> PgPool {
    sqlx::postgres::PgPoolOptions::new().max_connections(max_connections).connect_lazy_with(app_options(owner))
}

impl TestApp {
    /// The app over `pool`'s database, with nothing loaded.
    pub fn new(pool: PgPool) -> Self {
        Self::with_pool_size(pool, 5)
    }

    /// The app with a server pool of `size` connections.
    pub fn with_pool_size(pool: PgPool, size: u32) -> Self {
        Self::configured(pool, size, |_| {})
    }

    /// The app with its state changed by `configure` (proxies, cookies, origin).
    pub fn configured(pool: PgPool, size: u32, configure: impl FnOnce(&mut app::server::state::AppState)) -> Self {
        let app_pool = app_pool(&pool, size);
        Self::over(pool, app_pool, configure)
    }

    /// The app with the server's pool given (e.g. connected through a proxy that counts).
    pub fn over(pool: PgPool, app_pool: PgPool, configure: impl FnOnce(&mut app::server::state::AppState)) -> Self {
        let options = LeptosOptions::builder().output_name("forth").site_root("target/site").build();
        // Not listening for changes, so it never serves from memory: see `with_live_cache`.
        let cache = server::page_cache::PageCache::new(100, std::time::Duration::from_secs(60));
        let mut state = server::state(app_pool.clone(), options);
        configure(&mut state);
        let hub = server::live::hub::LiveHub::new(
            app_pool.clone(),
            state.live_head.clone(),
            server::live::hub::Limits::default(),
        );
        let router = server::routes::router(state, cache.clone(), hub.clone());
        TestApp { pool, app_pool, cache, hub, router }
    }

    /// The router itself, for requests sent in parallel.
    pub fn router(&self) -> axum::Router {
        self.router.clone()
    }

    /// Starts the change hub and the page cache following it, as the server does, and waits
    /// until it listens.
    pub async fn with_live_cache(self) -> Self {
        let this = self.live().await;
        server::page_cache::follow(this.hub.clone(), this.cache.clone());
        for _ in 0..100 {
            if this.cache.is_listening() {
                return this;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the page cache did not start following changes");
    }

    /// Starts the change hub, as the server does, and waits until it listens.
    pub async fn live(self) -> Self {
        self.hub.spawn();
        for _ in 0..100 {
            if self.hub.is_connected() {
                return self;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the change hub did not connect");
    }

    /// The app over `pool` with the demo data loaded.
    pub async fn with_demo(pool: PgPool) -> Self {
        Self::with_demo_and_pool_size(pool, 5).await
    }

    pub async fn with_demo_and_pool_size(pool: PgPool, size: u32) -> Self {
        assert!(server::demo::load_if_empty(&pool).await.expect("demo loads"), "the database was empty");
        Self::with_pool_size(pool, size)
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(Request::get(path).header(header::HOST, HOST).body(Body::empty()).expect("request")).await
    }

    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> TestResponse {
        self.send(
            Request::get(path)
                .header(header::HOST, HOST)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    /// A server-function call as a script makes it (same origin, JSON-style answer).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> TestResponse {
        self.send(post_request(path, fields, cookie, false, &[])).await
    }

    /// A plain HTML form post as a browser without JavaScript makes it, from page `referer`.
    pub async fn post_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        cookie: Option<&str>,
        referer: &str,
    ) -> TestResponse {
        let referer = format!("{ORIGIN}{referer}");
        self.send(post_request(path, fields, cookie, true, &[("referer", &referer)])).await
    }

    /// A post with extra or different headers (cross-origin attempts, client addresses).
    pub async fn post_with_headers(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        cookie: Option<&str>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        self.send(post_request(path, fields, cookie, false, headers)).await
    }

    /// Signs in as `email` with the demo password; returns the session cookie.
    pub async fn sign_in(&self, email: &str) -> String {
        let response = self
            .post("/api/sign_in", &[("email", email), ("password", server::demo::DEMO_PASSWORD), ("next", "/")], None)
            .await;
        assert!(
            response.status.is_success() || response.status.is_redirection(),
            "sign in as {email}: {}",
            response.status
        );
        response.session_cookie().unwrap_or_else(|| panic!("no session cookie for {email}"))
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        read_response(self.router.clone().oneshot(request).await.expect("router answers")).await
    }
}

/// A response as the tests read it.
pub async fn read_response(response: axum::response::Response) -> TestResponse {
    let status = response.status();
    let header_text = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let content_type = header_text(header::CONTENT_TYPE);
    let disposition = header_text(header::CONTENT_DISPOSITION);
    let cache = header_text(header::HeaderName::from_static("x-page-cache"));
    let location = header_text(header::LOCATION);
    let cache_control = header_text(header::CACHE_CONTROL);
    let set_cookie = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("fv_session="))
        .map(str::to_owned);
    let headers = response.headers().clone();
    let bytes = if content_type == "text/event-stream" {
        // A live stream never ends by itself: what it sends in its first moments.
        let mut body = response.into_body();
        let mut bytes = Vec::new();
        let until = tokio::time::Instant::now() + std::time::Duration::from_millis(300);
        while let Ok(Some(frame)) = tokio::time::timeout_at(until, body.frame()).await {
            if let Ok(data) = frame.expect("body").into_data() {
                bytes.extend_from_slice(&data);
            }
        }
        axum::body::Bytes::from(bytes)
    } else {
        response.into_body().collect().await.expect("body").to_bytes()
    };
    TestResponse {
        status,
        headers,
        cache,
        content_type,
        disposition,
        location,
        cache_control,
        set_cookie,
        // Lossy: a workbook download is binary (read it with `get_raw`).
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Imports `csv` as a published plan in one transaction, as the CLI does.
pub async fn import(pool: &PgPool, committee: &str, plan: &str, csv: &str) -> Result<(), app::error::AppError> {
    let parsed = parse_plan_csv(csv.as_bytes()).expect("valid CSV");
    let mut tx = pool.begin().await?;
    import_plan(
        &mut tx,
        NewPlan {
            committee_slug: committee,
            plan_slug: plan,
            title: "Plan",
            state: app::domain::plan::PlanState::Published,
            is_sample: false,
        },
        &parsed,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A region with the given committees and no plans.
pub async fn committees(pool: &PgPool, slugs: &[&str]) {
    use app::server::db::admin::{create_committee, NewCommittee};
    use app::server::db::operator::create_region;
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
        "select schemaname || '.' || tablename from pg_tables
          where (schemaname = 'public' and tablename <> '_sqlx_migrations')
             or (schemaname = 'auth' and tablename in ('two_step', 'recovery_codes'))
          order by 1",
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

fn post_request(
    path: &str,
    fields: &[(&str, &str)],
    cookie: Option<&str>,
    as_html_form: bool,
    headers: &[(&str, &str)],
) -> Request<Body> {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields.iter()).finish();
    let mut builder = Request::post(path)
        .header(header::HOST, HOST)
        .header(header::CONTENT_LENGTH, body.len())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, if as_html_form { "text/html,application/xhtml+xml" } else { "application/json" });
    let overrides_origin =
        headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("origin") || k.eq_ignore_ascii_case("sec-fetch-site"));
    if !overrides_origin {
        builder = builder.header(header::ORIGIN, ORIGIN);
    }
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::from(body)).expect("request")
}

/// A digest of every row of every table in the schema: equal before and after means a refused
/// request changed nothing at all (not just row counts).
pub async fn database_digest(pool: &PgPool) -> String {
    let tables: Vec<String> = sqlx::query_scalar(
        "select case schemaname when 'public' then '' else schemaname || '.' end || tablename from pg_tables
          where (schemaname = 'public' and tablename <> '_sqlx_migrations')
             or (schemaname = 'auth' and tablename in ('two_step', 'recovery_codes'))
          order by 1",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    // One statement for every table: the digests run before and after each refused request.
    let sql = tables
        .iter()
        .map(|t| {
            format!(
                "select '{t}'::text, (select coalesce(md5(string_agg(x::text, '|' order by x::text)), '-') from {t} x)"
            )
        })
        .collect::<Vec<_>>()
        .join(" union all ");
    let rows: Vec<(String, String)> = sqlx::query_as(&format!("{sql} order by 1")).fetch_all(pool).await.unwrap();
    let mut digest = String::new();
    for (table, d) in rows {
        digest.push_str(&format!("{table}:{d};"));
    }
    digest
}

/// The form field that carries a plan upload's file.
pub const UPLOAD_FILE_FIELD: &str = "file";

/// The upload staged for Clackmannanshire's lead officer by [`stage_matrix_upload`]: one clean
/// action, ready to import.
pub const MATRIX_UPLOAD: &str = "5e1ec7ed-0000-4000-8000-000000000001";

/// Stages [`MATRIX_UPLOAD`] as clacks.lead@example.org would have uploaded it, behind the
/// app's back (as the owner role), so the permission matrix has an upload to preview and import.
pub async fn stage_matrix_upload(pool: &PgPool) {
    let rows = serde_json::json!([{
        "row": 2, "priority": "Leadership", "outcome_number": "1", "outcome": "", "objective_number": "1.1",
        "objective": "Members know their role", "action": "Matrix imported action", "lead": "Lead Officer",
        "timescale": "", "evidence": "", "progress": "", "status": ""
    }]);
    sqlx::query(
        "insert into plan_imports (id, committee_id, person_id, file_name, format, rows, problems, action_count)
         select $1::uuid, c.id, p.id, 'matrix.csv', 'csv', $2, '[]'::jsonb, 1
           from committees c, people p where c.slug = 'clackmannanshire' and p.email = 'clacks.lead@example.org'",
    )
    .bind(MATRIX_UPLOAD)
    .bind(rows)
    .execute(pool)
    .await
    .unwrap();
    stage_matrix_risk_uploads(pool).await;
}

/// Risk register uploads staged by [`stage_matrix_upload`]: one clean risk each, for
/// Clackmannanshire's register (by clacks.lead@example.org) and the protocols subgroup's (by
/// its chair).
pub const MATRIX_RISK_UPLOAD: &str = "5e1ec7ed-0000-4000-8000-000000000002";
pub const MATRIX_SUBGROUP_RISK_UPLOAD: &str = "5e1ec7ed-0000-4000-8000-000000000003";

async fn stage_matrix_risk_uploads(pool: &PgPool) {
    let rows = serde_json::json!([{
        "row": 2, "reference": "MX1", "title": "Matrix imported risk", "description": "", "cause": "",
        "consequence": "", "owner": "", "controls": "", "likelihood": "2", "impact": "3", "target_score": "4",
        "review_on": ""
    }]);
    sqlx::query(
        "insert into risk_imports (id, committee_id, subgroup_id, person_id, file_name, format, rows, problems,
                                   ignored_columns, risk_count)
         select $1::uuid, c.id, null::uuid, p.id, 'matrix.csv', 'csv', $3, '[]'::jsonb, '[]'::jsonb, 1
           from committees c, people p where c.slug = 'clackmannanshire' and p.email = 'clacks.lead@example.org'
         union all
         select $2::uuid, null, s.id, p.id, 'matrix.csv', 'csv', $3, '[]'::jsonb, '[]'::jsonb, 1
           from subgroups s, people p where s.slug = 'fv-policies-procedures-protocols'
                                        and p.email = 'chair.protocols@example.org'",
    )
    .bind(MATRIX_RISK_UPLOAD)
    .bind(MATRIX_SUBGROUP_RISK_UPLOAD)
    .bind(rows)
    .execute(pool)
    .await
    .unwrap();
}

/// A raw response, for bodies that are not text (workbooks).
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub bytes: Vec<u8>,
}

impl TestApp {
    /// A plan upload as a script sends it: multipart/form-data, the field named
    /// [`UPLOAD_FILE_FIELD`] as the file `plan.csv`, every other field as text.
    pub async fn post_upload(&self, path: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> TestResponse {
        let parts: Vec<(&str, Option<&str>, &[u8])> =
            fields.iter().map(|(k, v)| (*k, (*k == UPLOAD_FILE_FIELD).then_some("plan.csv"), v.as_bytes())).collect();
        self.send(multipart_request(path, &parts, cookie, None)).await
    }

    /// A file form posted by a browser without JavaScript from page `referer`: `file` is
    /// (file name, bytes), sent in the field [`UPLOAD_FILE_FIELD`].
    pub async fn post_file_form(
        &self,
        path: &str,
        file: (&str, &[u8]),
        cookie: Option<&str>,
        referer: &str,
    ) -> TestResponse {
        let parts = [(UPLOAD_FILE_FIELD, Some(file.0), file.1)];
        self.send(multipart_request(path, &parts, cookie, Some(referer))).await
    }

    /// A GET whose answer is kept as bytes.
    pub async fn get_raw(&self, path: &str, cookie: Option<&str>) -> RawResponse {
        let mut builder = Request::get(path).header(header::HOST, HOST);
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        let response =
            self.router.clone().oneshot(builder.body(Body::empty()).expect("request")).await.expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes().to_vec();
        RawResponse { status, headers, bytes }
    }
}

/// A multipart/form-data post of `parts` (name, file name if a file, content). With a
/// `referer` it is a browser's plain form post (Accept: text/html), otherwise a script's.
fn multipart_request(
    path: &str,
    parts: &[(&str, Option<&str>, &[u8])],
    cookie: Option<&str>,
    referer: Option<&str>,
) -> Request<Body> {
    const BOUNDARY: &str = "----forth-valley-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, file_name, content) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match file_name {
            Some(file_name) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let mut builder = Request::post(path)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_LENGTH, body.len())
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"));
    builder = match referer {
        Some(referer) => builder
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::REFERER, format!("{ORIGIN}{referer}")),
        None => builder.header(header::ACCEPT, "application/json"),
    };
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::from(body)).expect("request")
}

/// Drops a database copy once its last connection has gone (closing a pool ends its
/// connections asynchronously on the server side).
pub async fn drop_database(master: &PgPool, name: &str) {
    for _ in 0..100 {
        if sqlx::query(&format!("drop database if exists \"{name}\" with (force)")).execute(master).await.is_ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("could not drop {name}");
}
