"""Polite fetching: per-host limits, Retry-After, and robots.txt for full-text pages.

A hundred feeds on one site, or a feed whose fifty teasers all link to the same site, must
not turn into fifty requests at once: each host (name and port) gets at most
`[fetch] per_host` requests in flight and a minimum `host_interval` between the starts of
two requests. A 429 or 503 answer's `Retry-After` is honoured up to `retry_after_max`
seconds (a longer wait gives up on the address, and the host gets no other request for the
rest of the run: a hostile Retry-After can never park the run). Pages fetched for their full text are asked for only when the site's
robots.txt lets our product token ("digest", the User-Agent's first word) fetch them; each
robots.txt is read once a run (and kept for conditional GET in the state database).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit, urlunsplit


def host_key(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


class _Host:
    def __init__(self, per_host: int):
        self.slots = threading.BoundedSemaphore(per_host)
        self.lock = threading.Lock()
        self.next_start = 0.0  # time.monotonic() before which no request starts


class HostLimits:
    """At most `per_host` requests in flight per host, `interval` seconds between starts."""

    def __init__(self, per_host: int, interval: float):
        self.per_host, self.interval = per_host, interval
        self._hosts: dict[str, _Host] = {}
        self._refused: set[str] = set()
        self._lock = threading.Lock()

    def _host(self, key: str) -> _Host:
        with self._lock:
            host = self._hosts.get(key)
            if host is None:
                host = self._hosts[key] = _Host(self.per_host)
            return host

    @contextmanager
    def turn(self, url: str) -> Iterator[None]:
        """Wait for a slot of the URL's host and for its interval, then hold the slot."""
        host = self._host(host_key(url))
        with host.slots:
            with host.lock:
                # book the next start time, then wait for it outside the lock
                start = max(time.monotonic(), host.next_start)
                host.next_start = start + self.interval
            delay = start - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            yield

    def refuse(self, url: str) -> None:
        """The URL's host asked for a wait past the cap: no more requests to it this run."""
        with self._lock:
            self._refused.add(host_key(url))

    def refused(self, url: str) -> bool:
        with self._lock:
            return host_key(url) in self._refused

    def hold_off(self, url: str, seconds: float) -> None:
        """No request to the URL's host starts for `seconds` (it asked us to wait)."""
        host = self._host(host_key(url))
        with host.lock:
            host.next_start = max(host.next_start, time.monotonic() + seconds)


def retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); None if none
    or unreadable."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(int(value))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    now = now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, (moment - now).total_seconds())


def product_token(user_agent: str) -> str:
    """The name robots.txt groups are matched against: the User-Agent's first word."""
    return (user_agent.split("/", 1)[0].split() or ["digest"])[0]


class Robots:
    """robots.txt of each host, read once a run through the fetcher (Python's robotparser)."""

    def __init__(self, fetcher, user_agent: str):
        self.fetcher = fetcher
        self.token = product_token(user_agent)
        self._rules: dict[str, object] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def allows(self, url: str, private_ok: bool | None = None) -> bool:
        parts = urlsplit(url)
        root = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        with self._lock:
            lock = self._locks.setdefault(root, threading.Lock())
        from digest.gathering.fetch import BlockedError

        with lock:  # one fetch of a robots.txt, however many pages wait for it
            if root not in self._rules:
                try:
                    self._rules[root] = self._read(root, private_ok)
                except BlockedError as exc:
                    # the page is refused for its address: say so of the page
                    raise BlockedError(f"{url}: {exc.reason}", exc.reason) from None
        rules = self._rules[root]
        return rules.can_fetch(self.token, url)

    def _read(self, root: str, private_ok: bool | None):
        from urllib.robotparser import RobotFileParser

        from digest.errors import SourceError
        from digest.gathering.fetch import BlockedError, HTTPStatusError

        rules = RobotFileParser()
        try:
            response = self.fetcher.get(f"{root}/robots.txt", accept="text/plain",
                                        private_ok=private_ok)
        except BlockedError:
            raise  # refused for its address, not for its rules
        except HTTPStatusError as exc:
            # RFC 9309: a 4xx means there are no rules; a 5xx, that everything is off limits
            if 400 <= exc.status < 500:
                rules.allow_all = True
            else:
                rules.disallow_all = True
            return rules
        except SourceError:
            rules.disallow_all = True  # unreachable: as a 5xx (and the pages would fail too)
            return rules
        rules.parse(response.body.decode("utf-8", "replace").splitlines())
        return rules
