#!/usr/bin/env python3
"""Writes action updates through nginx for the fault scripts, and records every one the server
acknowledged, so that what PostgreSQL holds afterwards can be checked against it.

    writer.py BASE SECONDS ACTIONS_FILE ACKED_FILE [WRITERS]

BASE is nginx (http://127.0.0.1:PORT). ACTIONS_FILE lists "action_id version page" lines (page:
the action's path on the site), one action per writer (the contributor of Clackmannanshire may update each). Each writer updates its own
action in a loop, with a progress text unique to the attempt, and appends the text of every
update answered 2xx/3xx to ACKED_FILE. A refused or failed attempt (503 while the database is
down, a connection reset while an instance dies, 409 when an earlier attempt did commit) is
counted by kind; the writer then reads its action's version back from the page and goes on.
Prints one JSON line of counts and latencies at the end.
"""
import http.client
import json
import re
import sys
import threading
import time
import urllib.parse

BASE, SECONDS, ACTIONS_FILE, ACKED_FILE = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
WRITERS = int(sys.argv[5]) if len(sys.argv) > 5 else 8
URL = urllib.parse.urlparse(BASE)
ORIGIN = f"{URL.scheme}://{URL.netloc}"
RUN = f"{time.time():.0f}"  # tells this run's updates from an earlier one's
EMAIL, PASSWORD = "clacks.contributor@example.org", "forth-valley-demo"

lock = threading.Lock()
counts = {}
samples = {}
latencies = {"ok": [], "failed": []}
acked = open(ACKED_FILE, "a", buffering=1)


def count(kind, seconds):
    with lock:
        counts[kind] = counts.get(kind, 0) + 1
        latencies["ok" if kind == "ok" else "failed"].append(seconds)


def request(method, path, body=None, cookie=None, timeout=10):
    conn = http.client.HTTPConnection(URL.hostname, URL.port, timeout=timeout)
    headers = {"Origin": ORIGIN, "Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode(body)
    if cookie:
        headers["Cookie"] = cookie
    try:
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        return r.status, r.getheader("Set-Cookie") or "", r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def sign_in():
    for _ in range(200):
        try:
            status, cookie, _ = request("POST", "/api/sign_in", {"email": EMAIL, "password": PASSWORD, "next": "/"})
            if status < 400 and cookie:
                return cookie.split(";")[0]
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("could not sign in")


def version_of(page, cookie):
    """The action's current version, as its page's update form shows it (None while unreachable)."""
    for _ in range(100):
        try:
            status, _, body = request("GET", page, cookie=cookie)
            m = re.search(r'name="version" value="(\d+)"', body)
            if status == 200 and m:
                return int(m.group(1))
        except OSError:
            pass
        time.sleep(0.1)
    return None


def writer(n, action, version, page, cookie, deadline):
    attempt = 0
    while time.time() < deadline:
        attempt += 1
        text = f"fault-run {RUN} w{n} a{attempt}"
        form = {"action": action, "version": str(version), "status": "A", "progress": text, "evidence": ""}
        start = time.time()
        try:
            status, _, body = request("POST", "/api/update_action", form, cookie)
        except OSError as e:
            count("connection " + type(e).__name__, time.time() - start)
            version = version_of(page, cookie) or version
            continue
        took = time.time() - start
        if status < 400:
            acked.write(text + "\n")
            count("ok", took)
            version += 1
        else:
            count(f"http {status}", took)
            samples.setdefault(f"http {status}", body[:160])
            if status in (409, 502, 503, 504):
                time.sleep(0.05)
                version = version_of(page, cookie) or version
            if status == 401:
                cookie = sign_in()


def pct(values, p):
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * p))] * 1000, 1)


def main():
    actions = [line.split() for line in open(ACTIONS_FILE) if line.strip()][:WRITERS]
    cookie = sign_in()
    deadline = time.time() + SECONDS
    threads = [
        threading.Thread(target=writer, args=(i, a, int(v), page, cookie, deadline))
        for i, (a, v, page) in enumerate(actions)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({
        "counts": counts,
        "samples": samples,
        "ok_p50_ms": pct(latencies["ok"], 0.5),
        "ok_p99_ms": pct(latencies["ok"], 0.99),
        "failed_max_ms": pct(latencies["failed"], 1.0),
        "failed_p99_ms": pct(latencies["failed"], 0.99),
    }))


main()
