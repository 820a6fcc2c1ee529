#!/usr/bin/env python3
"""A live-status reader that behaves as a browser's EventSource: it reconnects when the stream
ends or fails, after the `retry:` the server gave, sending `Last-Event-ID` so the server
resumes from the event log where it got to. Appends every event's data to OUT, one line each
(after the time it arrived, as epoch seconds, when STAMP is given), and each (re)connection as a
line "# connected <status>".

    sse.py BASE SECONDS OUT [stamp]
"""
import http.client
import sys
import time
import urllib.parse

BASE, SECONDS, OUT = sys.argv[1], float(sys.argv[2]), sys.argv[3]
STAMP = len(sys.argv) > 4 and sys.argv[4] == "stamp"
URL = urllib.parse.urlparse(BASE)
deadline = time.time() + SECONDS
last_id, retry = None, 2.0
out = open(OUT, "a", buffering=1)
while time.time() < deadline:
    try:
        conn = http.client.HTTPConnection(URL.hostname, URL.port, timeout=30)
        headers = {"Accept": "text/event-stream"}
        if last_id:
            headers["Last-Event-ID"] = last_id
        conn.request("GET", "/live", headers=headers)
        r = conn.getresponse()
        out.write(f"# connected {r.status} after {last_id}\n")
        if r.status != 200:
            time.sleep(retry)
            continue
        while time.time() < deadline:
            line = r.readline()  # decodes the chunked framing nginx sends
            if not line:
                break
            line = line.decode("utf-8", "replace").rstrip("\n")
            if line.startswith("id:"):
                last_id = line[3:].strip()
            elif line.startswith("retry:"):
                retry = int(line[6:].strip()) / 1000
            elif line.startswith("data:"):
                out.write((f"{time.time():.3f} " if STAMP else "") + line[5:].strip() + "\n")
        conn.close()
    except OSError:
        pass
    time.sleep(retry)
