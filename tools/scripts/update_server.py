#!/usr/bin/env python3
"""A real update server for hilsim's net-link bridge: serves a directory over HTTP/1.1 on
127.0.0.1 with the byte ranges the reference firmware resumes downloads with (Range: bytes=N-).

    hilsim pack app.py --key boards/demo-m4/keys/dev.key --version 1.0.0 \
        -o srv/bundles/app-1.0.0.bundle --manifest srv/manifest
    tools/scripts/update_server.py srv --port 8000
    hilsim boot -f build/firmware/demo-m4/demo-m4.elf --for 10s \
        --net-bridge 10.0.0.1:80=127.0.0.1:8000 --record session.hrec

With --port 0 the kernel picks a port; the first line printed is "listening on 127.0.0.1:PORT".
Python's own http.server ignores Range, hence this small handler (standard library only).
"""
import argparse
import os
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def make_handler(root):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            sys.stderr.write("update_server: " + (fmt % args) + "\n")

        def send(self, status, body, extra=()):
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            for name, value in extra:
                self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            path = os.path.normpath(self.path.split("?", 1)[0]).lstrip("/")
            full = os.path.join(root, path)
            if path.startswith("..") or not os.path.isfile(full):
                self.send(404, b"not found\n")
                return
            with open(full, "rb") as f:
                data = f.read()
            rng = self.headers.get("Range")
            if rng is None:
                self.send(200, data, [("Accept-Ranges", "bytes")])
                return
            m = re.fullmatch(r"bytes=(\d+)-(\d*)", rng.strip())
            first = int(m.group(1)) if m else len(data)
            last = int(m.group(2)) if m and m.group(2) else len(data) - 1
            if first >= len(data) or last < first:
                self.send(416, b"", [("Content-Range", "bytes */%d" % len(data))])
                return
            last = min(last, len(data) - 1)
            self.send(206, data[first:last + 1], [("Content-Range", "bytes %d-%d/%d" % (first, last, len(data)))])

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", help="directory with manifest and bundles/")
    ap.add_argument("--port", type=int, default=8000)
    args = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(os.path.abspath(args.root)))
    print("listening on 127.0.0.1:%d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
