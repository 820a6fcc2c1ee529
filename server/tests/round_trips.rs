//! How many times a page waits on the database. The server's pool connects through a proxy that
//! reads the PostgreSQL protocol the client sends and counts the round trips that carry
//! statements: each simple query, and each extended-protocol batch (its Executes up to a Sync).
//! A Sync alone (sqlx's ping when a connection goes back to the pool) carries none.
//!
//! And what the server keeps in memory for a signed-in person never outlives their rights: a
//! member removed from a committee is refused on the next request even when no change event
//! reaches the instance.

mod common;

use common::TestApp;
use sqlx::postgres::{PgPoolOptions, PgSslMode};
use sqlx::PgPool;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Default)]
struct Counts {
    round_trips: AtomicU64,
    statements: AtomicU64,
}

impl Counts {
    fn take(&self) -> (u64, u64) {
        (self.round_trips.swap(0, Ordering::SeqCst), self.statements.swap(0, Ordering::SeqCst))
    }
}

/// A proxy to the database of `owner`, and a pool of the server's role through it.
async fn counted_pool(owner: &PgPool) -> (PgPool, Arc<Counts>) {
    let target = owner.connect_options();
    let upstream = format!("{}:{}", target.get_host(), target.get_port());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let counts = Arc::new(Counts::default());
    let shared = counts.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let counts = shared.clone();
            let upstream = upstream.clone();
            tokio::spawn(async move {
                let Ok(server) = TcpStream::connect(&upstream).await else { return };
                let (mut from_client, mut to_server) = (client, server);
                let (mut client_read, mut client_write) = from_client.split();
                let (mut server_read, mut server_write) = to_server.split();
                let upward = relay_counting(&mut client_read, &mut server_write, &counts);
                let downward = tokio::io::copy(&mut server_read, &mut client_write);
                let _ = tokio::join!(upward, downward);
            });
        }
    });
    let options = common::app_options(owner).host("127.0.0.1").port(port).ssl_mode(PgSslMode::Disable);
    let pool = PgPoolOptions::new().max_connections(5).test_before_acquire(false).connect_lazy_with(options);
    (pool, counts)
}

/// Copies the client's messages upstream, counting as it goes.
async fn relay_counting(
    from: &mut (impl AsyncReadExt + Unpin),
    to: &mut (impl AsyncWriteExt + Unpin),
    counts: &Counts,
) -> std::io::Result<()> {
    // The startup phase: untyped messages (an SSL request, then the startup message).
    loop {
        let length = from.read_u32().await?;
        let mut body = vec![0; length as usize - 4];
        from.read_exact(&mut body).await?;
        to.write_u32(length).await?;
        to.write_all(&body).await?;
        let code = u32::from_be_bytes([body[0], body[1], body[2], body[3]]);
        if code != 80877103 && code != 80877104 {
            break;
        }
    }
    let mut executes_since_sync = 0;
    loop {
        let kind = from.read_u8().await?;
        let length = from.read_u32().await?;
        let mut body = vec![0; length as usize - 4];
        from.read_exact(&mut body).await?;
        match kind {
            b'Q' => {
                counts.round_trips.fetch_add(1, Ordering::SeqCst);
                counts.statements.fetch_add(1, Ordering::SeqCst);
            }
            b'E' => {
                executes_since_sync += 1;
                counts.statements.fetch_add(1, Ordering::SeqCst);
            }
            b'S' if executes_since_sync > 0 => {
                executes_since_sync = 0;
                counts.round_trips.fetch_add(1, Ordering::SeqCst);
            }
            _ => {}
        }
        to.write_u8(kind).await?;
        to.write_u32(length).await?;
        to.write_all(&body).await?;
    }
}

async fn counted_app(pool: PgPool) -> (TestApp, Arc<Counts>) {
    assert!(server::demo::load_if_empty(&pool).await.expect("demo loads"));
    let (app_pool, counts) = counted_pool(&pool).await;
    (TestApp::over(pool, app_pool, |_| {}).with_live_cache().await, counts)
}

/// Round trips of one request, after earlier ones have settled. The change hub shares the
/// proxy and may read the event log meanwhile (a sign-in writes the audit trail), so the
/// figure is the least of three tries.
async fn measure(app: &TestApp, counts: &Counts, path: &str, cookie: &str) -> (u64, u64, String) {
    let mut least = (u64::MAX, u64::MAX, String::new());
    for _ in 0..3 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        counts.take();
        let page = app.get_with_cookie(path, cookie).await;
        assert_eq!(page.status, 200, "{path}");
        let (round_trips, statements) = counts.take();
        if round_trips < least.0 {
            least = (round_trips, statements, page.cache);
        }
    }
    least
}

