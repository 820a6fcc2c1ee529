//! `GET /live`: Server-Sent Events of every change the viewer may see.
//!
//! Who is asking is worked out once, when the stream opens, with the rules of the pages
//! (`authz`), and each event carries its scope, so sending it is an in-memory match. The
//! viewer is looked at again only when their own memberships or account change, and the
//! stream closes when their session ends. The stream does not count as activity for the
//! session's idle limit.
//!
//! Parameters (all optional): `after` (a position: the page's, so nothing between reading the
//! page and opening the stream is missed; `Last-Event-ID` on a reconnect wins over it), and to
//! narrow it, `plan`, `committee` and `subgroup` (ids, repeatable). A browser that missed more
//! than the log holds gets `event: reload`.

use super::hub::{Change, LiveHub, Refusal, Slot};
use crate::auth;
use app::domain::live::{Kind, Position, RELOAD};
use app::server::auth::session::SessionAuth;
use app::server::auth::viewer::{ClientAddr, Viewer};
use app::server::db::live as log;
use app::server::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::stream;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, Notify};
use tower_sessions::Session;
use uuid::Uuid;

/// Events a resuming stream may replay from the log; beyond that the browser reloads.
pub const REPLAY_MAX: i64 = 1000;

/// What a stream was narrowed to.
#[derive(Debug, Default, Clone)]
pub struct Narrow {
    plans: Vec<Uuid>,
    committees: Vec<Uuid>,
    subgroups: Vec<Uuid>,
}

impl Narrow {
    fn admits(&self, change: &Change) -> bool {
        if change.kind == Kind::Region
            || (self.plans.is_empty() && self.committees.is_empty() && self.subgroups.is_empty())
        {
            return true;
        }
        self.plans.iter().any(|p| change.plans.contains(p) || change.object == Some(*p))
            || self.committees.iter().any(|c| change.committees.contains(c))
            || self.subgroups.iter().any(|s| change.subgroups.contains(s))
    }
}

/// The stream's parameters, or what is wrong with them.
fn parameters(query: Option<&str>, headers: &HeaderMap) -> Result<(Option<Position>, Narrow), String> {
    let mut after = None;
    let mut narrow = Narrow::default();
    for (key, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let id = || Uuid::parse_str(&value).map_err(|_| format!("\"{key}\" must be an id"));
        match key.as_ref() {
            "after" => after = Some(Position::parse(&value).ok_or("\"after\" must be a position such as 1234-5")?),
            "plan" => narrow.plans.push(id()?),
            "committee" => narrow.committees.push(id()?),
            "subgroup" => narrow.subgroups.push(id()?),
            other => return Err(format!("/live takes after, plan, committee and subgroup, not \"{other}\"")),
        }
        if narrow.plans.len() + narrow.committees.len() + narrow.subgroups.len() > 50 {
            return Err("/live narrows to at most 50 plans, committees and subgroups".into());
        }
    }
    // A reconnecting EventSource says where it got to; that wins over the page's position.
    if let Some(resume) = headers.get("last-event-id").and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty()) {
        after = Some(Position::parse(resume).ok_or("Last-Event-ID must be a position such as 1234-5")?);
    }
    Ok((after, narrow))
}

fn refused(status: StatusCode, message: &str) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store"), (header::RETRY_AFTER, "10")], message.to_owned()).into_response()
}

