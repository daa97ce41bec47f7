"""Sending the stored issues: every recipient once, visibly failed otherwise.

For each audience: the issue stored by `digest run` (placeholders in), the recipients, and the
ledger. Each recipient's message is built from the stored issue and sent in its own SMTP
transaction, recorded in the ledger before and after. A 4xx reply or a lost connection is
retried with exponential backoff (reconnecting as needed); a 5xx for a recipient is recorded
as permanent and the run goes on. A lock file beside the state database keeps a second run out.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import smtplib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path

from digest.delivery import ledger
from digest.delivery.dkim import Signer
from digest.delivery.mailer import PERMANENT, SENT, Mailer, SendAborted
from digest.delivery.personalize import message_for
from digest.delivery.recipients import Recipient, columns, load_recipients
from digest.errors import ConfigError, DigestError
from digest.rendering.issue import RenderedIssue
from digest.rendering.slots import PERSONAL_NAMES
from digest.settings import PASSWORD_VARIABLE, Audience, Settings, is_email, select_audiences, today
from digest.state import State
from digest.subscribers import roster
from digest.subscribers.links import envelope_sender

log = logging.getLogger("digest")

MAX_BACKOFF = 300.0


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
    preflight: Callable[[RenderedIssue, Audience], None] | None = None,
) -> list[Report]:
    """Send each chosen audience's issue for `date` (default: today) to whoever has not got it.

    `preflight(issue, audience)` (`digest check`, given by the command line) raises to refuse
    an issue before anyone gets it.
    """
    chosen = select_audiences(settings, audiences)
    issue_date = date or today(settings)
    smtp = settings.smtp
    password = None
    if not dry_run:
        if smtp is None:
            raise ConfigError(f"{settings.config_path or 'the settings'}: no [smtp] table: "
                              "set at least [smtp] host to send")
        if smtp.username:
            password = os.environ.get(PASSWORD_VARIABLE)
            if not password:
                raise ConfigError(f"'smtp.username' is set but ${PASSWORD_VARIABLE} is empty")
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
        if smtp is not None and smtp.security == "none" and smtp.username and not dry_run:
            log.warning("[smtp] security = \"none\": the login and password cross the network "
                        "in clear")
        people = {a.name: _recipients(a, issues[a.name]) for a in chosen}
        people, skipped = roster.without_suppressed(state, chosen, people, Recipient)
        for audience in chosen if preflight else ():
            preflight(issues[audience.name], audience)
        sign = Signer.from_settings(settings)  # None without [dkim]: sent unsigned
        if dry_run:
            return roster.counted(skipped, [_dry_run(state, issues[a.name], a, people[a.name],
                                                     force, sign) for a in chosen])
        with send_lock(state_path(settings)):
            mailer = Mailer(smtp, password, sleep=sleep)
            try:
                return roster.counted(skipped, [
                    _send_audience(state, mailer, issues[a.name], a, people[a.name], force,
                                   now, sleep, sign) for a in chosen])
            finally:
                mailer.close()


def state_path(settings: Settings) -> Path:
    return settings.state or Path.cwd() / "digest-state.sqlite3"


def _recipients(audience: Audience, issue: RenderedIssue) -> list[Recipient]:
    people = load_recipients(audience)
    if not people:
        log.warning("audience '%s' has no recipients", audience.name)
    known = {f"recipient.{c}" for c in columns(audience)} | set(PERSONAL_NAMES)
    for name in sorted(issue.fields - known):
        log.warning("audience '%s': the templates use %s, which no recipient has; it stays empty",
                    audience.name, name)
    if not audience.link_base and not audience.unsubscribe_url and \
            not audience.unsubscribe_mailto:
        log.warning("audience '%s' has no unsubscribe_url or unsubscribe_mailto: the messages "
                    "carry no List-Unsubscribe header", audience.name)
    return people


def _todo(state: State, date: dt.date, audience: str,
          people: list[Recipient]) -> list[Recipient]:
    rows = ledger.deliveries(state, date, audience)
    retry = {ledger.PENDING, ledger.SENDING, ledger.FAILED_TEMPORARY}
    return [p for p in people if p.key not in rows or rows[p.key].status in retry]


def _dry_run(state: State, issue: RenderedIssue, audience: Audience, people: list[Recipient],
             force: bool, sign: Signer | None = None) -> Report:
    todo = people if force else _todo(state, issue.date, audience.name, people)
    for person in todo:
        data = message_for(issue, audience, person).as_bytes()  # every message must build
        if sign:
            sign(data)  # and sign
    return Report(audience.name, len(people), issue.date,
                  counts=ledger.counts(state, issue.date, audience.name), dry_run=True,
                  to_send=len(todo))


def _send_audience(state: State, mailer: Mailer, issue: RenderedIssue, audience: Audience,
                   people: list[Recipient], force: bool, now: dt.datetime | None,
                   sleep: Callable[[float], None], sign: Signer | None = None) -> Report:
    date = issue.date
    dropped = ledger.prepare(state, date, audience.name, [p.key for p in people], force=force)
    if dropped:
        log.info("audience '%s': %d unsent recipients are no longer listed; dropped",
                 audience.name, dropped)
    rows = ledger.deliveries(state, date, audience.name)
    interrupted = [p.email for p in people if rows[p.key].status == ledger.SENDING]
    for email in interrupted:
        log.warning("audience '%s': the send to %s was interrupted; sending it again",
                    audience.name, email)
    todo = _todo(state, date, audience.name, people)
    report = Report(audience.name, len(people), date, to_send=len(todo))
    envelope_from = parseaddr(issue.sender)[1]
    smtp = mailer.smtp
    for number, person in enumerate(todo, start=1):
        message = message_for(issue, audience, person, now=now)
        data = message.as_bytes()
        if sign:
            data = sign(data)  # the recipient's final bytes: nothing may change them after this
        message_id = message["Message-ID"]
        for attempt in range(smtp.retries + 1):
            if attempt:
                sleep(min(smtp.retry_delay * 2 ** (attempt - 1), MAX_BACKOFF))
            if mailer.conn is None:
                try:
                    mailer.connect()
                except (smtplib.SMTPException, OSError) as exc:
                    reason = mailer.scrub(_describe(exc))
                    if attempt < smtp.retries:
                        log.warning("cannot connect to %s (%s); retrying", mailer.where, reason)
                        continue
                    raise SendAborted(f"cannot connect to {mailer.where}: {reason}; "
                                      f"{len(todo) - number + 1} recipients of '{audience.name}'"
                                      " not sent") from None
            ledger.mark_sending(state, date, audience.name, person.key, message_id)
            outcome = mailer.send(envelope_sender(audience, person.email, envelope_from),
                                  person.email, data)
            if outcome.kind == SENT:
                ledger.mark_done(state, date, audience.name, person.key, ledger.SENT,
                                 outcome.reply)
                report.sent_now += 1
                break
            if outcome.kind == PERMANENT and not outcome.sender_refused:
                ledger.mark_done(state, date, audience.name, person.key,
                                 ledger.FAILED_PERMANENT, outcome.reply)
                roster.record_refusal(state, person.email, outcome.reply)
                log.warning("%s: refused for good: %s", person.email, outcome.reply)
                break
            ledger.mark_done(state, date, audience.name, person.key, ledger.FAILED_TEMPORARY,
                             outcome.reply)
            if outcome.sender_refused:
                raise SendAborted(f"{mailer.where} refused the sender {envelope_from}: "
                                  f"{outcome.reply}")
            log.warning("%s: %s (attempt %d of %d)", person.email, outcome.reply, attempt + 1,
                        smtp.retries + 1)
        if number % 500 == 0:
            log.info("audience '%s': %d of %d done", audience.name, number, len(todo))
    report.counts = ledger.counts(state, date, audience.name)
    return report


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) \
            else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


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
