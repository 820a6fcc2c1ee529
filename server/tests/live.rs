//! Live status: change events from the database reach every open stream that may see them,
//! on every instance, in one order, without gaps, and never reach anyone who may not.
//! Real router, real hub (LISTEN connection), fresh database per test.

mod common;

use app::domain::live::Position;
use app::server::authz;
use app::server::db;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{TestApp, HOST};
use http_body_util::BodyExt;
use serde_json::Value;
use sqlx::PgPool;
use std::time::Duration;
use tower::ServiceExt;
use uuid::Uuid;

/// One event as a browser's EventSource would hand it over.
#[derive(Debug)]
struct Event {
    id: Option<String>,
    name: Option<String>,
    data: Value,
}

impl Event {
    fn object(&self) -> Option<Uuid> {
        self.data.get("object").and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok())
    }
    fn kind(&self) -> &str {
        self.data.get("kind").and_then(Value::as_str).unwrap_or_default()
    }
}

/// An open `/live` response, read frame by frame.
struct Stream {
    body: Body,
    buffer: String,
}

impl Stream {
    async fn open(app: &TestApp, query: &str, cookie: Option<&str>, last_event_id: Option<&str>) -> Stream {
        let mut request = Request::get(format!("/live{query}")).header(header::HOST, HOST);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = app.router().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "/live{query} opens");
        assert_eq!(response.headers()[header::CONTENT_TYPE], "text/event-stream");
        Stream { body: response.into_body(), buffer: String::new() }
    }

    /// The next event within `within`, skipping heartbeats and the retry line; `None` when
    /// none came, `Some(Err)` when the stream ended.
    async fn next(&mut self, within: Duration) -> Option<Result<Event, ()>> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = Event { id: None, name: None, data: Value::Null };
                let mut any = false;
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id: ") {
                        event.id = Some(v.to_owned());
                    } else if let Some(v) = line.strip_prefix("event: ") {
                        event.name = Some(v.to_owned());
                        any = true;
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        event.data = serde_json::from_str(v).expect("data is JSON");
                        any = true;
                    }
                }
                if any {
                    return Some(Ok(event));
                }
            }
            let frame = match tokio::time::timeout_at(deadline, self.body.frame()).await {
                Err(_) => return None,
                Ok(None) => return Some(Err(())),
                Ok(Some(frame)) => frame.expect("the stream reads"),
            };
            if let Ok(data) = frame.into_data() {
                self.buffer.push_str(std::str::from_utf8(&data).expect("UTF-8"));
            }
        }
    }

    /// The next event; fails the test if none comes within 10 s.
    async fn expect(&mut self, what: &str) -> Event {
        match self.next(Duration::from_secs(10)).await {
            Some(Ok(event)) => event,
            Some(Err(())) => panic!("the stream ended before {what}"),
            None => panic!("no event for {what} within 10 s"),
        }
    }

    /// Events until one about `object`, which must come within 10 s; returns it and those before.
    async fn until(&mut self, object: Uuid, what: &str) -> (Event, Vec<Event>) {
        let mut before = Vec::new();
        loop {
            let event = self.expect(what).await;
            if event.object() == Some(object) {
                return (event, before);
            }
            before.push(event);
        }
    }

    /// Whether the stream ends within `within`.
    async fn ends_within(&mut self, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.body.frame()).await {
                Err(_) => return false,
                Ok(None) => return true,
                Ok(Some(_)) => {}
            }
        }
    }
}

/// Changes an action behind the app's back, as any writer would: the triggers announce it.
async fn touch(pool: &PgPool, action: Uuid, progress: &str) {
    sqlx::query!("update actions set progress = $2, version = version + 1 where id = $1", action, progress)
        .execute(pool)
        .await
        .unwrap();
}

/// An action only Clackmannanshire's members may read (on the unpublished next plan alone).
async fn private_action(pool: &PgPool) -> Uuid {
    sqlx::query_scalar!(
        r#"select a.id from actions a join plan_actions pa on pa.action_id = a.id join plans p on p.id = pa.plan_id
            where p.status = 'draft' and not exists (
                select 1 from plan_actions pb join plans q on q.id = pb.plan_id
                 where pb.action_id = a.id and q.status = 'published')
            order by a.id limit 1"#
    )
    .fetch_one(pool)
    .await
    .expect("the demo has a draft-only action")
}