pub async fn live(
    State(state): State<AppState>,
    Extension(hub): Extension<Arc<LiveHub>>,
    session: Option<Extension<Session>>,
    request: Request,
) -> Response {
    let (after, narrow) = match parameters(request.uri().query(), request.headers()) {
        Ok(p) => p,
        Err(message) => return refused(StatusCode::BAD_REQUEST, &message),
    };
    let address = request.extensions().get::<ClientAddr>().map(|a| a.0.clone()).unwrap_or_default();
    let slot = match hub.open(&address) {
        Ok(slot) => slot,
        Err(Refusal::Full) => {
            return refused(StatusCode::SERVICE_UNAVAILABLE, "Too many live views are open; retrying.")
        }
        Err(Refusal::TooManyFromAddress) => {
            return refused(StatusCode::TOO_MANY_REQUESTS, "Too many live views from this address.")
        }
    };
    let signed_in = match &session {
        Some(Extension(session)) => match auth::signed_in_quietly(&state, session).await {
            Ok(found) => found.map(|(viewer, auth)| (viewer, auth, session.id().map(|id| id.to_string()))),
            Err(error) => return error.into_response(),
        },
        None => None,
    };
    // Subscribed before the log is read: an event is in the replay, in the channel, or both.
    let rx = hub.subscribe();
    let from = match after {
        Some(p) => p,
        None => match hub.head().await {
            Ok(p) => p,
            Err(error) => return error.into_response(),
        },
    };
    let (viewer, auth, close) = match signed_in {
        Some((viewer, auth, Some(session_id))) => {
            let close = Arc::new(Notify::new());
            hub.watch_session(&slot, session_id, close.clone());
            (Some(viewer), Some(auth), Some(close))
        }
        _ => (None, None, None),
    };
    let closing = hub.closing();
    let mut open = Open {
        state,
        hub,
        _slot: slot,
        rx,
        viewer,
        auth,
        close,
        closing,
        narrow,
        last: from,
        queue: VecDeque::new(),
        ended: false,
    };
    open.queue.push_back(Bytes::from_static(b"retry: 2000\n\n"));
    if let Err(error) = open.replay(from).await {
        return error.into_response();
    }
    let heartbeat = open.hub.limits.heartbeat;
    let deadline = open.auth.as_ref().map(|a| {
        let left =
            (a.signed_in_at + open.state.retention.session_max_seconds() - app::server::auth::session::now()).max(0);
        tokio::time::Instant::now() + Duration::from_secs(left as u64)
    });
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + heartbeat, heartbeat);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let body = stream::unfold(Some((open, ticks, deadline)), |state| async move {
        let (mut open, mut ticks, deadline) = state?;
        let frame = open.next(&mut ticks, deadline).await?;
        Some((Ok::<Bytes, Infallible>(frame), Some((open, ticks, deadline))))
    });
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-store")
        // nginx: pass each event on at once.
        .header("x-accel-buffering", "no")
        .body(Body::from_stream(body))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// The last frame of every stream when the server shuts down.
pub const SHUTDOWN_FRAME: &[u8] = b"retry: 500\n\n";

/// An open stream.
struct Open {
    state: AppState,
    hub: Arc<LiveHub>,
    /// Gives the stream's place back when it ends.
    _slot: Slot,
    rx: broadcast::Receiver<Arc<Change>>,
    viewer: Option<Viewer>,
    auth: Option<SessionAuth>,
    /// Notified when the session ends.
    close: Option<Arc<Notify>>,
    /// True once the server shuts down.
    closing: tokio::sync::watch::Receiver<bool>,
    narrow: Narrow,
    /// The newest position sent or passed over: anything at or before it is not sent again.
    last: Position,
    /// Frames to send before anything else.
    queue: VecDeque<Bytes>,
    /// End once the queue is sent.
    ended: bool,
}

/// What to do with one event.
enum Verdict {
    Send(Bytes),
    Skip,
    /// The viewer's sign-in no longer holds: end the stream.
    End,
}

