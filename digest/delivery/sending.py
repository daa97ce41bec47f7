"""Sending the stored issues: every recipient once, visibly failed otherwise.

For each audience: the issue stored by `digest run` (placeholders in), the recipients, and the
ledger. The issue's MIME parts are encoded once (`compose`); each recipient's message is those
bytes with its fields spliced in, sent in its own SMTP transaction over one of N connections
(`workers`, `relays`), recorded in the ledger before and after in grouped writes (`dispatch`).
A 4xx reply or a lost connection is retried with exponential backoff (reconnecting as needed);
a 5xx for a recipient is recorded as permanent and the run goes on. A lock file beside the
state database keeps a second run out.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path

from digest.delivery import ledger
from digest.delivery.compose import Composer
from digest.delivery.dispatch import Dispatcher, Progress
from digest.delivery.dkim import Signer
from digest.delivery.recipients import Recipient, columns, iter_recipients, load_recipients
from digest.delivery.relays import RelayPool, check_passwords
from digest.errors import ConfigError, DigestError
from digest.rendering.issue import RenderedIssue
from digest.rendering.slots import PERSONAL_NAMES
from digest.settings import Audience, Settings, is_email, select_audiences, today
from digest.state import State
from digest.subscribers import roster

log = logging.getLogger("digest")


class SendLocked(DigestError):
    """Another run holds the send lock."""


class NotRendered(DigestError):
    """No stored issue for an audience and date: `digest run` has not made it."""


@dataclass
class Report:
    """What one audience's send did; `counts` is the ledger afterwards."""

    audience: str
    recipients: int
    date: dt.date | None = None
    sent_now: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    to_send: int = 0
    suppressed: int = 0  # listed, but on the suppression list: skipped

    @property
    def not_sent(self) -> int:
        return sum(n for status, n in self.counts.items() if status != ledger.SENT)


def send(
    settings: Settings,
    date: dt.date | None = None,
    audiences: list[str] | tuple[str, ...] | None = None,
    dry_run: bool = False,
    force: bool = False,
    now: dt.datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[str], Progress | None] | None = None,
    preflight: Callable[[RenderedIssue, Audience], None] | None = None,
) -> list[Report]:
    """Send each chosen audience's issue for `date` (default: today) to whoever has not got it.

    `progress(audience)` may give a callback that is told (done, total) as the send goes.
    `preflight(issue, audience)` (`digest check`, given by the command line) raises to refuse
    an issue before anyone gets it.
    """
    chosen = select_audiences(settings, audiences)
    issue_date = date or today(settings)
    smtp = settings.smtp
    passwords: dict[str, str | None] = {}
    if not dry_run:
        if smtp is None:
            raise ConfigError(f"{settings.config_path or 'the settings'}: no [smtp] table: "
                              "set at least [smtp] host to send")
        passwords = check_passwords(smtp)
    with State(state_path(settings)) as state:
        # the bounce mailbox first (not on a dry run), and the key that signs the links
        chosen = roster.ready(settings, state, chosen, read_mailbox=not dry_run)
        issues = {}
        for audience in chosen:
            issue = ledger.load_issue(state, issue_date, audience.name)
            if issue is None:
                raise NotRendered(f"no rendered issue for audience '{audience.name}' on "
                                  f"{issue_date}: run `digest run --date {issue_date}` first")
            issues[audience.name] = issue
        for audience in chosen:
            address = parseaddr(issues[audience.name].sender)[1]
            if not is_email(address):
                raise ConfigError(f"'audiences.{audience.name}.from' needs an address to send "
                                  f"from, got '{issues[audience.name].sender}'")
        if smtp is not None and not dry_run and any(
                r.security == "none" and r.username for r in (smtp.relays or (smtp,))):
            log.warning("[smtp] security = \"none\": the login and password cross the network "
                        "in clear")
        for audience in chosen:
            _check_fields(audience, issues[audience.name])
        for audience in chosen if preflight else ():
            preflight(issues[audience.name], audience)
        sign = Signer.from_settings(settings)  # None without [dkim]: sent unsigned
        if dry_run:
            return [_dry_run(state, issues[a.name], a, force, sign) for a in chosen]
        with send_lock(state_path(settings)):
            pool = RelayPool(smtp, passwords)
            return [_send_audience(state, pool, smtp.connections, issues[a.name], a, force,
                                   now, sleep, progress(a.name) if progress else None, sign)
                    for a in chosen]


def state_path(settings: Settings) -> Path:
    return settings.state or Path.cwd() / "digest-state.sqlite3"


