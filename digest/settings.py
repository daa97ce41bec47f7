"""Settings: one loader, one validator, one error type that names the key.

Order of precedence: built-in defaults < config file < command line (the CLI passes its
options to `Settings.with_overrides`). The config file is found by `--config`, then
`$DIGEST_CONFIG`, then `./config/digest.toml`, else the built-in default shipped with the
package. Relative paths resolve against the config file's folder.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from digest.errors import ConfigError
from digest.resources import default_config_path
from digest.summarize import ALGORITHMS, DEFAULT_ALGORITHM

SOURCE_TYPES = ("folder",)
WINDOWS = ("day", "all")
DEFAULT_MAX_FILE_BYTES = 2_000_000


@dataclass(frozen=True)
class Source:
    name: str
    type: str
    path: Path | None = None
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES


@dataclass(frozen=True)
class Audience:
    name: str
    subject: str = "Daily digest"
    sender: str = "Digest <digest@localhost>"
    recipients: tuple[str, ...] = ()
    summary_sentences: int = 3
    summary_algorithm: str = DEFAULT_ALGORITHM
    max_articles: int | None = None
    title: str = "Daily digest"
    footer: str = ""


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
    summary_algorithm: str = DEFAULT_ALGORITHM
    summary_sentences: int = 3
    extra: dict[str, Any] = field(default_factory=dict)

    def with_overrides(self, **changes: Any) -> Settings:
        """Command-line values win over the file; `None` means "not given"."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


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
        path = src.path("path", required=True)
        max_bytes = src.positive("max_file_bytes", DEFAULT_MAX_FILE_BYTES)
        src.done()
        sources.append(Source(name=name, type=kind, path=path, max_file_bytes=max_bytes))

    audiences_table = top.sub("audiences")
    audiences = {}
    for name in list(audiences_table.data):
        aud = audiences_table.sub(name)
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", name):
            # the name becomes a file name in the outbox
            raise aud.error(aud.where, "is not a valid audience name (letters, digits, - and _)")
        audiences[name] = Audience(
            name=name,
            subject=aud.get("subject", str, "Daily digest"),
            sender=aud.get("from", str, "Digest <digest@localhost>"),
            recipients=aud.strings("recipients"),
            summary_sentences=aud.positive("summary_sentences", sentences),
            summary_algorithm=aud.choice("summary_algorithm", tuple(ALGORITHMS), algorithm),
            max_articles=aud.positive("max_articles"),
            title=aud.get("title", str, "Daily digest"),
            footer=aud.get("footer", str, ""),
        )
        aud.done()
    if not audiences:
        raise top.error("audiences", "needs at least one audience, e.g. [audiences.general]")
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
        summary_algorithm=algorithm,
        summary_sentences=sentences,
    )


def _check_timezone(table: _Table, name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise table.error("timezone", f"is not a known time zone: '{name}'") from None
