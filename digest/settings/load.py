"""Finding the config file, reading it, and validating the whole document.

The file is found by `--config`, then `$DIGEST_CONFIG`, then `./config/digest.toml`, else the
built-in default shipped with the package. `parse_settings` reads the tables in the order
below, so the first error found is always the same one.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from pathlib import Path

from digest.errors import ConfigError
from digest.resources import default_config_path
from digest.settings.archive import parse_archive
from digest.settings.audiences import parse_audiences
from digest.settings.checks import check_timezone
from digest.settings.deliverability import parse_check, parse_dkim
from digest.settings.mailbox import parse_mailbox
from digest.settings.schema import DEFAULT_KEEP_DAYS, WINDOWS, Settings
from digest.settings.service import parse_service
from digest.settings.smtp import parse_smtp
from digest.settings.sources import parse_fetch, parse_sources
from digest.settings.topics import parse_topics
from digest.settings.values import Table
from digest.summaries import ALGORITHMS, DEFAULT_ALGORITHM


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


def parse_settings(raw: dict, origin: Path, builtin: bool = False) -> Settings:
    """Validate a parsed TOML document; every error names its key."""
    top = Table(raw, "", origin)
    summary = top.sub("summary")
    algorithm = summary.choice("algorithm", tuple(ALGORITHMS), DEFAULT_ALGORITHM)
    sentences = summary.positive("sentences", 3)
    summary.done()
    # how many key quotes each article shows in the newsletter (0: none)
    quotes = top.count("quotes", 2)

    window = top.choice("window", WINDOWS, "day")
    timezone = top.get("timezone", str)
    if timezone is not None:
        check_timezone(top, timezone)
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

    keep_days = top.positive("keep_days", DEFAULT_KEEP_DAYS)
    sources = parse_sources(top, origin)
    fetch = parse_fetch(top.sub("fetch"))
    topics = parse_topics(top, origin)
    audiences = parse_audiences(top, topics, algorithm=algorithm, sentences=sentences,
                                quotes=quotes)
    smtp = parse_smtp(top.sub("smtp")) if "smtp" in top.data else None
    archive = parse_archive(top.sub("archive"), raw.get("service"), builtin=builtin)
    service = parse_service(top.sub("service"))
    mailbox = parse_mailbox(top.sub("mailbox")) if "mailbox" in top.data else None
    if service.base_url:
        # every audience's signed links start from the service's public address
        audiences = {name: dataclasses.replace(a, link_base=service.base_url)
                     for name, a in audiences.items()}
    dkim = parse_dkim(top.sub("dkim")) if "dkim" in top.data else None
    check = parse_check(top.sub("check"))
    top.done()
    return Settings(
        sources=sources,
        audiences=audiences,
        outbox=outbox,
        config_path=origin,
        builtin=builtin,
        window=window,
        timezone=timezone,
        templates=templates,
        state=state,
        keep_days=keep_days,
        fetch=fetch,
        summary_algorithm=algorithm,
        summary_sentences=sentences,
        quotes=quotes,
        smtp=smtp,
        topics=topics,
        archive=archive,
        service=service,
        mailbox=mailbox,
        dkim=dkim,
        check=check,
    )
