"""One worker per SMTP connection: take a recipient, make its message, send it, report back.

A worker asks the dispatcher (`digest.delivery.dispatch`) for its next recipient only after
handing in the outcome of the last one, and the dispatcher answers after that outcome and the
new claim are committed: so each connection has at most one message whose fate the ledger
does not know, and a killed send duplicates at most N messages. A 4xx or a lost connection is
retried here with exponential backoff (on a new connection when it went); a relay that cannot
be reached or refuses the sender is put out, and the worker carries on through another.
"""

from __future__ import annotations

import logging
import queue
import smtplib
import threading
from collections.abc import Callable
from dataclasses import dataclass

from digest.delivery.compose import Composer
from digest.delivery.mailer import PERMANENT, SENT, TEMPORARY, Mailer, Outcome, SendAborted
from digest.delivery.recipients import Recipient
from digest.delivery.relays import Relay, RelayPool
from digest.errors import DigestError

log = logging.getLogger("digest")

MAX_BACKOFF = 300.0


@dataclass
class Job:
    person: Recipient
    previous: str  # the ledger status before the claim, given back if it was never tried


@dataclass
class Result:
    job: Job | None
    outcome: Outcome | None  # None: never tried (no connection), the job goes back
    tries: int = 0
    abort: DigestError | None = None  # nothing more can be sent
    retire: str = ""  # this worker stops (why); the others go on


class NoRelay(SendAborted):
    """No relay can be reached (or all are capped): the rest stays for a later run."""


def backoff(smtp, attempt: int) -> float:
    return min(smtp.retry_delay * 2 ** (attempt - 1), MAX_BACKOFF)


class Worker(threading.Thread):
    def __init__(self, number: int, pool: RelayPool, composer: Composer, envelope_from: str,
                 requests: queue.SimpleQueue, sleep: Callable[[float], None]):
        super().__init__(name=f"digest-smtp-{number}", daemon=True)
        self.pool = pool
        self.composer = composer
        self.envelope_from = envelope_from
        self.requests = requests
        self.inbox: queue.SimpleQueue = queue.SimpleQueue()
        self.sleep = sleep
        self.relay: Relay | None = None
        self.mailer: Mailer | None = None

    def run(self) -> None:
        result = None
        try:
            while True:
                self.requests.put((self, result))
                job = self.inbox.get()
                if job is None:
                    return
                result = self.deliver(job)
                if result.retire:
                    self.requests.put((self, result))
                    return
        except BaseException as exc:  # never leave the dispatcher waiting for us
            self.requests.put((self, Result(None, None, retire="failed",
                                            abort=DigestError(f"worker failed: {exc!r}"))))
        finally:
            self._close()
            if self.relay is not None:
                self.pool.leave(self.relay)

    def deliver(self, job: Job) -> Result:
        try:
            data = self.composer.message(job.person)
        except DigestError as exc:
            return Result(job, None, abort=exc)
        tries, outcome = 0, None
        while True:
            problem = self._connect()
            if problem is not None:
                problem.job = job
                return problem
            relay, mailer = self.relay, self.mailer
            smtp = relay.smtp
            if relay.limiter is not None:
                wait = relay.limiter.take()
                if wait is None:
                    self.pool.mark_full(relay)
                    self._close()
                    continue
                if wait > 0:
                    self.sleep(wait)
            tries += 1
            outcome = mailer.send(self.composer.envelope(job.person, self.envelope_from),
                                  job.person.email, data, crlf=True)
            if outcome.kind == SENT or (outcome.kind == PERMANENT
                                        and not outcome.sender_refused):
                return Result(job, outcome, tries)
            if outcome.sender_refused:
                reason = f"{relay.where} refused the sender {self.envelope_from}: {outcome.reply}"
                self.pool.put_out(relay, reason)
                self._close()
                if not self.pool.any_usable():
                    return Result(job, outcome, tries, abort=SendAborted(reason))
                continue
            if tries > smtp.retries:
                return Result(job, outcome, tries)
            log.warning("%s: %s (attempt %d of %d)", job.person.email, outcome.reply, tries,
                        smtp.retries + 1)
            self.sleep(backoff(smtp, tries))

    def _connect(self) -> Result | None:
        """An open connection on a usable relay; else a Result saying why not (job unset)."""
        if self.mailer is not None and self.mailer.conn is not None and self.relay.usable:
            return None
        self._close()
        failure: DigestError | None = None
        while True:
            if self.relay is None or not self.relay.usable:
                self.relay = self.pool.pick(leaving=self.relay)
                if self.relay is None:
                    reason = self.pool.why_none()
                    return Result(None, None, abort=failure or NoRelay(reason), retire=reason)
            relay = self.relay
            mailer = Mailer(relay.smtp, relay.password)
            reason = ""
            for attempt in range(relay.smtp.retries + 1):
                if attempt:
                    self.sleep(backoff(relay.smtp, attempt))
                self.pool.connecting(relay, 1)
                try:
                    mailer.connect()
                except (smtplib.SMTPException, OSError) as exc:
                    reason = mailer.scrub(_describe(exc))
                    if attempt < relay.smtp.retries:
                        log.warning("cannot connect to %s (%s); retrying", relay.where, reason)
                    continue
                except DigestError as exc:
                    # TLS not trusted, no STARTTLS, login refused: trying again will not help
                    failure = exc
                    self.pool.put_out(relay, str(exc))
                    break
                else:
                    self.mailer = mailer
                    self.pool.opened(relay)
                    return None
                finally:
                    self.pool.connecting(relay, -1)
            if relay.out:
                continue
            if relay.live or relay.connecting:
                # the relay works for the others: it may cap connections per client
                return Result(None, None, retire=f"cannot connect to {relay.where}: {reason}")
            self.pool.put_out(relay, f"cannot connect to {relay.where}: {reason}")

    def _close(self) -> None:
        if self.mailer is not None:  # set only once connected: `opened` was counted
            self.mailer.close()
            self.mailer = None
            self.pool.closed(self.relay)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) \
            else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


__all__ = ["Job", "Result", "Worker", "TEMPORARY"]
