"""Teasers' full text: fetched from the linked page, and only when no source has the story.

A feed entry whose text is a teaser gets the main text of the page it links to. When the
sources are read together (`collect`), those fetches wait until every source is read: a
teaser whose text another source already carries in full (containment of its shingles, as
`dedupe` merges them) is the same story, so its page is not fetched at all; the others are
fetched in parallel (the HTTP client bounds the requests per host and in all).
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from digest.errors import SourceError
from digest.gathering.dedupe import MIN_SHINGLES, contained_pairs, shingles
from digest.gathering.files import make_article
from digest.gathering.page import PAGE_ACCEPT, extract_page
from digest.models import Article
from digest.settings import Source

log = logging.getLogger("digest")


def fetch_full_texts(items: list[tuple[dict, Source]], ctx) -> None:
    """Replace each entry's text (fields, in place) by its page's main text when longer."""
    if not items:
        return
    from digest.gathering.feed import private_ok

    fetcher = ctx.fetcher()

    def fetch(item: tuple[dict, Source]):
        fields, source = item
        try:
            return extract_page(fetcher.page(fields["url"], PAGE_ACCEPT,
                                             private_ok=private_ok(source)))
        except SourceError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=max(1, min(ctx.fetch.concurrency, len(items))),
                            thread_name_prefix="digest-page") as pool:
        pages = list(pool.map(fetch, items))
    for (fields, source), page in zip(items, pages):
        if isinstance(page, SourceError):
            log.warning("source '%s': full text not fetched, the entry's own text is kept: %s",
                        source.name, page)
        elif len(page["text"].split()) > len(fields["text"].split()):
            fields["text"] = page["text"]
            for key in ("title", "author", "date"):
                fields[key] = fields[key] or page.get(key)


def complete(articles: list[Article], pending: list[tuple[Article, dict, Source]], ctx
             ) -> list[Article]:
    """`articles` with the pending teasers given their full text, except those whose story
    another article already holds in full."""
    if not pending:
        return articles
    waiting = {id(article) for article, _, _ in pending}
    full = [a for a in articles if id(a) not in waiting]
    teaser_sets = [shingles(article.text) for article, _, _ in pending]
    sets = teaser_sets + [shingles(a.text) for a in full]
    held: dict[int, Article] = {}
    for i, j in contained_pairs(sets):
        if i < len(teaser_sets) <= j and len(teaser_sets[i]) >= MIN_SHINGLES:
            held.setdefault(i, full[j - len(teaser_sets)])
    for i, holder in held.items():
        article = pending[i][0]
        log.info("source '%s': no full text fetched for '%s': source '%s' has the story",
                 article.source, article.title[:80], holder.source)
    todo = [item for i, item in enumerate(pending) if i not in held]
    fetch_full_texts([(fields, source) for _, fields, source in todo], ctx)
    rebuilt: dict[int, Article] = {}
    for article, fields, source in todo:
        if fields["text"] == article.text:
            continue
        try:
            new = make_article(fields, source.name, origin=article.origin)
        except SourceError:
            continue
        new.guid = article.guid
        rebuilt[id(article)] = new
    return [rebuilt.get(id(a), a) for a in articles]