/// An action on Clackmannanshire's published plan.
async fn public_action(pool: &PgPool) -> (Uuid, i32) {
    let row = sqlx::query!(
        r#"select a.id, a.version from actions a join plan_actions pa on pa.action_id = a.id
            join plans p on p.id = pa.plan_id join committees c on c.id = p.committee_id
            where c.slug = 'clackmannanshire' and p.status = 'published' and a.owner_committee_id = c.id
            order by a.id limit 1"#
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (row.id, row.version)
}

async fn demo_app(pool: PgPool) -> TestApp {
    TestApp::with_demo(pool).await.live().await
}

#[sqlx::test(migrations = "../migrations")]
async fn a_change_through_one_instance_reaches_a_stream_of_the_other(pool: PgPool) {
    let a = demo_app(pool.clone()).await;
    let b = TestApp::new(pool.clone()).live().await;
    let mut anonymous_on_b = Stream::open(&b, "", None, None).await;
    let (action, version) = public_action(&pool).await;
    let lead = a.sign_in("clacks.lead@example.org").await;
    let fields = [
        ("action", action.to_string()),
        ("version", version.to_string()),
        ("status", "A".to_owned()),
        ("progress", "Delayed by the inspection".to_owned()),
        ("evidence", String::new()),
        ("revised_timescale", String::new()),
        ("revision_reason", String::new()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = a.post("/api/update_action", &fields, Some(&lead)).await;
    assert!(saved.status.is_success(), "{} {}", saved.status, saved.body);
    let (event, _) = anonymous_on_b.until(action, "the update made through instance a").await;
    assert_eq!(event.kind(), "action");
    // A published action's event carries what the page shows, so no page is fetched again.
    assert_eq!(event.data["action"]["status"], "A");
    assert_eq!(event.data["action"]["progress"], "Delayed by the inspection");
    assert_eq!(event.data["version"], version + 1);
    let counts = event.data["counts"].as_object().expect("the plan's counts");
    assert_eq!(counts.len(), 1, "the one published plan that shows it: {counts:?}");
    assert!(Position::parse(event.id.as_deref().unwrap()).is_some());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_listener_whose_backend_is_terminated_recovers_and_its_streams_catch_up(pool: PgPool) {
    let app = demo_app(pool.clone()).await;
    let mut stream = Stream::open(&app, "", None, None).await;
    let (action, _) = public_action(&pool).await;
    let killed: i64 = sqlx::query_scalar!(
        r#"select count(pg_terminate_backend(pid)) as "n!" from pg_stat_activity
            where datname = current_database() and query ilike 'listen%'"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(killed, 1, "one listener for this database");
    // Made while the hub has no listener: no notification reaches anyone.
    touch(&pool, action, "Made while the listener was away").await;
    let (event, _) = stream.until(action, "the change made during the outage").await;
    assert_eq!(event.data["action"]["progress"], "Made while the listener was away");
    for _ in 0..100 {
        if app.hub.is_connected() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(app.hub.is_connected(), "the hub listens again");
    let relistening: i64 = sqlx::query_scalar!(
        r#"select count(*) as "n!" from pg_stat_activity where datname = current_database() and query ilike 'listen%'"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(relistening, 1);
    touch(&pool, action, "After the reconnect").await;
    let (event, _) = stream.until(action, "a change after the reconnect").await;
    assert_eq!(event.data["action"]["progress"], "After the reconnect");
}

#[sqlx::test(migrations = "../migrations")]
async fn resuming_with_last_event_id_replays_exactly_what_was_missed(pool: PgPool) {
    let app = demo_app(pool.clone()).await;
    let (action, _) = public_action(&pool).await;
    let mut first = Stream::open(&app, "", None, None).await;
    touch(&pool, action, "one").await;
    let (seen, _) = first.until(action, "the first change").await;
    let resume_from = seen.id.clone().unwrap();
    drop(first);
    for progress in ["two", "three", "four"] {
        touch(&pool, action, progress).await;
    }
    let mut resumed = Stream::open(&app, "", None, Some(&resume_from)).await;
    for progress in ["two", "three", "four"] {
        let (event, _) = resumed.until(action, progress).await;
        assert_eq!(event.data["action"]["progress"], progress, "in order, none skipped");
    }
    // Nothing is sent twice: the next event is the next change.
    touch(&pool, action, "five").await;
    let (event, _) = resumed.until(action, "five").await;
    assert_eq!(event.data["action"]["progress"], "five");
    // `after` (the page's position) works the same way, and Last-Event-ID wins over it.
    let mut from_page = Stream::open(&app, &format!("?after={resume_from}"), None, None).await;
    let two = from_page.until(action, "two").await.0;
    assert_eq!(two.data["action"]["progress"], "two");
    let mut both = Stream::open(&app, "?after=1-0", None, Some(&resume_from)).await;
    assert_eq!(both.until(action, "two").await.0.data["action"]["progress"], "two");
    // Events past the retention period are pruned (here up to "two"); a browser resuming from
    // before them is told to reload, one resuming from after them still gets every later event.
    let three = Position::parse(&both.until(action, "three").await.0.id.unwrap()).unwrap();
    let first = Position::parse(two.id.as_deref().unwrap()).unwrap();
    sqlx::query!(
        "update live.change_events set occurred_at = now() - interval '8 days' where (xid, seq) <= ($1::text::xid8, $2)",
        first.xid.to_string(),
        first.seq
    )
    .execute(&pool)
    .await
    .unwrap();
    let removed = db::live::prune(&app.app_pool, app::domain::live::RETENTION_DAYS as i32).await.unwrap();
    assert!(removed > 0, "the server's role prunes old events");
    let mut stale = Stream::open(&app, "", None, Some(&resume_from)).await;
    let event = stale.expect("the reload").await;
    assert_eq!(event.name.as_deref(), Some("reload"));
    let mut recent = Stream::open(&app, "", None, Some(&three.to_string())).await;
    assert_eq!(recent.until(action, "four").await.0.data["action"]["progress"], "four");
}

#[sqlx::test(migrations = "../migrations")]
async fn commits_in_the_opposite_order_to_their_ids_lose_nothing(pool: PgPool) {
    let app = demo_app(pool.clone()).await;
    let (first_action, _) = public_action(&pool).await;
    let second_action: Uuid = sqlx::query_scalar!(
        "select a.id from actions a join plan_actions pa on pa.action_id = a.id join plans p on p.id = pa.plan_id
          where p.status = 'published' and a.id <> $1 order by a.id limit 1",
        first_action
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let mut stream = Stream::open(&app, "", None, None).await;
    let before = app.hub.head().await.unwrap();
    // The earlier transaction takes its id (its event's position) first, and commits last.
    let mut earlier = pool.begin().await.unwrap();
    sqlx::query!("update actions set progress = 'earlier', version = version + 1 where id = $1", first_action)
        .execute(&mut *earlier)
        .await
        .unwrap();
    let mut later = pool.begin().await.unwrap();
    sqlx::query!("update actions set progress = 'later', version = version + 1 where id = $1", second_action)
        .execute(&mut *later)
        .await
        .unwrap();
    later.commit().await.unwrap();
    // The later one is held back while the earlier may still commit before it...
    assert!(stream.next(Duration::from_millis(600)).await.is_none(), "nothing goes out past a running transaction");
    earlier.commit().await.unwrap();
    // ...then both go out, in position order, and a stream resuming from before gets both.
    let (got_earlier, _) = stream.until(first_action, "the earlier transaction").await;
    let (got_later, _) = stream.until(second_action, "the later transaction").await;
    let p1 = Position::parse(got_earlier.id.as_deref().unwrap()).unwrap();
    let p2 = Position::parse(got_later.id.as_deref().unwrap()).unwrap();
    assert!(before < p1 && p1 < p2);
    let mut resumed = Stream::open(&app, "", None, Some(&before.to_string())).await;
    let (_, skipped) = resumed.until(first_action, "earlier, on resume").await;
    assert!(skipped.iter().all(|e| e.object() != Some(second_action)));
    resumed.until(second_action, "later, on resume").await;
}

#[sqlx::test(migrations = "../migrations")]
async fn anonymous_streams_carry_only_public_events_with_public_fields(pool: PgPool) {
    let app = demo_app(pool.clone()).await;
    let private = private_action(&pool).await;
    let (public, _) = public_action(&pool).await;
    let mut anonymous = Stream::open(&app, "", None, None).await;
    let member = app.sign_in("clacks.member@example.org").await;
    let mut signed_in = Stream::open(&app, "", Some(&member), None).await;
    touch(&pool, private, "private wording").await;
    touch(&pool, public, "public wording").await;
    let (event, before) = anonymous.until(public, "the public change").await;
    assert!(before.iter().all(|e| e.object() != Some(private)), "an anonymous stream got a private event");
    assert_eq!(event.data["action"]["progress"], "public wording");
    // A member gets the private one, as ids and a version only: fetched through a server function.
    let (event, _) = signed_in.until(private, "the private change, for a member").await;
    assert!(event.data.get("action").is_none(), "a private event carries no fields: {:?}", event.data);
    assert!(event.data["version"].is_i64());
    let fetched = app.post("/api/live_action", &[("id", &private.to_string())], Some(&member)).await;
    assert_eq!(fetched.status, StatusCode::OK, "{}", fetched.body);
    assert!(fetched.body.contains("private wording"));
    let refused = app.post("/api/live_action", &[("id", &private.to_string())], None).await;
    assert!(!refused.status.is_success() && !refused.body.contains("private wording"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_membership_removed_while_the_stream_is_open_takes_effect_on_it(pool: PgPool) {
    let app = demo_app(pool.clone()).await;
    let private = private_action(&pool).await;
    let (public, _) = public_action(&pool).await;
    let member = app.sign_in("clacks.member@example.org").await;
    let stirling = app.sign_in("stirling.lead@example.org").await;
    let mut theirs = Stream::open(&app, "", Some(&member), None).await;
    let mut outsider = Stream::open(&app, "", Some(&stirling), None).await;
    touch(&pool, private, "before removal").await;
    theirs.until(private, "a private change while a member").await;
    let lead = app.sign_in("clacks.lead@example.org").await;
    let person: Uuid = sqlx::query_scalar!("select id from people where email = 'clacks.member@example.org'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let removed = app
        .post("/api/remove_member", &[("committee", "clackmannanshire"), ("person", &person.to_string())], Some(&lead))
        .await;
    assert!(removed.status.is_success(), "{} {}", removed.status, removed.body);
    touch(&pool, private, "after removal").await;
    touch(&pool, public, "public after removal").await;
    let (_, before) = theirs.until(public, "the public change after removal").await;
    assert!(
        before.iter().all(|e| e.object() != Some(private)),
        "a removed member still received the committee's private event"
    );
    // Someone of another committee never saw either private change.
    let (_, before) = outsider.until(public, "the public change").await;
    assert!(before.iter().all(|e| e.object() != Some(private)));
}

#[sqlx::test(migrations = "../migrations")]
async fn signing_out_closes_the_sessions_streams(pool: PgPool) {
    let app = demo_app(pool.clone()).await;
    let member = app.sign_in("clacks.member@example.org").await;
    let mut stream = Stream::open(&app, "", Some(&member), None).await;
    let mut anonymous = Stream::open(&app, "", None, None).await;
    let out = app.post("/api/sign_out", &[], Some(&member)).await;
    assert!(out.status.is_success() || out.status.is_redirection(), "{}", out.status);
    assert!(stream.ends_within(Duration::from_secs(6)).await, "the signed-out session's stream stayed open");
    assert!(!anonymous.ends_within(Duration::from_millis(300)).await, "an anonymous stream is not closed");
    assert_eq!(app.hub.open_streams(), 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_parameters_get_a_clear_answer_and_never_a_stream(pool: PgPool) {
    let app = TestApp::new(pool);
    for query in ["?after=soon", "?plan=1", "?colour=red"] {
        let r = app.get(&format!("/live{query}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(!r.body.is_empty() && r.body.len() < 200, "{query}: {}", r.body);
    }
    let r = app
        .send(
            Request::get("/live").header(header::HOST, HOST).header("last-event-id", "x").body(Body::empty()).unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

/// The stream's match (`authz::may_receive` over each event's scope) and row-level security
/// agree, for every demo person and the public, on every action and plan event the demo wrote.
#[sqlx::test(migrations = "../migrations")]
async fn who_receives_an_event_agrees_with_who_may_read_its_object(pool: PgPool) {
    server::demo::load_if_empty(&pool).await.unwrap();
    let app_pool = common::app_pool(&pool, 2);
    // Every action and plan as it is now (the log's older events describe them as they were).
    let head = db::live::head(&pool).await.unwrap();
    sqlx::query!("select live.emit_actions(array(select id from actions))").execute(&pool).await.unwrap();
    sqlx::query!("update plans set title = title").execute(&pool).await.unwrap();
    // Delivered only once no older transaction runs anywhere in the cluster (other tests'
    // databases included): wait for them, as the hub does.
    let mut events = Vec::new();
    for _ in 0..200 {
        let (rows, held) = db::live::events_after(&pool, head, 10_000).await.unwrap();
        events = rows;
        if !held && !events.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let events: Vec<_> = events.into_iter().filter(|e| e.kind == "action" || e.kind == "plan").collect();
    assert!(events.len() > 50, "{} events", events.len());
    let mut people: Vec<Option<Uuid>> =
        sqlx::query_scalar!("select id from people").fetch_all(&pool).await.unwrap().into_iter().map(Some).collect();
    people.push(None);
    let mut compared = 0;
    for person in people {
        let mut tx = db::begin_as(&app_pool, person).await.unwrap();
        let viewer = match person {
            Some(id) => db::people::load_viewer(&mut tx, id).await.unwrap().map(|(v, _)| v),
            None => None,
        };
        let actions: Vec<Uuid> = sqlx::query_scalar!("select id from actions").fetch_all(&mut *tx).await.unwrap();
        let plans: Vec<Uuid> = sqlx::query_scalar!("select id from plans").fetch_all(&mut *tx).await.unwrap();
        for e in &events {
            let object = e.object_id.unwrap();
            let readable = if e.kind == "action" { actions.contains(&object) } else { plans.contains(&object) };
            let receives = authz::may_receive(viewer.as_ref(), e.public, &e.committees, &e.subgroups);
            assert_eq!(receives, readable, "{person:?} and the {} event about {object}", e.kind);
            compared += 1;
        }
        tx.rollback().await.unwrap();
    }
    assert!(compared > 500, "{compared} decisions compared");
}

#[sqlx::test(migrations = "../migrations")]
async fn shutting_down_ends_every_stream_with_a_short_retry_hint_and_refuses_new_ones(pool: PgPool) {
    let app = demo_app(pool.clone()).await;
    let member = app.sign_in("clacks.member@example.org").await;
    let mut streams = vec![Stream::open(&app, "", Some(&member), None).await, Stream::open(&app, "", None, None).await];
    assert_eq!(app.hub.open_streams(), 2);
    app.hub.close_all();
    for stream in &mut streams {
        // Everything it sends from now on, until it ends.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        let mut tail = String::new();
        loop {
            match tokio::time::timeout_at(deadline, stream.body.frame()).await {
                Err(_) => panic!("the stream stayed open after shutdown began: {tail:?}"),
                Ok(None) => break,
                Ok(Some(frame)) => {
                    if let Ok(data) = frame.unwrap().into_data() {
                        tail.push_str(std::str::from_utf8(&data).unwrap());
                    }
                }
            }
        }
        assert!(tail.ends_with(std::str::from_utf8(server::live::stream::SHUTDOWN_FRAME).unwrap()), "{tail:?}");
    }
    // The places are given back, and a stream asked for now is refused with a retry.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(app.hub.open_streams(), 0);
    let refused = app.get("/live").await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
}
