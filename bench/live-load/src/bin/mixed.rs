//! Mixed load for bench/load: N Server-Sent Events streams on `/live` held open the whole run
//! (through nginx, spread over both instances with the `fv_pin` cookie; nine in ten anonymous,
//! one in ten signed-in members), and at a steady open-loop rate a mix of anonymous page reads,
//! signed-in pages and status updates by contributors. Every 30 s one line: requests by kind,
//! errors, open streams, event delivery, and the memory (VmRSS) of both instances and nginx. At
//! the end a table per kind (count, errors by status, p50/p95/p99/max), the event delivery
//! latency (from sending an update to its event's receipt on every stream), events lost, the
//! memory series with its verdict, and one line `RESULT {json}`. Exits 1 when the run fails
//! (see `verdict` below), 2 when it could not start.
//!
//! mixed ADDR WORKDIR SECONDS STREAMS RATE PIDS [MIX] [MIN_RATE]
//!
//! - ADDR: nginx, host:port.
//! - WORKDIR holds (bench/load writes them from the demo data):
//!   - `anon`: one path per line, read without a session;
//!   - `members`: `EMAIL PATH...` per line, read signed in as EMAIL;
//!   - `actions`: `EMAIL ACTION_ID VERSION PAGE` per line, updated as EMAIL (each line keeps its
//!     own idea of the version, as a person's open form does: two lines naming one action are
//!     two people on the same action, whose updates conflict by design, 409);
//!   - `stream-members`: emails whose sessions the signed-in streams use, in turn.
//! - PIDS: `a=PID,b=PID,nginx=PID` (nginx: its master; its workers are added).
//! - MIX: weights `anon:signed_in:update`, default `50:40:10`.
//! - MIN_RATE: requests answered per second below which the run fails, default 50.
//!
//! The password of every account is FV_LOAD_PASSWORD, default the demo's.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::Request;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

const KINDS: [&str; 4] = ["anon", "signed_in", "update", "reread"];
const ANON: usize = 0;
const SIGNED: usize = 1;
const UPDATE: usize = 2;
const REREAD: usize = 3;
const WINDOW: Duration = Duration::from_secs(30);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

type Sender = SendRequest<Full<Bytes>>;

#[derive(Default)]
struct KindRec {
    count: u64,
    ok: u64,
    conflicts: u64,
    errors: u64,
    /// Latency of every answered request (any status), µs.
    lat_us: Vec<u32>,
}

#[derive(Default)]
struct Rec {
    kinds: [KindRec; 4],
    window: [u64; 4],
    window_errors: u64,
    window_conflicts: u64,
    /// Pages (anon and signed-in): latencies per (kind, path).
    paths: BTreeMap<(usize, String), Vec<u32>>,
    /// Who answered (the `x-fv-instance` header; "nginx" when absent).
    instances: BTreeMap<String, u64>,
    /// "kind: http 503" or "kind: timeout" → count, and the first body seen.
    errors: BTreeMap<String, u64>,
    samples: BTreeMap<String, String>,
}

#[derive(Default)]
struct Events {
    /// From sending the update to receipt, per (stream, update), µs.
    lat_us: Vec<u32>,
    /// From the saving transaction's own clock (`updated_at`, its start) to receipt, µs.
    from_tx_us: Vec<u32>,
    window: Vec<u32>,
}

struct Stream {
    cookie: String,
    /// When it first opened, ns since start (0: never).
    opened_at: AtomicU64,
    /// Updates whose event this stream received.
    seen: Mutex<Vec<u64>>,
}

struct ActionRow {
    email: String,
    id: String,
    page: String,
    version: Mutex<i64>,
}

struct Shared {
    start: Instant,
    addr: String,
    marker: String,
    run: String,
    pool: Mutex<Vec<Sender>>,
    rec: Mutex<Rec>,
    ev: Mutex<Events>,
    sessions: Mutex<HashMap<String, String>>,
    anon: Vec<String>,
    members: Vec<(String, Vec<String>)>,
    actions: Vec<ActionRow>,
    /// When update k was sent (ns since start; 0 = not sent) and whether it was acknowledged.
    sent: Vec<AtomicU64>,
    acked: Vec<AtomicBool>,
    next_update: AtomicUsize,
    open_now: AtomicUsize,
    ever_open: AtomicUsize,
    reconnections: AtomicU64,
    events: AtomicU64,
    window_events: AtomicU64,
    reloads: AtomicU64,
    stream_refusals: Mutex<BTreeMap<String, u64>>,
    in_flight: AtomicUsize,
    stopping: AtomicBool,
    seed: AtomicU64,
}

fn now_ns(shared: &Shared) -> u64 {
    shared.start.elapsed().as_nanos() as u64
}

/// A random number below `n` (splitmix64 over a shared counter).
fn below(shared: &Shared, n: usize) -> usize {
    let mut z = shared.seed.fetch_add(0x9E37_79B9_7F4A_7C15, SeqCst);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z % n.max(1) as u64) as usize
}

fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

