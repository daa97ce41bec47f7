"""The one HTTP client: every fetch of a feed or a page goes through `Fetcher.get`.

urllib3 does the connection pooling, the timeouts and the retries with exponential backoff
(on 5xx, 429, and timeouts before the response starts); this module adds what a reader of
untrusted sites needs on top: a cap on the decoded body (a gzip bomb stops at the cap, since
urllib3 decompresses as it streams), a deadline for the whole response (an endless or
trickling body is cut off), redirects followed one by one (so every hop is checked),
conditional GET with the validators and last body remembered in the state database, and a
bound on requests in flight across all sources. Every connection's address is checked by
`guard` when it is made (no private address for a source on a public one), and `polite`
keeps per-host limits, Retry-After and robots.txt.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from digest import __version__
from digest.errors import SourceError
from digest.gathering import guard
from digest.gathering.polite import HostLimits, Robots, retry_after
from digest.settings import Fetch
from digest.state import State

log = logging.getLogger("digest")

USER_AGENT = f"digest/{__version__} (daily news digest; +https://pypi.org/project/digest/)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# retried here rather than by urllib3, so that their Retry-After is honoured (up to a cap)
WAIT_STATUSES = frozenset({429, 503})
_CHUNK = 64 * 1024

# When set, only these host names may be contacted: the test suite and the benchmarks set it
# to the loopback names so that no test can ever reach another machine.
ALLOWED_HOSTS: frozenset[str] | None = None


class HTTPStatusError(SourceError):
    """The server answered, with a status that is no body (404, 410, 451...)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class BlockedError(SourceError):
    """A connection refused by the private-address guard; `reason` says which address."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


class _WaitAndRetry(Exception):
    def __init__(self, url: str, status: int, seconds: float | None):
        self.url, self.status, self.seconds = url, status, seconds


@dataclass
class Response:
    url: str  # the address asked for
    final_url: str  # after redirects
    body: bytes
    content_type: str = ""
    from_cache: bool = False  # True when the server answered 304 Not Modified


@dataclass
class Stats:
    requests: int = 0
    not_modified: int = 0
    bytes: int = 0
    failures: int = 0
    blocked: int = 0  # connections refused by the private-address guard
    waited: int = 0  # retries after a 429/503 (Retry-After or backoff)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)


class Fetcher:
    """Shared by all sources of a run; thread-safe."""

    def __init__(self, options: Fetch | None = None, state: State | None = None,
                 conditional: bool = True):
        import urllib3  # deferred: only runs that fetch need it

        self.options = options or Fetch()
        self.state = state if conditional else None
        self.stats = Stats()
        self._slots = threading.BoundedSemaphore(self.options.concurrency)
        self._urllib3 = urllib3
        self._headers = {
            "User-Agent": self.options.user_agent or USER_AGENT,
            "Accept-Encoding": "gzip, deflate",
        }
        # connections of sources that may reach private addresses never serve the others
        self._pool = urllib3.PoolManager(num_pools=50, maxsize=self.options.concurrency)
        self._pool.pool_classes_by_scheme = guard.pool_classes(check=False)
        self._guarded = urllib3.PoolManager(num_pools=50, maxsize=self.options.concurrency)
        self._guarded.pool_classes_by_scheme = guard.pool_classes(check=True)
        self.hosts = HostLimits(self.options.per_host, self.options.host_interval)
        self.robots = Robots(self, self._headers["User-Agent"])

    def close(self) -> None:
        self._pool.clear()
        self._guarded.clear()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def page(self, url: str, accept: str, private_ok: bool | None = None) -> Response:
        """A page fetched for its full text: only when the site's robots.txt allows it."""
        if self.options.robots and not self.robots.allows(url, private_ok):
            raise SourceError(f"{url}: robots.txt does not allow "
                              f"'{self.robots.token}' to fetch it, not fetched")
        return self.get(url, accept, private_ok)

    def get(self, url: str, accept: str = "*/*", private_ok: bool | None = None) -> Response:
        """The body at `url`; a SourceError naming the address says why there is none.

        `private_ok`: whether the connections may go to private addresses; None decides by
        the address asked for (one that names a private host outright may, a name may not).
        """
        if private_ok is None:
            private_ok = guard.names_private(url)
        pool = self._pool if private_ok else self._guarded
        cached = self._cached(url)
        headers = {**self._headers, "Accept": accept}
        if cached is not None:
            if cached["etag"]:
                headers["If-None-Match"] = cached["etag"]
            if cached["last_modified"]:
                headers["If-Modified-Since"] = cached["last_modified"]
        for attempt in range(self.options.retries + 1):
            try:
                with self._slots:
                    status, final_url, response_headers, body = self._follow(url, headers, pool)
                break
            except SourceError:
                self.stats.add(failures=1)
                raise
            except _WaitAndRetry as wait:
                if attempt == self.options.retries:
                    self.stats.add(failures=1)
                    raise SourceError(f"{url}: HTTP {wait.status}{_reason(wait.status)} (after "
                                      f"{self.options.retries + 1} tries)") from None
                # waited out of the slots, so that other hosts go on meanwhile
                self._wait(url, wait, attempt)
        if status == 304:
            if cached is None:
                raise SourceError(f"{url}: HTTP 304 to a request that was not conditional")
            self.stats.add(not_modified=1)
            self._touch(url)
            return Response(url=url, final_url=cached["final_url"], body=cached["body"],
                            content_type=cached["content_type"], from_cache=True)
        content_type = _header_line(response_headers.get("Content-Type", ""))
        etag = _header_line(response_headers.get("ETag", ""))
        last_modified = _header_line(response_headers.get("Last-Modified", ""))
        if etag or last_modified:
            self._store(url, etag, last_modified, final_url, content_type, body)
        return Response(url=url, final_url=final_url, body=body, content_type=content_type)

    def _wait(self, url: str, wait: _WaitAndRetry, attempt: int) -> None:
        cap = self.options.retry_after_max
        seconds = wait.seconds
        if seconds is not None and seconds > cap:
            self.hosts.refuse(wait.url)
            self.stats.add(failures=1)
            raise SourceError(f"{url}: HTTP {wait.status}{_reason(wait.status)}, asked to "
                              f"retry after {seconds:.0f} seconds (more than retry_after_max "
                              f"= {cap:g}), not retried")
        if seconds is None:
            seconds = min(30.0, self.options.backoff * 2 ** attempt)
        self.stats.add(waited=1)
        # the whole host waits, not only this address
        self.hosts.hold_off(wait.url, seconds)
        time.sleep(seconds)

    def head(self, url: str) -> str:
        """The final address if `url` answers (HEAD; GET for a server that refuses HEAD),
        else a SourceError saying why: `digest check --links`."""
        headers = {**self._headers, "Accept": "*/*"}
        pool = self._pool if guard.names_private(url) else self._guarded
        with self._slots:
            try:
                return self._follow(url, headers, pool, method="HEAD")[1]
            except SourceError as exc:
                if " 405 " not in f"{exc} " and " 501 " not in f"{exc} ":
                    raise
            return self._follow(url, headers, pool)[1]

    def _follow(self, url: str, headers: dict, pool, method: str = "GET"
                ) -> tuple[int, str, dict, bytes]:
        current = url
        for _ in range(self.options.max_redirects + 1):
            check_address(current, url)
            if self.hosts.refused(current):
                raise SourceError(f"{url}: {urlsplit(current).hostname} asked to wait longer "
                                  "than retry_after_max; not asked again in this run")
            with self.hosts.turn(current):
                status, response_headers, body = self._request(current, headers, pool, url,
                                                                   method)
            if status in (301, 302, 303, 307, 308):
                location = response_headers.get("Location")
                if not location:
                    raise SourceError(f"{url}: HTTP {status} without a Location")
                current = urljoin(current, _header_line(location))
                continue
            if status == 304 or 200 <= status < 300:
                return status, current, response_headers, body
            raise HTTPStatusError(f"{url}: HTTP {status}{_reason(status)}", status)
        raise SourceError(f"{url}: more than {self.options.max_redirects} redirects")

    def _request(self, url: str, headers: dict, pool, asked: str, method: str = "GET"
                 ) -> tuple[int, dict, bytes]:
        urllib3 = self._urllib3
        opts = self.options
        retry = urllib3.Retry(
            total=opts.retries, connect=opts.retries, read=opts.retries, status=opts.retries,
            redirect=False, status_forcelist=RETRY_STATUSES - WAIT_STATUSES,
            allowed_methods={method},
            backoff_factor=opts.backoff, backoff_max=30,
            # a hostile Retry-After could park the run for hours
            respect_retry_after_header=False, raise_on_status=False, raise_on_redirect=False,
        )
        started = time.monotonic()
        self.stats.add(requests=1)
        try:
            response = pool.request(
                method, url, headers=headers, redirect=False, retries=retry,
                timeout=urllib3.Timeout(connect=opts.timeout, read=opts.timeout),
                preload_content=False, decode_content=True,
            )
        except guard.BlockedAddress as exc:
            self.stats.add(blocked=1)
            where = asked if asked == url else f"{asked} (redirected to {url})"
            raise BlockedError(f"{where}: {exc}", str(exc)) from None
        except urllib3.exceptions.MaxRetryError as exc:
            raise SourceError(f"{url}: {_describe(exc.reason)} (after {opts.retries + 1} "
                              f"tries)") from None
        except (urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
            raise SourceError(f"{url}: {_describe(exc)}") from None
        try:
            status = response.status
            response_headers = dict(response.headers)
            if status in WAIT_STATUSES:
                raise _WaitAndRetry(url, status, retry_after(response.headers.get(
                    "Retry-After")))
            if status in RETRY_STATUSES:
                raise SourceError(f"{url}: HTTP {status}{_reason(status)} (after "
                                  f"{opts.retries + 1} tries)")
            if not 200 <= status < 300 or method == "HEAD":
                return status, response_headers, b""
            return status, response_headers, self._read_body(url, response, started)
        finally:
            _finish(response)

    def _read_body(self, url: str, response, started: float) -> bytes:
        urllib3 = self._urllib3
        cap = self.options.max_bytes
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > cap and not response.headers.get(
                "Content-Encoding"):
            raise SourceError(f"{url}: larger than {cap} bytes ({length}), not read")
        chunks, size = [], 0
        try:
            while True:
                # read1 returns what has arrived instead of waiting for a full chunk, so a
                # trickling body meets the deadline below
                chunk = response.read1(_CHUNK, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > cap:
                    raise SourceError(f"{url}: larger than {cap} bytes, cut off")
                if time.monotonic() - started > self.options.total_timeout:
                    raise SourceError(f"{url}: took longer than {self.options.total_timeout:g} "
                                      "seconds, cut off")
                chunks.append(chunk)
        except urllib3.exceptions.HTTPError as exc:
            raise SourceError(f"{url}: {_describe(exc)} while reading the body") from None
        except OSError as exc:
            raise SourceError(f"{url}: {_describe(exc)} while reading the body") from None
        self.stats.add(bytes=size)
        return b"".join(chunks)

    # conditional GET: validators and body of the last 200, per address asked for

    def _cached(self, url: str):
        if self.state is None:
            return None
        with self.state.lock:
            return self.state.db.execute(
                "SELECT etag, last_modified, final_url, content_type, body FROM fetch_cache "
                "WHERE url = ?", (url,)).fetchone()

    def _store(self, url, etag, last_modified, final_url, content_type, body) -> None:
        if self.state is None:
            return
        now = _now()
        with self.state.lock, self.state.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO fetch_cache (url, etag, last_modified, final_url, "
                "content_type, body, fetched_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (url, etag or None, last_modified or None, final_url, content_type, body,
                 now, now))

    def _touch(self, url: str) -> None:
        with self.state.lock, self.state.transaction() as db:
            db.execute("UPDATE fetch_cache SET used_at = ? WHERE url = ?", (_now(), url))

    def forget_unused(self, days: int = 30) -> None:
        """Drop remembered bodies of addresses not fetched for `days` days."""
        if self.state is None:
            return
        cutoff = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).isoformat()
        with self.state.lock, self.state.transaction() as db:
            db.execute("DELETE FROM fetch_cache WHERE used_at < ?", (cutoff,))


