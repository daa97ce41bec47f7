"""Sources: where the day's articles come from. One reader per source type.

Sources are read in parallel (at most `[fetch] concurrency` at once); a source that fails
is named in a warning and the others go on.
"""

from __future__ import annotations

import json
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from digest.errors import SourceError, UsageError
from digest.gathering.context import Context
from digest.gathering.feed import FEED_ACCEPT, FILE_TYPE, parse_feed, private_ok, read_feed
from digest.gathering.files import SUFFIXES, read_article, read_bytes
from digest.gathering.folder import read_folder
from digest.gathering.page import extract_page, read_pages
from digest.gathering.teasers import complete
from digest.models import Article
from digest.settings import DEFAULT_MAX_FILE_BYTES, Source

log = logging.getLogger("digest")

__all__ = ["Context", "Gathered", "collect", "guess_source"]


@dataclass
class Gathered:
    articles: list[Article] = field(default_factory=list)
    ok: list[str] = field(default_factory=list)  # names of the sources read
    failed: list[str] = field(default_factory=list)  # names of the sources that failed

    def summary(self) -> str:
        return f"sources: {len(self.ok)} ok, {len(self.failed)} failed"


def _read_file(source: Source, ctx: Context) -> list[Article]:
    return [read_article(source.path, source.name, source.max_file_bytes)]


def _read_auto(source: Source, ctx: Context) -> list[Article]:
    """A `--source` given on the command line: its type is guessed from what it holds."""
    if source.url:
        response = ctx.fetcher().get(source.url, accept=FEED_ACCEPT,
                                     private_ok=private_ok(source))
        kind = response.content_type.lower()
        looks_html = "html" in kind or response.body.lstrip()[:15].lower().startswith(
            (b"<!doctype html", b"<html"))
        if looks_html:
            from digest.gathering.files import make_article

            return [make_article(extract_page(response), source.name, origin=source.url)]
        return parse_feed(response.body, source, ctx, base=response.final_url,
                          content_type=response.content_type)
    path = source.path
    # articles name the folder or file they came from, not its whole path
    named = replace(source, name=path.name or str(path))
    if path.is_dir():
        return read_folder(named)
    suffix = path.suffix.lower()
    if suffix in SUFFIXES and suffix != ".json":
        return _read_file(named, ctx)
    data = read_bytes(path, source.max_file_bytes)
    if suffix == ".json" and not _is_json_feed(data):
        return _read_file(named, ctx)
    return parse_feed(data, source, ctx, base=path.resolve().as_uri(), content_type=FILE_TYPE)


def _is_json_feed(data: bytes) -> bool:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return True  # not an article either: let the feed parser say what is wrong
    return isinstance(doc, dict) and ("jsonfeed" in str(doc.get("version", "")) or
                                      isinstance(doc.get("items"), list))


READERS = {
    "folder": lambda source, ctx: read_folder(source),
    "feed": read_feed,
    "page": read_pages,
    "file": _read_file,
    "auto": _read_auto,
}


def guess_source(value: str, full_text: bool | None = None) -> Source:
    """A Source for `--source PATH_OR_URL`; its type is settled when it is read.

    Feeds read from files do not fetch full text by default (they are usually saved copies
    whose links point anywhere); feeds from an address do when their entries are teasers.
    """
    if re.match(r"^https?://", value, re.I):
        return Source(name=value, type="auto", url=value, full_text=full_text)
    path = Path(value).expanduser()
    if not path.exists():
        raise UsageError(f"--source {value}: no such file or folder")
    return Source(name=str(path), type="auto", path=path.resolve(),
                  max_file_bytes=DEFAULT_MAX_FILE_BYTES,
                  full_text=False if full_text is None else full_text)


def _read_one(source: Source, ctx: Context) -> list[Article] | SourceError:
    try:
        return READERS[source.type](source, ctx)
    except SourceError as exc:
        message = str(exc)
        if source.name not in message:
            message = f"source '{source.name}': {message}"
        return SourceError(message)
    except RecursionError:
        return SourceError(f"source '{source.name}': nested too deeply to read")
    except Exception as exc:  # a bug met on hostile input must not stop the other sources
        return SourceError(f"source '{source.name}': unexpected {type(exc).__name__}: "
                           f"{' '.join(str(exc).split())[:200]}")


def collect(sources: tuple[Source, ...] | list[Source], ctx: Context | None = None) -> Gathered:
    """Read every source; the result says which were read and which failed."""
    ctx = ctx or Context()
    result = Gathered()
    workers = max(1, min(ctx.fetch.concurrency, len(sources)))
    # teasers' pages are fetched once every source is read, and not at all for a story
    # another source has in full
    ctx.pending = []
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="digest-source") as pool:
            outcomes = list(pool.map(lambda s: _read_one(s, ctx), sources))
        for source, outcome in zip(sources, outcomes):
            if isinstance(outcome, SourceError):
                log.warning("%s", outcome)
                result.failed.append(source.name)
            else:
                result.ok.append(source.name)
                result.articles.extend(outcome)
        read = {id(a) for a in result.articles}
        result.articles = complete(result.articles, [p for p in ctx.pending if id(p[0]) in read],
                                   ctx)
    finally:
        ctx.pending = None
    return result
