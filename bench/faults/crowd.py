#!/usr/bin/env python3
"""Many clients at once, for the pool-exhaustion fault: CLIENTS threads, each with its own
keep-alive connection, request PATH over and over (with COOKIE, or anonymously when it is "-")
until SECONDS have passed. Every answer is recorded as one line "start_epoch seconds status" in
OUT ("error" for a connection that failed or timed out after 30 s), so the script can split the
run into before, during and after the fault.

    crowd.py BASE SECONDS CLIENTS PATH COOKIE OUT
"""
import http.client
import sys
import threading
import time
import urllib.parse

BASE, SECONDS, CLIENTS, PATH, COOKIE, OUT = sys.argv[1:7]
URL = urllib.parse.urlparse(BASE)
deadline = time.time() + float(SECONDS)
lock = threading.Lock()
out = open(OUT, "a", buffering=1)
headers = {"Accept": "text/html"}
if COOKIE != "-":
    headers["Cookie"] = COOKIE


def client():
    conn = None
    while time.time() < deadline:
        start = time.time()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(URL.hostname, URL.port, timeout=30)
            conn.request("GET", PATH, headers=headers)
            r = conn.getresponse()
            r.read()
            status = str(r.status)
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            status = "error"
            if conn is not None:
                conn.close()
            conn = None
            time.sleep(0.05)
        with lock:
            out.write(f"{start:.3f} {time.time() - start:.3f} {status}\n")


threads = [threading.Thread(target=client) for _ in range(int(CLIENTS))]
for t in threads:
    t.start()
for t in threads:
    t.join()