async fn connect(addr: &str) -> std::io::Result<Sender> {
    let tcp = TcpStream::connect(addr).await?;
    tcp.set_nodelay(true)?;
    let io = hyper_util::rt::TokioIo::new(tcp);
    let (sender, conn) =
        hyper::client::conn::http1::handshake(io).await.map_err(|e| std::io::Error::other(e.to_string()))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

/// An idle keep-alive connection to nginx, or a new one.
async fn take(shared: &Shared) -> Result<Sender, String> {
    loop {
        let pooled = shared.pool.lock().unwrap().pop();
        match pooled {
            Some(mut sender) => {
                if !sender.is_closed() && sender.ready().await.is_ok() {
                    return Ok(sender);
                }
            }
            None => return connect(&shared.addr).await.map_err(|e| format!("connect: {e}")),
        }
    }
}

struct Answer {
    status: u16,
    instance: String,
    set_cookie: Vec<String>,
    body: Bytes,
}

async fn call(shared: &Shared, method: &str, path: &str, cookie: Option<&str>, form: Option<String>) -> Result<Answer, String> {
    let mut builder = Request::builder().method(method).uri(path).header("host", &shared.addr);
    if let Some(cookie) = cookie {
        builder = builder.header("cookie", cookie);
    }
    let body = match form {
        Some(form) => {
            builder = builder
                .header("origin", format!("http://{}", shared.addr))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json");
            Full::new(Bytes::from(form))
        }
        None => {
            builder = builder.header("accept", "text/html");
            Full::new(Bytes::new())
        }
    };
    let request = builder.body(body).map_err(|e| e.to_string())?;
    let exchange = async {
        let mut sender = take(shared).await?;
        let response = sender.send_request(request).await.map_err(|e| format!("send: {e}"))?;
        let status = response.status().as_u16();
        let headers = response.headers();
        let instance =
            headers.get("x-fv-instance").and_then(|v| v.to_str().ok()).unwrap_or("nginx").to_owned();
        let set_cookie =
            headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect();
        let body = response.into_body().collect().await.map_err(|e| format!("body: {e}"))?.to_bytes();
        if !sender.is_closed() {
            shared.pool.lock().unwrap().push(sender);
        }
        Ok(Answer { status, instance, set_cookie, body })
    };
    match tokio::time::timeout(REQUEST_TIMEOUT, exchange).await {
        Ok(result) => result,
        Err(_) => Err("timeout".into()),
    }
}

/// Records one request; true when it was answered as designed (2xx/3xx, or 200 for a page;
/// a 409 to an update counts as a designed conflict, not an error).
fn record(shared: &Shared, kind: usize, path: &str, result: &Result<Answer, String>, took: Duration) -> bool {
    let us = took.as_micros().min(u32::MAX as u128) as u32;
    let mut rec = shared.rec.lock().unwrap();
    rec.kinds[kind].count += 1;
    rec.window[kind] += 1;
    let error = match result {
        Ok(answer) => {
            rec.kinds[kind].lat_us.push(us);
            *rec.instances.entry(answer.instance.clone()).or_default() += 1;
            if kind == ANON || kind == SIGNED {
                rec.paths.entry((kind, path.to_owned())).or_default().push(us);
            }
            let fine = if kind == UPDATE { answer.status < 400 } else { answer.status == 200 };
            if fine {
                rec.kinds[kind].ok += 1;
                None
            } else if kind == UPDATE && answer.status == 409 {
                rec.kinds[kind].conflicts += 1;
                rec.window_conflicts += 1;
                None
            } else {
                let body = String::from_utf8_lossy(&answer.body[..answer.body.len().min(200)]).replace('\n', " ");
                Some((format!("{}: http {} ({})", KINDS[kind], answer.status, answer.instance), format!("{path}: {body}")))
            }
        }
        Err(why) => Some((format!("{}: {why}", KINDS[kind]), path.to_owned())),
    };
    match error {
        None => true,
        Some((key, sample)) => {
            rec.kinds[kind].errors += 1;
            rec.window_errors += 1;
            *rec.errors.entry(key.clone()).or_default() += 1;
            rec.samples.entry(key).or_insert(sample);
            false
        }
    }
}

fn session(shared: &Shared, email: &str) -> String {
    shared.sessions.lock().unwrap().get(email).cloned().unwrap_or_default()
}

async fn sign_in(shared: &Shared, email: &str, password: &str) -> Result<String, String> {
    let form = format!("email={}&password={}&next=%2F", encode(email), encode(password));
    let mut last = String::new();
    for _ in 0..5 {
        match call(shared, "POST", "/api/sign_in", None, Some(form.clone())).await {
            Ok(answer) => {
                if let Some(cookie) = answer
                    .set_cookie
                    .iter()
                    .find(|c| c.starts_with("fv_session="))
                    .map(|c| c.split(';').next().unwrap_or_default().to_owned())
                {
                    if answer.status < 400 {
                        return Ok(cookie);
                    }
                }
                last = format!("http {}: {}", answer.status, String::from_utf8_lossy(&answer.body[..answer.body.len().min(200)]));
            }
            Err(why) => last = why,
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Err(format!("could not sign in {email}: {last}"))
}

async fn page(shared: Arc<Shared>, kind: usize, at: Instant) {
    let (path, cookie) = if kind == ANON {
        (shared.anon[below(&shared, shared.anon.len())].clone(), None)
    } else {
        let (email, paths) = &shared.members[below(&shared, shared.members.len())];
        (paths[below(&shared, paths.len())].clone(), Some(session(&shared, email)))
    };
    let result = call(&shared, "GET", &path, cookie.as_deref(), None).await;
    record(&shared, kind, &path, &result, at.elapsed());
}

fn version_in(body: &[u8]) -> Option<i64> {
    let text = String::from_utf8_lossy(body);
    let key = "name=\"version\" value=\"";
    let at = text.find(key)? + key.len();
    text[at..].chars().take_while(|c| c.is_ascii_digit()).collect::<String>().parse().ok()
}

async fn reread(shared: &Shared, row: &ActionRow) {
    let cookie = session(shared, &row.email);
    let started = Instant::now();
    let result = call(shared, "GET", &row.page, Some(&cookie), None).await;
    if record(shared, REREAD, &row.page, &result, started.elapsed()) {
        if let Some(v) = result.ok().and_then(|a| version_in(&a.body)) {
            *row.version.lock().unwrap() = v;
        }
    }
}

async fn update(shared: Arc<Shared>, at: Instant) {
    let k = shared.next_update.fetch_add(1, SeqCst);
    if k >= shared.sent.len() {
        return;
    }
    let row = &shared.actions[below(&shared, shared.actions.len())];
    let version = *row.version.lock().unwrap();
    let status = if k % 2 == 0 { "G" } else { "A" };
    let form = format!(
        "action={}&version={version}&status={status}&progress=load+{}+%23{k}&evidence=&revised_timescale=&reason=",
        row.id, shared.run
    );
    let cookie = session(&shared, &row.email);
    shared.sent[k].store(now_ns(&shared).max(1), SeqCst);
    let result = call(&shared, "POST", "/api/update_action", Some(&cookie), Some(form)).await;
    record(&shared, UPDATE, "/api/update_action", &result, at.elapsed());
    match &result {
        Ok(answer) if answer.status < 400 => {
            shared.acked[k].store(true, SeqCst);
            let mut v = row.version.lock().unwrap();
            if *v == version {
                *v = version + 1;
            }
        }
        // Someone saved first (by design): read the version again and go on.
        Ok(answer) if answer.status == 409 => reread(&shared, row).await,
        _ => {}
    }
}

/// The event's `"updated_at":"2026-12-02T02:58:01.123456+00:00"` in µs since the epoch.
fn updated_at(text: &str) -> Option<i64> {
    let key = "\"updated_at\":\"";
    let at = text.find(key)? + key.len();
    let value = &text[at..at + text[at..].find('"')?];
    let (date, time) = value.split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<i64>());
    let (y, m, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let zone_at = time.find(['+', '-', 'Z'])?;
    let (clock, zone) = time.split_at(zone_at);
    let mut c = clock.split(':');
    let (h, min) = (c.next()?.parse::<i64>().ok()?, c.next()?.parse::<i64>().ok()?);
    let seconds: f64 = c.next()?.parse().ok()?;
    let offset = match zone {
        "Z" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let mut parts = z[1..].split(':');
            let oh: i64 = parts.next()?.parse().ok()?;
            let om: i64 = parts.next().unwrap_or("0").parse().ok()?;
            sign * (oh * 3600 + om * 60)
        }
    };
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let whole = days * 86_400 + h * 3600 + min * 60 - offset;
    Some(whole * 1_000_000 + (seconds * 1_000_000.0).round() as i64)
}

/// One SSE event (the text between blank lines): counts it, and times a marked update's event.
fn on_event(shared: &Shared, stream: &Stream, text: &str, last_id: &mut Option<String>, retry_ms: &mut u64) {
    let mut has_data = false;
    let mut reload = false;
    for line in text.lines() {
        if let Some(id) = line.strip_prefix("id:") {
            *last_id = Some(id.trim().to_owned());
        } else if line.starts_with("data:") {
            has_data = true;
        } else if line.trim() == "event: reload" {
            reload = true;
        } else if let Some(ms) = line.strip_prefix("retry:") {
            if let Ok(ms) = ms.trim().parse() {
                *retry_ms = ms;
            }
        }
    }
    if reload {
        shared.reloads.fetch_add(1, SeqCst);
        return;
    }
    if !has_data {
        return;
    }
    shared.events.fetch_add(1, SeqCst);
    shared.window_events.fetch_add(1, SeqCst);
    let Some(at) = text.find(&shared.marker) else { return };
    let digits: String = text[at + shared.marker.len()..].chars().take_while(|c| c.is_ascii_digit()).collect();
    let Ok(k) = digits.parse::<usize>() else { return };
    if k >= shared.sent.len() {
        return;
    }
    {
        let mut seen = stream.seen.lock().unwrap();
        let (word, bit) = (k / 64, 1u64 << (k % 64));
        if seen.len() <= word {
            seen.resize(word + 1, 0);
        }
        if seen[word] & bit != 0 {
            return;
        }
        seen[word] |= bit;
    }
    let sent = shared.sent[k].load(SeqCst);
    if sent == 0 {
        return;
    }
    let us = (now_ns(shared).saturating_sub(sent) / 1000).min(u32::MAX as u64) as u32;
    let from_tx = updated_at(text).map(|at| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_micros() as i64)
            .unwrap_or(0);
        (now - at).clamp(0, u32::MAX as i64) as u32
    });
    let mut ev = shared.ev.lock().unwrap();
    ev.lat_us.push(us);
    ev.window.push(us);
    if let Some(t) = from_tx {
        ev.from_tx_us.push(t);
    }
}