def _check_fields(audience: Audience, issue: RenderedIssue) -> None:
    known = {f"recipient.{c}" for c in columns(audience)} | set(PERSONAL_NAMES)
    for name in sorted(issue.fields - known):
        log.warning("audience '%s': the templates use %s, which no recipient has; it stays empty",
                    audience.name, name)
    if not audience.link_base and not audience.unsubscribe_url and \
            not audience.unsubscribe_mailto:
        log.warning("audience '%s' has no unsubscribe_url or unsubscribe_mailto: the messages "
                    "carry no List-Unsubscribe header", audience.name)


def _todo(state: State, date: dt.date, audience: Audience,
          people: Iterable[Recipient]) -> Iterator[tuple[Recipient, str]]:
    """The one place that chooses who is sent to: (recipient, ledger status) of everyone
    listed, once each, who is pending, was interrupted, or failed for now (after `prepare`)."""
    yield from ledger.todo(state, date, audience.name, people)


def _refused_for_good(state: State, audience: Audience, person: Recipient, reply: str) -> None:
    """The one place a permanent failure (5xx for this recipient) is seen, after the ledger
    recorded it as failed-permanent: the address is suppressed from then on."""
    roster.record_refusal(state, person.email, reply)
    log.warning("%s: refused for good: %s", person.email, reply)


def _dry_run(state: State, issue: RenderedIssue, audience: Audience, force: bool,
             sign: Signer | None = None) -> Report:
    listed = roster.Listed(state, audience, Recipient)
    people = list(listed.stream(load_recipients(audience)))
    if not people and not listed.suppressed:
        log.warning("audience '%s' has no recipients", audience.name)
    rows = {} if force else ledger.deliveries(state, issue.date, audience.name)
    retry = set(ledger.RETRY)
    todo = [p for p in people if p.key not in rows or rows[p.key].status in retry]
    composer = Composer(issue, audience, sign=sign)
    for person in todo:
        composer.message(person)  # every message must build (and sign)
    return Report(audience.name, len(people), issue.date,
                  counts=ledger.counts(state, issue.date, audience.name), dry_run=True,
                  to_send=len(todo), suppressed=listed.suppressed)


def _send_audience(state: State, pool: RelayPool, connections: int, issue: RenderedIssue,
                   audience: Audience, force: bool, now: dt.datetime | None,
                   sleep: Callable[[float], None], progress: Progress | None,
                   sign: Signer | None = None) -> Report:
    date = issue.date
    # the list (streamed) and the confirmed sign-ups, less the suppressed: counted, and their
    # link references remembered, on this first pass only
    listed = roster.Listed(state, audience, Recipient)
    listed.remember(iter_recipients(audience, warn=False))
    total, dropped, repeated = ledger.prepare(state, date, audience.name,
                                              listed.stream(iter_recipients(audience)),
                                              force=force)
    for email in repeated:
        log.warning("audience '%s': %s is listed more than once; it gets one copy",
                    audience.name, email)
    if not total:
        log.warning("audience '%s' has no recipients", audience.name)
    if dropped:
        log.info("audience '%s': %d unsent recipients are no longer listed; dropped",
                 audience.name, dropped)
    for email in ledger.in_flight(state, date, audience.name):
        log.warning("audience '%s': the send to %s was interrupted; sending it again",
                    audience.name, email)
    to_send = ledger.to_send(state, date, audience.name)
    report = Report(audience.name, total, date, to_send=to_send, suppressed=listed.suppressed)
    if to_send:
        dispatcher = Dispatcher(
            state, date, audience.name, Composer(issue, audience, now=now, sign=sign),
            _todo(state, date, audience,
                  listed.stream(iter_recipients(audience, warn=False))), to_send,
            on_permanent=lambda person, reply: _refused_for_good(state, audience, person,
                                                                 reply),
            progress=progress)
        try:
            dispatcher.run(pool, connections, parseaddr(issue.sender)[1], sleep)
        finally:
            report.sent_now = dispatcher.sent
    report.counts = ledger.counts(state, date, audience.name)
    return report


@contextmanager
def send_lock(state_path: Path, wait: float = 0.5) -> Iterator[None]:
    """An exclusive lock (flock) that the kernel releases when the process ends, even killed.

    `wait` rides out `digest status`, which takes the lock for an instant to see if it is held.
    """
    import fcntl

    path = Path(f"{state_path}.send-lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                raise SendLocked(f"another digest send is running (pid {holder}, lock {path}); "
                                 "not sending") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


def running_send(settings: Settings) -> str | None:
    """The pid of a `digest send` holding the lock now, else None."""
    path = state_path(settings)
    if not path.exists():
        return None
    try:
        with send_lock(path, wait=0):
            return None
    except SendLocked as exc:
        return str(exc).split("(pid ", 1)[1].split(",", 1)[0]
