#!/usr/bin/env python3
"""Live streams whose readers do not keep up: STALLED clients open /live and never read a
byte (a receive buffer of 1 KiB, so the server's side fills at once), and SLOW clients read
64 bytes a second. They hold on for SECONDS, then print how many streams were opened and how
many bytes the slow ones read, as one line of JSON.

    stall.py BASE SECONDS STALLED SLOW
"""
import json
import socket
import sys
import threading
import time
import urllib.parse

BASE, SECONDS, STALLED, SLOW = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
URL = urllib.parse.urlparse(BASE)
deadline = time.time() + SECONDS
REQUEST = f"GET /live HTTP/1.1\r\nHost: {URL.netloc}\r\nAccept: text/event-stream\r\n\r\n".encode()
opened = []
read_bytes = [0]
lock = threading.Lock()


def open_stream():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    s.connect((URL.hostname, URL.port))
    s.sendall(REQUEST)
    return s


def slow(s):
    s.settimeout(1)
    while time.time() < deadline:
        try:
            got = s.recv(64)
            if not got:
                return
            with lock:
                read_bytes[0] += len(got)
        except socket.timeout:
            pass
        time.sleep(1)


threads = []
for i in range(STALLED + SLOW):
    try:
        s = open_stream()
    except OSError:
        continue
    opened.append(s)
    if i >= STALLED:
        t = threading.Thread(target=slow, args=(s,), daemon=True)
        t.start()
        threads.append(t)
time.sleep(max(0, deadline - time.time()))
print(json.dumps({"opened": len(opened), "slow_read_bytes": read_bytes[0]}))
for s in opened:
    s.close()
