#!/usr/bin/env python3
"""Latency of pages requested one at a time over one kept-alive connection (bench/overview).

Usage: scale-latency.py ADDR METRICS_ADDR REQUESTS LABEL|PATH|HEADER[|HEADER...] ...

For each measurement: p50/p95/p99/max of the client's latency (request sent to the last byte of
the body read, over loopback), the body's size, and the server's own time for the same requests
from its Prometheus metrics (FV_METRICS_ADDR): the mean (the sum over the count of the route
the requests matched) and the smallest latency bucket that holds 95 % of them (the buckets are
coarse: 5, 10, 25, 50, 100 ms, ...). The metrics time a request from its arrival to the
response's head; the body (and its compression, when asked for) is produced after, so the
client's figure is the whole cost and the server's the rendering. One line per measurement,
then one machine-readable line per measurement: "RESULT label p50 p95 p99 max bytes".
FV_BENCH_TRACE=file appends every request's wall-clock time, label and latency to that file.
"""
import http.client
import os
import re
import sys
import time

addr, metrics_addr, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
host, port = addr.split(":")
WARMUP = 10
TRACE = os.environ.get("FV_BENCH_TRACE")


def scrape():
    """route -> (count, sum_seconds, {bound: cumulative count}) for GET."""
    mhost, mport = metrics_addr.split(":")
    conn = http.client.HTTPConnection(mhost, int(mport), timeout=10)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    routes = {}
    pattern = re.compile(r'^fv_http_request_duration_seconds_(bucket|sum|count)\{route="([^"]*)",method="GET"(?:,le="([^"]+)")?\} (\S+)$')
    for line in text.splitlines():
        m = pattern.match(line)
        if not m:
            continue
        kind, route, le, value = m.groups()
        entry = routes.setdefault(route, [0, 0.0, {}])
        if kind == "count":
            entry[0] = int(float(value))
        elif kind == "sum":
            entry[1] = float(value)
        else:
            entry[2][le] = int(float(value))
    return routes


def server_time(before, after):
    """The route most requested between two scrapes: (route, count, mean ms, p95 bucket)."""
    best = None
    for route, (count, total, buckets) in after.items():
        c0, t0, b0 = before.get(route, (0, 0.0, {}))
        dc = count - c0
        if dc > 0 and (best is None or dc > best[1]):
            deltas = {le: v - b0.get(le, 0) for le, v in buckets.items()}
            best = (route, dc, (total - t0) / dc * 1000, deltas)
    if best is None:
        return None
    route, dc, mean, deltas = best
    bounds = sorted((float("inf") if le == "+Inf" else float(le), v) for le, v in deltas.items())
    p95 = next((b for b, v in bounds if v >= 0.95 * dc), float("inf"))
    within50 = next((v for b, v in bounds if b == 0.05), 0) / dc * 100
    return route, dc, mean, p95 * 1000, within50


def measure(label, path, headers):
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    for _ in range(WARMUP):  # the first requests warm connections and caches
        conn.request("GET", path, headers=headers)
        conn.getresponse().read()
    before = scrape()
    times, size, trace = [], 0, []
    for _ in range(n):
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        times.append((time.perf_counter() - start) * 1000)
        if TRACE:
            trace.append(f"{time.time():.3f} {label.replace(' ', '_')} {times[-1]:.2f}\n")
        size = len(body)
        if response.status != 200:
            sys.exit(f"{path}: status {response.status}")
    after = scrape()
    conn.close()
    if TRACE:
        with open(TRACE, "a") as f:
            f.writelines(trace)
    times.sort()
    pct = lambda p: times[min(len(times) - 1, max(0, int(round(p / 100 * len(times))) - 1))]
    return pct(50), pct(95), pct(99), times[-1], size, server_time(before, after)


results = []
for spec in sys.argv[4:]:
    label, path, *raw = spec.split("|")
    headers = dict(h.split(": ", 1) for h in raw if h)
    p50, p95, p99, worst, size, server = measure(label, path, headers)
    line = f"  {label:<52} p50 {p50:6.1f}  p95 {p95:6.1f}  p99 {p99:6.1f}  max {worst:6.1f} ms  {size:>8} bytes"
    if server:
        route, count, mean, p95_bucket, within50 = server
        bound = "∞" if p95_bucket == float("inf") else f"{p95_bucket:g}"
        line += f"  | server: mean {mean:5.1f} ms, p95 ≤ {bound} ms, {within50:.0f}% ≤ 50 ms ({count} requests)"
    print(line, flush=True)
    results.append(f"RESULT {label.replace(' ', '_')} {p50:.2f} {p95:.2f} {p99:.2f} {worst:.2f} {size}")
for r in results:
    print(r)
