"""What a run is about: its date in the configured time zone, and the audiences it is for.

Used by the daily run and by delivery alike, so that both pick the same day and audiences.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from digest.errors import UsageError
from digest.settings.schema import Audience, Settings


def today(settings: Settings) -> dt.date:
    if settings.timezone:
        return dt.datetime.now(ZoneInfo(settings.timezone)).date()
    return dt.datetime.now().astimezone().date()


def time_zone(settings: Settings) -> dt.tzinfo | None:
    """The configured zone; None for the machine's, which `astimezone(None)` applies with
    the offset of each moment (summer time included)."""
    return ZoneInfo(settings.timezone) if settings.timezone else None


def select_audiences(settings: Settings, names: list[str] | tuple[str, ...] | None
                     ) -> list[Audience]:
    """The audiences named (in that order, each once), or all of them; an unknown name is a
    usage error that lists the configured ones."""
    if not names:
        return list(settings.audiences.values())
    chosen = []
    for name in names:
        if name not in settings.audiences:
            raise UsageError(
                f"unknown audience '{name}' (configured: {', '.join(settings.audiences)})"
            )
        if settings.audiences[name] not in chosen:
            chosen.append(settings.audiences[name])
    return chosen
