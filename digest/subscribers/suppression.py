"""The suppression list: addresses `digest send` skips, per audience or for all, and why.

The reason decides the scope: an unsubscribe (or `digest subscribers remove`) is for that
audience; a complaint, a hard bounce, a 5xx for the recipient at send time and too many soft
bounces are for every audience. A suppression stays whatever the recipient lists say: adding
the address to a CSV again does not undo it; only `unsuppress` (with a note, logged) or the
undo button after an unsubscribe does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from digest.state import State

UNSUBSCRIBED = "unsubscribed"
REMOVED = "removed"
COMPLAINED = "complained"
BOUNCED = "bounced"
REFUSED = "refused"  # a 5xx for the recipient at send time
SOFT_BOUNCES = "soft-bounces"
PER_AUDIENCE = (UNSUBSCRIBED, REMOVED)
EVERY = ""  # the audience column of a suppression that holds for every audience


def now_text(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Suppression:
    email: str
    audience: str | None  # None: every audience
    reason: str
    since: str
    detail: str

    def as_json(self) -> dict:
        return {"email": self.email, "audience": self.audience, "reason": self.reason,
                "since": self.since, "detail": self.detail}


def suppress(state: State, email: str, reason: str, audience: str | None = None,
             detail: str = "", now: dt.datetime | None = None) -> bool:
    """Add a suppression; False when the address was already suppressed there."""
    scope = audience if reason in PER_AUDIENCE else EVERY
    if reason in PER_AUDIENCE and not audience:
        raise ValueError(f"a '{reason}' suppression needs an audience")
    email = email.lower()
    at = now_text(now)
    with state.lock, state.transaction() as db:
        added = db.execute(
            "INSERT OR IGNORE INTO suppressions (email, audience, reason, detail, since)"
            " VALUES (?, ?, ?, ?, ?)", (email, scope, reason, detail[:500], at)).rowcount
        if added:
            db.execute("INSERT INTO suppression_log (email, audience, action, reason, note, at)"
                       " VALUES (?, ?, 'suppress', ?, ?, ?)",
                       (email, scope, reason, detail[:500], at))
    return bool(added)


def unsuppress(state: State, email: str, note: str, audience: str | None = None,
               only_reason: str | None = None) -> list[Suppression]:
    """Lift the suppressions of an address (of one audience and its global ones, or all);
    each is logged with the note. Returns what was lifted."""
    email = email.lower()
    lifted = [s for s in listing(state) if s.email == email
              and (audience is None or s.audience in (None, audience))
              and (only_reason is None or s.reason == only_reason)]
    at = now_text()
    with state.lock, state.transaction() as db:
        for s in lifted:
            db.execute("DELETE FROM suppressions WHERE email = ? AND audience = ?",
                       (email, s.audience or EVERY))
            db.execute("INSERT INTO suppression_log (email, audience, action, reason, note, at)"
                       " VALUES (?, ?, 'unsuppress', ?, ?, ?)",
                       (email, s.audience or EVERY, s.reason, note[:500], at))
    return lifted


def suppressed_for(state: State, audience: str) -> dict[str, str]:
    """address -> reason for everyone `digest send` must skip in this audience."""
    rows = state.db.execute("SELECT email, reason FROM suppressions WHERE audience IN (?, ?)"
                            " ORDER BY audience DESC", (audience, EVERY))
    return {r[0]: r[1] for r in rows}


def listing(state: State, audience: str | None = None) -> list[Suppression]:
    """The suppressions, oldest first; with `audience`, those that hold for it."""
    sql = "SELECT email, audience, reason, since, detail FROM suppressions"
    args: tuple = ()
    if audience is not None:
        sql += " WHERE audience IN (?, ?)"
        args = (audience, EVERY)
    rows = state.db.execute(sql + " ORDER BY since, email", args)
    return [Suppression(r[0], r[1] or None, r[2], r[3], r[4]) for r in rows]


def soft_bounce(state: State, email: str, detail: str, limit: int, days: int,
                now: dt.datetime | None = None) -> bool:
    """Count a soft bounce (a delay, a full mailbox); True when it made `limit` within `days`
    and the address is now suppressed."""
    email = email.lower()
    moment = now or dt.datetime.now(dt.timezone.utc)
    with state.lock, state.transaction() as db:
        db.execute("INSERT INTO soft_bounces (email, at, detail) VALUES (?, ?, ?)",
                   (email, now_text(moment), detail[:500]))
        since = now_text(moment - dt.timedelta(days=days))
        count = db.execute("SELECT count(*) FROM soft_bounces WHERE email = ? AND at >= ?",
                           (email, since)).fetchone()[0]
    if count >= limit:
        return suppress(state, email, SOFT_BOUNCES,
                        detail=f"{count} soft bounces in {days} days; last: {detail}", now=moment)
    return False
