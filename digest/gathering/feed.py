"""Feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed) read with feedparser, from an address or a file.

feedparser never gets to fetch anything itself: it is handed the bytes (the shared HTTP
client fetched them, or they were read from disk under the size cap). Its HTML sanitiser
runs first, then entry HTML is turned into plain text here, so no markup reaches an issue.
An entry whose text is a teaser gets the full text of the page it links to (teasers.py).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import logging
import re
from dataclasses import replace

from digest.errors import SourceError
from digest.gathering.context import Context
from digest.gathering.files import make_article, one_line, parse_date, read_bytes
from digest.gathering.guard import names_private
from digest.gathering.teasers import fetch_full_texts
from digest.models import Article
from digest.settings import Source

log = logging.getLogger("digest")

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
               "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
# what a file holds, as a server would label it: the XML declaration or BOM names the encoding
FILE_TYPE = "application/xml"
# fewer words than this and the entry is a teaser: its page holds the story
TEASER_WORDS = 120

_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
               "blockquote", "pre", "table", "tr", "section", "article", "figure", "hr",
               "header", "footer", "dd", "dt"}
_TAG = re.compile(r"<[^>]*>")


def read_feed(source: Source, ctx: Context) -> list[Article]:
    if source.url:
        response = ctx.fetcher().get(source.url, accept=FEED_ACCEPT,
                                     private_ok=private_ok(source))
        return parse_feed(response.body, source, ctx, base=response.final_url,
                          content_type=response.content_type)
    data = read_bytes(source.path, source.max_file_bytes)
    return parse_feed(data, source, ctx, base=source.path.resolve().as_uri(),
                      content_type=FILE_TYPE)


def gunzip(data: bytes, cap: int, label: str) -> bytes:
    """A gzip-compressed feed (a saved .xml.gz, or one served as application/gzip)
    decompressed, never past `cap` bytes (a gzip bomb stops there); other data as it is."""
    if data[:2] != b"\x1f\x8b":
        return data
    import zlib

    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, cap + 1)
    except zlib.error as exc:
        raise SourceError(f"{label}: not a readable gzip file: {exc}") from None
    if len(out) > cap:
        raise SourceError(f"{label}: larger than {cap} bytes once decompressed, not read")
    return out


def private_ok(source: Source) -> bool:
    """Whether the source's connections may go to private addresses: when it says so, or
    when its own address names a private host outright (an intranet feed by IP). A feed
    read from a file is a saved copy whose links point anywhere: guarded."""
    return source.allow_private or names_private(source.url or "")


def parse_feed(data: bytes, source: Source, ctx: Context, base: str = "",
               content_type: str = "") -> list[Article]:
    """Articles of one feed document; a SourceError when it is no feed at all."""
    import feedparser  # deferred: only feed sources need it

    where = source.url or str(source.path)
    data = gunzip(data, source.max_file_bytes if source.path else ctx.fetch.max_bytes,
                  _label(source.name, where))
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{" or "json" in content_type.lower():
        parsed = parse_json_feed(data, where, source.name)
    else:
        headers = {"content-location": base}
        if content_type:
            headers["content-type"] = content_type
        try:
            parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
        except Exception as exc:  # feedparser is robust; a parser bug must not stop the run
            raise SourceError(f"{_label(source.name, where)}: cannot parse the feed: "
                              f"{type(exc).__name__}: {exc}") from None
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo") and not parsed.get("version"):
            reason = one_line(str(parsed.get("bozo_exception") or "not a feed"))
            raise SourceError(f"{_label(source.name, where)}: not a readable feed: "
                              f"{reason[:200]}")
        log.warning("%s: the feed has no entries", _label(source.name, where))
        return []
    feed_info = parsed.get("feed") or {}
    language = one_line(str(feed_info.get("language") or ""))[:8]
    if source.type == "auto":
        # a feed named on the command line is known by its own title in the digest
        title = html_to_text(str(feed_info.get("title") or ""))
        name = one_line(title)[:100] or (source.path.name if source.path else source.name)
        source = replace(source, name=name)
    if source.max_entries:
        entries = entries[: source.max_entries]
    drafts = [_entry_fields(entry, source, ctx, language) for entry in entries]
    if ctx.pending is None:  # read alone: the teasers' pages now
        fetch_full_texts([(fields, source) for fields, want in drafts if want], ctx)
    articles, empty = [], 0
    for index, (entry, (fields, want)) in enumerate(zip(entries, drafts)):
        try:
            article = make_article(fields, source.name, origin=f"{where}#entry-{index + 1}")
        except SourceError:
            empty += 1
            continue
        article.guid = one_line(str(entry.get("id") or ""))[:500]
        articles.append(article)
        if want and ctx.pending is not None:  # read with others: once all are read
            ctx.add_pending(article, dict(fields), source)
    if not articles:
        log.warning("%s: none of its %d entries has any text", _label(source.name, where),
                    len(entries))
    elif empty:
        log.info("source '%s': %d entries without text skipped", source.name, empty)
    return articles


def _entry_fields(entry, source: Source, ctx: Context, feed_language: str
                  ) -> tuple[dict, bool]:
    """(article fields, whether the linked page should give the full text)."""
    title = html_to_text(_text_value(entry.get("title_detail")) or str(entry.get("title") or ""))
    body = _entry_body(entry)
    link = str(entry.get("link") or "")
    fields = {
        "title": title,
        "text": body,
        "date": entry_date(entry, ctx.tz),
        "url": link,
        "author": html_to_text(str(entry.get("author") or "")),
        "language": one_line(str(entry.get("language") or "")) or feed_language or "en",
    }
    if not body.split() and title and link:
        # a link post: the headline is all the feed says, and the link leads to the rest
        fields["text"] = title
    words = len(body.split())
    want_page = source.full_text is True or (source.full_text is None and words < TEASER_WORDS)
    if want_page and ctx.wanted is not None:
        # outside the day's window it will not be used: spare the site (an undated entry
        # is dated by when an earlier run first saw it)
        day = fields["date"] or ctx.known_day(link)
        if day is not None and not ctx.wanted(day):
            want_page = False
    if want_page and names_private(link) and not private_ok(source):
        # a public feed has no business sending us into the local network (a name that
        # resolves there is refused when connecting, see guard.py)
        log.warning("source '%s': no full text from a private address: %s", source.name,
                    link[:200])
        want_page = False
    return fields, want_page and bool(re.match(r"^https?://", link, re.I))


def parse_json_feed(data: bytes, where: str, name: str) -> dict:
    """A JSON Feed (jsonfeed.org, versions 1 and 1.1) in feedparser's shape.

    The feedparser release in use reads XML feeds only; JSON Feed is a small, fixed schema,
    so its fields are mapped here and its dates go through feedparser's date parser.
    """
    import json

    from feedparser.datetimes import _parse_date

    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise SourceError(f"{_label(name, where)}: not a readable JSON feed: "
                          f"{one_line(str(exc))[:120]}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise SourceError(f"{_label(name, where)}: not a JSON Feed (no 'items' list)")

    def text(value) -> str:
        return value if isinstance(value, str) else ""

    def author(item: dict) -> str:
        authors = item.get("authors")
        if isinstance(authors, list) and authors and isinstance(authors[0], dict):
            return text(authors[0].get("name"))
        one = item.get("author")
        return text(one.get("name")) if isinstance(one, dict) else ""

    entries = []
    for item in doc["items"]:
        if not isinstance(item, dict):
            continue
        content = []
        if text(item.get("content_html")):
            content.append({"type": "text/html", "value": item["content_html"]})
        if text(item.get("content_text")):
            content.append({"type": "text/plain", "value": item["content_text"]})
        entries.append({
            "id": text(item.get("id")) or str(item.get("id") or ""),
            "title": text(item.get("title")),
            "link": text(item.get("url")) or text(item.get("external_url")),
            "content": content,
            "summary_detail": {"type": "text/plain", "value": text(item.get("summary"))},
            "published_parsed": _parse_date(text(item.get("date_published"))) or None,
            "updated_parsed": _parse_date(text(item.get("date_modified"))) or None,
            "author": author(item) or author(doc),
            "language": text(item.get("language")),
        })
    return {"version": "json", "bozo": False, "entries": entries,
            "feed": {"title": text(doc.get("title")), "language": text(doc.get("language"))}}


def _entry_body(entry) -> str:
    """The longest of the entry's content blocks and its summary, as text."""
    candidates = [_text_value(c) for c in entry.get("content") or []]
    candidates.append(_text_value(entry.get("summary_detail")) or str(entry.get("summary") or ""))
    texts = [html_to_text(c) for c in candidates if c]
    return max(texts, key=len, default="")