def _finish(response) -> None:
    """Give the connection back for reuse when what is left of the body is known and small
    (a 304, a redirect); otherwise close it, for an unread body may never end."""
    length = response.headers.get("Content-Length", "")
    if not response.isclosed() and length.isdigit() and int(length) <= _CHUNK:
        try:
            response.drain_conn()
        except Exception:  # a broken connection is simply not reused
            response.close()
            return
    if response.isclosed():
        response.release_conn()
    else:
        response.close()


def check_address(url: str, asked: str | None = None) -> None:
    """Only http(s) addresses with a host; with ALLOWED_HOSTS set, only those hosts."""
    asked = asked or url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise SourceError(f"{asked}: not a valid address: {url}") from None
    if parts.scheme not in ("http", "https") or not host:
        raise SourceError(f"{asked}: only http(s) addresses are fetched, not {url[:200]}")
    if ALLOWED_HOSTS is not None and host not in ALLOWED_HOSTS:
        raise SourceError(f"{asked}: host {host} is not allowed here")


def _header_line(value: str) -> str:
    return " ".join(str(value).split())[:2000]


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return f" {HTTPStatus(status).phrase}"
    except ValueError:
        return ""


def _describe(exc: BaseException | None) -> str:
    import urllib3

    if isinstance(exc, urllib3.exceptions.ResponseError):
        # "too many 500 error responses" and the like
        return str(exc)
    if isinstance(exc, (urllib3.exceptions.TimeoutError, TimeoutError)):
        return "timed out"
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        return "cannot connect"
    if isinstance(exc, urllib3.exceptions.NameResolutionError):
        return "unknown host"
    if isinstance(exc, urllib3.exceptions.ProtocolError):
        return "connection broken"
    if isinstance(exc, urllib3.exceptions.DecodeError):
        return "bad compressed body"
    if isinstance(exc, urllib3.exceptions.SSLError):
        return "TLS error"
    text = " ".join(str(exc).split())
    return text[:200] or type(exc).__name__


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
