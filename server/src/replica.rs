//! Reads from a streaming replica (DATABASE_REPLICA_URL), the way to grow past one database
//! machine: anonymous pages, the bulk of the reading, are rendered from the replica; everything
//! a signed-in person does (and so everything they write and then read) stays on the primary.
//!
//! A replica is always a little behind. A page rendered from it may be cached and shared, so it
//! must never show less than the page cache was last told had changed: whenever a change event
//! drops the cache, the primary's WAL position at that moment is recorded (it is at or past the
//! commit of that change, whose notification has arrived), and a page is read from the replica
//! only once the replica has replayed up to it (`pg_last_wal_replay_lsn()`). Until then, and
//! whenever the replica cannot be reached or fails a page, the page is read from the primary:
//! public pages keep working when the replica lags or stops.
//!
//! The page also carries where the live view starts (`LiveHead`): the replica is used only when
//! the page cache's follower has handled every change event the hub has delivered, and the page
//! then carries that position, so a browser's live view misses nothing the replica did not show.

use app::domain::live::Position;
use app::server::state::{LiveHead, ReplicaRead};
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use sqlx::PgPool;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// While the WAL position to wait for is being read from the primary.
const UNKNOWN: u64 = u64::MAX;
/// How long one look at the replica's replay position may take before it counts as down.
const PROBE_TIMEOUT: Duration = Duration::from_millis(300);
/// How long a replica that did not answer is left alone.
const DOWN_FOR: Duration = Duration::from_secs(5);
/// While it is behind, the replica's position is looked at no more often than this.
const PROBE_EVERY: Duration = Duration::from_millis(5);

pub struct Replica {
    pool: PgPool,
    primary: PgPool,
    head: LiveHead,
    /// Counts the invalidations; the answer to the newest one sets `required`.
    asked: AtomicU64,
    /// A read of the primary's position is under way (one at a time, however many changes).
    fetching: AtomicBool,
    /// The primary's WAL position the replica must have replayed (UNKNOWN while being read).
    required: AtomicU64,
    /// The furthest replay position seen on the replica.
    replayed: AtomicU64,
    state: Mutex<State>,
    reads: AtomicU64,
    primary_reads: AtomicU64,
    failures: AtomicU64,
}

#[derive(Default)]
struct State {
    /// The newest change event the page cache's follower has handled.
    covered: Option<Position>,
    last_probe: Option<Instant>,
    down_until: Option<Instant>,
}

/// What decides whether a page may be read from the replica, apart from the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub required: u64,
    pub replayed: u64,
    pub covered: Option<Position>,
    pub head: Option<Position>,
}

impl Standing {
    /// Whether the replica holds everything a page read now must show.
    pub fn caught_up(&self) -> bool {
        self.required != UNKNOWN && self.replayed >= self.required && self.covers_head()
    }

    /// Whether every change the hub has delivered has been handled by the cache's follower
    /// (so `required` accounts for it).
    pub fn covers_head(&self) -> bool {
        matches!((self.head, self.covered), (Some(head), Some(covered)) if head <= covered)
    }
}

