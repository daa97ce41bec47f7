"""What the archive keeps of each issue in the state (migration 6 in digest/state.py).

The page itself comes from the issue stored for sending (`sendable_issues`); its indexes and
feed entry need the articles too: their titles, links, sources and summaries, kept here as
JSON for every audience (so an audience archived later can be rebuilt from the state).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from digest.models import Article
from digest.rendering.slots import Fillable
from digest.state import State

_LINK = re.compile(r"https?://[^\s<>\"']+")
MAX_TITLE = 500  # characters: a runaway title never fills an index
MAX_SENTENCE = 2000


@dataclass
class StoredIssue:
    """One issue as the archive lists it (the page's HTML is read on its own, when needed)."""

    date: dt.date
    audience: str
    subject: str
    rendered_at: str
    articles: list[dict] = field(default_factory=list)  # {title, link, source, summary}


def store_contents(state: State, date: dt.date, audience: str, articles: list[Article]) -> None:
    """Keep what the indexes and the feed show of the issue (replacing a rebuilt date's)."""
    items = [{"title": a.title[:MAX_TITLE],
              "link": a.url if a.url and _LINK.fullmatch(a.url) else "",
              "source": a.source[:MAX_TITLE],
              "summary": [s[:MAX_SENTENCE] for s in a.summary]}
             for a in articles]
    with state.transaction() as db:
        db.execute("INSERT OR REPLACE INTO issue_contents (issue_date, audience, articles,"
                   " stored_at) VALUES (?, ?, ?, ?)",
                   (date.isoformat(), audience, json.dumps(items, ensure_ascii=False),
                    dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))


def stored_issues(state: State, audience: str) -> list[StoredIssue]:
    """The audience's issues in the state, newest first."""
    rows = state.db.execute(
        "SELECT s.issue_date, s.subject, s.token, s.rendered_at, c.articles"
        " FROM sendable_issues s LEFT JOIN issue_contents c"
        " ON c.issue_date = s.issue_date AND c.audience = s.audience"
        " WHERE s.audience = ? ORDER BY s.issue_date DESC", (audience,)).fetchall()
    issues = []
    for row in rows:
        try:
            date = dt.date.fromisoformat(row["issue_date"])
        except ValueError:
            continue  # not a date this version wrote
        # a subject template may print a recipient field: filled for nobody here
        subject = Fillable(row["subject"], row["token"], escape=False).fill({})
        articles = _articles(row["articles"])
        issues.append(StoredIssue(date=date, audience=audience, subject=subject,
                                  rendered_at=row["rendered_at"], articles=articles))
    return issues


def _articles(raw: str | None) -> list[dict]:
    if not raw:
        return []
    try:
        items = json.loads(raw)
    except ValueError:
        return []
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            out.append({"title": str(item.get("title", "")),
                        "link": str(item.get("link", "")),
                        "source": str(item.get("source", "")),
                        "summary": [str(s) for s in item.get("summary", []) or []]})
    return out


def issue_counts(state: State) -> dict[str, tuple[int, str]]:
    """Per audience: (how many issues, the latest date), for the site index."""
    return {r[0]: (r[1], r[2]) for r in state.db.execute(
        "SELECT audience, count(*), max(issue_date) FROM sendable_issues GROUP BY audience")}
