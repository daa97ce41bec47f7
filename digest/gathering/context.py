"""What the readers of one gathering share: the HTTP client and the time zone."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from digest.settings import Fetch
from digest.state import State


@dataclass
class Context:
    fetch: Fetch = field(default_factory=Fetch)
    tz: dt.tzinfo | None = None  # None: the machine's local time zone
    state: State | None = None  # validators for conditional GET live here
    conditional: bool = True
    # the days wanted (the window), so that entries outside it fetch no full text
    wanted: Callable[[dt.date], bool] | None = None
    # teasers whose pages wait until all sources are read (see teasers.py); None: fetch at once
    pending: list | None = None
    _fetcher: object | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fetcher(self):
        """The one HTTP client, made on first use (a run of folders never needs it)."""
        from digest.gathering.fetch import Fetcher

        with self._lock:
            if self._fetcher is None:
                self._fetcher = Fetcher(self.fetch, self.state, conditional=self.conditional)
            return self._fetcher

    def add_pending(self, article, fields: dict, source) -> None:
        with self._lock:
            self.pending.append((article, fields, source))

    def known_day(self, url: str) -> dt.date | None:
        """The day an undated entry at `url` was first seen in an earlier run, if it was."""
        if self.state is None or not url:
            return None
        from digest.gathering.seen import first_seen

        moment = first_seen(self.state, url)
        return moment.astimezone(self.tz).date() if moment else None

    def close(self) -> None:
        if self._fetcher is not None:
            # bodies remembered for conditional GET of addresses no longer fetched go
            self._fetcher.forget_unused()
            self._fetcher.close()
