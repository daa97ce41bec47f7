"""`digest check --links`: every http(s) link of the HTML answers a HEAD request.

The same HTTP client as the sources (`digest.gathering.fetch`): its timeouts, User-Agent,
address checks and redirects; at most `[check] links_concurrency` requests in flight. A link
that does not answer is a warning, not a failure: sites go down for a minute.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from urllib.parse import urlsplit

from digest.check.parts import Parts
from digest.check.result import Result, passed, warning
from digest.errors import DigestError

MAX_LINKS = 500  # a bigger issue is checked on its first 500 distinct links


def answering(parts: Parts, settings) -> Result:
    from digest.gathering.fetch import Fetcher

    urls = list(dict.fromkeys(link.href for link in parts.links
                              if urlsplit(link.href).scheme.lower() in ("http", "https")))
    urls = urls[:MAX_LINKS]
    if not urls:
        return passed("links-answer", "no http(s) links")
    concurrency = settings.check.links_concurrency
    options = replace(settings.fetch, concurrency=concurrency, retries=0)
    dead: list[str] = []
    with Fetcher(options) as fetcher, ThreadPoolExecutor(concurrency) as pool:

        def probe(url: str) -> str | None:
            try:
                fetcher.head(url)
            except DigestError as exc:
                return str(exc)
            return None

        for url, problem in zip(urls, pool.map(probe, urls)):
            if problem:
                dead.append(problem)
    if dead:
        return warning("links-answer", f"{len(dead)} of {len(urls)} links do not answer, e.g. "
                       f"{dead[0][:120]}", dead=dead[:50])
    return passed("links-answer", f"{len(urls)} links answer", links=len(urls))
