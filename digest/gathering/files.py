"""Reading one article file: plain text, Markdown, HTML or JSON.

Each reader turns untrusted bytes into an `Article` whose fields are plain text; nothing here
trusts the file to be well-formed, and every failure is a `SourceError` naming the file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from email.utils import parsedate_to_datetime
from pathlib import Path

from digest.errors import SourceError
from digest.models import Article
from digest.text.clean import clean_text
from digest.text.headline import headline
from digest.text.sentences import split_sentences
from digest.timing import stage

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json")

_MAX_TITLE_CHARS = 300
_HEADER = re.compile(r"^\s*(title|date|author|url|link|source|language)\s*:\s*(.*?)\s*$", re.I)
# "date 2023-03-20 ..." with no colon: the date header as some blogs export it
_BARE_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*(.*)$", re.I)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_TITLE_WORDS = 20


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, or a SourceError saying in a few words why it is skipped."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(f"{path}: skipped, larger than {max_bytes} bytes ({size})")
        with path.open("rb") as handle:
            # read no more than the cap even if the file grew (or is a device)
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise SourceError(f"{path}: skipped, cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise SourceError(f"{path}: skipped, larger than {max_bytes} bytes")
    if not data.strip():
        raise SourceError(f"{path}: skipped, empty file")
    return data


def read_text(path: Path, max_bytes: int) -> str:
    """The file's text, or a SourceError saying in a few words why it is skipped."""
    data = read_bytes(path, max_bytes)
    if b"\x00" in data[:8192]:
        raise SourceError(f"{path}: skipped, binary file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(f"{path}: skipped, not UTF-8 text") from None


def read_article(path: Path, source_name: str, max_bytes: int) -> Article:
    text = read_text(path, max_bytes)
    suffix = path.suffix.lower()
    if suffix == ".json":
        fields = _parse_json(text, path)
    elif suffix in (".html", ".htm"):
        fields = parse_html(text, path)
    else:
        fields = _parse_plain(text, markdown=suffix in (".md", ".markdown"))
    return make_article(fields, source_name, origin=str(path))


def make_article(fields: dict, source_name: str, origin: str) -> Article:
    """Clean the body and fill what is missing (title from the text, source from config)."""
    with stage("clean"):
        body = clean_text(str(fields.get("text") or ""))
    title = one_line(str(fields.get("title") or ""))
    if not title:
        # a first paragraph that reads like a headline is the title (after cleaning, so a
        # promotional first line never becomes one); prose stays in the body
        first, _, rest = body.partition("\n\n")
        if rest and len(first.split()) <= _TITLE_WORDS and not first.endswith((".", "!", "?")):
            title, body = one_line(first), rest
    if not body:
        raise SourceError(f"{origin}: skipped, no article text")
    language = one_line(str(fields.get("language") or "en"))[:8] or "en"
    title = title or _title_from_text(body, language)
    return Article(
        title=title[:_MAX_TITLE_CHARS],
        text=body,
        source=one_line(str(fields.get("source") or "")) or source_name,
        url=_safe_url(fields.get("url")),
        author=one_line(str(fields.get("author") or ""))[:200],
        published=parse_date(fields.get("date")),
        origin=origin,
        language=language,
    )


def parse_date(value) -> dt.date | None:
    """ISO dates and datetimes, and RFC 2822 dates; anything else is no date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def one_line(text: str) -> str:
    """Untrusted text for a single-line field: no control characters, no line breaks."""
    if not text.isprintable():  # most titles, names and links are: no pass per character
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())


def _safe_url(value) -> str:
    url = one_line(str(value or ""))
    # only web links reach the newsletter; "javascript:" and friends never do
    return url if re.match(r"^https?://[^\s<>\"']+$", url, re.I) and len(url) <= 2000 else ""


def _title_from_text(body: str, language: str = "en") -> str:
    """A headline from the lead sentence, cut at a phrase boundary (digest/text/headline.py)."""
    first = body.split("\n\n", 1)[0]
    sentence = (split_sentences(first) or [first])[0]
    return headline(sentence, language)


def _parse_plain(text: str, markdown: bool) -> dict:
    fields: dict = {}
    match = _FRONT_MATTER.match(text)
    if match:
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip().lower() in ("title", "date", "author", "url", "link", "source",
                                               "language"):
                fields[_key(key)] = value.strip().strip("'\"")
        text = text[match.end():]
    else:
        lines = text.splitlines()
        i = 0
        while i < len(lines):
            line = lines[i]
            if not line.strip():
                i += 1
                continue
            header = _HEADER.match(line)
            bare = _BARE_DATE.match(line)
            if header:
                fields[_key(header.group(1))] = header.group(2)
            elif bare:
                fields["date"] = bare.group(1)
                if bare.group(2):  # the rest of the line is body text (often a promotion)
                    lines[i] = bare.group(2)
                    break
            else:
                break
            i += 1
        text = "\n".join(lines[i:])
    if markdown:
        text, heading = _strip_markdown(text)
        fields.setdefault("title", heading)
    fields["text"] = text
    return fields


def _key(name: str) -> str:
    name = name.strip().lower()
    return "url" if name == "link" else name


def _strip_markdown(text: str) -> tuple[str, str]:
    heading = ""
    out = []
    for line in text.splitlines():
        m = _MD_HEADING.match(line)
        if m:
            if not heading and not out:
                heading = m.group(1)
                continue
            line = m.group(1)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        out.append(line)
    return "\n".join(out), heading


def _parse_json(text: str, path: Path) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{path}: skipped, invalid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, dict):
        raise SourceError(f"{path}: skipped, JSON must be an object with a 'text' field")
    fields = {k: data.get(k) for k in ("title", "text", "date", "url", "author", "source",
                                       "language")}
    if not isinstance(fields["text"], str) and isinstance(data.get("article"), str):
        fields["text"] = data["article"]
    if not isinstance(fields["text"], str):
        raise SourceError(f"{path}: skipped, JSON has no 'text' string")
    return fields


def parse_html(text: str | bytes, path) -> dict:
    from digest.gathering.extract import main_text

    data = main_text(text, path if isinstance(path, str) else None)
    if data is None:
        raise SourceError(f"{path}: skipped, no main text found in the HTML")
    body = data.get("text") or ""
    title = data.get("title") or ""
    lines = [line for line in body.splitlines() if line.strip()]
    if lines and title and lines[0].strip() == title.strip():
        lines = lines[1:]  # trafilatura repeats the headline as the first line
    return {
        "title": title,
        "text": "\n\n".join(lines),
        "date": data.get("date"),
        "url": data.get("url"),
        "author": data.get("author"),
        "source": data.get("sitename"),
        "language": data.get("language"),
    }