/// One live view, open the whole run: reconnects as a browser's EventSource does (after the
/// server's `retry`, with `Last-Event-ID`), counting each reconnection.
async fn stream(shared: Arc<Shared>, stream: Arc<Stream>, gate: Arc<Semaphore>) {
    let mut last_id: Option<String> = None;
    let mut retry_ms: u64 = 2000;
    loop {
        if shared.stopping.load(SeqCst) {
            return;
        }
        let first = stream.opened_at.load(SeqCst) == 0;
        let permit = if first { gate.clone().acquire_owned().await.ok() } else { None };
        let opened = async {
            let mut sender = connect(&shared.addr).await.map_err(|e| format!("connect: {e}"))?;
            let mut builder = Request::get("/live")
                .header("host", &shared.addr)
                .header("cookie", &stream.cookie)
                .header("accept", "text/event-stream");
            if let Some(id) = &last_id {
                builder = builder.header("last-event-id", id);
            }
            let request = builder.body(Full::new(Bytes::new())).map_err(|e| e.to_string())?;
            let response = sender.send_request(request).await.map_err(|e| format!("send: {e}"))?;
            if response.status() != 200 {
                return Err(format!("http {}", response.status().as_u16()));
            }
            Ok(response.into_body())
        };
        let opened = tokio::time::timeout(REQUEST_TIMEOUT, opened).await.unwrap_or_else(|_| Err("timeout".into()));
        drop(permit);
        let mut body = match opened {
            Ok(body) => body,
            Err(why) => {
                *shared.stream_refusals.lock().unwrap().entry(why).or_default() += 1;
                tokio::time::sleep(Duration::from_millis(retry_ms)).await;
                continue;
            }
        };
        if first {
            stream.opened_at.store(now_ns(&shared).max(1), SeqCst);
            shared.ever_open.fetch_add(1, SeqCst);
        } else {
            shared.reconnections.fetch_add(1, SeqCst);
        }
        shared.open_now.fetch_add(1, SeqCst);
        let mut carry: Vec<u8> = Vec::new();
        while let Some(Ok(frame)) = body.frame().await {
            let Ok(data) = frame.into_data() else { continue };
            carry.extend_from_slice(&data);
            while let Some(end) = carry.windows(2).position(|w| w == b"\n\n") {
                let event: Vec<u8> = carry.drain(..end + 2).collect();
                on_event(&shared, &stream, &String::from_utf8_lossy(&event), &mut last_id, &mut retry_ms);
            }
        }
        shared.open_now.fetch_sub(1, SeqCst);
        if shared.stopping.load(SeqCst) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(retry_ms)).await;
    }
}

