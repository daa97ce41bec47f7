"""What makes an issue land in the inbox: the `[dkim]` and `[check]` tables.

`[dkim]` names the signing domain, the selector and the file holding the private key; the key
itself is refused in the config (a config file ends up in backups and version control). The
key file's own checks (readable, parseable, not readable by others) happen when a signer
loads it (`digest.delivery.dkim`), so that `digest run` works before the key exists.
"""

from __future__ import annotations

import re

from digest.settings.schema import Check, Dkim
from digest.settings.values import Table

_LABEL = re.compile(r"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$")


def clean_dns_name(value: str) -> str | None:
    """`value` as a lower-case DNS name (dot-separated labels), or None when it is not one:
    a domain or selector goes into a header and a DNS query, never spaces or quotes."""
    name = value.strip().rstrip(".").lower()
    if not name or len(name) > 253 or not all(_LABEL.match(p) for p in name.split(".")):
        return None
    return name


def _dns_name(table: Table, name: str) -> str:
    value = table.get(name, str, required=True)
    cleaned = clean_dns_name(value)
    if cleaned is None:
        raise table.error(table.key(name), f"must be a DNS name such as 'example.org', got "
                                           f"'{value}'")
    return cleaned


def parse_dkim(table: Table) -> Dkim:
    for secret in ("private_key", "key", "privkey"):
        if secret in table.data:
            raise table.error(table.key(secret), "is not allowed in the file: put the key in "
                                                 "its own file and set 'key_file'")
    domain = _dns_name(table, "domain")
    selector = _dns_name(table, "selector")
    key_file = table.path("key_file", required=True)
    table.done()
    return Dkim(domain=domain, selector=selector, key_file=key_file)


def parse_check(table: Table) -> Check:
    threshold = table.positive_number("spam_threshold", 5.0)
    spamassassin = table.get("spamassassin", bool, True)
    concurrency = table.positive("links_concurrency", 4)
    table.done()
    return Check(spam_threshold=threshold, spamassassin=spamassassin,
                 links_concurrency=concurrency)
