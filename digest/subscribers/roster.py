"""An audience's recipients as `digest send` mails them, and what a send teaches us.

The configured list or CSV plus the confirmed sign-ups, minus the suppressed; each kept
address's token reference is remembered so that `digest serve` can read its links back.
`digest.delivery.sending` calls these in one line each: `ready` before anything is chosen,
`Listed` where the recipients are chosen (streamed: `remember` once, then `stream`; a dry
run and `digest subscribers list` only `stream`), `record_refusal` on a 5xx.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator

from digest.settings import Audience, Settings
from digest.state import State
from digest.subscribers import signups, suppression, tokens
from digest.subscribers.links import prepare_audience
from digest.subscribers.secret import link_secret

log = logging.getLogger("digest")


def ready(settings: Settings, state: State, chosen: list[Audience],
          read_mailbox: bool = True) -> list[Audience]:
    """Read the bounce mailbox first (when configured) and give each audience its link key."""
    if read_mailbox and settings.mailbox is not None:
        from digest.subscribers.bounces import read_bounces
        from digest.subscribers.mailboxes import MailboxError

        try:
            read_bounces(settings, state)
        except MailboxError as exc:
            # an unreachable mailbox must not stop the day's issue: read it next time
            log.warning("%s; sending without reading the bounce mailbox", exc)
    secret = link_secret(state)
    for audience in chosen:
        if audience.unsubscribe_url and "{email}" in audience.unsubscribe_url \
                and not audience.link_base:
            log.warning("audience '%s': unsubscribe_url puts the address in the link ({email}); "
                        "set [service] base_url (digest serve) or use {token}", audience.name)
    expire_signups(settings, state)
    return_path = settings.mailbox.return_path if settings.mailbox else None
    return [prepare_audience(a, secret, return_path) for a in chosen]


def expire_signups(settings: Settings, state: State) -> None:
    gone = signups.expire(state, settings.service.signup_days)
    if gone:
        log.info("%d unconfirmed sign-ups expired", gone)


def record_refusal(state: State, email: str, reply: str) -> None:
    """A 5xx for the recipient at send time: a hard bounce for every audience."""
    suppression.suppress(state, email, suppression.REFUSED, detail=reply)


class Listed:
    """An audience's recipients for a send of any size: the list as it streams by, then the
    confirmed sign-ups it does not hold, less the suppressed. Only the suppressed addresses
    and the sign-ups are held in memory, never the list."""

    def __init__(self, state: State, audience: Audience, make: Callable[..., object]):
        self.state = state
        self.audience = audience
        self.make = make
        self.skip = suppression.suppressed_for(state, audience.name)
        self.signed_up = signups.confirmed(state, audience.name)
        self.suppressed = 0

    def entries(self, people: Iterable) -> Iterator[tuple[object, bool]]:
        """(recipient, whether it is a sign-up) for `people` (recipients with `.key`) and
        then the sign-ups they do not hold, without the suppressed; once the pass is over,
        `suppressed` says how many were left out."""
        pending = {email.lower(): (email, name) for email, name in self.signed_up}
        skipped = 0
        for person in people:
            pending.pop(person.key, None)
            if person.key in self.skip:
                skipped += 1
                continue
            yield person, False
        for key, (email, name) in pending.items():
            if key in self.skip:
                skipped += 1
                continue
            yield self.make(email=email, name=name, fields={"email": email, "name": name}), True
        self.suppressed = skipped

    def stream(self, people: Iterable) -> Iterator:
        """The recipients of `entries`, without saying which are sign-ups."""
        return (person for person, _ in self.entries(people))

    def remember(self, people: Iterable, chunk: int = 1000) -> int:
        """A first pass over the list: each kept address's link reference remembered (so
        that `digest serve` can read its links back), the suppressed counted and logged."""
        batch: list[str] = []
        for person in self.stream(people):
            batch.append(person.email)
            if len(batch) >= chunk:
                self._remember(batch)
                batch = []
        self._remember(batch)
        if self.suppressed:
            log.info("audience '%s': %d suppressed addresses skipped", self.audience.name,
                     self.suppressed)
        return self.suppressed

    def _remember(self, emails: list[str]) -> None:
        if self.audience.link_secret and emails:
            tokens.remember(self.state, self.audience.link_secret, emails)
