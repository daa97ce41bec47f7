"""Where articles come from: the `[[sources]]` tables, and `[fetch]`, the HTTP client's limits."""

from __future__ import annotations

import re
from pathlib import Path

from digest.settings.checks import check_url
from digest.settings.schema import DEFAULT_MAX_FILE_BYTES, SOURCE_TYPES, Fetch, Source
from digest.settings.values import Table


def parse_sources(top: Table, origin: Path) -> tuple[Source, ...]:
    """`[[sources]]`: each has a name of its own and a type (folder, feed or page)."""
    sources = []
    names = set()
    for i, item in enumerate(top.get("sources", list, [])):
        src = Table(item, f"sources[{i}]", origin)
        name = src.get("name", str, required=True)
        if name in names:
            raise src.error(src.key("name"), f"repeats the source name '{name}'")
        names.add(name)
        kind = src.choice("type", SOURCE_TYPES)
        if kind is None:
            raise src.error(src.key("type"), "is required")
        sources.append(_parse_source(src, name, kind))
    return tuple(sources)


def _parse_source(src: Table, name: str, kind: str) -> Source:
    max_bytes = src.positive("max_file_bytes", DEFAULT_MAX_FILE_BYTES)
    if kind == "folder":
        path = src.path("path", required=True)
        src.done()
        return Source(name=name, type=kind, path=path, max_file_bytes=max_bytes)
    if kind == "page":
        urls = src.strings("urls")
        if not urls:
            raise src.error(src.key("urls"), "needs at least one http(s) address")
        for i, url in enumerate(urls):
            check_url(src, f"urls[{i}]", url)
        allow_private = src.get("allow_private", bool, False)
        src.done()
        return Source(name=name, type=kind, urls=urls, max_file_bytes=max_bytes,
                      allow_private=allow_private)
    url = src.get("url", str)
    path = src.path("path")
    if (url is None) == (path is None):
        raise src.error(src.where, "needs exactly one of 'url' and 'path'")
    if url is not None:
        check_url(src, "url", url)
    full_text = src.get("full_text", (bool, str), "auto")
    if full_text not in (True, False, "auto"):
        raise src.error(src.key("full_text"), f"must be true, false or \"auto\", got '{full_text}'")
    max_entries = src.positive("max_entries")
    allow_private = src.get("allow_private", bool, False)
    src.done()
    return Source(name=name, type=kind, path=path, url=url, max_file_bytes=max_bytes,
                  full_text=None if full_text == "auto" else full_text,
                  max_entries=max_entries, allow_private=allow_private)


def parse_fetch(table: Table) -> Fetch:
    """`[fetch]`: timeouts, size cap, retries and politeness of the HTTP client."""
    retries = table.get("retries", int, Fetch.retries)
    if retries < 0:
        raise table.error(table.key("retries"), f"must be 0 or more, got {retries}")
    max_redirects = table.get("max_redirects", int, Fetch.max_redirects)
    if max_redirects < 0:
        raise table.error(table.key("max_redirects"), f"must be 0 or more, got {max_redirects}")
    fetch = Fetch(
        timeout=table.positive_number("timeout", Fetch.timeout),
        total_timeout=table.positive_number("total_timeout", Fetch.total_timeout),
        max_bytes=table.positive("max_bytes", Fetch.max_bytes),
        retries=retries,
        backoff=table.positive_number("backoff", Fetch.backoff),
        max_redirects=max_redirects,
        concurrency=table.positive("concurrency", Fetch.concurrency),
        user_agent=table.get("user_agent", str),
        conditional=table.get("conditional", bool, True),
        per_host=table.positive("per_host", Fetch.per_host),
        host_interval=table.positive_number("host_interval", Fetch.host_interval,
                                            allow_zero=True),
        retry_after_max=table.positive_number("retry_after_max", Fetch.retry_after_max,
                                              allow_zero=True),
        robots=table.get("robots", bool, True),
    )
    if fetch.user_agent is not None and not re.fullmatch(r"[\x20-\x7e]{1,200}", fetch.user_agent):
        # it becomes an HTTP header: printable ASCII on one line
        raise table.error(table.key("user_agent"), "must be one line of printable ASCII")
    table.done()
    return fetch

