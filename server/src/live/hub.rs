//! One per instance: follows the change-event log and fans each event out in memory.
//!
//! The hub holds one LISTEN connection. A notification (or, as a safety net, a quiet second)
//! makes it read the log after the last position it delivered, in order, and send each event
//! to every open stream through a broadcast channel, with its SSE frames already encoded, so
//! fan-out costs no database query and no serialisation per subscriber. A lost connection is
//! reconnected and the log read from where delivery stopped, so nothing is missed silently;
//! meanwhile `connected` is false (the page cache stops serving). Signed-in streams are
//! registered so that a session which ends (signed out, idle, ended by a new password)
//! closes its streams within `SESSION_CHECK`.

use app::domain::live::{EventData, Kind, LiveEvent, Position};
use app::server::authz::{receives_as_member, Viewer};
use app::server::db::live::{self as log, EventRow};
use app::server::state::LiveHead;
use axum::body::Bytes;
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, watch, Notify};
use uuid::Uuid;

pub const CHANNEL: &str = "change_events";
/// Events read from the log at a time.
const BATCH: i64 = 500;
/// How often the log is read with no notification (a safety net, and how soon events held
/// back behind a running transaction go out).
const QUIET_POLL: Duration = Duration::from_secs(1);
const HELD_POLL: Duration = Duration::from_millis(5);
/// How often open signed-in streams check that their session still exists.
pub const SESSION_CHECK: Duration = Duration::from_secs(2);
/// Events a slow stream may fall behind before it reads the log itself to catch up.
const BROADCAST_CAPACITY: usize = 4096;

/// An event, ready to send.
#[derive(Debug)]
pub struct Change {
    pub position: Position,
    pub kind: Kind,
    pub object: Option<Uuid>,
    /// Membership and person events: whose rights changed.
    pub person: Option<Uuid>,
    pub committees: Vec<Uuid>,
    pub subgroups: Vec<Uuid>,
    pub public: bool,
    pub plans: Vec<Uuid>,
    pub occurred_at: time::OffsetDateTime,
    /// The SSE frame for someone who reads it as a member (every plan it names)...
    member_frame: Bytes,
    /// ...and for the public, when it is public (only the published plans).
    public_frame: Option<Bytes>,
}

impl Change {
    pub fn from_row(row: EventRow) -> Option<Change> {
        let Some(kind) = Kind::parse(&row.kind) else {
            tracing::error!(kind = row.kind, "a change event of an unknown kind");
            return None;
        };
        let data: EventData = match row.data.map(serde_json::from_value).transpose() {
            Ok(data) => data.unwrap_or_default(),
            Err(error) => {
                tracing::error!(%error, "a change event's data does not read");
                EventData::default()
            }
        };
        let event = |plans: Vec<Uuid>| LiveEvent {
            kind,
            object: row.object_id,
            version: row.version,
            plans,
            action: data.action.clone(),
            counts: data.counts.clone(),
            title: data.title.clone(),
            plan_status: data.plan_status.clone(),
        };
        let member_frame = frame(row.position, &event(row.plan_ids.clone()));
        let public_frame = row.public.then(|| frame(row.position, &event(row.public_plan_ids.clone())));
        Some(Change {
            position: row.position,
            kind,
            object: row.object_id,
            person: row.person_id,
            committees: row.committees,
            subgroups: row.subgroups,
            public: row.public,
            plans: row.plan_ids,
            occurred_at: row.occurred_at,
            member_frame,
            public_frame,
        })
    }

    /// What `viewer` receives of this event, if anything (authz decides).
    pub fn frame_for(&self, viewer: Option<&Viewer>) -> Option<&Bytes> {
        if self.kind.is_internal() {
            None
        } else if receives_as_member(viewer, &self.committees, &self.subgroups) {
            Some(&self.member_frame)
        } else if self.public {
            self.public_frame.as_ref()
        } else {
            None
        }
    }
}

