"""How newsletters are sent: the `[smtp]` table. The password is never read from the file."""

from __future__ import annotations

from digest.settings.schema import PASSWORD_VARIABLE, SMTP_SECURITY, Smtp
from digest.settings.values import Table


def parse_smtp(table: Table) -> Smtp:
    if "password" in table.data:
        # a password in a file ends up in backups and version control
        raise table.error(table.key("password"),
                          f"is not allowed in the file: set ${PASSWORD_VARIABLE} instead")
    host = table.get("host", str, required=True)
    if not host.strip() or any(c.isspace() for c in host):
        raise table.error(table.key("host"), f"must be a host name, got '{host}'")
    security = table.choice("security", SMTP_SECURITY, "starttls")
    port = table.positive("port", 465 if security == "ssl" else 587)
    if port > 65535:
        raise table.error(table.key("port"), f"must be at most 65535, got {port}")
    username = table.get("username", str)
    rate = table.positive("rate_per_minute")
    timeout = table.positive_number("timeout", 30.0)
    retries = table.get("retries", int, 4)
    if retries < 0:
        raise table.error(table.key("retries"), f"must be 0 or more, got {retries}")
    retry_delay = table.positive_number("retry_delay", 2.0, allow_zero=True)
    ca_file = table.path("ca_file")
    if ca_file is not None and not ca_file.is_file():
        raise table.error(table.key("ca_file"), f"is not a file: {ca_file}")
    verify = table.get("verify_certificate", bool, True)
    table.done()
    return Smtp(host=host, port=port, security=security, username=username,
                rate_per_minute=rate, timeout=timeout, retries=retries, retry_delay=retry_delay,
                ca_file=ca_file, verify_certificate=verify)
