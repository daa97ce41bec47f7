"""`digest serve` for the tests: the real waitress server on 127.0.0.1 port 0, in a thread,
and a real HTTP client (urllib3) that plays the reverse proxy: it takes a public link
(`https://news.example.test/digest/...`) to the same path on the local server."""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import urllib3

from digest.service.server import make_server
from digest.settings import Settings


class Served:
    def __init__(self, settings: Settings, **options):
        self.server = make_server(settings, host="127.0.0.1", port=0, **options)
        self.port = self.server.effective_port
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.http = urllib3.PoolManager(retries=False, timeout=10)

    def __enter__(self) -> Served:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        # the client's kept-alive connections first: the server's loop ends with its last one
        self.http.clear()
        self.server.task_dispatcher.shutdown()

        def close_all() -> None:  # any connection still open, and the listener
            for channel in list(self.server._map.values()):
                channel.close()

        # closed by the server's own loop: closing them from this thread races its select()
        try:
            self.server.trigger.pull_trigger(close_all)
        except OSError:
            # the loop's wake-up pipe is gone (seen once in CI: EBADF): nothing will run
            # the call there, so close what is left from here
            close_all()
        self.thread.join(timeout=5)

    def local(self, public_url: str) -> str:
        """The proxy's job: the same path, on our server."""
        parts = urlsplit(public_url)
        return f"http://127.0.0.1:{self.port}{parts.path}"

    def get(self, url: str, **kw) -> urllib3.BaseHTTPResponse:
        return self.http.request("GET", self.local(url), redirect=False, **kw)

    def post(self, url: str, body: bytes | str = b"List-Unsubscribe=One-Click",
             content_type: str = "application/x-www-form-urlencoded", **kw
             ) -> urllib3.BaseHTTPResponse:
        headers = {"Content-Type": content_type, **kw.pop("headers", {})}
        return self.http.request("POST", self.local(url), body=body, headers=headers,
                                 redirect=False, **kw)
