"""What a string value must look like: an e-mail address, a web address, a colour, a locale,
a time zone.

`is_email` is also used at send time, on the addresses of a recipients CSV file, so the file
and the config agree on what an address is.
"""

from __future__ import annotations

import re

from digest.settings.values import Table

# deliberately simple: one @, no spaces or angle brackets; the SMTP server has the last word
EMAIL = re.compile(r"[^@\s<>\",;:]+@[^@\s<>\",;:]+\.[^@\s<>\",;:]+")
COLOR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")


def is_email(text: str) -> bool:
    """An address we can send to: ASCII (no SMTPUTF8), one @, a dotted domain."""
    return bool(EMAIL.fullmatch(text)) and text.isascii()


def check_url(table: Table, key: str, url: str) -> None:
    if not re.match(r"^https?://[^\s/]+", url, re.I):
        raise table.error(table.key(key), f"must be an http(s) address, got '{url}'")


def locale(table: Table) -> str:
    """The audience's `locale`, which Babel must know (dates and numbers are formatted with it)."""
    value = table.get("locale", str, "en")
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(value.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise table.error(table.key("locale"), f"is not a known locale: '{value}'") from None
    return value


def check_timezone(table: Table, name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise table.error("timezone", f"is not a known time zone: '{name}'") from None
