"""The delivery ledger in the state database (tables of migration 4 in digest/state.py).

Per (issue date, audience, recipient): status, attempts, the server's last reply. A row goes
to `sending` (committed) before its SMTP transaction and to `sent` or `failed-*` (committed)
after it, so a run that dies leaves at most one `sending` row per connection whose fate is
unknown; a rerun sends those again, and everyone still `pending`, and nobody who is `sent`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from digest.delivery.recipients import Recipient
from digest.rendering.issue import RenderedIssue
from digest.state import State

PENDING = "pending"
SENDING = "sending"  # committed just before the transaction: its outcome is unknown if we died
SENT = "sent"
FAILED_TEMPORARY = "failed-temporary"
FAILED_PERMANENT = "failed-permanent"
STATUSES = (SENT, PENDING, SENDING, FAILED_TEMPORARY, FAILED_PERMANENT)


def _now() -> str:
    return _second(int(time.time()))


@lru_cache(maxsize=1)  # asked for twice a round, hundreds of rounds a second
def _second(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).isoformat(timespec="seconds")


def store_issue(state: State, issue: RenderedIssue) -> None:
    with state.transaction() as db:
        db.execute(
            "INSERT OR REPLACE INTO sendable_issues (issue_date, audience, subject, sender, html,"
            " text, token, rendered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (issue.date.isoformat(), issue.audience, issue.subject, issue.sender, issue.html,
             issue.text, issue.token, _now()),
        )


def load_issue(state: State, date: dt.date, audience: str) -> RenderedIssue | None:
    row = state.db.execute(
        "SELECT * FROM sendable_issues WHERE issue_date = ? AND audience = ?",
        (date.isoformat(), audience),
    ).fetchone()
    if row is None:
        return None
    return RenderedIssue(date=date, audience=audience, subject=row["subject"],
                         sender=row["sender"], html=row["html"], text=row["text"],
                         token=row["token"])


@dataclass
class Delivery:
    email: str
    status: str
    attempts: int
    last_reply: str
    updated_at: str


def prepare(state: State, date: dt.date, audience: str, people: Iterable[Recipient],
            force: bool = False) -> tuple[int, int, list[str]]:
    """Add a pending row for each new recipient; drop unsent rows of people no longer listed.

    Streams `people` in chunks (the list is never all in memory) into the connection's temp
    table `current_keys` (key, line of its first mention), which `todo` reads. With `force`,
    every recipient becomes pending again. Returns (recipients, unsent rows dropped, repeated
    addresses: the first 20).
    """
    day = date.isoformat()
    now = _now()
    repeated: list[str] = []
    total = 0
    with state.transaction() as db:
        db.execute("CREATE TEMP TABLE IF NOT EXISTS current_keys (email TEXT PRIMARY KEY,"
                   " line INTEGER NOT NULL)")
        db.execute("DELETE FROM current_keys")
        for chunk in _chunks(people, 1000):
            fresh = []
            for person in chunk:
                if db.execute("INSERT OR IGNORE INTO current_keys VALUES (?, ?)",
                              (person.key, person.line)).rowcount:
                    fresh.append((day, audience, person.key, now))
                elif len(repeated) < 20:
                    repeated.append(person.email)
            total += len(fresh)
            db.executemany("INSERT OR IGNORE INTO deliveries (issue_date, audience, email,"
                           " updated_at) VALUES (?, ?, ?, ?)", fresh)
        # someone who left the list (unsubscribed) before we reached them must not get it;
        # a refusal stays on record (the address is suppressed from then on)
        dropped = db.execute(
            "DELETE FROM deliveries WHERE issue_date = ? AND audience = ? AND status NOT IN"
            " (?, ?) AND email NOT IN (SELECT email FROM current_keys)",
            (day, audience, SENT, FAILED_PERMANENT)).rowcount
        if force:
            # only the people listed now: someone who left the list is not sent again
            db.execute("UPDATE deliveries SET status = ?, updated_at = ? WHERE issue_date = ?"
                       " AND audience = ? AND email IN (SELECT email FROM current_keys)",
                       (PENDING, now, day, audience))
    return total, dropped, repeated


RETRY = (PENDING, SENDING, FAILED_TEMPORARY)


def todo(state: State, date: dt.date, audience: str, people: Iterable[Recipient]
         ) -> Iterator[tuple[Recipient, str]]:
    """(recipient, status) of those to send, in list order, each once (after `prepare`)."""
    for chunk in _chunks(people, 500):
        marks = ",".join("?" * len(chunk))
        rows = state.db.execute(
            f"SELECT c.email, c.line, d.status FROM current_keys c JOIN deliveries d"
            f" ON d.email = c.email AND d.issue_date = ? AND d.audience = ?"
            f" WHERE c.email IN ({marks})",
            (date.isoformat(), audience, *[p.key for p in chunk])).fetchall()
        known = {r[0]: (r[1], r[2]) for r in rows}
        for person in chunk:
            line, status = known.get(person.key, (None, None))
            if line == person.line and status in RETRY:
                yield person, status


def to_send(state: State, date: dt.date, audience: str) -> int:
    return state.db.execute(
        f"SELECT count(*) FROM deliveries WHERE issue_date = ? AND audience = ?"
        f" AND status IN ({','.join('?' * len(RETRY))})",
        (date.isoformat(), audience, *RETRY)).fetchone()[0]


def in_flight(state: State, date: dt.date, audience: str) -> list[str]:
    """Who was `sending` when a run died: their fate is unknown."""
    rows = state.db.execute("SELECT email FROM deliveries WHERE issue_date = ? AND audience = ?"
                            " AND status = ? ORDER BY rowid", (date.isoformat(), audience,
                                                               SENDING))
    return [r[0] for r in rows]


def deliveries(state: State, date: dt.date, audience: str) -> dict[str, Delivery]:
    rows = state.db.execute(
        "SELECT email, status, attempts, last_reply, updated_at FROM deliveries"
        " WHERE issue_date = ? AND audience = ? ORDER BY rowid", (date.isoformat(), audience))
    return {r["email"]: Delivery(*r) for r in rows}


# Grouped writes: called inside one `state.transaction()` for the outcomes and claims of all
# the connections that reported since the last one, so the ledger is never the bottleneck.

def claim(db: sqlite3.Connection, date: dt.date, audience: str,
          rows: list[tuple[str, str]]) -> None:
    """Mark (key, message_id) `sending`: committed before their transactions start."""
    now, day = _now(), date.isoformat()
    db.executemany("UPDATE deliveries SET status = ?, message_id = ?, updated_at = ?"
                   " WHERE issue_date = ? AND audience = ? AND email = ?",
                   [(SENDING, mid, now, day, audience, key) for key, mid in rows])


def record(db: sqlite3.Connection, date: dt.date, audience: str,
           rows: list[tuple[str, str, str, int]]) -> None:
    """(key, status, reply, transactions tried) of finished recipients."""
    now, day = _now(), date.isoformat()
    db.executemany(
        "UPDATE deliveries SET status = ?, last_reply = ?, attempts = attempts + ?,"
        " updated_at = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END"
        " WHERE issue_date = ? AND audience = ? AND email = ?",
        [(status, reply[:500], tries, now, status, now, day, audience, key)
         for key, status, reply, tries in rows])


def release(db: sqlite3.Connection, date: dt.date, audience: str,
            rows: list[tuple[str, str]]) -> None:
    """Give claimed (key, previous status) rows back: never tried (no connection)."""
    day = date.isoformat()
    db.executemany("UPDATE deliveries SET status = ? WHERE issue_date = ? AND audience = ?"
                   " AND email = ?", [(prev, day, audience, key) for key, prev in rows])


def recent_rate(state: State, date: dt.date, audience: str, seconds: int = 60) -> float:
    """Messages sent a second over the last `seconds`, from the ledger's sent_at."""
    since = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=seconds)).isoformat(
        timespec="seconds")
    n = state.db.execute("SELECT count(*) FROM deliveries WHERE issue_date = ? AND audience = ?"
                         " AND sent_at >= ?", (date.isoformat(), audience, since)).fetchone()[0]
    return n / seconds


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def counts(state: State, date: dt.date, audience: str) -> dict[str, int]:
    out = dict.fromkeys(STATUSES, 0)
    for row in state.db.execute(
        "SELECT status, count(*) FROM deliveries WHERE issue_date = ? AND audience = ?"
        " GROUP BY status", (date.isoformat(), audience)):
        out[row[0]] = row[1]
    return out


def unsent(state: State, date: dt.date, audience: str) -> list[Delivery]:
    """Everyone not sent, failures first, for `digest status`."""
    rows = state.db.execute(
        "SELECT email, status, attempts, last_reply, updated_at FROM deliveries"
        " WHERE issue_date = ? AND audience = ? AND status != ?"
        " ORDER BY status = 'pending', status, rowid", (date.isoformat(), audience, SENT))
    return [Delivery(*r) for r in rows]


def audiences_with_deliveries(state: State, date: dt.date) -> list[str]:
    rows = state.db.execute("SELECT DISTINCT audience FROM deliveries WHERE issue_date = ?"
                            " ORDER BY audience", (date.isoformat(),))
    return [r[0] for r in rows]
