"""The delivery ledger in the state database (tables of migration 2 in digest/state.py).

Per (issue date, audience, recipient): status, attempts, the server's last reply. A row goes
to `sending` (committed) before its SMTP transaction and to `sent` or `failed-*` (committed)
after it, so a run that dies leaves at most the one `sending` row whose fate is unknown; a
rerun sends it again, and everyone still `pending`, and nobody who is `sent`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from digest.rendering.issue import RenderedIssue
from digest.state import State

PENDING = "pending"
SENDING = "sending"  # committed just before the transaction: its outcome is unknown if we died
SENT = "sent"
FAILED_TEMPORARY = "failed-temporary"
FAILED_PERMANENT = "failed-permanent"
STATUSES = (SENT, PENDING, SENDING, FAILED_TEMPORARY, FAILED_PERMANENT)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


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


def prepare(state: State, date: dt.date, audience: str, keys: Iterable[str],
            force: bool = False) -> int:
    """Add a pending row for each new recipient; drop unsent rows of people no longer listed.

    With `force`, every recipient becomes pending again. Returns how many unsent rows went.
    """
    keys = list(keys)
    day = date.isoformat()
    now = _now()
    with state.transaction() as db:
        db.executemany(
            "INSERT OR IGNORE INTO deliveries (issue_date, audience, email, updated_at)"
            " VALUES (?, ?, ?, ?)", [(day, audience, key, now) for key in keys])
        db.execute("CREATE TEMP TABLE IF NOT EXISTS current_keys (email TEXT PRIMARY KEY)")
        db.execute("DELETE FROM current_keys")
        db.executemany("INSERT OR IGNORE INTO current_keys VALUES (?)", [(k,) for k in keys])
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
    return dropped


def deliveries(state: State, date: dt.date, audience: str) -> dict[str, Delivery]:
    rows = state.db.execute(
        "SELECT email, status, attempts, last_reply, updated_at FROM deliveries"
        " WHERE issue_date = ? AND audience = ? ORDER BY rowid", (date.isoformat(), audience))
    return {r["email"]: Delivery(*r) for r in rows}


def mark_sending(state: State, date: dt.date, audience: str, key: str, message_id: str) -> None:
    with state.transaction() as db:
        db.execute(
            "UPDATE deliveries SET status = ?, attempts = attempts + 1, message_id = ?,"
            " updated_at = ? WHERE issue_date = ? AND audience = ? AND email = ?",
            (SENDING, message_id, _now(), date.isoformat(), audience, key))


def mark_done(state: State, date: dt.date, audience: str, key: str, status: str,
              reply: str) -> None:
    now = _now()
    with state.transaction() as db:
        db.execute(
            "UPDATE deliveries SET status = ?, last_reply = ?, updated_at = ?,"
            " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END"
            " WHERE issue_date = ? AND audience = ? AND email = ?",
            (status, reply[:500], now, status, now, date.isoformat(), audience, key))


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