fn status_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

/// The process and its children (nginx: the master and its workers).
fn tree_kb(pid: u32) -> u64 {
    let mut total = status_kb(pid);
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for entry in dir.flatten() {
            let Some(child) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{child}/stat")) else { continue };
            let ppid = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
            if ppid == Some(pid) {
                total += status_kb(child);
            }
        }
    }
    total
}

#[derive(Clone, Copy)]
struct Memory {
    at: f64,
    a: u64,
    b: u64,
    nginx: u64,
    load: u64,
}

fn memory(pids: &HashMap<String, u32>, at: f64) -> Memory {
    let get = |name: &str| pids.get(name).map(|&p| status_kb(p)).unwrap_or(0);
    Memory {
        at,
        a: get("a"),
        b: get("b"),
        nginx: pids.get("nginx").map(|&p| tree_kb(p)).unwrap_or(0),
        load: status_kb(std::process::id()),
    }
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

fn pct(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i] as f64 / 1000.0
}

fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.1}")
    } else {
        "null".into()
    }
}

/// Mean of the middle and last thirds of a series (the samples taken under load).
fn thirds(series: &[u64]) -> Option<(f64, f64)> {
    let n = series.len();
    if n < 6 {
        return None;
    }
    let mean = |s: &[u64]| s.iter().sum::<u64>() as f64 / s.len() as f64;
    Some((mean(&series[n / 3..2 * n / 3]), mean(&series[2 * n / 3..])))
}

/// Least-squares slope of a series over its last two thirds, MB per minute.
fn slope_mb_per_min(points: &[(f64, u64)]) -> f64 {
    let points = &points[points.len() / 3..];
    let n = points.len() as f64;
    if n < 2.0 {
        return f64::NAN;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1 as f64).sum::<f64>() / n;
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 as f64 - my)).sum();
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx == 0.0 {
        return f64::NAN;
    }
    sxy / sxx * 60.0 / 1024.0
}

