"""What `digest subscribers` does: list, add, remove, import, export, and the suppressions.

An audience's recipients are its configured list or CSV plus its confirmed sign-ups, minus
the suppressed. `add` and `import` make confirmed sign-ups; they never lift a suppression
(use `unsuppress`, which asks for a reason and logs it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from digest.delivery.recipients import Recipient, load_recipients, read_csv
from digest.errors import UsageError
from digest.settings import Audience, Settings, is_email, select_audiences
from digest.state import State
from digest.subscribers import signups, suppression
from digest.subscribers.roster import Listed

log = logging.getLogger("digest")


@dataclass(frozen=True)
class Member:
    email: str
    name: str
    audience: str
    source: str  # "list", "csv" or "signup"


def one_audience(settings: Settings, name: str | None) -> Audience:
    if name is None:
        if len(settings.audiences) == 1:
            return next(iter(settings.audiences.values()))
        raise UsageError(f"say which audience with --audience "
                         f"(configured: {', '.join(settings.audiences)})")
    return select_audiences(settings, [name])[0]


def members(settings: Settings, state: State, names: list[str] | None = None) -> list[Member]:
    """Who the next `digest send` mails, per audience."""
    out = []
    for audience in select_audiences(settings, names):
        source = "list" if audience.recipients_file is None else "csv"
        listed = Listed(state, audience, Recipient)
        for person, signed_up in listed.entries(load_recipients(audience)):
            out.append(Member(person.email, person.name, audience.name,
                              "signup" if signed_up else source))
    return out


def _check(email: str) -> str:
    if not is_email(email):
        raise UsageError(f"not an e-mail address: '{email}'")
    return email


def add(state: State, audience: Audience, email: str, name: str = "") -> str:
    """A confirmed subscriber; returns a note when a suppression still holds."""
    signups.add(state, audience.name, _check(email), name)
    reason = suppression.suppressed_for(state, audience.name).get(email.lower())
    return (f"{email} stays suppressed ({reason}): `digest subscribers unsuppress` lifts it"
            if reason else "")


def remove(state: State, audience: Audience, email: str) -> str:
    """Take an address out of an audience: its sign-up goes; an address in the configured
    list or CSV (which digest does not edit) is suppressed for the audience instead."""
    email = _check(email).lower()
    had_signup = signups.remove(state, audience.name, email)
    listed = any(p.key == email for p in load_recipients(audience))
    if listed:
        suppression.suppress(state, email, suppression.REMOVED, audience=audience.name,
                             detail="digest subscribers remove")
        return f"{email}: in the audience's recipient list; suppressed for '{audience.name}'"
    if had_signup:
        return f"{email}: removed from '{audience.name}'"
    raise UsageError(f"{email} is not a recipient of '{audience.name}'")


def import_csv(state: State, audience: Audience, path: Path) -> tuple[int, int]:
    """(added, still suppressed) from a CSV with an `email` column (and `name`)."""
    people = list(read_csv(path))
    blocked = suppression.suppressed_for(state, audience.name)
    for person in people:
        signups.add(state, audience.name, person.email, person.name)
    return len(people), sum(1 for p in people if p.key in blocked)


def unsuppress(state: State, email: str, reason: str, audience: str | None = None) -> list:
    if not reason.strip():
        raise UsageError("--reason is needed: say why the address may be mailed again")
    lifted = suppression.unsuppress(state, _check(email), reason.strip(), audience=audience)
    if not lifted:
        raise UsageError(f"{email} is not suppressed"
                         + (f" for '{audience}'" if audience else ""))
    for s in lifted:
        log.info("unsuppressed %s (%s, %s): %s", s.email, s.reason, s.audience or "all", reason)
    return lifted
