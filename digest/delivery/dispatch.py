"""The dispatcher: hands recipients to N connections and keeps the ledger, in grouped writes.

It runs in the calling thread and is the only one writing the ledger. Each round it takes
every worker that reported since the last (an outcome, a request for work), claims the next
recipients for them, and writes the outcomes and the claims in one transaction; only then
does each worker get its next recipient. A claim (`sending`) is thus committed before its
transaction starts, and an outcome before that worker starts another: a kill leaves at most
one unknown message per connection. The recipients come from an iterator (the list is never
all in memory), one worker at a time: nobody is claimed twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator

from digest.delivery import ledger
from digest.delivery.compose import Composer
from digest.delivery.mailer import PERMANENT, SENT
from digest.delivery.recipients import Recipient
from digest.delivery.relays import RelayPool
from digest.delivery.workers import Job, NoRelay, Result, Worker
from digest.errors import DigestError
from digest.state import State

log = logging.getLogger("digest")

# (done, total) after each round, for a progress bar
Progress = Callable[[int, int], None]


class Dispatcher:
    def __init__(self, state: State, date: dt.date, audience: str, composer: Composer,
                 todo: Iterator[tuple[Recipient, str]], total: int,
                 on_permanent: Callable[[Recipient, str], None],
                 progress: Progress | None = None):
        self.state = state
        self.date = date
        self.audience = audience
        self.composer = composer
        self.todo = todo
        self.total = total
        self.on_permanent = on_permanent
        self.progress = progress
        self.sent = 0
        self.done = 0
        self.abort: DigestError | None = None
        self._returned: deque[Job] = deque()  # handed back by a worker that could not send
        self._exhausted = False
        self._unwritten: list[Result] = []
        self._unhanded: list[Job] = []  # claimed in the last round, not yet given to a worker

    def run(self, pool: RelayPool, connections: int, envelope_from: str,
            sleep: Callable[[float], None]) -> None:
        """Send everyone in `todo`; raises the reason if the send had to stop."""
        requests: queue.SimpleQueue = queue.SimpleQueue()  # C: put/get cost no Python locks
        # no more connections than recipients: a short list opens few
        workers = [Worker(i, pool, self.composer, envelope_from, requests, sleep)
                   for i in range(max(1, min(connections, self.total)))]
        # N threads wait on sockets and each wake-up needs the GIL: the default 5 ms switch
        # interval would add up to that to every reply the server sends (measured: 30 ms
        # latency, 32 connections, 167 -> 238 messages/s with 0.5 ms)
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, 0.0005))
        for worker in workers:
            worker.start()
        active = len(workers)
        last_retire = ""
        logged = 0
        # Ctrl-C only sets a flag, looked at between rounds: a KeyboardInterrupt raised
        # anywhere could drop the reports already taken off the queue (a message sent and
        # never recorded, so sent again by the rerun)
        interrupted = threading.Event()
        restore = _on_sigint(lambda *_: interrupted.set())
        try:
            while active:
                if interrupted.is_set():
                    raise KeyboardInterrupt
                try:
                    batch = [requests.get(timeout=0.1)]
                except queue.Empty:
                    continue
                while True:
                    try:
                        batch.append(requests.get_nowait())
                    except queue.Empty:
                        break
                results = [r for _, r in batch if r is not None]
                for result in results:
                    if result.abort is not None and self.abort is None:
                        self.abort = result.abort
                    if result.outcome is None and result.job is not None:
                        self._returned.append(result.job)
                    if result.retire:
                        last_retire = result.retire
                answers = []
                for worker, result in batch:
                    if result is not None and result.retire:
                        active -= 1  # it has stopped: it needs no answer
                        continue
                    job = self._next()
                    answers.append((worker, job))
                    if job is None:
                        active -= 1
                self._unwritten = results  # recorded by _wind_down if we are stopped here
                self._write(results, [job for _, job in answers if job is not None])
                self._unwritten = []
                self._unhanded = [job for _, job in answers if job is not None]
                for worker, job in answers:
                    if job is not None:
                        self._unhanded.pop(0)
                    worker.inbox.put(job)
                if self.progress is not None:
                    self.progress(self.done, self.total)
                if self.done // 1000 > logged:
                    logged = self.done // 1000
                    log.info("audience '%s': %d of %d done", self.audience, self.done,
                             self.total)
        finally:
            restore()  # a second Ctrl-C while winding down is the usual one
            if active:
                self._wind_down(workers, requests)
            else:
                deadline = time.monotonic() + 10  # each says QUIT and closes its connection
                for worker in workers:
                    worker.join(timeout=max(0.0, deadline - time.monotonic()))
            sys.setswitchinterval(interval)
        if self.abort is None and (self._returned or not self._exhausted):
            self.abort = NoRelay(last_retire or "no connection could be made")
        if self.abort is not None:
            if isinstance(self.abort, NoRelay):
                left = ledger.to_send(self.state, self.date, self.audience)
                raise NoRelay(f"{self.abort}; {left} recipients of '{self.audience}' not sent")
            raise self.abort

    def _wind_down(self, workers: list[Worker], requests: queue.SimpleQueue) -> None:
        """Stopped early (Ctrl-C, an error): let the transactions under way end and record
        them, so that a rerun does not send them again; what cannot be waited for stays
        `sending` and is sent again (at most one per connection)."""
        for worker in workers:
            worker.inbox.put(None)
        deadline = time.monotonic() + 10
        for worker in workers:
            worker.join(timeout=max(0.0, deadline - time.monotonic()))
        # claimed but never given to a worker: not tried, back to what they were
        results = [Result(job, None) for job in self._unhanded] + list(self._unwritten)
        while True:
            try:
                results.append(requests.get_nowait()[1])
            except queue.Empty:
                break
        try:
            self._write([r for r in results if r is not None], [])
        except Exception:  # noqa: BLE001 - already failing: the first error is the one to show
            log.debug("could not record the last outcomes", exc_info=True)

    def _next(self) -> Job | None:
        if self.abort is not None:
            return None
        if self._returned:
            return self._returned.popleft()
        item = next(self.todo, None)
        if item is None:
            self._exhausted = True
            return None
        return Job(*item)

    def _write(self, results: list[Result], claims: list[Job]) -> None:
        done, back = [], []
        for result in results:
            if result.job is None:
                continue
            key = result.job.person.key
            if result.outcome is None:
                back.append((key, result.job.previous))
                continue
            outcome = result.outcome
            if outcome.kind == SENT:
                status = ledger.SENT
                self.sent += 1
            elif outcome.kind == PERMANENT and not outcome.sender_refused:
                status = ledger.FAILED_PERMANENT
            else:
                status = ledger.FAILED_TEMPORARY
            done.append((key, status, outcome.reply, result.tries))
        self.done += len(done)
        composer = self.composer
        with self.state.transaction() as db:
            # given back first: a job handed back may be claimed again in this same round
            ledger.release(db, self.date, self.audience, back)
            ledger.record(db, self.date, self.audience, done)
            ledger.claim(db, self.date, self.audience,
                         [(job.person.key, composer.message_id(job.person)) for job in claims])
        for result, (_, status, reply, _) in zip([r for r in results if r.job is not None
                                                  and r.outcome is not None], done):
            if status == ledger.FAILED_PERMANENT:
                self.on_permanent(result.job.person, reply)


def _on_sigint(handler) -> Callable[[], None]:
    """Install `handler` for SIGINT; gives back what puts the one before back. Outside the
    main thread, where signals cannot be handled, nothing is installed."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.signal(signal.SIGINT, handler)
    return lambda: signal.signal(signal.SIGINT, signal.default_int_handler
                                 if previous is None else previous)
