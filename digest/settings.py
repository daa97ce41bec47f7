"""Settings: one loader, one validator, one error type that names the key.

Order of precedence: built-in defaults < config file < command line (the CLI passes its
options, such as `--algorithm`, to the library call, which prefers them). The config file is found by `--config`, then
`$DIGEST_CONFIG`, then `./config/digest.toml`, else the built-in default shipped with the
package. Relative paths resolve against the config file's folder.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digest.errors import ConfigError
from digest.resources import default_config_path
from digest.summaries.registry import ALGORITHMS, DEFAULT_ALGORITHM
from digest.topics import OTHER, Section

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


def find_config(explicit: str | os.PathLike | None = None) -> tuple[Path, bool]:
    """Return (path, builtin) following the documented search order."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"config file not found: {path}")
        return path, False
    env = os.environ.get("DIGEST_CONFIG")
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(f"config file not found: {path} (from $DIGEST_CONFIG)")
        return path, False
    local = Path("config") / "digest.toml"
    if local.is_file():
        return local, False
    return default_config_path(), True


def load_settings(path: str | os.PathLike | None = None) -> Settings:
    """Find, read and validate the configuration."""
    config_path, builtin = find_config(path)
    try:
        raw = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{config_path}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {config_path}: {exc}") from None
    return parse_settings(raw, config_path.resolve(), builtin=builtin)


class _Table:
    """Reads typed keys from one TOML table and reports the leftovers as unknown."""

    def __init__(self, data: Any, where: str, origin: Path):
        self.where = where
        self.origin = origin
        if not isinstance(data, dict):
            raise self.error(where, f"must be a table, got {_type_name(data)}")
        self.data = dict(data)

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.origin}: '{key}' {message}")

    def key(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def get(self, name: str, kind: type | tuple, default: Any = None, required: bool = False):
        if name not in self.data:
            if required:
                raise self.error(self.key(name), "is required")
            return default
        value = self.data.pop(name)
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int in Python, never in a config file
        if isinstance(value, bool) and bool not in kinds:
            ok = False
        else:
            ok = isinstance(value, kinds)
        if not ok:
            wanted = " or ".join(_KIND_NAMES.get(k, k.__name__) for k in kinds)
            raise self.error(self.key(name), f"must be {wanted}, got {_type_name(value)}")
        return value

    def choice(self, name: str, choices: tuple[str, ...], default: str | None = None) -> str:
        value = self.get(name, str, default)
        if value is not None and value not in choices:
            raise self.error(
                self.key(name), f"must be one of {', '.join(choices)}, got '{value}'"
            )
        return value

    def count(self, name: str, default: int) -> int:
        """A whole number, zero allowed ("how many")."""
        value = self.get(name, int, default)
        if value < 0:
            raise self.error(self.key(name), f"must be 0 or a positive integer, got {value}")
        return value

    def positive(self, name: str, default: int | None = None) -> int | None:
        value = self.get(name, int, default)
        if value is not None and value < 1:
            raise self.error(self.key(name), f"must be a positive integer, got {value}")
        return value

    def path(self, name: str, default: str | None = None, required: bool = False):
        value = self.get(name, str, default, required=required)
        if value is None:
            return None
        return (self.origin.parent / Path(value).expanduser()).resolve()

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.get(name, list, [])
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self.error(f"{self.key(name)}[{i}]", f"must be a string, got {_type_name(item)}")
        return tuple(value)

    def sub(self, name: str) -> _Table:
        return _Table(self.data.pop(name, {}), self.key(name), self.origin)

    def done(self) -> None:
        for name in self.data:
            raise self.error(self.key(name), "is not a known setting")


_KIND_NAMES = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a table",
}


