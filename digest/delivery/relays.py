"""The relays a send goes through: each with its password, its limits and its share of the
connections; a relay that cannot be reached or refuses us is out for the rest of the send and
its share goes to the others.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass

from digest.delivery.rate import Limiter, limiter_for
from digest.errors import ConfigError
from digest.settings import Smtp
from digest.settings.smtp import password_variable

log = logging.getLogger("digest")


@dataclass(eq=False)
class Relay:
    smtp: Smtp
    password: str | None
    limiter: Limiter | None
    out: str = ""  # why it is out of this send; "" while usable
    full: bool = False  # its daily cap is reached
    live: int = 0  # connections open now
    connecting: int = 0  # connections being opened now

    @property
    def where(self) -> str:
        name = f" ({self.smtp.name})" if self.smtp.name else ""
        return f"{self.smtp.host}:{self.smtp.port}{name}"

    @property
    def usable(self) -> bool:
        return not self.out and not self.full


def relays_of(smtp: Smtp) -> list[Smtp]:
    return list(smtp.relays) or [smtp]


def check_passwords(smtp: Smtp) -> dict[str, str | None]:
    """Each relay's password from its variable; a username without one is a config error."""
    out = {}
    for relay in relays_of(smtp):
        variable = password_variable(relay)
        password = os.environ.get(variable) if relay.username else None
        if relay.username and not password:
            key = f"smtp.relays '{relay.name}' username" if relay.name else "smtp.username"
            raise ConfigError(f"'{key}' is set but ${variable} is empty")
        out[relay.name] = password
    return out


class RelayPool:
    """Hands each connection a relay, by weight among those still usable."""

    def __init__(self, smtp: Smtp, passwords: dict[str, str | None]):
        self.relays = [Relay(r, passwords.get(r.name), limiter_for(r)) for r in relays_of(smtp)]
        self._lock = threading.Lock()
        self._assigned: dict[int, int] = {id(r): 0 for r in self.relays}

    def pick(self, leaving: Relay | None = None) -> Relay | None:
        """The usable relay with the fewest connections for its weight, or None."""
        with self._lock:
            if leaving is not None:
                self._assigned[id(leaving)] -= 1
            choices = [r for r in self.relays if r.usable]
            if not choices:
                return None
            best = min(choices, key=lambda r: (self._assigned[id(r)] / r.smtp.weight,
                                               self.relays.index(r)))
            self._assigned[id(best)] += 1
            return best

    def leave(self, relay: Relay) -> None:
        """A connection's worker is done: its place on `relay` is free for the next send."""
        with self._lock:
            self._assigned[id(relay)] -= 1

    def any_usable(self) -> bool:
        with self._lock:
            return any(r.usable for r in self.relays)

    def connecting(self, relay: Relay, step: int) -> None:
        with self._lock:
            relay.connecting += step

    def opened(self, relay: Relay) -> None:
        with self._lock:
            relay.live += 1

    def closed(self, relay: Relay) -> None:
        with self._lock:
            relay.live = max(0, relay.live - 1)

    def put_out(self, relay: Relay, reason: str) -> None:
        with self._lock:
            if relay.out:
                return
            relay.out = reason
        if len(self.relays) > 1:
            log.warning("relay %s is out of this send: %s", relay.where, reason)

    def mark_full(self, relay: Relay) -> None:
        with self._lock:
            if relay.full:
                return
            relay.full = True
        log.warning("relay %s reached its daily cap of %d messages", relay.where,
                    relay.smtp.daily_cap or 0)

    def why_none(self) -> str:
        """Why no relay is usable, for the error message."""
        if all(r.full for r in self.relays):
            return "the daily cap of every relay is reached"
        return "; ".join(r.out for r in self.relays if r.out) or "no relay usable"
