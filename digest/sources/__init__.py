"""Sources: where the day's articles come from. One reader per source type."""

from __future__ import annotations

import logging

from digest.errors import SourceError
from digest.models import Article
from digest.settings import Source
from digest.sources.folder import read_folder

log = logging.getLogger("digest")

READERS = {"folder": read_folder}


def gather(sources: tuple[Source, ...] | list[Source]) -> list[Article]:
    """Every article of every source; a source that fails is named and skipped."""
    articles: list[Article] = []
    for source in sources:
        try:
            articles.extend(READERS[source.type](source))
        except SourceError as exc:
            log.warning("%s", exc)
    return articles
