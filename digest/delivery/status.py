"""What the ledger says of an issue's delivery: counts per status and who was not sent."""

from __future__ import annotations

import datetime as dt

from digest.delivery import ledger
from digest.delivery.sending import state_path
from digest.settings import Settings, select_audiences, today
from digest.state import State


def status(settings: Settings, date: dt.date | None = None,
           audiences: list[str] | tuple[str, ...] | None = None
           ) -> list[tuple[str, dict[str, int], list[ledger.Delivery]]]:
    """Per audience: the ledger's counts and everyone not sent (with the last reply)."""
    issue_date = date or today(settings)
    names = [a.name for a in select_audiences(settings, audiences)]
    path = state_path(settings)
    if not path.exists():
        return [(name, dict.fromkeys(ledger.STATUSES, 0), []) for name in names]
    with State(path) as state:
        extra = [n for n in ledger.audiences_with_deliveries(state, issue_date)
                 if n not in names and not audiences]
        return [(name, ledger.counts(state, issue_date, name),
                 ledger.unsent(state, issue_date, name)) for name in names + extra]


def rates(settings: Settings, date: dt.date | None = None,
          audiences: list[str] | tuple[str, ...] | None = None) -> dict[str, float]:
    """Per audience: messages sent a second over the last minute (for a send under way)."""
    issue_date = date or today(settings)
    path = state_path(settings)
    if not path.exists():
        return {}
    with State(path) as state:
        return {name: ledger.recent_rate(state, issue_date, name)
                for name in ledger.audiences_with_deliveries(state, issue_date)
                if not audiences or name in audiences}
