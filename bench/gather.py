"""Benchmark: `digest gather` over 100 local feeds of 20 entries each, served on 127.0.0.1.

Prints wall times (figures only, no pass/fail): a first run (every feed a 200), then
repeated runs with conditional GET (every feed a 304 with the body remembered in the state
file) and without it (`[fetch] conditional = false`: every feed a 200 again).

    python bench/gather.py [--feeds 100] [--entries 20] [--repeat 3] [--delay SECONDS]
                           [--per-host 2] [--interval 0.02]

`--delay` makes the server wait that long before each full (200) answer, as a distant or
busy server would; a 304 is answered at once. On loopback with no delay the transfer costs
next to nothing, so the figures then mostly show parsing, merging and the state file.

All feeds are on one host, so `[fetch] per_host` and `host_interval` (set from --per-host
and --interval) bound the whole run: the server counts the requests in flight at once and
the smallest gap between the starts of two requests, and each line prints them beside the
limits.

Nothing leaves the machine: the server listens on 127.0.0.1 only, and the feeds' entries
carry their full text so that no page is fetched.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WORDS = ("council bridge river storm coast power crews night mayor budget school library "
         "minister vote court judge market shares bank rates energy wind solar farm rail "
         "station airport flight museum artist film festival team match season coach").split()


def make_feed(n: int, entries: int) -> bytes:
    items = []
    for e in range(entries):
        seed = int(hashlib.sha1(f"{n}-{e}".encode()).hexdigest(), 16)
        words = [WORDS[(seed >> (i % 120)) % len(WORDS)] + str((seed >> i) % 97)
                 for i in range(220)]
        paragraphs = [" ".join(words[i:i + 55]) + "." for i in range(0, 220, 55)]
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        items.append(
            f"<item><title>Feed {n} story {e}</title>"
            f"<link>http://127.0.0.1/feed{n}/story{e}</link><guid>feed{n}-story{e}-guid-0001</guid>"
            f"<pubDate>{formatdate(1714557600 + e * 60, usegmt=True)}</pubDate>"
            f"<description><![CDATA[{body}]]></description></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Local feed {n}</title>{''.join(items)}</channel></rss>").encode()


class Server:
    def __init__(self, feeds: dict[str, bytes], delay: float = 0.0):
        self.counts = {"200": 0, "304": 0, "bytes": 0}
        self.in_flight = self.max_in_flight = 0
        self.starts: list[float] = []
        lock = threading.Lock()
        counts = self.counts
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                with lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                    server.starts.append(time.monotonic())
                try:
                    self.answer()
                finally:
                    with lock:
                        server.in_flight -= 1

            def answer(self):
                body = feeds.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    with lock:
                        counts["304"] += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with lock:
                    counts["200"] += 1
                    counts["bytes"] += len(body)
                if delay:
                    time.sleep(delay)
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]


def write_config(folder: Path, port: int, feeds: int, conditional: bool, per_host: int,
                 interval: float) -> Path:
    sources = "".join(textwrap.dedent(f"""
        [[sources]]
        name = "Local feed {n}"
        type = "feed"
        url = "http://127.0.0.1:{port}/feed{n}.xml"
        full_text = false
        """) for n in range(feeds))
    path = folder / f"digest-{'cond' if conditional else 'plain'}.toml"
    path.write_text(textwrap.dedent(f"""
        state = "state.sqlite3"
        outbox = "out"

        [fetch]
        conditional = {'true' if conditional else 'false'}
        concurrency = 8
        per_host = {per_host}
        host_interval = {interval}
        """) + sources + "\n[audiences.general]\n", encoding="utf-8")
    return path


def gather(config: Path) -> tuple[float, int]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "digest", "gather", "--config", str(config),
                             "--all", "--json"], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"digest gather failed:\n{result.stderr[-2000:]}")
    return elapsed, len(result.stdout.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--delay", type=float, default=0.0,
                        help="seconds the server waits before each 200 (default 0)")
    parser.add_argument("--per-host", type=int, default=2, help="[fetch] per_host")
    parser.add_argument("--interval", type=float, default=0.02, help="[fetch] host_interval")
    args = parser.parse_args()

    feeds = {f"/feed{n}.xml": make_feed(n, args.entries) for n in range(args.feeds)}
    server = Server(feeds, args.delay)
    size = sum(map(len, feeds.values()))
    print(f"{args.feeds} feeds x {args.entries} entries on 127.0.0.1:{server.port}, "
          f"{size / 1e6:.1f} MB of feeds; {args.delay:g} s server delay per 200; "
          f"{os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        limits = dict(per_host=args.per_host, interval=args.interval)
        cond = write_config(folder, server.port, args.feeds, conditional=True, **limits)
        plain = write_config(folder, server.port, args.feeds, conditional=False, **limits)
        print(f"limits: per_host = {args.per_host}, host_interval = {args.interval:g} s, "
              "concurrency = 8")

        def measure(label: str, config: Path, runs: int) -> None:
            before = dict(server.counts)
            server.max_in_flight, server.starts = 0, []
            times, articles = [], 0
            for _ in range(runs):
                elapsed, articles = gather(config)
                times.append(elapsed)
            got = {k: server.counts[k] - before[k] for k in server.counts}
            print(f"{label:<38} median {statistics.median(times):6.2f} s  "
                  f"(runs: {', '.join(f'{t:.2f}' for t in times)}; {articles} articles; "
                  f"{got['200']} x 200, {got['304']} x 304, "
                  f"{got['bytes'] / 1e6 / runs:.1f} MB sent a run)")
            starts = sorted(server.starts)
            # within a run (the pause between two runs is no gap between requests)
            gaps = [b - a for a, b in zip(starts, starts[1:]) if b - a < 5]
            under = sum(gap < 0.9 * args.interval for gap in gaps)
            print(f"{'':<38} {len(starts)} requests, at most {server.max_in_flight} in flight "
                  f"(per_host {args.per_host}); gaps between arrivals: median "
                  f"{statistics.median(gaps) if gaps else 0:.3f} s, {under} of {len(gaps)} under "
                  f"90% of host_interval {args.interval:g} s (arrival jitter), mean "
                  f"{statistics.mean(gaps) if gaps else 0:.3f} s")

        measure("first run (empty state, all 200)", cond, 1)
        measure("with conditional GET (304s)", cond, args.repeat)
        measure("without conditional GET (200s)", plain, args.repeat)
    server.httpd.shutdown()


if __name__ == "__main__":
    main()