fn read_lines(path: &std::path::Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| {
            eprintln!("{}: {e}", path.display());
            std::process::exit(2)
        })
        .lines()
        .map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .filter(|l| !l.is_empty())
        .collect()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 7 || args.len() > 9 {
        eprintln!("usage: mixed ADDR WORKDIR SECONDS STREAMS RATE PIDS [MIX anon:signed_in:update] [MIN_RATE]");
        std::process::exit(2);
    }
    let addr = args[1].clone();
    let dir = std::path::PathBuf::from(&args[2]);
    let seconds: f64 = args[3].parse().expect("SECONDS");
    let streams: usize = args[4].parse().expect("STREAMS");
    let rate: f64 = args[5].parse().expect("RATE");
    let pids: HashMap<String, u32> = args[6]
        .split(',')
        .filter_map(|p| p.split_once('=').and_then(|(k, v)| Some((k.to_owned(), v.parse().ok()?))))
        .collect();
    let mix: Vec<u64> = args.get(7).map(String::as_str).unwrap_or("50:40:10").split(':').map(|w| w.parse().expect("MIX")).collect();
    assert!(mix.len() == 3 && mix.iter().sum::<u64>() > 0, "MIX is anon:signed_in:update");
    let min_rate: f64 = args.get(8).map(|r| r.parse().expect("MIN_RATE")).unwrap_or(50.0);
    let password = std::env::var("FV_LOAD_PASSWORD").unwrap_or_else(|_| "forth-valley-demo".into());

    let anon: Vec<String> = read_lines(&dir.join("anon")).into_iter().map(|l| l[0].clone()).collect();
    let members: Vec<(String, Vec<String>)> =
        read_lines(&dir.join("members")).into_iter().filter(|l| l.len() > 1).map(|l| (l[0].clone(), l[1..].to_vec())).collect();
    let actions: Vec<ActionRow> = read_lines(&dir.join("actions"))
        .into_iter()
        .filter(|l| l.len() == 4)
        .map(|l| ActionRow { email: l[0].clone(), id: l[1].clone(), version: Mutex::new(l[2].parse().expect("version")), page: l[3].clone() })
        .collect();
    let stream_members: Vec<String> = read_lines(&dir.join("stream-members")).into_iter().map(|l| l[0].clone()).collect();
    if anon.is_empty() || members.is_empty() || actions.is_empty() {
        eprintln!("{}: anon, members and actions must each name something", dir.display());
        std::process::exit(2);
    }

    let total = mix.iter().sum::<u64>() as f64;
    let max_updates = (rate * seconds * mix[2] as f64 / total).ceil() as usize + 16;
    let run = format!(
        "{}",
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
    );
    let shared = Arc::new(Shared {
        start: Instant::now(),
        addr: addr.clone(),
        marker: format!("load {run} #"),
        run,
        pool: Mutex::new(Vec::new()),
        rec: Mutex::new(Rec::default()),
        ev: Mutex::new(Events::default()),
        sessions: Mutex::new(HashMap::new()),
        anon,
        members,
        actions,
        sent: (0..max_updates).map(|_| AtomicU64::new(0)).collect(),
        acked: (0..max_updates).map(|_| AtomicBool::new(false)).collect(),
        next_update: AtomicUsize::new(0),
        open_now: AtomicUsize::new(0),
        ever_open: AtomicUsize::new(0),
        reconnections: AtomicU64::new(0),
        events: AtomicU64::new(0),
        window_events: AtomicU64::new(0),
        reloads: AtomicU64::new(0),
        stream_refusals: Mutex::new(BTreeMap::new()),
        in_flight: AtomicUsize::new(0),
        stopping: AtomicBool::new(false),
        seed: AtomicU64::new(0x5EED ^ std::process::id() as u64),
    });

    // Sign everyone in once (their sessions serve pages, updates and streams alike).
    let mut emails: Vec<String> = shared.members.iter().map(|m| m.0.clone()).collect();
    emails.extend(shared.actions.iter().map(|a| a.email.clone()));
    emails.extend(stream_members.iter().cloned());
    emails.sort();
    emails.dedup();
    for email in &emails {
        match sign_in(&shared, email, &password).await {
            Ok(cookie) => {
                shared.sessions.lock().unwrap().insert(email.clone(), cookie);
            }
            Err(why) => {
                eprintln!("{why}");
                std::process::exit(2);
            }
        }
    }
    // Every page answers 200 before the load starts, or the lists are wrong (not a load fault).
    let mut wrong = Vec::new();
    for path in &shared.anon {
        match call(&shared, "GET", path, None, None).await {
            Ok(a) if a.status == 200 => {}
            Ok(a) => wrong.push(format!("anonymous {path}: http {}", a.status)),
            Err(e) => wrong.push(format!("anonymous {path}: {e}")),
        }
    }
    for (email, paths) in &shared.members {
        let cookie = session(&shared, email);
        for path in paths {
            match call(&shared, "GET", path, Some(&cookie), None).await {
                Ok(a) if a.status == 200 => {}
                Ok(a) => wrong.push(format!("{email} {path}: http {}", a.status)),
                Err(e) => wrong.push(format!("{email} {path}: {e}")),
            }
        }
    }
    if !wrong.is_empty() {
        eprintln!("before the load, these did not answer 200:\n  {}", wrong.join("\n  "));
        std::process::exit(2);
    }
    println!(
        "signed in {} people; {} anonymous paths, {} signed-in people's pages, {} (person, action) update lines",
        emails.len(),
        shared.anon.len(),
        shared.members.len(),
        shared.actions.len()
    );

    // The live views: nine in ten anonymous, one in ten a signed-in member; alternately on
    // each instance.
    let gate = Arc::new(Semaphore::new(256));
    let opening = Instant::now();
    let mut views = Vec::with_capacity(streams);
    let mut tasks = Vec::with_capacity(streams);
    let mut member_streams = 0;
    for i in 0..streams {
        let pin = if i % 2 == 0 { "a" } else { "b" };
        let cookie = if i % 10 == 9 && !stream_members.is_empty() {
            member_streams += 1;
            format!("fv_pin={pin}; {}", session(&shared, &stream_members[i / 10 % stream_members.len()]))
        } else {
            format!("fv_pin={pin}")
        };
        let view = Arc::new(Stream { cookie, opened_at: AtomicU64::new(0), seen: Mutex::new(Vec::new()) });
        views.push(view.clone());
        tasks.push(tokio::spawn(stream(shared.clone(), view, gate.clone())));
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while shared.ever_open.load(SeqCst) < streams && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let opened_in = opening.elapsed().as_secs_f64();
    println!(
        "streams: {} of {streams} open ({member_streams} signed in) in {opened_in:.1}s; refused while opening: {:?}",
        shared.ever_open.load(SeqCst),
        shared.stream_refusals.lock().unwrap()
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut mem = vec![memory(&pids, 0.0)];
    let m0 = mem[0];
    println!(
        "rss before the load, streams open: a {:.1} MB, b {:.1} MB, nginx {:.1} MB, load generator {:.1} MB",
        mb(m0.a),
        mb(m0.b),
        mb(m0.nginx),
        mb(m0.load)
    );
    println!(
        "load: {rate} requests/s for {seconds}s, mix anon:signed_in:update = {}:{}:{} (plus a re-read after each 409)",
        mix[0], mix[1], mix[2]
    );
    shared.window_events.store(0, SeqCst);
    shared.ev.lock().unwrap().window.clear();

    // The open-loop schedule: one request every 1/rate s whatever the answers do, kinds in
    // smooth weighted round robin; each request's latency counts from its scheduled time.
    let load_start = Instant::now();
    let load_end = load_start + Duration::from_secs_f64(seconds);
    let scheduler = {
        let shared = shared.clone();
        let mix = mix.clone();
        tokio::spawn(async move {
            let interval = Duration::from_secs_f64(1.0 / rate);
            let mut current = [0i64; 3];
            let weights: Vec<i64> = mix.iter().map(|&w| w as i64).collect();
            let sum: i64 = weights.iter().sum();
            let mut late_max = Duration::ZERO;
            let mut sent = 0u64;
            for i in 0u64.. {
                let at = load_start + interval.mul_f64(i as f64);
                if at >= load_end {
                    break;
                }
                tokio::time::sleep_until(at.into()).await;
                late_max = late_max.max(at.elapsed());
                for (c, w) in current.iter_mut().zip(&weights) {
                    *c += w;
                }
                let kind = (0..3).max_by_key(|&k| (current[k], -(k as i64))).unwrap_or(0);
                current[kind] -= sum;
                let shared = shared.clone();
                shared.in_flight.fetch_add(1, SeqCst);
                sent += 1;
                tokio::spawn(async move {
                    match kind {
                        UPDATE => update(shared.clone(), at).await,
                        kind => page(shared.clone(), kind, at).await,
                    }
                    shared.in_flight.fetch_sub(1, SeqCst);
                });
            }
            (sent, late_max)
        })
    };

    // Every 30 s (and at the end of the load) one line.
    let mut window_start = load_start;
    let mut boundary = load_start;
    loop {
        boundary = (boundary + WINDOW).min(load_end);
        tokio::time::sleep_until(boundary.into()).await;
        let length = window_start.elapsed().as_secs_f64();
        window_start = Instant::now();
        let (w, errors, conflicts) = {
            let mut rec = shared.rec.lock().unwrap();
            let out = (rec.window, rec.window_errors, rec.window_conflicts);
            rec.window = [0; 4];
            rec.window_errors = 0;
            rec.window_conflicts = 0;
            out
        };
        let mut lat = std::mem::take(&mut shared.ev.lock().unwrap().window);
        lat.sort_unstable();
        let events = shared.window_events.swap(0, SeqCst);
        let m = memory(&pids, load_start.elapsed().as_secs_f64());
        mem.push(m);
        let all: u64 = w.iter().sum();
        println!(
            "[{:>4.0}s] anon {} signed_in {} update {} (409 {}) reread {} = {:.1}/s | errors {} | streams {} open, {} reconnects | events {} ({} marked), p50 {} p99 {} ms | rss a {:.1} b {:.1} nginx {:.1} MB",
            m.at,
            w[ANON],
            w[SIGNED],
            w[UPDATE],
            conflicts,
            w[REREAD],
            all as f64 / length,
            errors,
            shared.open_now.load(SeqCst),
            shared.reconnections.load(SeqCst),
            events,
            lat.len(),
            num(pct(&lat, 0.5)),
            num(pct(&lat, 0.99)),
            mb(m.a),
            mb(m.b),
            mb(m.nginx)
        );
        if boundary >= load_end {
            break;
        }
    }
    let (scheduled, late_max) = scheduler.await.unwrap_or((0, Duration::ZERO));
    // The answers still on their way (at most the request timeout).
    let waiting = Instant::now() + REQUEST_TIMEOUT + Duration::from_secs(5);
    while shared.in_flight.load(SeqCst) > 0 && Instant::now() < waiting {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let load_took = load_start.elapsed().as_secs_f64();
    let unanswered = shared.in_flight.load(SeqCst);

    // Deliveries: every acknowledged update to every stream open before it was sent.
    let lost_now = || {
        let mut expected = 0u64;
        let mut got = 0u64;
        let sent = shared.next_update.load(SeqCst).min(shared.sent.len());
        for view in &views {
            let opened = view.opened_at.load(SeqCst);
            if opened == 0 {
                continue;
            }
            let seen = view.seen.lock().unwrap();
            for k in 0..sent {
                if shared.acked[k].load(SeqCst) && shared.sent[k].load(SeqCst) >= opened {
                    expected += 1;
                    if seen.get(k / 64).is_some_and(|w| w & (1 << (k % 64)) != 0) {
                        got += 1;
                    }
                }
            }
        }
        (expected, got)
    };
    let settle = Instant::now() + Duration::from_secs(10);
    let (mut expected, mut delivered) = lost_now();
    while delivered < expected && Instant::now() < settle {
        tokio::time::sleep(Duration::from_millis(100)).await;
        (expected, delivered) = lost_now();
    }
    let lost = expected - delivered;
    // Which updates were missed, and by how many streams (for the report).
    let mut missed: BTreeMap<usize, usize> = BTreeMap::new();
    if lost > 0 {
        let sent = shared.next_update.load(SeqCst).min(shared.sent.len());
        for view in &views {
            let opened = view.opened_at.load(SeqCst);
            if opened == 0 {
                continue;
            }
            let seen = view.seen.lock().unwrap();
            for k in 0..sent {
                if shared.acked[k].load(SeqCst)
                    && shared.sent[k].load(SeqCst) >= opened
                    && !seen.get(k / 64).is_some_and(|w| w & (1 << (k % 64)) != 0)
                {
                    *missed.entry(k).or_default() += 1;
                }
            }
        }
    }
    let open_at_end = shared.open_now.load(SeqCst);
    shared.stopping.store(true, SeqCst);
    for t in &tasks {
        t.abort();
    }

    // The summary.
    let rec = shared.rec.lock().unwrap();
    let mut kinds_json = Vec::new();
    println!();
    println!(
        "{:<10} {:>7} {:>7} {:>6} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "kind", "count", "ok", "409", "errors", "per_s", "p50_ms", "p95_ms", "p99_ms", "max_ms"
    );
    let mut all_lat: Vec<u32> = Vec::new();
    let (mut all_count, mut all_ok, mut all_conflicts, mut all_errors) = (0, 0, 0, 0);
    for (k, name) in KINDS.iter().enumerate() {
        let r = &rec.kinds[k];
        let mut lat = r.lat_us.clone();
        lat.sort_unstable();
        all_lat.extend_from_slice(&lat);
        all_count += r.count;
        all_ok += r.ok;
        all_conflicts += r.conflicts;
        all_errors += r.errors;
        println!(
            "{:<10} {:>7} {:>7} {:>6} {:>6} {:>8.1} {:>8} {:>8} {:>8} {:>8}",
            name,
            r.count,
            r.ok,
            r.conflicts,
            r.errors,
            r.count as f64 / load_took,
            num(pct(&lat, 0.5)),
            num(pct(&lat, 0.95)),
            num(pct(&lat, 0.99)),
            num(pct(&lat, 1.0))
        );
        kinds_json.push(format!(
            "\"{name}\":{{\"count\":{},\"ok\":{},\"conflicts\":{},\"errors\":{},\"p50_ms\":{},\"p95_ms\":{},\"p99_ms\":{},\"max_ms\":{}}}",
            r.count,
            r.ok,
            r.conflicts,
            r.errors,
            num(pct(&lat, 0.5)),
            num(pct(&lat, 0.95)),
            num(pct(&lat, 0.99)),
            num(pct(&lat, 1.0))
        ));
    }
    all_lat.sort_unstable();
    println!(
        "{:<10} {:>7} {:>7} {:>6} {:>6} {:>8.1} {:>8} {:>8} {:>8} {:>8}",
        "all",
        all_count,
        all_ok,
        all_conflicts,
        all_errors,
        all_count as f64 / load_took,
        num(pct(&all_lat, 0.5)),
        num(pct(&all_lat, 0.95)),
        num(pct(&all_lat, 0.99)),
        num(pct(&all_lat, 1.0))
    );
    let answered = all_ok + all_conflicts;
    let achieved = answered as f64 / load_took;
    println!(
        "scheduled {scheduled} at {rate}/s over {seconds}s (scheduler at most {:.1} ms late); answered as designed {answered} in {load_took:.1}s = {achieved:.1}/s; unanswered at the end {unanswered}",
        late_max.as_secs_f64() * 1000.0
    );
    println!(
        "answered by: {}",
        rec.instances.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
    );
    if rec.errors.is_empty() {
        println!("errors beyond designed conflicts: none");
    } else {
        println!("errors beyond designed conflicts:");
        for (key, count) in &rec.errors {
            println!("  {key} x{count}   first: {}", rec.samples.get(key).map(String::as_str).unwrap_or(""));
        }
    }
    println!();
    let width = rec.paths.keys().map(|(_, p)| p.len()).max().unwrap_or(4);
    println!("{:<10} {:<width$} {:>6} {:>8} {:>8} {:>8}", "pages", "path", "count", "p50_ms", "p95_ms", "p99_ms");
    for ((kind, path), lat) in &rec.paths {
        let mut lat = lat.clone();
        lat.sort_unstable();
        println!(
            "{:<10} {:<width$} {:>6} {:>8} {:>8} {:>8}",
            KINDS[*kind],
            path,
            lat.len(),
            num(pct(&lat, 0.5)),
            num(pct(&lat, 0.95)),
            num(pct(&lat, 0.99))
        );
    }

    let ev = shared.ev.lock().unwrap();
    let mut lat = ev.lat_us.clone();
    lat.sort_unstable();
    let mut from_tx = ev.from_tx_us.clone();
    from_tx.sort_unstable();
    let acked = shared.acked.iter().filter(|a| a.load(SeqCst)).count();
    let refusals = shared.stream_refusals.lock().unwrap().clone();
    let ever_open = shared.ever_open.load(SeqCst);
    let reconnections = shared.reconnections.load(SeqCst);
    println!();
    println!(
        "streams: {ever_open} of {streams} opened ({member_streams} signed in), {open_at_end} open at the end, {reconnections} reconnections, {} reloads, refused {:?}",
        shared.reloads.load(SeqCst),
        refusals
    );
    println!(
        "events received {} in all; updates acknowledged {acked}: deliveries expected {expected}, received {delivered}, lost {lost}",
        shared.events.load(SeqCst)
    );
    if !missed.is_empty() {
        let list: Vec<String> = missed.iter().take(20).map(|(k, n)| format!("#{k} by {n} streams")).collect();
        println!("  missed: {} (of {} updates)", list.join(", "), missed.len());
    }
    println!(
        "event latency from sending the update: p50 {} p95 {} p99 {} max {} ms ({} samples)",
        num(pct(&lat, 0.5)),
        num(pct(&lat, 0.95)),
        num(pct(&lat, 0.99)),
        num(pct(&lat, 1.0)),
        lat.len()
    );
    println!(
        "event latency from the saving transaction: p50 {} p95 {} p99 {} max {} ms",
        num(pct(&from_tx, 0.5)),
        num(pct(&from_tx, 0.95)),
        num(pct(&from_tx, 0.99)),
        num(pct(&from_tx, 1.0))
    );

    // Memory: the series, and whether the instances grow.
    println!();
    println!("{:>6} {:>9} {:>9} {:>9} {:>9}", "t_s", "a_MB", "b_MB", "nginx_MB", "load_MB");
    for m in &mem {
        println!("{:>6.0} {:>9.1} {:>9.1} {:>9.1} {:>9.1}", m.at, mb(m.a), mb(m.b), mb(m.nginx), mb(m.load));
    }
    let under_load = &mem[1..];
    let mut verdicts = Vec::new();
    let mut growth = false;
    let mut short = false;
    for (name, pick) in [("a", (|m: &Memory| m.a) as fn(&Memory) -> u64), ("b", |m: &Memory| m.b), ("nginx", |m: &Memory| m.nginx)] {
        let series: Vec<u64> = under_load.iter().map(pick).collect();
        let points: Vec<(f64, u64)> = under_load.iter().map(|m| (m.at, pick(m))).collect();
        let slope = slope_mb_per_min(&points);
        match thirds(&series) {
            Some((middle, last)) => {
                let change = (last / middle - 1.0) * 100.0;
                let grows = change > 5.0;
                if grows && name != "nginx" {
                    growth = true;
                }
                verdicts.push(format!(
                    "{name}: middle third {:.1} MB, last third {:.1} MB ({change:+.1}%), slope {} MB/min: {}",
                    middle / 1024.0,
                    last / 1024.0,
                    num(slope),
                    if grows { "GROWTH TREND" } else { "no growth trend" }
                ));
            }
            None => {
                short = true;
                verdicts.push(format!("{name}: {} samples under load, too few to tell (6 needed)", series.len()));
            }
        }
    }
    for v in &verdicts {
        println!("memory {v}");
    }
    let memory_verdict = if growth {
        "growth trend"
    } else if short {
        "too short to tell"
    } else {
        "no growth trend"
    };

    let mut failures = Vec::new();
    if all_errors > 0 {
        failures.push(format!("{all_errors} errors beyond designed conflicts"));
    }
    if unanswered > 0 {
        failures.push(format!("{unanswered} requests unanswered"));
    }
    if achieved < min_rate {
        failures.push(format!("{achieved:.1} answered/s, under {min_rate}"));
    }
    if lost > 0 {
        failures.push(format!("{lost} event deliveries lost"));
    }
    if ever_open < streams {
        failures.push(format!("{} streams never opened", streams - ever_open));
    }
    if acked == 0 {
        failures.push("no update acknowledged".into());
    }
    if growth {
        failures.push("memory of an instance grows".into());
    }
    let pass = failures.is_empty();
    println!();
    println!("verdict: {}", if pass { "PASS".to_owned() } else { format!("FAIL ({})", failures.join("; ")) });
    let series = |pick: fn(&Memory) -> u64| mem.iter().map(|m| pick(m).to_string()).collect::<Vec<_>>().join(",");
    println!(
        "RESULT {{\"pass\":{pass},\"seconds\":{seconds},\"streams\":{streams},\"rate\":{rate},\"achieved_per_s\":{},\"requests\":{all_count},\"answered\":{answered},\"errors\":{all_errors},\"conflicts\":{all_conflicts},\"unanswered\":{unanswered},\"kinds\":{{{}}},\"streams_opened\":{ever_open},\"streams_open_at_end\":{open_at_end},\"reconnections\":{reconnections},\"updates_acked\":{acked},\"deliveries_expected\":{expected},\"deliveries_received\":{delivered},\"lost\":{lost},\"event_ms\":{{\"p50\":{},\"p95\":{},\"p99\":{},\"max\":{}}},\"event_from_tx_ms\":{{\"p50\":{},\"p95\":{},\"p99\":{},\"max\":{}}},\"memory_t_s\":[{}],\"rss_kb\":{{\"a\":[{}],\"b\":[{}],\"nginx\":[{}]}},\"memory_verdict\":\"{memory_verdict}\"}}",
        num(achieved),
        kinds_json.join(","),
        num(pct(&lat, 0.5)),
        num(pct(&lat, 0.95)),
        num(pct(&lat, 0.99)),
        num(pct(&lat, 1.0)),
        num(pct(&from_tx, 0.5)),
        num(pct(&from_tx, 0.95)),
        num(pct(&from_tx, 0.99)),
        num(pct(&from_tx, 1.0)),
        mem.iter().map(|m| format!("{:.0}", m.at)).collect::<Vec<_>>().join(","),
        series(|m| m.a),
        series(|m| m.b),
        series(|m| m.nginx)
    );
    std::process::exit(if pass { 0 } else { 1 });
}
