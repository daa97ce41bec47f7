"""The settings schema in one place: every table of the config file, its keys and defaults.

Each dataclass is one TOML table (`[fetch]`, `[smtp]`, `[audiences.<name>]`,
`[audiences.<name>.branding]`, `[[sources]]`, `[dkim]`, `[check]`); `Settings` is the whole file. The readers that
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
IMAP_PASSWORD_VARIABLE = "DIGEST_IMAP_PASSWORD"
WINDOWS = ("day", "all")
DEFAULT_MAX_FILE_BYTES = 2_000_000
DEFAULT_KEEP_DAYS = 180


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
    # may its connections (its own, its entries' pages) go to private addresses? A source
    # whose address names a private host outright (127.0.0.1, 10.0.0.5) may in any case
    allow_private: bool = False


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
    per_host: int = 2  # requests in flight to one host (name and port) at once
    host_interval: float = 0.5  # seconds between the starts of two requests to one host
    retry_after_max: float = 120.0  # a longer Retry-After gives up on the address instead
    robots: bool = True  # pages fetched for full text only when robots.txt allows it


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
    archive: bool = False  # its issues on the public web archive ([archive]); some are private
    signup: bool = False  # a double opt-in /subscribe form on `digest serve`
    # [service] base_url, for the signed links (digest/subscribers/links.py)
    link_base: str | None = None
    # the key that signs them: from the state database at send time, never from the file
    link_secret: bytes = field(default=b"", repr=False, compare=False)
    return_path: str | None = None  # [mailbox] return_path: VERP envelope senders
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
    connections: int = 8  # in parallel; most providers allow 10 or more from one client
    daily_cap: int | None = None  # messages a day (UTC) through this relay, over all runs
    weight: int = 1  # a relay's share of the connections
    name: str = ""  # a relay's name ([[smtp.relays]]): password in $DIGEST_SMTP_PASSWORD_<NAME>
    relays: tuple[Smtp, ...] = ()  # [[smtp.relays]]: several relays, each an Smtp of its own


@dataclass(frozen=True)
class Archive:
    """The public web archive of the issues ([archive] in the config; digest/archive/)."""

    path: Path  # where the static site is written
    base_url: str = ""  # its public address; "": pages only, no "view in browser" link
    feed_entries: int = 30  # the feed carries the last N issues
    feed_max_bytes: int = 400_000  # some feed readers refuse feeds over 500 kB
    subscribe_url: str = ""  # a generic sign-up link on the pages ("{audience}" filled in)
    headlines: int = 5  # top headlines shown per issue in an audience's index


@dataclass(frozen=True)
class Service:
    """`digest serve` ([service]): its public address and its limits."""

    base_url: str | None = None  # e.g. "https://news.example.org/digest": the signed links
    host: str = "127.0.0.1"
    port: int = 8080
    max_body_bytes: int = 16_384  # a larger request body gets 413
    threads: int = 4
    signup_days: int = 7  # an unconfirmed sign-up expires after this many days


@dataclass(frozen=True)
class Mailbox:
    """Where bounces, complaints and mailed unsubscribes arrive ([mailbox]): IMAP or a Maildir.

    The IMAP password is never here: it comes from $DIGEST_IMAP_PASSWORD."""

    maildir: Path | None = None
    host: str | None = None
    port: int = 993
    security: str = "ssl"
    username: str | None = None
    folder: str = "INBOX"
    timeout: float = 30.0
    ca_file: Path | None = None
    verify_certificate: bool = True
    soft_bounce_limit: int = 3  # this many soft bounces ...
    soft_bounce_days: int = 30  # ... within this many days suppress the address
    max_message_bytes: int = 5_000_000  # a larger message is skipped with a warning
    # "bounces@example.org": each message's envelope sender becomes
    # bounces+<signed token>@example.org (VERP), so a bounce names its recipient
    return_path: str | None = None


@dataclass(frozen=True)
class Dkim:
    """DKIM signing ([dkim]): the private key stays in `key_file`, never in the config."""

    domain: str
    selector: str
    key_file: Path


@dataclass(frozen=True)
class Check:
    """`digest check` ([check]): a SpamAssassin score at or above the threshold fails."""

    spam_threshold: float = 5.0
    spamassassin: bool = True  # score with spamassassin when it is installed
    links_concurrency: int = 4  # HEAD requests in flight for `--links`


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
    # articles not seen for this many days (and their history) leave the state file
    keep_days: int = DEFAULT_KEEP_DAYS
    fetch: Fetch = field(default_factory=Fetch)
    summary_algorithm: str = DEFAULT_ALGORITHM
    summary_sentences: int = 3
    quotes: int = 2
    smtp: Smtp | None = None
    topics: tuple[Section, ...] = ()  # configured sections; none: topics are found
    archive: Archive | None = None  # None only for settings built in code: no archive
    service: Service = field(default_factory=Service)
    mailbox: Mailbox | None = None
    dkim: Dkim | None = None  # None: messages go out unsigned
    check: Check = field(default_factory=Check)
