"""A real HTTP server on 127.0.0.1 (port 0) in a thread, with scripted answers per path."""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalServer:
    def __init__(self):
        self.routes = {}
        self.hits: Counter = Counter()
        self.requests: list[tuple[str, dict]] = []
        self.arrivals: list[tuple[str, float]] = []  # (path, time.monotonic()) per request
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                with server._lock:
                    server.hits[self.path] += 1
                    server.requests.append((self.path, dict(self.headers)))
                    server.arrivals.append((self.path, time.monotonic()))
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    route = server.routes.get(self.path)
                    if route is None:
                        send(self, 404, b"not here")
                    else:
                        route(self, server.hits[self.path])
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with server._lock:
                        server.in_flight -= 1

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def send(handler, status: int, body: bytes = b"", content_type: str = "text/plain",
         headers: dict | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    if body:
        handler.wfile.write(body)


def static(body: bytes, content_type: str = "application/rss+xml", etag: str | None = None,
           last_modified: str | None = None):
    """200 with validators; 304 when the request's validators match."""

    def route(handler, hit):
        headers = {}
        if etag:
            headers["ETag"] = etag
        if last_modified:
            headers["Last-Modified"] = last_modified
        if (etag and handler.headers.get("If-None-Match") == etag) or (
                last_modified and handler.headers.get("If-Modified-Since") == last_modified):
            handler.send_response(304)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        send(handler, 200, body, content_type, headers)

    return route


def status(code: int, location: str | None = None):
    def route(handler, hit):
        send(handler, code, b"", headers={"Location": location} if location else None)

    return route


def fail_then(failures: int, body: bytes, code: int = 500):
    def route(handler, hit):
        if hit <= failures:
            send(handler, code, b"try again")
        else:
            send(handler, 200, body, "text/plain")

    return route


def slow(delay: float, body: bytes = b"late"):
    def route(handler, hit):
        time.sleep(delay)
        send(handler, 200, body)

    return route


def big(size: int, declare_length: bool = True):
    def route(handler, hit):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        if declare_length:
            handler.send_header("Content-Length", str(size))
        else:
            handler.send_header("Connection", "close")
        handler.end_headers()
        chunk = b"x" * 65536
        sent = 0
        while sent < size:
            handler.wfile.write(chunk[: size - sent])
            sent += len(chunk)

    return route


def gzip_bomb(decoded_size: int):
    payload = gzip.compress(b"\0" * decoded_size, compresslevel=9)

    def route(handler, hit):
        send(handler, 200, payload, "application/rss+xml", {"Content-Encoding": "gzip"})

    return route


def endless(piece: bytes = b"<item>", pause: float = 0.02):
    """Never ends: a trickle of bytes without a length until the client hangs up."""

    def route(handler, hit):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(b"<rss><channel>")
        while True:
            handler.wfile.write(piece)
            handler.wfile.flush()
            time.sleep(pause)

    return route
