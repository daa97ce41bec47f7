"""Web pages: main text, title, author and date of an article page (see extract.py).

A page is fetched only when its site's robots.txt allows it (polite.py), and only from a
public address unless the source allows private ones (guard.py).
"""

from __future__ import annotations

import logging

from digest.errors import SourceError
from digest.gathering.context import Context
from digest.gathering.files import make_article, parse_html
from digest.gathering.guard import names_private
from digest.models import Article
from digest.settings import Source

log = logging.getLogger("digest")

PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"


def extract_page(response) -> dict:
    """Article fields of a fetched page; a SourceError naming the address when it has none."""
    if response.content_type and not any(
            kind in response.content_type.lower() for kind in ("html", "xml", "text/plain")):
        raise SourceError(f"{response.url}: not a web page ({response.content_type[:80]})")
    try:
        fields = parse_html(response.body, response.url)
    except SourceError:
        raise SourceError(f"{response.url}: no article text found on the page") from None
    except Exception as exc:  # trafilatura and lxml on hostile HTML: name it, go on
        raise SourceError(f"{response.url}: cannot extract the page: "
                          f"{type(exc).__name__}") from None
    # the address we fetched is the article's link; a page's own claim comes second
    fields["url"] = response.final_url or fields.get("url")
    return fields


def read_pages(source: Source, ctx: Context) -> list[Article]:
    articles, failures = [], []
    for url in source.urls:
        try:
            allowed = source.allow_private or names_private(url)
            fields = extract_page(ctx.fetcher().page(url, PAGE_ACCEPT, private_ok=allowed))
            articles.append(make_article(fields, source.name, origin=url))
        except SourceError as exc:
            failures.append(str(exc))
            log.warning("source '%s': %s", source.name, exc)
    if failures and not articles:
        raise SourceError(f"source '{source.name}': none of its {len(source.urls)} pages "
                          "could be read")
    return articles