def _text_value(detail) -> str:
    if not detail:
        return ""
    value = detail.get("value") if hasattr(detail, "get") else ""
    if not isinstance(value, str):
        return ""
    if str(detail.get("type") or "").endswith("plain"):
        # plain text: escape it so that html_to_text keeps "<" and "&" as written
        return html.escape(value).replace("\n\n", "<p>")
    return value


def entry_date(entry, tz) -> dt.date | None:
    """The entry's publication (or update) day in the configured time zone."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                moment = dt.datetime(*parsed[:6], tzinfo=dt.timezone.utc)
            except (TypeError, ValueError):
                continue
            return moment.astimezone(tz).date()
    for key in ("published", "updated"):
        day = parse_date(entry.get(key))
        if day is not None:
            return day
    return None


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment: block elements become paragraphs, markup disappears."""
    if "<" not in fragment and "&" not in fragment:
        return fragment
    try:
        import lxml.html
        from lxml import etree

        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
        etree.strip_elements(root, "script", "style", "noscript", "iframe", "object",
                             "embed", "template", etree.Comment, etree.ProcessingInstruction,
                             with_tail=False)
        for element in root.iter():
            tag = element.tag.lower() if isinstance(element.tag, str) else ""
            if tag in _BLOCK_TAGS:
                element.tail = "\n\n" + (element.tail or "")
            elif tag == "br":  # one is a line break, two (as old feeds write) a paragraph
                element.tail = "\n" + (element.tail or "")
        text = root.text_content()
    except Exception:  # lxml refuses some fragments outright: fall back to dropping tags
        text = html.unescape(_TAG.sub(" ", fragment))
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    out, blank = [], False
    for line in lines:
        if line:
            if blank and out:
                out.append("")
            out.append(line)
            blank = False
        else:
            blank = True
    return "\n".join(out)


def _label(name: str, where: str) -> str:
    """How a message names a source: its name, and where it is read from when that differs."""
    return f"source '{name}'" if name == where else f"source '{name}' ({where})"