impl Open {
    /// The next frame, or `None` to end the stream.
    async fn next(
        &mut self,
        ticks: &mut tokio::time::Interval,
        deadline: Option<tokio::time::Instant>,
    ) -> Option<Bytes> {
        loop {
            if let Some(frame) = self.queue.pop_front() {
                return Some(frame);
            }
            if self.ended {
                return None;
            }
            let closed = async {
                match &self.close {
                    Some(close) => close.notified().await,
                    None => std::future::pending().await,
                }
            };
            let expired = async {
                match deadline {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            let mut closing = self.closing.clone();
            let shutting = async move {
                let _ = closing.wait_for(|closing| *closing).await;
            };
            tokio::select! {
                received = self.rx.recv() => match received {
                    Ok(change) => match self.consider(&change).await {
                        Verdict::Send(frame) => return Some(frame),
                        Verdict::Skip => {}
                        Verdict::End => return None,
                    },
                    // Fell behind the channel: read what was missed from the log.
                    Err(RecvError::Lagged(_)) => {
                        if self.replay(self.last).await.is_err() {
                            return None;
                        }
                    }
                    Err(RecvError::Closed) => return None,
                },
                _ = ticks.tick() => return Some(Bytes::from_static(b":\n\n")),
                // The session ended: close (the browser reconnects as whoever it now is).
                _ = closed => return None,
                _ = expired => return None,
                // Shutting down: a short retry hint, then the end, so the browser reconnects
                // at once, through the balancer, to an instance that is still up.
                _ = shutting => {
                    self.ended = true;
                    return Some(Bytes::from_static(SHUTDOWN_FRAME));
                }
            }
        }
    }

    async fn consider(&mut self, change: &Change) -> Verdict {
        if change.position <= self.last {
            return Verdict::Skip;
        }
        self.last = change.position;
        if change.kind.is_internal() {
            if let (Some(viewer), Some(auth)) = (&self.viewer, &self.auth) {
                if change.person == Some(viewer.id) {
                    // Their rights changed: look again, with the rules of the pages.
                    match auth::person_viewer(&self.state, None, auth).await {
                        Ok(Some((again, _))) => self.viewer = Some(again),
                        _ => return Verdict::End,
                    }
                }
            }
            return Verdict::Skip;
        }
        if !self.narrow.admits(change) {
            return Verdict::Skip;
        }
        match change.frame_for(self.viewer.as_ref()) {
            Some(frame) => Verdict::Send(frame.clone()),
            None => Verdict::Skip,
        }
    }

    /// Queues what the log holds after `from`, or a reload when it no longer holds all of it.
    async fn replay(&mut self, from: Position) -> Result<(), app::error::AppError> {
        let pool = self.hub.pool().clone();
        if log::pruned(&pool).await?.is_some_and(|pruned| from < pruned) {
            self.queue.push_back(reload());
            return Ok(());
        }
        let (rows, _) = log::events_after(&pool, from, REPLAY_MAX + 1).await?;
        if rows.len() as i64 > REPLAY_MAX {
            self.queue.push_back(reload());
            return Ok(());
        }
        for row in rows {
            if let Some(change) = Change::from_row(row) {
                match self.consider(&change).await {
                    Verdict::Send(frame) => self.queue.push_back(frame),
                    Verdict::Skip => {}
                    Verdict::End => {
                        self.ended = true;
                        break;
                    }
                }
            }
        }
        Ok(())
    }
}

fn reload() -> Bytes {
    Bytes::from(format!("event: {RELOAD}\ndata: {{}}\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_checked_and_last_event_id_wins() {
        let none = HeaderMap::new();
        assert!(parameters(None, &none).unwrap().0.is_none());
        let (after, _) = parameters(Some("after=12-3"), &none).unwrap();
        assert_eq!(after, Some(Position { xid: 12, seq: 3 }));
        let mut resumed = HeaderMap::new();
        resumed.insert("last-event-id", "40-1".parse().unwrap());
        assert_eq!(parameters(Some("after=12-3"), &resumed).unwrap().0, Some(Position { xid: 40, seq: 1 }));
        assert!(parameters(Some("after=soon"), &none).unwrap_err().contains("position"));
        assert!(parameters(Some("plan=nope"), &none).unwrap_err().contains("id"));
        assert!(parameters(Some("x=1"), &none).unwrap_err().contains("not \"x\""));
        let many = (0..51).map(|_| format!("plan={}", Uuid::nil())).collect::<Vec<_>>().join("&");
        assert!(parameters(Some(&many), &none).is_err());
    }
}
