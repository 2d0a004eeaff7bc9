#!/usr/bin/env python3
"""One real source, for the "under attack" benchmark: submits a report with a file, reads the
receipt (POST-redirect-GET), comes back with it and opens the conversation. Prints one line:
  submit_s=1.23 return_s=0.45 ok=1   (or ok=0 reason=...)
Python 3 standard library only.

Usage: bench/real-source.py [--source URL] [--org SLUG] [--file-kib N] [--timeout S]
"""
import argparse
import http.cookiejar
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
RECEIPT = re.compile(r'id="receipt">([0-9 ]+)<')
BOUNDARY = "----realSourceBoundary7c1e"


def multipart(fields, files):
    out = bytearray()
    for name, value in fields:
        out += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n').encode()
    for name, filename, content in files:
        out += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                'Content-Type: application/octet-stream\r\n\r\n').encode()
        out += content + b"\r\n"
    out += f"--{BOUNDARY}--\r\n".encode()
    return bytes(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", default="http://127.0.0.1:8080")
    ap.add_argument("--org", default="demo")
    ap.add_argument("--file-kib", type=int, default=256)
    ap.add_argument("--timeout", type=float, default=120)
    a = ap.parse_args()
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    marker = "real source %d" % os.getpid()
    t0 = time.monotonic()
    try:
        form = opener.open(f"{a.source}/o/{a.org}", timeout=a.timeout).read().decode()
        token = CSRF.search(form).group(1)
        body = multipart([("csrf", token), ("what", marker), ("details", "under attack")],
                         [("files", "evidence.bin", os.urandom(a.file_kib * 1024))])
        req = urllib.request.Request(f"{a.source}/o/{a.org}/submit", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
        page = opener.open(req, timeout=a.timeout).read().decode()
        m = RECEIPT.search(page)
        if not m:
            print(f"submit_s={time.monotonic() - t0:.2f} ok=0 reason=no-receipt")
            return 1
        receipt = m.group(1)
        t1 = time.monotonic()
        back = opener.open(f"{a.source}/return", timeout=a.timeout).read().decode()
        token = CSRF.search(back).group(1)
        data = urllib.parse.urlencode({"csrf": token, "receipt": receipt}).encode()
        conversation = opener.open(urllib.request.Request(f"{a.source}/return", data=data, method="POST"),
                                   timeout=a.timeout).read().decode()
        t2 = time.monotonic()
        ok = marker in conversation
        print(f"submit_s={t1 - t0:.2f} return_s={t2 - t1:.2f} ok={int(ok)}" + ("" if ok else " reason=no-text"))
        return 0 if ok else 1
    except (urllib.error.URLError, OSError, AttributeError) as e:
        print(f"submit_s={time.monotonic() - t0:.2f} ok=0 reason={type(e).__name__}:{getattr(e, 'code', '')}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
