"""How newsletters are sent: the `[smtp]` table, and `[[smtp.relays]]` for several relays.

The password is never read from the file: it comes from $DIGEST_SMTP_PASSWORD, or for a relay
named in `[[smtp.relays]]` from $DIGEST_SMTP_PASSWORD_<NAME>.
"""

from __future__ import annotations

import re
from dataclasses import replace

from digest.settings.schema import PASSWORD_VARIABLE, SMTP_SECURITY, Smtp
from digest.settings.values import Table

_RELAY_NAME = re.compile(r"[A-Za-z0-9_]{1,40}")
# keys a relay has of its own; the others ([smtp] timeout, retries...) are shared
_RELAY_KEYS = ("host", "port", "security", "username", "rate_per_minute", "daily_cap")


def password_variable(smtp: Smtp) -> str:
    """Where a relay's password comes from."""
    return f"{PASSWORD_VARIABLE}_{smtp.name.upper()}" if smtp.name else PASSWORD_VARIABLE


def _no_password(table: Table, variable: str) -> None:
    if "password" in table.data:
        # a password in a file ends up in backups and version control
        raise table.error(table.key("password"),
                          f"is not allowed in the file: set ${variable} instead")


def _server(table: Table) -> dict:
    """host, port, security, username, rate_per_minute and daily_cap of one relay."""
    host = table.get("host", str, required=True)
    if not host.strip() or any(c.isspace() for c in host):
        raise table.error(table.key("host"), f"must be a host name, got '{host}'")
    security = table.choice("security", SMTP_SECURITY, "starttls")
    port = table.positive("port", 465 if security == "ssl" else 587)
    if port > 65535:
        raise table.error(table.key("port"), f"must be at most 65535, got {port}")
    return dict(host=host, port=port, security=security, username=table.get("username", str),
                rate_per_minute=table.positive("rate_per_minute"),
                daily_cap=table.positive("daily_cap"))


def parse_smtp(table: Table) -> Smtp:
    _no_password(table, PASSWORD_VARIABLE)
    relays = table.get("relays", list)
    timeout = table.positive_number("timeout", 30.0)
    retries = table.get("retries", int, 4)
    if retries < 0:
        raise table.error(table.key("retries"), f"must be 0 or more, got {retries}")
    retry_delay = table.positive_number("retry_delay", 2.0, allow_zero=True)
    ca_file = table.path("ca_file")
    if ca_file is not None and not ca_file.is_file():
        raise table.error(table.key("ca_file"), f"is not a file: {ca_file}")
    verify = table.get("verify_certificate", bool, True)
    connections = table.positive("connections", 8)
    if connections > 256:
        raise table.error(table.key("connections"), f"must be at most 256, got {connections}")
    shared = dict(timeout=timeout, retries=retries, retry_delay=retry_delay, ca_file=ca_file,
                  verify_certificate=verify, connections=connections)
    if relays is None:
        smtp = Smtp(**_server(table), **shared)
        table.done()
        return smtp
    for key in _RELAY_KEYS:
        if key in table.data:
            raise table.error(table.key(key), "belongs in each [[smtp.relays]] when relays are "
                                              "listed")
    table.done()
    if not relays:
        raise table.error(table.key("relays"), "must list at least one relay")
    parsed, names = [], set()
    for i, item in enumerate(relays):
        sub = Table(item, f"smtp.relays[{i}]", table.origin)
        name = sub.get("name", str, required=True)
        if not _RELAY_NAME.fullmatch(name):
            raise sub.error(sub.key("name"), f"must be letters, digits or _, got '{name}'")
        if name.lower() in names:
            raise sub.error(sub.key("name"), f"'{name}' names two relays")
        names.add(name.lower())
        _no_password(sub, f"{PASSWORD_VARIABLE}_{name.upper()}")
        relay = Smtp(**_server(sub), **shared, name=name, weight=sub.positive("weight", 1))
        sub.done()
        parsed.append(relay)
    first = parsed[0]
    return replace(first, name="", weight=1, relays=tuple(parsed))
