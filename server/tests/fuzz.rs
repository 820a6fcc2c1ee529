//! Property-based fuzzing of every server function and the plan upload route, through the
//! real router over a real database: each gets 200 requests made from its real fields by
//! dropping, duplicating and replacing them with random, oversized and malformed values, sent
//! as an anonymous visitor and as people with rights. Whatever arrives, the server never
//! answers 5xx or panics, never shows internal detail, and a refused request (4xx) changes
//! nothing in the database. Seeded, so a failure reproduces; proptest shrinks it to the
//! smallest request that still fails.

mod common;

use common::surface::{entries, setup_targets, Actor, Kind};
use common::{database_digest, drop_database, TestApp, UPLOAD_FILE_FIELD};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestCaseError, TestRng, TestRunner};
use sqlx::PgPool;
use std::sync::Arc;

const CASES: u32 = 200;
const SEED: u64 = 20_261_201;
const ACTORS: [Actor; 4] = [Actor::Anonymous, Actor::ClackLead, Actor::ProtocolsChair, Actor::Admin];

/// What answers may never contain: signs of internals reaching the client.
const INTERNALS: [&str; 9] = [
    "sqlx",
    "SQLSTATE",
    "PgDatabaseError",
    "error returned from database",
    "panicked",
    "stack backtrace",
    "RUST_BACKTRACE",
    "src/server/",
    "violates",
];

#[derive(Clone)]
enum Change {
    Keep,
    Replace(String),
    Drop,
    Twice(String),
}

/// Values a field might receive from a careless script or a hostile one.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ -~]{0,40}",
        "\\PC{0,60}",
        any::<String>(),
        "[a-z0-9-]{1,30}",
        "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        "-?[0-9]{1,12}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        (1usize..3).prop_map(|n| "\0".repeat(n)),
        prop_oneof![Just(9_000usize), Just(100_001), 1usize..120_000].prop_map(|n| "é".repeat(n / 2)),
        Just("=HYPERLINK(\"https://evil.example\")".to_owned()),
        Just("clackmannanshire".to_owned()),
        Just("2025-27".to_owned()),
        Just("../../etc/passwd".to_owned()),
        Just("<script>alert(1)</script>".to_owned()),
    ]
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        3 => Just(Change::Keep),
        6 => value().prop_map(Change::Replace),
        1 => Just(Change::Drop),
        1 => value().prop_map(Change::Twice),
    ]
}

/// A file a lead officer might upload: text shaped like the plan format with random cells, or
/// anything at all.
fn file() -> impl Strategy<Value = String> {
    let cell = prop_oneof!["[ -~]{0,12}", "\\PC{0,20}", any::<String>(), Just("1.1".to_owned())];
    prop_oneof![
        prop::collection::vec(prop::collection::vec(cell, 11), 0..6).prop_map(|rows| {
            let mut text = app::domain::plan_csv::COLUMNS.join(",");
            for row in rows {
                text.push_str("\r\n");
                text.push_str(
                    &row.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>().join(","),
                );
            }
            text
        }),
        any::<String>(),
        Just("PK\u{3}\u{4}not really a workbook".to_owned()),
    ]
}

/// Long values are shown by their length and start, so a failure's report stays readable.
fn shown(value: &str) -> String {
    if value.chars().count() > 80 {
        format!("{:?}… ({} characters)", value.chars().take(40).collect::<String>(), value.chars().count())
    } else {
        format!("{value:?}")
    }
}

impl std::fmt::Debug for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Keep => write!(f, "Keep"),
            Change::Drop => write!(f, "Drop"),
            Change::Replace(v) => write!(f, "Replace({})", shown(v)),
            Change::Twice(v) => write!(f, "Twice({})", shown(v)),
        }
    }
}

#[derive(Clone)]
struct Case {
    actor: usize,
    changes: Vec<Change>,
    extra: Option<(String, String)>,
    file: String,
}

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Case")
            .field("actor", &ACTORS[self.actor])
            .field("changes", &self.changes)
            .field("extra", &self.extra.as_ref().map(|(k, v)| format!("{k}={}", shown(v))))
            .field("file", &shown(&self.file))
            .finish()
    }
}

fn case(fields: usize) -> impl Strategy<Value = Case> {
    (0..ACTORS.len(), prop::collection::vec(change(), fields), prop::option::of(("[a-z_]{1,12}", value())), file())
        .prop_map(|(actor, changes, extra, file)| Case { actor, changes, extra, file })
}

