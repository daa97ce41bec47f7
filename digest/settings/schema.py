"""The settings schema in one place: every table of the config file, its keys and defaults.

Each dataclass is one TOML table (`[fetch]`, `[smtp]`, `[audiences.<name>]`,
`[audiences.<name>.branding]`, `[[sources]]`); `Settings` is the whole file. The readers that
fill them from a config file are in the modules beside this one; code may also build them
directly (tests, the `--source` option).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from digest.summaries import DEFAULT_ALGORITHM
from digest.topics import Section

MAX_TOPIC_KEYWORDS = 10

SOURCE_TYPES = ("folder", "feed", "page")
# "file" (one article file) and "auto" (guessed when read) come from `--source`, not a config
SMTP_SECURITY = ("ssl", "starttls", "none")
PASSWORD_VARIABLE = "DIGEST_SMTP_PASSWORD"
WINDOWS = ("day", "all")
DEFAULT_MAX_FILE_BYTES = 2_000_000


@dataclass(frozen=True)
class Source:
    name: str
    type: str
    path: Path | None = None
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    url: str | None = None  # a feed's address
    urls: tuple[str, ...] = ()  # a page source's addresses
    # full text of feed entries from their linked page: True always, False never,
    # None when the entry's own text is short (a teaser)
    full_text: bool | None = None
    max_entries: int | None = None


@dataclass(frozen=True)
class Fetch:
    """The HTTP client's limits ([fetch] in the config)."""

    timeout: float = 15.0  # seconds to connect, and between two reads
    total_timeout: float = 60.0  # seconds for a whole response: an endless one is cut off
    max_bytes: int = 5_000_000  # decoded body size cap (gzip bombs stop here)
    retries: int = 2  # on 5xx, 429 and timeouts, with exponential backoff
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    max_redirects: int = 5
    concurrency: int = 4  # requests (and sources) in flight at once
    user_agent: str | None = None  # None: "digest/<version> (+project page)"
    conditional: bool = True  # send ETag/Last-Modified back; false for servers that lie


@dataclass(frozen=True)
class Branding:
    """How an audience's newsletter looks: its name, colours, logo and footer."""

    name: str = "Daily digest"
    color: str = "#1f3a5f"  # header band and headlines
    accent_color: str = "#0b5cad"  # links
    background_color: str = "#f4f4f4"
    logo_url: str = ""
    footer: str = ""
    unsubscribe_text: str = "Unsubscribe"


@dataclass(frozen=True)
class Audience:
    name: str
    subject: str = "{{ brand.name }} for {{ date }}"
    sender: str = "Digest <digest@localhost>"
    recipients: tuple[str, ...] = ()
    summary_sentences: int = 3
    summary_algorithm: str = DEFAULT_ALGORITHM
    max_articles: int | None = None
    locale: str = "en"
    template_dir: Path | None = None  # looked up before the user's and built-in templates
    branding: Branding = field(default_factory=Branding)
    quotes: int = 2  # key quotes shown per article; 0 shows none
    recipients_file: Path | None = None  # a CSV file (email, name?, more columns), read at send time
    unsubscribe_url: str | None = None  # "{email}" becomes the URL-encoded address
    unsubscribe_mailto: str | None = None
    greeting: str = "Hello {name},"
    sections: tuple[str, ...] | None = None  # which topics, in this order; None: all
    max_per_topic: int | None = None
    list_under: int = 6  # an issue of fewer stories is one list, without section headings
    contents_over: int = 10  # an issue of more stories opens with "In this issue"


@dataclass(frozen=True)
class Smtp:
    """Where and how to send. The password is never here: it comes from $DIGEST_SMTP_PASSWORD."""

    host: str
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    rate_per_minute: int | None = None
    timeout: float = 30.0
    retries: int = 4  # within one run, on 4xx replies and dropped connections
    retry_delay: float = 2.0  # the first wait in seconds, doubled on each retry
    ca_file: Path | None = None  # trust this CA (e.g. a private one) instead of the system's
    verify_certificate: bool = True


@dataclass(frozen=True)
class Settings:
    sources: tuple[Source, ...]
    audiences: dict[str, Audience]
    outbox: Path
    config_path: Path | None = None  # None only for settings built in code
    builtin: bool = False  # True when no user config was found
    window: str = "day"
    timezone: str | None = None  # None: the machine's local time zone
    templates: Path | None = None  # the user's template folder, before the built-in ones
    state: Path | None = None  # the SQLite state file
    fetch: Fetch = field(default_factory=Fetch)
    summary_algorithm: str = DEFAULT_ALGORITHM
    summary_sentences: int = 3
    quotes: int = 2
    smtp: Smtp | None = None
    topics: tuple[Section, ...] = ()  # configured sections; none: topics are found
