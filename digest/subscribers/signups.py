"""Double opt-in sign-ups: pending until the address confirms, then part of the audience.

A sign-up is `pending` until its confirmation link is POSTed; a pending one older than
`[service] signup_days` is gone and was never mailed the digest. One confirmation mail per
address per hour at most, so the form cannot be used to flood someone's inbox.
"""

from __future__ import annotations

import datetime as dt

from digest.state import State
from digest.subscribers import suppression
from digest.subscribers.suppression import now_text

PENDING, CONFIRMED = "pending", "confirmed"
RESEND_AFTER = dt.timedelta(hours=1)


def request(state: State, audience: str, email: str, name: str = "",
            now: dt.datetime | None = None, listed: bool = False) -> bool:
    """Record a sign-up; True when a confirmation mail should go out now. `listed`: the
    address is in the audience's configured list or CSV already."""
    email = email.lower()
    moment = now or dt.datetime.now(dt.timezone.utc)
    blocked = suppression.suppressed_for(state, audience).get(email)
    if blocked and blocked not in suppression.PER_AUDIENCE:
        return False  # a complaint or a bounce: never mail them again, not even this
    if listed and not blocked:
        return False  # mailed already
    with state.lock, state.transaction() as db:
        row = db.execute("SELECT status, created_at FROM signups WHERE audience = ? AND email = ?",
                         (audience, email)).fetchone()
        if row and row[0] == CONFIRMED and not blocked:
            return False
        if row and row[0] == PENDING and \
                dt.datetime.fromisoformat(row[1]) > moment - RESEND_AFTER:
            return False
        db.execute("INSERT OR REPLACE INTO signups (audience, email, name, status, created_at)"
                   " VALUES (?, ?, ?, ?, ?)", (audience, email, name[:200], PENDING,
                                                now_text(moment)))
    return True


def confirm(state: State, audience: str, email: str, days: int,
            now: dt.datetime | None = None) -> bool:
    """Confirm a pending sign-up that has not expired; an earlier unsubscribe from this
    audience is lifted, since the address itself asked again."""
    email = email.lower()
    moment = now or dt.datetime.now(dt.timezone.utc)
    expire(state, days, moment)
    with state.lock, state.transaction() as db:
        row = db.execute("SELECT status FROM signups WHERE audience = ? AND email = ?",
                         (audience, email)).fetchone()
        if row is None:
            return False
        if row[0] == PENDING:
            db.execute("UPDATE signups SET status = ?, confirmed_at = ? WHERE audience = ?"
                       " AND email = ?", (CONFIRMED, now_text(moment), audience, email))
    for reason in suppression.PER_AUDIENCE:
        suppression.unsuppress(state, email, "confirmed a new sign-up", audience=audience,
                               only_reason=reason)
    return True


def expire(state: State, days: int, now: dt.datetime | None = None) -> int:
    moment = now or dt.datetime.now(dt.timezone.utc)
    cutoff = now_text(moment - dt.timedelta(days=days))
    with state.lock, state.transaction() as db:
        return db.execute("DELETE FROM signups WHERE status = ? AND created_at < ?",
                          (PENDING, cutoff)).rowcount


def add(state: State, audience: str, email: str, name: str = "") -> bool:
    """A confirmed subscriber added by hand (`digest subscribers add` or `import`)."""
    with state.lock, state.transaction() as db:
        return bool(db.execute(
            "INSERT OR REPLACE INTO signups (audience, email, name, status, created_at,"
            " confirmed_at) VALUES (?, ?, ?, ?, ?, ?)",
            (audience, email.lower(), name[:200], CONFIRMED, now_text(), now_text())).rowcount)


def remove(state: State, audience: str, email: str) -> bool:
    with state.lock, state.transaction() as db:
        return bool(db.execute("DELETE FROM signups WHERE audience = ? AND email = ?",
                               (audience, email.lower())).rowcount)


def confirmed(state: State, audience: str) -> list[tuple[str, str]]:
    rows = state.db.execute("SELECT email, name FROM signups WHERE audience = ? AND status = ?"
                            " ORDER BY confirmed_at, email", (audience, CONFIRMED))
    return [(r[0], r[1]) for r in rows]


def pending_count(state: State, audience: str) -> int:
    return state.db.execute("SELECT count(*) FROM signups WHERE audience = ? AND status = ?",
                            (audience, PENDING)).fetchone()[0]