fn frame(position: Position, event: &LiveEvent) -> Bytes {
    // Compact JSON has no line breaks, so one `data:` line carries it.
    let json = serde_json::to_string(event).unwrap_or_else(|_| "{}".into());
    Bytes::from(format!("id: {position}\ndata: {json}\n\n"))
}

/// Limits on open streams (each is a connection held open).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_streams: usize,
    pub per_address: usize,
    /// Comment lines sent this often keep proxies from closing an idle stream.
    pub heartbeat: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_streams: 20_000, per_address: 500, heartbeat: Duration::from_secs(15) }
    }
}

pub struct LiveHub {
    pool: PgPool,
    head: LiveHead,
    sender: broadcast::Sender<Arc<Change>>,
    connected: watch::Sender<bool>,
    pub limits: Limits,
    open: AtomicUsize,
    next_id: AtomicU64,
    per_address: Mutex<HashMap<String, usize>>,
    /// Signed-in streams: their session id and how to close them.
    sessions: Mutex<HashMap<u64, (String, Arc<Notify>)>>,
    /// Events delivered since start, for the metrics.
    delivered: AtomicU64,
    /// Streams refused since start (the instance or the address at its limit), for the metrics.
    refused: AtomicU64,
    /// Set when the server shuts down: every stream ends.
    closing: watch::Sender<bool>,
}

/// Why a stream may not open.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Full,
    TooManyFromAddress,
}

/// Held by an open stream; gives its place back when the stream ends.
pub struct Slot {
    hub: Arc<LiveHub>,
    id: u64,
    address: String,
}

impl Slot {
    pub fn id(&self) -> u64 {
        self.id
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.hub.open.fetch_sub(1, Ordering::SeqCst);
        self.hub.sessions.lock().unwrap_or_else(|e| e.into_inner()).remove(&self.id);
        let mut per = self.hub.per_address.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = per.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                per.remove(&self.address);
            }
        }
    }
}

impl LiveHub {
    pub fn new(pool: PgPool, head: LiveHead, limits: Limits) -> Arc<Self> {
        let (sender, _) = broadcast::channel(BROADCAST_CAPACITY);
        Arc::new(LiveHub {
            pool,
            head,
            sender,
            connected: watch::Sender::new(false),
            limits,
            open: AtomicUsize::new(0),
            next_id: AtomicU64::new(1),
            per_address: Mutex::new(HashMap::new()),
            sessions: Mutex::new(HashMap::new()),
            delivered: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            closing: watch::Sender::new(false),
        })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Starts following the log and checking sessions, for as long as the server runs.
    pub fn spawn(self: &Arc<Self>) {
        let hub = self.clone();
        tokio::spawn(async move { hub.follow().await });
        let hub = self.clone();
        tokio::spawn(async move { hub.check_sessions().await });
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Change>> {
        self.sender.subscribe()
    }

    /// Whether the hub follows the log now (false while reconnecting).
    pub fn connected(&self) -> watch::Receiver<bool> {
        self.connected.subscribe()
    }

    pub fn is_connected(&self) -> bool {
        *self.connected.borrow()
    }

    /// The newest position delivered, or the log's head when the hub has not read it yet.
    pub async fn head(&self) -> Result<Position, app::error::AppError> {
        match self.head.get() {
            Some(p) => Ok(p),
            None => log::head(&self.pool).await,
        }
    }

    /// Ends every open stream (shutdown) and refuses new ones.
    pub fn close_all(&self) {
        self.closing.send_replace(true);
    }

    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    pub fn open_streams(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }

    pub fn delivered(&self) -> u64 {
        self.delivered.load(Ordering::Relaxed)
    }

    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// A place for one more stream from `address`, or why not.
    pub fn open(self: &Arc<Self>, address: &str) -> Result<Slot, Refusal> {
        let mut per = self.per_address.lock().unwrap_or_else(|e| e.into_inner());
        if self.open.load(Ordering::SeqCst) >= self.limits.max_streams || *self.closing.borrow() {
            self.refused.fetch_add(1, Ordering::Relaxed);
            return Err(Refusal::Full);
        }
        let here = per.entry(address.to_owned()).or_insert(0);
        if *here >= self.limits.per_address {
            self.refused.fetch_add(1, Ordering::Relaxed);
            return Err(Refusal::TooManyFromAddress);
        }
        *here += 1;
        self.open.fetch_add(1, Ordering::SeqCst);
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        Ok(Slot { hub: self.clone(), id, address: address.to_owned() })
    }

    /// Registers a signed-in stream's session; `close` is notified when the session ends.
    pub fn watch_session(&self, slot: &Slot, session: String, close: Arc<Notify>) {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner()).insert(slot.id, (session, close));
    }

    async fn follow(self: Arc<Self>) {
        let mut backoff = Duration::from_millis(100);
        loop {
            match self.follow_once().await {
                Ok(()) => tracing::warn!("the change listener lost its connection; reconnecting"),
                Err(error) => tracing::warn!(%error, "the change listener failed; reconnecting"),
            }
            self.connected.send_replace(false);
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(5));
        }
    }

