"""A folder of article files (.txt, .md, .html, .json), read in name order."""

from __future__ import annotations

import logging

from digest.errors import SourceError
from digest.gathering.files import SUFFIXES, read_article
from digest.models import Article
from digest.settings import Source

log = logging.getLogger("digest")


def read_folder(source: Source) -> list[Article]:
    folder = source.path
    if folder is None or not folder.is_dir():
        raise SourceError(f"source '{source.name}': folder not found: {folder}")
    articles = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in SUFFIXES:
            continue
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        try:
            articles.append(read_article(path, source.name, source.max_file_bytes))
        except SourceError as exc:
            # one bad file never stops the day's issue
            log.warning("%s", exc)
    return articles