/// The request's fields after the case's changes.
fn fields_of(original: &[(&'static str, String)], case: &Case, upload: bool) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for ((name, value), change) in original.iter().zip(&case.changes) {
        match change {
            Change::Keep => fields.push((name.to_string(), value.clone())),
            Change::Replace(v) => fields.push((name.to_string(), v.clone())),
            Change::Drop => {}
            Change::Twice(v) => {
                fields.push((name.to_string(), value.clone()));
                fields.push((name.to_string(), v.clone()));
            }
        }
    }
    if upload {
        fields.retain(|(name, _)| name != UPLOAD_FILE_FIELD);
        fields.push((UPLOAD_FILE_FIELD.to_owned(), case.file.clone()));
    }
    if let Some((name, value)) = &case.extra {
        fields.push((name.clone(), value.clone()));
    }
    fields
}

#[sqlx::test(migrations = "../migrations")]
async fn no_request_to_any_server_function_or_the_upload_route_answers_5xx_or_changes_what_it_refused(pool: PgPool) {
    // The demo, the people signed in once (sessions are rows, so they carry into the copies),
    // and the ids the requests replay: the template every function's fuzzing starts from.
    let app = TestApp::with_demo(pool.clone()).await;
    let mut cookies = Vec::new();
    for actor in ACTORS {
        cookies.push(match actor.email() {
            Some(email) => Some(app.sign_in(email).await),
            None => None,
        });
    }
    let targets = Arc::new(setup_targets(&app.pool).await);
    let template: String = sqlx::query_scalar("select current_database()::text").fetch_one(&app.pool).await.unwrap();
    app.app_pool.close().await;
    app.pool.close().await;
    let master_options = pool.connect_options().as_ref().clone().database("postgres");
    pool.close().await;
    let master =
        sqlx::postgres::PgPoolOptions::new().max_connections(1).connect_with(master_options.clone()).await.unwrap();

    let functions: Vec<_> = entries().into_iter().filter(|e| e.kind != Kind::Page).collect();
    let cookies = Arc::new(cookies);
    let mut fuzzed = 0;
    for (n, entry) in functions.iter().enumerate() {
        // Each function on a copy of its own, so one's accepted changes never colour another's.
        let copy = format!("fv_fuzz_{}_{n}", std::process::id());
        sqlx::query(&format!("create database \"{copy}\" template \"{template}\"")).execute(&master).await.unwrap();
        let owner = sqlx::postgres::PgPoolOptions::new()
            .max_connections(2)
            .connect_with(master_options.clone().database(&copy))
            .await
            .unwrap();
        let app = Arc::new(TestApp::new(owner.clone()));
        let (path, original) = (entry.request)(&targets, Actor::ClackLead);
        let upload = original.iter().any(|(k, _)| *k == UPLOAD_FILE_FIELD);
        let key = entry.key;
        let handle = tokio::runtime::Handle::current();
        let (app2, cookies2) = (app.clone(), cookies.clone());
        let result = tokio::task::spawn_blocking(move || {
            let config = Config {
                cases: CASES,
                rng_algorithm: RngAlgorithm::ChaCha,
                rng_seed: RngSeed::Fixed(SEED),
                failure_persistence: None,
                max_shrink_iters: 200,
                ..Config::default()
            };
            let mut seed = [0u8; 32];
            seed[..8].copy_from_slice(&SEED.to_le_bytes());
            seed[8..16].copy_from_slice(&(n as u64).to_le_bytes());
            let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
            let baseline = std::sync::Mutex::new(handle.block_on(database_digest(&app2.pool)));
            runner
                .run(&case(original.len()), |case| {
                    handle.block_on(async {
                        let fields = fields_of(&original, &case, upload);
                        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                        let cookie = cookies2[case.actor].as_deref();
                        let response = if upload {
                            app2.post_upload(&path, &refs, cookie).await
                        } else {
                            app2.post(&path, &refs, cookie).await
                        };
                        let status = response.status;
                        prop_assert!(!status.is_server_error(), "{key} answered {status}: {:.300}", response.body);
                        for sign in INTERNALS {
                            prop_assert!(
                                !response.body.contains(sign),
                                "{key} showed {sign:?}: {:.300}",
                                response.body
                            );
                        }
                        let digest = database_digest(&app2.pool).await;
                        let mut baseline = baseline.lock().unwrap_or_else(|e| e.into_inner());
                        if status.is_client_error() {
                            prop_assert_eq!(
                                &digest,
                                &*baseline,
                                "{} refused with {} but changed the database",
                                key,
                                status
                            );
                        } else {
                            *baseline = digest;
                        }
                        Ok::<(), TestCaseError>(())
                    })
                })
                .map_err(|failure| failure.to_string())
        })
        .await
        .unwrap();
        if let Err(failure) = result {
            panic!("fuzzing {key}: {failure}");
        }
        fuzzed += 1;
        app.app_pool.close().await;
        owner.close().await;
        drop(app);
        drop_database(&master, &copy).await;
    }
    assert!(fuzzed >= 40, "only {fuzzed} functions were fuzzed");
}