def _type_name(value: Any) -> str:
    return {
        bool: "a boolean",
        str: "a string",
        int: "an integer",
        float: "a number",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def parse_settings(raw: dict, origin: Path, builtin: bool = False) -> Settings:
    """Validate a parsed TOML document; every error names its key."""
    top = _Table(raw, "", origin)
    summary = top.sub("summary")
    algorithm = summary.choice("algorithm", tuple(ALGORITHMS), DEFAULT_ALGORITHM)
    sentences = summary.positive("sentences", 3)
    summary.done()
    # how many key quotes each article shows in the newsletter (0: none)
    quotes = top.count("quotes", 2)

    window = top.choice("window", WINDOWS, "day")
    timezone = top.get("timezone", str)
    if timezone is not None:
        _check_timezone(top, timezone)
    templates = top.path("templates")
    outbox_value = top.get("outbox", str)
    if builtin or outbox_value is None:
        # the built-in default writes where the user runs it, never inside the package
        outbox = Path.cwd() / "outbox"
    else:
        outbox = (origin.parent / Path(outbox_value).expanduser()).resolve()

    state_value = top.get("state", str)
    if builtin:
        # never inside the installed package: the working folder, like the outbox
        state = Path.cwd() / "digest-state.sqlite3"
    elif state_value is None:
        state = origin.parent / "digest-state.sqlite3"
    else:
        state = (origin.parent / Path(state_value).expanduser()).resolve()

    sources_raw = top.get("sources", list, [])
    sources = []
    names = set()
    for i, item in enumerate(sources_raw):
        src = _Table(item, f"sources[{i}]", origin)
        name = src.get("name", str, required=True)
        if name in names:
            raise src.error(src.key("name"), f"repeats the source name '{name}'")
        names.add(name)
        kind = src.choice("type", SOURCE_TYPES)
        if kind is None:
            raise src.error(src.key("type"), "is required")
        sources.append(_parse_source(src, name, kind))

    fetch = _parse_fetch(top.sub("fetch"))

    topics = _parse_topics(top, origin)

    audiences_table = top.sub("audiences")
    audiences = {}
    for name in list(audiences_table.data):
        aud = audiences_table.sub(name)
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", name):
            # the name becomes a file name in the outbox
            raise aud.error(aud.where, "is not a valid audience name (letters, digits, - and _)")
        recipients, recipients_file = _recipients(aud)
        unsubscribe_url = aud.get("unsubscribe_url", str)
        if unsubscribe_url is not None and not re.match(r"https?://[^\s]+$", unsubscribe_url):
            raise aud.error(aud.key("unsubscribe_url"),
                            f"must be an http(s) URL, got '{unsubscribe_url}'")
        unsubscribe_mailto = aud.get("unsubscribe_mailto", str)
        if unsubscribe_mailto is not None and not is_email(unsubscribe_mailto):
            raise aud.error(aud.key("unsubscribe_mailto"),
                            f"must be an e-mail address, got '{unsubscribe_mailto}'")
        audiences[name] = Audience(
            name=name,
            subject=aud.get("subject", str, Audience.subject),
            sender=aud.get("from", str, Audience.sender),
            recipients=recipients,
            recipients_file=recipients_file,
            unsubscribe_url=unsubscribe_url,
            unsubscribe_mailto=unsubscribe_mailto,
            greeting=aud.get("greeting", str, "Hello {name},"),
            summary_sentences=aud.positive("summary_sentences", sentences),
            summary_algorithm=aud.choice("summary_algorithm", tuple(ALGORITHMS), algorithm),
            max_articles=aud.positive("max_articles"),
            locale=_locale(aud),
            template_dir=aud.path("template_dir"),
            branding=_branding(aud.sub("branding")),
            quotes=aud.count("quotes", quotes),
            sections=_audience_sections(aud, topics),
            max_per_topic=aud.positive("max_per_topic"),
        )
        aud.done()
    if not audiences:
        raise top.error("audiences", "needs at least one audience, e.g. [audiences.general]")
    smtp = _smtp(top.sub("smtp")) if "smtp" in top.data else None
    top.done()
    return Settings(
        sources=tuple(sources),
        audiences=audiences,
        outbox=outbox,
        config_path=origin,
        builtin=builtin,
        window=window,
        timezone=timezone,
        templates=templates,
        state=state,
        fetch=fetch,
        summary_algorithm=algorithm,
        summary_sentences=sentences,
        quotes=quotes,
        smtp=smtp,
        topics=topics,
    )


_COLOR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")


def _branding(table: _Table) -> Branding:
    values = {}
    for key in ("color", "accent_color", "background_color"):
        value = table.get(key, str, getattr(Branding, key))
        if not _COLOR.fullmatch(value):
            raise table.error(table.key(key), f"must be a colour like #1f3a5f, got '{value}'")
        values[key] = value
    logo = table.get("logo_url", str, "")
    if logo and not re.fullmatch(r"https?://[^\s<>\"']+", logo):
        raise table.error(table.key("logo_url"), f"must be an http(s) URL, got '{logo}'")
    branding = Branding(
        name=table.get("name", str, Branding.name),
        logo_url=logo,
        footer=table.get("footer", str, ""),
        unsubscribe_text=table.get("unsubscribe_text", str, Branding.unsubscribe_text),
        **values,
    )
    table.done()
    return branding


def _locale(table: _Table) -> str:
    value = table.get("locale", str, "en")
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(value.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise table.error(table.key("locale"), f"is not a known locale: '{value}'") from None
    return value


def _parse_source(src: _Table, name: str, kind: str) -> Source:
    max_bytes = src.positive("max_file_bytes", DEFAULT_MAX_FILE_BYTES)
    if kind == "folder":
        path = src.path("path", required=True)
        src.done()
        return Source(name=name, type=kind, path=path, max_file_bytes=max_bytes)
    if kind == "page":
        urls = src.strings("urls")
        if not urls:
            raise src.error(src.key("urls"), "needs at least one http(s) address")
        for i, url in enumerate(urls):
            _check_url(src, f"urls[{i}]", url)
        src.done()
        return Source(name=name, type=kind, urls=urls, max_file_bytes=max_bytes)
    url = src.get("url", str)
    path = src.path("path")
    if (url is None) == (path is None):
        raise src.error(src.where, "needs exactly one of 'url' and 'path'")
    if url is not None:
        _check_url(src, "url", url)
    full_text = src.get("full_text", (bool, str), "auto")
    if full_text not in (True, False, "auto"):
        raise src.error(src.key("full_text"), f"must be true, false or \"auto\", got '{full_text}'")
    max_entries = src.positive("max_entries")
    src.done()
    return Source(name=name, type=kind, path=path, url=url, max_file_bytes=max_bytes,
                  full_text=None if full_text == "auto" else full_text,
                  max_entries=max_entries)


def _check_url(table: _Table, key: str, url: str) -> None:
    if not re.match(r"^https?://[^\s/]+", url, re.I):
        raise table.error(table.key(key), f"must be an http(s) address, got '{url}'")


def _parse_fetch(table: _Table) -> Fetch:
    def seconds(name: str, default: float) -> float:
        value = table.get(name, (int, float), default)
        if value <= 0:
            raise table.error(table.key(name), f"must be a positive number, got {value}")
        return float(value)

    retries = table.get("retries", int, Fetch.retries)
    if retries < 0:
        raise table.error(table.key("retries"), f"must be 0 or more, got {retries}")
    max_redirects = table.get("max_redirects", int, Fetch.max_redirects)
    if max_redirects < 0:
        raise table.error(table.key("max_redirects"), f"must be 0 or more, got {max_redirects}")
    fetch = Fetch(
        timeout=seconds("timeout", Fetch.timeout),
        total_timeout=seconds("total_timeout", Fetch.total_timeout),
        max_bytes=table.positive("max_bytes", Fetch.max_bytes),
        retries=retries,
        backoff=seconds("backoff", Fetch.backoff),
        max_redirects=max_redirects,
        concurrency=table.positive("concurrency", Fetch.concurrency),
        user_agent=table.get("user_agent", str),
        conditional=table.get("conditional", bool, True),
    )
    if fetch.user_agent is not None and not re.fullmatch(r"[\x20-\x7e]{1,200}", fetch.user_agent):
        # it becomes an HTTP header: printable ASCII on one line
        raise table.error(table.key("user_agent"), "must be one line of printable ASCII")
    table.done()
    return fetch


# deliberately simple: one @, no spaces or angle brackets; the SMTP server has the last word
_EMAIL = re.compile(r"[^@\s<>\",;:]+@[^@\s<>\",;:]+\.[^@\s<>\",;:]+")


def is_email(text: str) -> bool:
    """An address we can send to: ASCII (no SMTPUTF8), one @, a dotted domain."""
    return bool(_EMAIL.fullmatch(text)) and text.isascii()


def _recipients(aud: _Table) -> tuple[tuple[str, ...], Path | None]:
    """`recipients` is a list of addresses or the path of a CSV file."""
    value = aud.data.get("recipients")
    if isinstance(value, str):
        if _EMAIL.fullmatch(value) and not (aud.origin.parent / value).exists():
            raise aud.error(aud.key("recipients"),
                            f"must be a list of addresses (e.g. [\"{value}\"]) or a CSV file name, "
                            f"got the single address '{value}'")
        return (), aud.path("recipients")
    if value is not None and not isinstance(value, list):
        raise aud.error(aud.key("recipients"),
                        f"must be a list of addresses or a CSV file name, got {_type_name(value)}")
    addresses = aud.strings("recipients")
    for i, address in enumerate(addresses):
        if not is_email(address):
            raise aud.error(f"{aud.key('recipients')}[{i}]",
                            f"is not an e-mail address: '{address}'")
    return addresses, None


def _smtp(table: _Table) -> Smtp:
    if "password" in table.data:
        # a password in a file ends up in backups and version control
        raise table.error(table.key("password"),
                          f"is not allowed in the file: set ${PASSWORD_VARIABLE} instead")
    host = table.get("host", str, required=True)
    if not host.strip() or any(c.isspace() for c in host):
        raise table.error(table.key("host"), f"must be a host name, got '{host}'")
    security = table.choice("security", SMTP_SECURITY, "starttls")
    port = table.positive("port", 465 if security == "ssl" else 587)
    if port > 65535:
        raise table.error(table.key("port"), f"must be at most 65535, got {port}")
    username = table.get("username", str)
    rate = table.positive("rate_per_minute")
    timeout = _positive_number(table, "timeout", 30.0)
    retries = table.get("retries", int, 4)
    if retries < 0:
        raise table.error(table.key("retries"), f"must be 0 or more, got {retries}")
    retry_delay = _positive_number(table, "retry_delay", 2.0, allow_zero=True)
    ca_file = table.path("ca_file")
    if ca_file is not None and not ca_file.is_file():
        raise table.error(table.key("ca_file"), f"is not a file: {ca_file}")
    verify = table.get("verify_certificate", bool, True)
    table.done()
    return Smtp(host=host, port=port, security=security, username=username,
                rate_per_minute=rate, timeout=timeout, retries=retries, retry_delay=retry_delay,
                ca_file=ca_file, verify_certificate=verify)


def _positive_number(table: _Table, name: str, default: float, allow_zero: bool = False) -> float:
    value = table.get(name, (int, float), default)
    if value < 0 or (value == 0 and not allow_zero):
        raise table.error(table.key(name), f"must be a positive number, got {value}")
    return float(value)


def _parse_topics(top: _Table, origin: Path) -> tuple[Section, ...]:
    """`[[topics]]` tables: name, keywords (at most MAX_TOPIC_KEYWORDS), description."""
    sections = []
    seen: set[str] = set()
    for i, item in enumerate(top.get("topics", list, [])):
        table = _Table(item, f"topics[{i}]", origin)
        name = table.get("name", str, required=True).strip()
        if not name:
            raise table.error(table.key("name"), "must not be empty")
        if name.casefold() == OTHER.casefold():
            raise table.error(table.key("name"), f"'{OTHER}' is where unmatched articles go; "
                              "choose another name")
        if name.casefold() in seen:
            raise table.error(table.key("name"), f"repeats the topic name '{name}'")
        seen.add(name.casefold())
        keywords = table.strings("keywords")
        if len(keywords) > MAX_TOPIC_KEYWORDS:
            raise table.error(table.key("keywords"), f"has {len(keywords)} keywords; at most "
                              f"{MAX_TOPIC_KEYWORDS}")
        description = table.get("description", str, "")
        table.done()
        sections.append(Section(name=name, keywords=keywords, description=description))
    return tuple(sections)


def _audience_sections(aud: _Table, topics: tuple[Section, ...]) -> tuple[str, ...] | None:
    if "sections" not in aud.data:
        return None
    names = aud.strings("sections")
    known = {t.name.casefold(): t.name for t in topics}
    known[OTHER.casefold()] = OTHER
    out = []
    for i, name in enumerate(names):
        if not topics:
            raise aud.error(aud.key("sections"), "needs [[topics]] sections to choose from")
        if name.casefold() not in known:
            raise aud.error(f"{aud.key('sections')}[{i}]", f"is not a configured topic: '{name}' "
                            f"(configured: {', '.join(known.values())})")
        if known[name.casefold()] in out:
            raise aud.error(f"{aud.key('sections')}[{i}]", f"repeats '{name}'")
        out.append(known[name.casefold()])
    return tuple(out)


def _check_timezone(table: _Table, name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise table.error("timezone", f"is not a known time zone: '{name}'") from None
