"""A relay's limits, shared by every connection and every process: messages a minute, and a day.

A throttle kept per connection or per process lets N of them send N times the limit (Mailtrain
#1188). Here each relay with `rate_per_minute` or `daily_cap` has one small file (JSON: the next
free slot, the day and its count), read and written under an exclusive flock: every thread and
every `digest` process that sends through the same relay (host, port, username) takes its
slots from it. The files live in $DIGEST_RELAY_STATE, else $XDG_STATE_HOME/digest/relays, else
~/.local/state/digest/relays.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from digest.settings import Smtp


def limits_dir() -> Path:
    if os.environ.get("DIGEST_RELAY_STATE"):
        return Path(os.environ["DIGEST_RELAY_STATE"])
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "digest" / "relays"


def limits_path(relay: Smtp, folder: Path | None = None) -> Path:
    who = f"{relay.host.lower()}:{relay.port}:{relay.username or ''}"
    key = hashlib.sha256(who.encode("utf-8")).hexdigest()[:16]
    # the host in the name is for people looking; the hash is what keeps relays apart
    safe = "".join(c if c.isalnum() or c in ".-" else "_" for c in relay.host.lower())[:60]
    return (folder or limits_dir()) / f"{safe}-{relay.port}-{key}.json"


class Limiter:
    """`take()` reserves the next slot: seconds to wait before sending, or None (cap reached)."""

    def __init__(self, path: Path, rate_per_minute: int | None, daily_cap: int | None,
                 clock: Callable[[], float] = time.time):
        self.path = path
        self.interval = 60.0 / rate_per_minute if rate_per_minute else 0.0
        self.daily_cap = daily_cap
        self._clock = clock
        self._lock = threading.Lock()  # flock is per open file: threads take turns here first
        path.parent.mkdir(parents=True, exist_ok=True)

    def take(self) -> float | None:
        with self._lock, open(self.path, "a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes, or we die
            handle.seek(0)
            try:
                saved = json.loads(handle.read() or "{}")
            except ValueError:
                saved = {}  # a torn or foreign file: start afresh rather than stop sending
            now = self._clock()
            day = dt.datetime.fromtimestamp(now, dt.timezone.utc).date().isoformat()
            count = saved.get("count", 0) if saved.get("day") == day else 0
            if self.daily_cap is not None and count >= self.daily_cap:
                return None
            # idle time is not saved up into a burst: the next slot is never in the past
            slot = max(now, float(saved.get("next", 0.0)))
            saved = {"next": slot + self.interval, "day": day, "count": count + 1}
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(saved))
            handle.flush()
            return slot - now

    def sent_today(self) -> int:
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return 0
        day = dt.datetime.fromtimestamp(self._clock(), dt.timezone.utc).date().isoformat()
        return saved.get("count", 0) if saved.get("day") == day else 0


def limiter_for(relay: Smtp) -> Limiter | None:
    """The relay's shared limiter, or None when it has no limit."""
    if not relay.rate_per_minute and not relay.daily_cap:
        return None
    return Limiter(limits_path(relay), relay.rate_per_minute, relay.daily_cap)