    async fn follow_once(&self) -> Result<(), String> {
        let mut listener = PgListener::connect_with(&self.pool).await.map_err(|e| e.to_string())?;
        listener.listen(CHANNEL).await.map_err(|e| e.to_string())?;
        // Listening before reading: whatever commits from now on is either read below or
        // announced. Resume from the last delivered position, so a reconnect misses nothing.
        let mut at = self.head().await.map_err(|e| e.to_string())?;
        self.head.set(at);
        let mut held = self.catch_up(&mut at).await?;
        self.connected.send_replace(true);
        loop {
            let wait = if held { HELD_POLL } else { QUIET_POLL };
            tokio::select! {
                notification = listener.try_recv() => {
                    // `None`: the connection dropped, and notifications may have been lost.
                    if notification.map_err(|e| e.to_string())?.is_none() {
                        return Ok(());
                    }
                    while listener.next_buffered().is_some() {}
                }
                _ = tokio::time::sleep(wait) => {}
            }
            held = self.catch_up(&mut at).await?;
        }
    }

    /// Delivers every event after `at` that may go out now; returns whether later events are
    /// held back behind a transaction still running.
    async fn catch_up(&self, at: &mut Position) -> Result<bool, String> {
        loop {
            let (rows, held) = log::events_after(&self.pool, *at, BATCH).await.map_err(|e| e.to_string())?;
            let full = rows.len() as i64 == BATCH;
            for row in rows {
                *at = row.position;
                if let Some(change) = Change::from_row(row) {
                    self.delivered.fetch_add(1, Ordering::Relaxed);
                    // No receiver is not an error: nobody is watching.
                    let _ = self.sender.send(Arc::new(change));
                }
            }
            // After sending: a stream that subscribes between the two reads the log from the
            // older head and meets the event there, or in its channel; never in neither.
            self.head.set(*at);
            if !full {
                return Ok(held);
            }
        }
    }

    async fn check_sessions(self: Arc<Self>) {
        let mut every = tokio::time::interval(SESSION_CHECK);
        loop {
            every.tick().await;
            let watched: Vec<(u64, String, Arc<Notify>)> = self
                .sessions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .map(|(id, (s, n))| (*id, s.clone(), n.clone()))
                .collect();
            if watched.is_empty() {
                continue;
            }
            let ids: Vec<String> = watched.iter().map(|(_, s, _)| s.clone()).collect();
            let Ok(alive) = log::live_sessions(&self.pool, &ids).await else {
                continue;
            };
            let alive: std::collections::HashSet<String> = alive.into_iter().collect();
            for (_, session, close) in watched {
                if !alive.contains(&session) {
                    close.notify_one();
                }
            }
        }
    }
}