#[sqlx::test(migrations = "../migrations")]
async fn a_signed_in_page_waits_on_the_database_at_most_twice_after_the_session(pool: PgPool) {
    let (app, counts) = counted_app(pool.clone()).await;
    let action: String = sqlx::query_scalar!(
        r#"select pa.action_id::text as "id!" from plan_actions pa join plans p on p.id = pa.plan_id
            where p.slug = '2023-25' order by pa.position limit 1"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let plan = "/committees/clackmannanshire/plans/2023-25";
    let action_page = format!("{plan}/actions/{action}");
    for (email, paths) in [
        ("clacks.member@example.org", vec![plan, "/me", "/committees/clackmannanshire", action_page.as_str()]),
        ("clacks.contributor@example.org", vec![plan]),
        ("clacks.lead@example.org", vec![plan]),
        ("both.committees@example.org", vec!["/me"]),
    ] {
        let cookie = app.sign_in(email).await;
        for path in paths {
            // The first view renders (and measures the page's own queries); later ones come
            // from memory.
            counts.take();
            let first = app.get_with_cookie(path, &cookie).await;
            assert_eq!(first.status, 200, "{path}");
            let first = counts.take();
            let again = measure(&app, &counts, path, &cookie).await;
            println!(
                "{email} {path}: first view {} round trips ({} statements), again {} ({})",
                first.0, first.1, again.0, again.1
            );
            // The session's own read, then one read of the person's access version.
            assert!(again.0 <= 1 + 2, "{email} {path}: {} round trips the second time", again.0);
            assert_eq!(again.2, "hit", "{email} {path}: served from memory the second time");
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_removed_member_is_refused_at_once_whatever_was_remembered_and_announced(pool: PgPool) {
    let (app, _) = counted_app(pool.clone()).await;
    let draft = "/committees/clackmannanshire/plans/2025-27";
    let cookie = app.sign_in("clacks.member@example.org").await;
    let read = app.get_with_cookie(draft, &cookie).await;
    assert_eq!(read.status, 200, "a member reads the draft");
    assert!(read.body.contains(server::demo::DRAFT_PLAN_TITLE));
    let again = app.get_with_cookie(draft, &cookie).await;
    assert_eq!((again.status.as_u16(), again.cache.as_str()), (200, "hit"), "and it is remembered");
    // Removed with the change event silenced, as if this instance never heard of it: only
    // the access version, moved in the same transaction, can tell.
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("alter table committee_memberships disable trigger user").execute(&mut *tx).await.unwrap();
    sqlx::query("alter table committee_memberships enable trigger access_committee_memberships")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query!(
        "delete from committee_memberships where person_id = (select id from people where email = 'clacks.member@example.org')"
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query("alter table committee_memberships enable trigger user").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let refused = app.get_with_cookie(draft, &cookie).await;
    assert_eq!(refused.status, 404, "the very next request is refused");
    assert!(!refused.body.contains(server::demo::DRAFT_PLAN_TITLE), "nothing of the draft is shown");
    // Still signed in, now as someone outside the committee: the published plan, no Update.
    let plan = app.get_with_cookie("/committees/clackmannanshire/plans/2023-25", &cookie).await;
    assert_eq!(plan.status, 200);
    assert!(plan.body.contains("Signed in as"), "still signed in");
    assert!(!plan.body.contains(">Update<"), "no Update buttons for a non-member");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_signed_in_page_shows_a_change_on_the_next_request(pool: PgPool) {
    let (app, _) = counted_app(pool.clone()).await;
    let draft = "/committees/clackmannanshire/plans/2025-27";
    let cookie = app.sign_in("clacks.member@example.org").await;
    app.get_with_cookie(draft, &cookie).await;
    assert_eq!(app.get_with_cookie(draft, &cookie).await.cache, "hit");
    // A change to the draft, as a lead officer makes it: announced, so the page goes.
    sqlx::query!(
        "update actions set description = description || ' (revised)', version = version + 1
          where id = (select pa.action_id from plan_actions pa join plans p on p.id = pa.plan_id
                       where p.slug = '2025-27' order by pa.position limit 1)"
    )
    .execute(&pool)
    .await
    .unwrap();
    for _ in 0..100 {
        let page = app.get_with_cookie(draft, &cookie).await;
        if page.body.contains("(revised)") {
            assert_ne!(page.cache, "hit");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the change never showed");
}