impl Replica {
    /// The replica's pool connects lazily: the server starts, and serves from the primary,
    /// while the replica is down.
    pub fn new(pool: PgPool, primary: PgPool, head: LiveHead) -> Arc<Self> {
        Arc::new(Replica {
            pool,
            primary,
            head,
            asked: AtomicU64::new(0),
            fetching: AtomicBool::new(false),
            required: AtomicU64::new(UNKNOWN),
            replayed: AtomicU64::new(0),
            state: Mutex::new(State::default()),
            reads: AtomicU64::new(0),
            primary_reads: AtomicU64::new(0),
            failures: AtomicU64::new(0),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Something anonymous pages show has changed (or may have, unseen): nothing is read from
    /// the replica until it has replayed the primary's present WAL position. Called before the
    /// page cache moves to its next generation.
    pub fn mark_stale(self: &Arc<Self>) {
        self.asked.fetch_add(1, Ordering::SeqCst);
        self.required.store(UNKNOWN, Ordering::SeqCst);
        // A burst of changes makes one read at a time: the read under way looks again when
        // it ends, for the changes that came meanwhile.
        if self.fetching.swap(true, Ordering::SeqCst) {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move {
            loop {
                let asked = this.asked.load(Ordering::SeqCst);
                match primary_position(&this.primary).await {
                    // A later invalidation's answer is the one that counts.
                    Ok(position) if this.asked.load(Ordering::SeqCst) == asked => {
                        this.required.store(position, Ordering::SeqCst);
                    }
                    Ok(_) => {}
                    // Left UNKNOWN: pages come from the primary until the next invalidation
                    // (the hub's reconnection after a database outage is one).
                    Err(error) => tracing::warn!(%error, "could not read the primary's WAL position"),
                }
                this.fetching.store(false, Ordering::SeqCst);
                if this.asked.load(Ordering::SeqCst) == asked || this.fetching.swap(true, Ordering::SeqCst) {
                    return;
                }
            }
        });
    }

    /// The cache's follower has handled the change event at `position`.
    pub fn cover(&self, position: Position) {
        let mut state = self.state();
        if state.covered.is_none_or(|c| c < position) {
            state.covered = Some(position);
        }
    }

    /// The follower has caught up with the hub however it got there (started, reconnected,
    /// fell behind the broadcast): everything up to the hub's head is accounted for by the
    /// invalidation that goes with it.
    pub fn cover_head(&self) {
        if let Some(head) = self.head.get() {
            self.cover(head);
        }
    }

    pub fn standing(&self) -> Standing {
        Standing {
            required: self.required.load(Ordering::SeqCst),
            replayed: self.replayed.load(Ordering::SeqCst),
            covered: self.state().covered,
            head: self.head.get(),
        }
    }

    /// Where this page may be read: `Some(position)` for the replica (and the live position
    /// the page then carries), `None` for the primary.
    async fn cleared(&self) -> Option<Option<Position>> {
        let standing = self.standing();
        if standing.caught_up() {
            return Some(standing.head);
        }
        if standing.required == UNKNOWN || !standing.covers_head() {
            return None;
        }
        {
            let mut state = self.state();
            let now = Instant::now();
            if state.down_until.is_some_and(|until| now < until)
                || state.last_probe.is_some_and(|at| now.duration_since(at) < PROBE_EVERY)
            {
                return None;
            }
            state.last_probe = Some(now);
        }
        match tokio::time::timeout(PROBE_TIMEOUT, replay_position(&self.pool)).await {
            Ok(Ok(Some(position))) => {
                self.replayed.fetch_max(position, Ordering::SeqCst);
            }
            Ok(Ok(None)) => {
                self.down("it is not replaying WAL and is not a primary");
                return None;
            }
            Ok(Err(error)) => {
                self.down(&error.to_string());
                return None;
            }
            Err(_) => {
                self.down("it did not answer in time");
                return None;
            }
        }
        let standing = self.standing();
        standing.caught_up().then_some(standing.head)
    }

    fn down(&self, why: &str) {
        self.failures.fetch_add(1, Ordering::Relaxed);
        let mut state = self.state();
        if state.down_until.is_none_or(|until| Instant::now() >= until) {
            tracing::warn!(reason = why, "the read replica is unavailable: pages are read from the primary");
        }
        state.down_until = Some(Instant::now() + DOWN_FOR);
    }

    /// Renders an anonymous page with `next`: from the replica when it has caught up, else
    /// from the primary; a page the replica fails is rendered again from the primary.
    pub async fn render(&self, request: Request, next: Next) -> Response {
        let Some(position) = self.cleared().await else {
            self.primary_reads.fetch_add(1, Ordering::Relaxed);
            return next.run(request).await;
        };
        let (parts, body) = request.into_parts();
        let mut from_replica = Request::from_parts(parts.clone(), Body::empty());
        from_replica.extensions_mut().insert(ReplicaRead { pool: self.pool.clone(), position });
        let response = next.clone().run(from_replica).await;
        if response.status().is_server_error() {
            self.down(&format!("a page read from it answered {}", response.status()));
            self.primary_reads.fetch_add(1, Ordering::Relaxed);
            return next.run(Request::from_parts(parts, body)).await;
        }
        self.reads.fetch_add(1, Ordering::Relaxed);
        response
    }

    /// Pages rendered from the replica, from the primary, and the replica's failures.
    pub fn counts(&self) -> (u64, u64, u64) {
        (
            self.reads.load(Ordering::Relaxed),
            self.primary_reads.load(Ordering::Relaxed),
            self.failures.load(Ordering::Relaxed),
        )
    }

    /// How many bytes of WAL the replica was last seen behind what pages must show (0 when
    /// caught up or not known).
    pub fn lag_bytes(&self) -> u64 {
        match self.required.load(Ordering::SeqCst) {
            UNKNOWN => 0,
            required => required.saturating_sub(self.replayed.load(Ordering::SeqCst)),
        }
    }
}

/// The primary's WAL write position: at or past the commit of every change whose notification
/// has arrived.
async fn primary_position(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let position = sqlx::query_scalar!(r#"select (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint as "position!""#)
        .fetch_one(pool)
        .await?;
    Ok(u64::try_from(position).unwrap_or(0))
}

/// How far the replica has replayed. A primary named as the replica (one machine, or a test)
/// has everything: its own write position.
async fn replay_position(pool: &PgPool) -> Result<Option<u64>, sqlx::Error> {
    let position = sqlx::query_scalar!(
        r#"select (coalesce(pg_last_wal_replay_lsn(), pg_current_wal_lsn()) - '0/0'::pg_lsn)::bigint as "position""#
    )
    .fetch_one(pool)
    .await?;
    Ok(position.map(|p| u64::try_from(p).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seq: i64) -> Option<Position> {
        Some(Position { xid: 1, seq })
    }

    #[test]
    fn the_replica_is_used_only_once_it_has_replayed_the_last_change_and_the_follower_is_level_with_the_hub() {
        let level = Standing { required: 100, replayed: 100, covered: at(5), head: at(5) };
        assert!(level.caught_up());
        assert!(Standing { replayed: 250, ..level }.caught_up());
        // Behind the change that dropped the cache.
        assert!(!Standing { replayed: 99, ..level }.caught_up());
        // The WAL position to wait for is still being read.
        assert!(!Standing { required: UNKNOWN, replayed: u64::MAX - 1, ..level }.caught_up());
        // The hub has delivered a change the follower has not handled yet.
        assert!(!Standing { head: at(6), ..level }.caught_up());
        assert!(Standing { covered: at(7), ..level }.caught_up());
        // Nothing known of the log yet.
        assert!(!Standing { covered: None, ..level }.caught_up());
        assert!(!Standing { head: None, ..level }.caught_up());
    }
}
