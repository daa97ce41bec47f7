"""Where the public archive goes: the `[archive]` table (the site itself: digest/archive/).

Every key has a default, so an audience's `archive = true` is enough to get one: the site is
written to `archive` beside the config file. Without a `base_url` (or a `[service] base_url`,
which gives `<base_url>/archive`), the pages work from any address but the messages carry no
"view in browser" link, which must be absolute.
"""

from __future__ import annotations

import re
from pathlib import Path

from digest.settings.schema import Archive
from digest.settings.values import Table

# an address that goes into pages, feeds and messages as it is: no spaces, quotes or brackets
_URL = re.compile(r"https?://[^\s<>\"'`{}|\\^]+")
_SUBSCRIBE_URL = re.compile(r"https?://[^\s<>\"'`|\\^]+")
MAX_FEED_ENTRIES = 1000


def parse_archive(table: Table, service: object = None, builtin: bool = False) -> Archive:
    """`[archive]`; `service` is the raw `[service]` table, whose `base_url` is the default."""
    if builtin:
        # the built-in default writes where the user runs it, never inside the package
        path = Path.cwd() / "archive"
        table.data.pop("path", None)
    else:
        path = table.path("path", "archive")
    base_url = table.get("base_url", str)
    if base_url is None:
        base_url = _service_archive_url(service)
    elif not _URL.fullmatch(base_url):
        raise table.error(table.key("base_url"), f"must be an http(s) URL, got '{base_url}'")
    feed_entries = table.positive("feed_entries", Archive.feed_entries)
    if feed_entries > MAX_FEED_ENTRIES:
        raise table.error(table.key("feed_entries"),
                          f"must be at most {MAX_FEED_ENTRIES}, got {feed_entries}")
    feed_max_bytes = table.positive("feed_max_bytes", Archive.feed_max_bytes)
    if feed_max_bytes < 10_000:
        raise table.error(table.key("feed_max_bytes"),
                          f"must be at least 10000 (one issue's entry), got {feed_max_bytes}")
    subscribe_url = table.get("subscribe_url", str, "")
    if subscribe_url and not _SUBSCRIBE_URL.fullmatch(subscribe_url):
        raise table.error(table.key("subscribe_url"),
                          f"must be an http(s) URL, got '{subscribe_url}'")
    headlines = table.count("headlines", Archive.headlines)
    table.done()
    return Archive(path=path, base_url=base_url.rstrip("/"), feed_entries=feed_entries,
                   feed_max_bytes=feed_max_bytes, subscribe_url=subscribe_url,
                   headlines=headlines)


def _service_archive_url(service: object) -> str:
    """`[service] base_url` + `/archive`, when a valid one is configured (that table is
    read and checked by its own module; here it only gives a default)."""
    if isinstance(service, dict):
        url = service.get("base_url")
        if isinstance(url, str) and _URL.fullmatch(url):
            return url.rstrip("/") + "/archive"
    return ""
