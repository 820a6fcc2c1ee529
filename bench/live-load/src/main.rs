//! Opens many Server-Sent Events streams on `/live` (through nginx, spread over both
//! instances with the `fv_pin` cookie), makes timed status changes through one instance and
//! measures, per stream and per change, the time from sending the save to receiving its event.
//! Prints latency percentiles, events lost and the servers' memory per open stream.
//!
//! live-load ADDR CLIENTS CHANGES RATE ACTION VERSION EDITOR_COOKIE MEMBER_COOKIES_FILE PIDS RUN
//! (bench/live passes them; see there.)

use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Incoming;
use hyper::Request;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

struct Shared {
    start: Instant,
    /// When each change was sent (ns since start; 0 = not yet).
    sent: Vec<AtomicU64>,
    /// Latencies in µs, one per (stream, change) received: from sending the save...
    latencies: std::sync::Mutex<Vec<u64>>,
    /// ...and from the saving transaction's own clock (`updated_at`, its start), which bounds
    /// commit-to-receipt from above without the request's work before the transaction.
    from_commit: std::sync::Mutex<Vec<u64>>,
    received: AtomicU64,
    connected: AtomicUsize,
    failed: AtomicUsize,
    marker: String,
}

fn now_ns(shared: &Shared) -> u64 {
    shared.start.elapsed().as_nanos() as u64
}

