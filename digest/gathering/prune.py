"""State that does not grow forever: articles no longer seen, and their history, forgotten.

An article (its rows in `seen`, what issues carried it, its topic history) is forgotten once
no source has shown it for `keep_days` days (top-level `keep_days` in the config, 180 by
default); one still in a feed is seen again each run and stays, so it can never come back as
new. Its topic history goes with it, and so do the remembered bodies of addresses not
fetched for as long. When that frees much of the file (a quarter of its pages or more), the
database is vacuumed so that the file itself shrinks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from digest.state import State

VACUUM_SHARE = 0.25  # free pages after pruning, as a share of all, that make us vacuum
_MIN_VACUUM_PAGES = 64  # a small file is not worth rewriting


@dataclass
class Pruned:
    seen: int = 0
    history: int = 0
    fetch_cache: int = 0
    vacuumed: bool = False
    size_before: int = 0  # bytes of the database (pages x page size)
    size_after: int = 0

    def summary(self) -> str:
        vacuum = (f"; vacuumed, {self.size_before / 1e6:.1f} MB -> {self.size_after / 1e6:.1f} MB"
                  if self.vacuumed else "")
        return (f"pruned {self.seen} articles, {self.history} history rows and "
                f"{self.fetch_cache} remembered pages{vacuum}")


def prune(state: State, keep_days: int, now: dt.datetime | None = None,
          vacuum: bool = True) -> Pruned:
    """Forget what is older than `keep_days`; vacuum when much was freed."""
    now = now or dt.datetime.now(dt.timezone.utc)
    cutoff = (now - dt.timedelta(days=keep_days)).astimezone(dt.timezone.utc)
    stamp = cutoff.isoformat(timespec="seconds")
    result = Pruned(size_before=_size(state))
    with state.lock, state.transaction() as db:
        # history and carried rows of a forgotten article go with it (ON DELETE CASCADE);
        # topic grouping forgets its own older history sooner (digest/topics/history.py)
        result.history = db.execute(
            "SELECT count(*) FROM history WHERE seen_id IN (SELECT id FROM seen WHERE "
            "coalesce(last_seen, first_seen) < ?)", (stamp,)).fetchone()[0]
        result.seen = db.execute("DELETE FROM seen WHERE coalesce(last_seen, first_seen) < ?",
                                 (stamp,)).rowcount
        result.fetch_cache = db.execute("DELETE FROM fetch_cache WHERE used_at < ?",
                                        (stamp,)).rowcount
    pages = state.db.execute("PRAGMA page_count").fetchone()[0]
    free = state.db.execute("PRAGMA freelist_count").fetchone()[0]
    if vacuum and pages >= _MIN_VACUUM_PAGES and free >= VACUUM_SHARE * pages:
        with state.lock:
            state.db.execute("VACUUM")
            # the write-ahead log would keep the old size on disk until the next checkpoint
            state.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        result.vacuumed = True
    result.size_after = _size(state)
    return result


def _size(state: State) -> int:
    pages = state.db.execute("PRAGMA page_count").fetchone()[0]
    return pages * state.db.execute("PRAGMA page_size").fetchone()[0]
