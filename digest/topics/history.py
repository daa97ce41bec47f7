"""Earlier days' articles as background statistics for topic grouping.

A day of 20-60 articles gives thin word statistics; the articles of the days before give
document frequencies and a semantic space (digest.topics.vectors.CorpusBackground). The state
database keeps, per article seen, only what that needs: its day, its title and the first
TEXT_CAP characters of its cleaned text (the opening of a news story names its subject),
and forgets articles older than KEEP_DAYS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from digest.models import Article
from digest.state import State

TEXT_CAP = 2000
KEEP_DAYS = 60
# the most recent articles are enough for word statistics; more would slow the LSA down
MAX_ARTICLES = 5000


def capped(text: str, cap: int = TEXT_CAP) -> str:
    """The first `cap` characters of `text`, cut at a space so no word is broken."""
    if len(text) <= cap:
        return text
    cut = text.rfind(" ", 0, cap + 1)
    return text[:cut if cut > cap // 2 else cap]


def record(state: State, articles: Sequence[Article], seen: Sequence[set[int]],
           days: Sequence[dt.date]) -> None:
    """Keep each article's day, title and capped text (once per article: its first row)."""
    rows = [(min(ids), day.isoformat(), article.title, capped(article.text))
            for article, ids, day in zip(articles, seen, days) if ids]
    with state.transaction() as db:
        db.executemany("INSERT OR IGNORE INTO history (seen_id, day, title, text) "
                       "VALUES (?, ?, ?, ?)", rows)


def prune(state: State, today: dt.date, keep_days: int = KEEP_DAYS) -> int:
    """Forget articles of days more than `keep_days` before `today` (the issue's date, so
    that building an old issue again keeps its history); how many were forgotten."""
    limit = (today - dt.timedelta(days=keep_days)).isoformat()
    with state.transaction() as db:
        return db.execute("DELETE FROM history WHERE day < ?", (limit,)).rowcount


def earlier(state: State, before: dt.date, exclude: Iterable[int] = (),
            keep_days: int = KEEP_DAYS, limit: int = MAX_ARTICLES
            ) -> list[tuple[str, str, str]]:
    """(id, title, text) of the articles of the `keep_days` days before `before`, newest
    first, without those whose `seen` ids are in `exclude` (the day's own)."""
    excluded = set(exclude)
    start = (before - dt.timedelta(days=keep_days)).isoformat()
    with state.lock:
        rows = state.db.execute(
            "SELECT seen_id, title, text FROM history WHERE day < ? AND day >= ? "
            "ORDER BY day DESC, seen_id DESC", (before.isoformat(), start)).fetchall()
    out = [(str(r[0]), r[1], r[2]) for r in rows if r[0] not in excluded]
    return out[:limit]


def background(state: State, before: dt.date, exclude: Iterable[int] = ()):
    """A CorpusBackground of the earlier days' articles, or None when there are none."""
    from digest.topics.vectors import CorpusBackground

    items = earlier(state, before, exclude)
    return CorpusBackground.from_items(items) if items else None