async fn connect(addr: &str) -> std::io::Result<hyper::client::conn::http1::SendRequest<Full<Bytes>>> {
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

/// One client: opens the stream and records every bench event it receives.
async fn client(addr: String, cookie: String, shared: Arc<Shared>, gate: Arc<Semaphore>, changes: usize) {
    let permit = gate.acquire().await;
    let mut sender = match connect(&addr).await {
        Ok(s) => s,
        Err(_) => {
            shared.failed.fetch_add(1, Ordering::SeqCst);
            return;
        }
    };
    let request = Request::get("/live")
        .header("host", &addr)
        .header("cookie", &cookie)
        .header("accept", "text/event-stream")
        .body(Full::new(Bytes::new()))
        .expect("request");
    let response: hyper::Response<Incoming> = match sender.send_request(request).await {
        Ok(r) if r.status() == 200 => r,
        _ => {
            shared.failed.fetch_add(1, Ordering::SeqCst);
            return;
        }
    };
    drop(permit);
    let mut body = response.into_body();
    let mut seen = vec![false; changes];
    let mut carry: Vec<u8> = Vec::new();
    let mut counted = false;
    let mut got = 0;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { break };
        let Ok(data) = frame.into_data() else { continue };
        if !counted {
            counted = true;
            shared.connected.fetch_add(1, Ordering::SeqCst);
        }
        carry.extend_from_slice(&data);
        // Whole events only ("\n\n"), so a marker split across reads is still found.
        while let Some(end) = carry.windows(2).position(|w| w == b"\n\n") {
            let event: Vec<u8> = carry.drain(..end + 2).collect();
            let text = String::from_utf8_lossy(&event);
            if let Some(at) = text.find(&shared.marker) {
                let rest = &text[at + shared.marker.len()..];
                let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
                if let Ok(k) = digits.parse::<usize>() {
                    if k < changes && !seen[k] {
                        seen[k] = true;
                        got += 1;
                        let sent = shared.sent[k].load(Ordering::SeqCst);
                        let latency = now_ns(&shared).saturating_sub(sent) / 1000;
                        shared.latencies.lock().unwrap().push(latency);
                        if let Some(at) = updated_at(&text) {
                            let now = std::time::SystemTime::now()
                                .duration_since(std::time::UNIX_EPOCH)
                                .map(|d| d.as_micros() as i64)
                                .unwrap_or(0);
                            shared.from_commit.lock().unwrap().push((now - at).max(0) as u64);
                        }
                        shared.received.fetch_add(1, Ordering::SeqCst);
                    }
                }
            }
        }
        if got == changes {
            break;
        }
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
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let whole = days * 86_400 + h * 3600 + min * 60 - offset;
    Some(whole * 1_000_000 + (seconds * 1_000_000.0).round() as i64)
}

fn rss_kb(pid: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 11 {
        eprintln!("usage: live-load ADDR CLIENTS CHANGES RATE ACTION VERSION EDITOR_COOKIE MEMBER_COOKIES_FILE PIDS RUN");
        std::process::exit(2);
    }
    let addr = args[1].clone();
    let clients: usize = args[2].parse().expect("CLIENTS");
    let changes: usize = args[3].parse().expect("CHANGES");
    let rate: f64 = args[4].parse().expect("RATE");
    let action = args[5].clone();
    let mut version: i64 = args[6].parse().expect("VERSION");
    let editor_cookie = args[7].clone();
    let members: Vec<String> = std::fs::read_to_string(&args[8])
        .expect("member cookies")
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let pids: Vec<String> = args[9].split(',').map(str::to_owned).collect();
    let run = args[10].clone();

    let shared = Arc::new(Shared {
        start: Instant::now(),
        sent: (0..changes).map(|_| AtomicU64::new(0)).collect(),
        latencies: std::sync::Mutex::new(Vec::with_capacity(clients * changes)),
        from_commit: std::sync::Mutex::new(Vec::with_capacity(clients * changes)),
        received: AtomicU64::new(0),
        connected: AtomicUsize::new(0),
        failed: AtomicUsize::new(0),
        marker: format!("bench {run} #"),
    });
    let rss_before: Vec<u64> = pids.iter().map(|p| rss_kb(p)).collect();

    // Nine in ten anonymous, one in ten a signed-in member; alternately on each instance.
    let gate = Arc::new(Semaphore::new(256));
    let opening = Instant::now();
    let mut tasks = Vec::with_capacity(clients);
    let mut member_streams = 0;
    for i in 0..clients {
        let pin = if i % 2 == 0 { "a" } else { "b" };
        let cookie = if i % 10 == 9 && !members.is_empty() {
            member_streams += 1;
            format!("fv_pin={pin}; {}", members[i / 10 % members.len()])
        } else {
            format!("fv_pin={pin}")
        };
        tasks.push(tokio::spawn(client(addr.clone(), cookie, shared.clone(), gate.clone(), changes)));
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while shared.connected.load(Ordering::SeqCst) + shared.failed.load(Ordering::SeqCst) < clients
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let connected = shared.connected.load(Ordering::SeqCst);
    let open_time = opening.elapsed();
    // Let the servers settle before reading their memory.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_open: Vec<u64> = pids.iter().map(|p| rss_kb(p)).collect();

    // The changes, through instance a, at `rate` per second, one after another.
    let mut editor = connect(&addr).await.expect("editor connects");
    let interval = Duration::from_secs_f64(1.0 / rate);
    let mut next = Instant::now();
    let mut refused = 0;
    let mut saves: Vec<u64> = Vec::with_capacity(changes);
    let changing = Instant::now();
    for k in 0..changes {
        tokio::time::sleep_until(next.into()).await;
        next += interval;
        let status = ["G", "A", "R", "P"][k % 4];
        let body = format!(
            "action={action}&version={version}&status={status}&progress=bench+{run}+%23{k}&evidence=&revised_timescale=&reason={}",
            if status == "R" { "bench" } else { "" }
        );
        let body = if status == "R" { body.replace("revised_timescale=&", "revised_timescale=March&") } else { body };
        let request = Request::post("/api/update_action")
            .header("host", &addr)
            .header("origin", format!("http://{addr}"))
            .header("cookie", format!("fv_pin=a; {editor_cookie}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Full::new(Bytes::from(body)))
            .expect("request");
        shared.sent[k].store(now_ns(&shared).max(1), Ordering::SeqCst);
        if editor.ready().await.is_err() {
            editor = connect(&addr).await.expect("editor reconnects");
        }
        let saving = Instant::now();
        match editor.send_request(request).await {
            Ok(response) => {
                let ok = response.status().is_success();
                let _ = response.into_body().collect().await;
                saves.push(saving.elapsed().as_micros() as u64);
                if ok {
                    version += 1;
                } else {
                    refused += 1;
                }
            }
            Err(_) => refused += 1,
        }
    }
    let change_time = changing.elapsed();
    // Everything sent: wait for the last deliveries (at most 10 s).
    let expected = (connected * (changes - refused)) as u64;
    let waiting = Instant::now() + Duration::from_secs(10);
    while shared.received.load(Ordering::SeqCst) < expected && Instant::now() < waiting {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let received = shared.received.load(Ordering::SeqCst);
    for t in &tasks {
        t.abort();
    }
    let mut latencies = shared.latencies.lock().unwrap().clone();
    latencies.sort_unstable();
    let mut from_commit = shared.from_commit.lock().unwrap().clone();
    from_commit.sort_unstable();
    let grown: i64 = rss_open.iter().zip(&rss_before).map(|(a, b)| *a as i64 - *b as i64).sum();
    let per_stream_kb = if connected > 0 { grown as f64 / connected as f64 } else { f64::NAN };
    let _ = Empty::<Bytes>::new();
    println!(
        "clients={clients} connected={connected} failed={} members={member_streams} opened_in={:.1}s",
        shared.failed.load(Ordering::SeqCst),
        open_time.as_secs_f64()
    );
    println!(
        "changes={changes} refused={refused} rate={rate}/s took={:.1}s expected_deliveries={expected} received={received} lost={}",
        change_time.as_secs_f64(),
        expected.saturating_sub(received)
    );
    println!(
        "latency_ms p50={:.1} p95={:.1} p99={:.1} max={:.1}",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0)
    );
    println!(
        "commit_ms p50={:.1} p95={:.1} p99={:.1} max={:.1} samples={}",
        percentile(&from_commit, 0.50),
        percentile(&from_commit, 0.95),
        percentile(&from_commit, 0.99),
        percentile(&from_commit, 1.0),
        from_commit.len()
    );
    saves.sort_unstable();
    println!("save_ms p50={:.1} p99={:.1}", percentile(&saves, 0.5), percentile(&saves, 0.99));
    println!(
        "server_rss_kb before={} with_streams={} per_stream_kb={per_stream_kb:.1}",
        rss_before.iter().sum::<u64>(),
        rss_open.iter().sum::<u64>()
    );
}
