"""Articles seen between runs, and the issues that carried them (tables in digest/state.py).

An article is known by its canonical URL, its GUID or its content hash; any one of them
matching makes it the same article. `first_seen` dates an entry that has no date of its own;
`carried` keeps an audience from getting a story twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from digest.gathering.dedupe import canonical_url, content_hash, guid_key
from digest.models import Article
from digest.state import State


def identities(article: Article) -> tuple[str | None, str | None, str | None]:
    url, guid = canonical_url(article.url) or None, guid_key(article) or None
    digest = content_hash(article.text) or None
    if not (url or guid or digest):
        # nothing else to know it by: a short text is its own identity, with its title
        digest = hashlib.sha1(f"{article.title}\n{article.text}".encode("utf-8")).hexdigest()
    return url, guid, digest


def remember(state: State, articles: list[Article], now: dt.datetime
             ) -> list[tuple[set[int], dt.datetime]]:
    """For each article: the ids of its rows in `seen` and when it was first seen.

    A new article gets a row dated `now`; one seen before keeps its first date.
    """
    stamp = now.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
    out = []
    with state.transaction() as db:
        for article in articles:
            url, guid, digest = identities(article)
            rows = db.execute(
                "SELECT id, first_seen, canonical_url, guid, content_hash FROM seen WHERE "
                "content_hash = ? OR canonical_url = ? OR guid = ?",
                (digest, url, guid)).fetchall()
            first = min((row[1] for row in rows), default=stamp)
            ids = {row[0] for row in rows}
            if not any((row[2], row[3], row[4]) == (url, guid, digest) for row in rows):
                # a new identity of a known article (an edit, another address) is kept too,
                # with the article's first date, so that tomorrow any of them matches
                cursor = db.execute(
                    "INSERT INTO seen (canonical_url, guid, content_hash, source, title, "
                    "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (url, guid, digest, article.source, article.title, first, stamp))
                ids.add(cursor.lastrowid)
            if rows:
                # still carried by a source: kept past the pruning horizon (prune.py)
                db.executemany("UPDATE seen SET last_seen = max(coalesce(last_seen, ''), ?) "
                               "WHERE id = ?", [(stamp, row[0]) for row in rows])
            out.append((ids, dt.datetime.fromisoformat(first)))
    return out


def first_seen(state: State, url: str) -> dt.datetime | None:
    """When the article at `url` (any address of it, canonically) was first seen, if ever."""
    key = canonical_url(url)
    if not key:
        return None
    with state.lock:
        row = state.db.execute("SELECT min(first_seen) FROM seen WHERE canonical_url = ?",
                               (key,)).fetchone()
    return dt.datetime.fromisoformat(row[0]) if row and row[0] else None


def carried_before(state: State, audience: str, date: dt.date) -> set[int]:
    """Ids of the articles an earlier issue of `audience` carried."""
    rows = state.db.execute("SELECT seen_id FROM carried WHERE audience = ? AND issue_date < ?",
                            (audience, date.isoformat()))
    return {row[0] for row in rows}


def record_issue(state: State, audience: str, date: dt.date, seen_ids: set[int]) -> None:
    """The issue of `date` carried these articles (a rebuild replaces the earlier record)."""
    with state.transaction() as db:
        db.execute("DELETE FROM carried WHERE audience = ? AND issue_date = ?",
                   (audience, date.isoformat()))
        db.executemany("INSERT INTO carried (seen_id, audience, issue_date) VALUES (?, ?, ?)",
                       [(i, audience, date.isoformat()) for i in sorted(seen_ids)])
