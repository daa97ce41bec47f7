"""Plain data passed between the stages of the pipeline."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field


@dataclass
class Article:
    """One story as gathered and cleaned; `text` keeps the original typography.

    Paragraphs in `text` are separated by one blank line.
    """

    title: str
    text: str
    source: str
    url: str = ""
    author: str = ""
    published: dt.date | None = None
    origin: str = ""  # the file or address it was read from, for messages
    language: str = "en"
    summary: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)  # key quotes, best first by position
    guid: str = ""  # a feed entry's id
    also_in: list[str] = field(default_factory=list)  # other sources that carried the story
    follows: dt.date | None = None  # the earlier issue of the audience whose story this continues

    @property
    def id(self) -> str:
        """Stable identifier: the URL when there is one, else where it was read from."""
        key = self.url or self.origin or self.title
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class Issue:
    """What one audience receives for one date: the files written to the outbox."""

    date: dt.date
    audience: str
    subject: str
    html: str
    text: str
    articles: list[Article]
    files: dict[str, str] = field(default_factory=dict)  # suffix -> path
    topics: list[Topic] = field(default_factory=list)  # the sections, in issue order


@dataclass
class Topic:
    """A section of an issue: a configured section, "Other", or a group found in the day."""

    name: str
    articles: list[Article] = field(default_factory=list)
    weight: float = 0.0  # articles, counting a story told by several sources more than once
    configured: bool = False  # a section the editor named, not a found group


@dataclass
class Quote:
    """A direct quotation: its words, who said them, where it sits in the article text.

    `start`/`end` are character offsets of the whole quote, marks included (for a quote
    split by its attribution, from the first part's start to the last part's end);
    `spans` are the quoted parts alone.
    """

    text: str
    speaker: str = ""
    role: str = ""
    start: int = 0
    end: int = 0
    spans: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"text": self.text, "speaker": self.speaker, "role": self.role,
                "start": self.start, "end": self.end}
