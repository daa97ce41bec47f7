"""What the one-stage commands are given: a file or stdin, and the config's topics.

Unreadable input is the user's to fix, so it is a `UsageError` (exit 2), not a failed job.
"""

from __future__ import annotations

import sys
from pathlib import Path

from digest.errors import UsageError


def read_input(path: str) -> tuple[str, str]:
    """(text, name) of a file or of stdin for '-'."""
    if path == "-":
        return sys.stdin.read(), "<stdin>"
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig"), path
    except UnicodeDecodeError:
        raise UsageError(f"cannot read {path}: not UTF-8 text") from None


def read_one_article(path: str):
    """The `Article` in a file (read as a folder source reads it) or on stdin for '-'."""
    from digest.errors import SourceError
    from digest.gathering.files import make_article, read_article

    if path == "-":
        text, name = read_input(path)
        return make_article({"text": text}, "stdin", origin=name)
    if not Path(path).is_file():
        raise UsageError(f"cannot read {path}: no such file")
    try:
        return read_article(Path(path), "file", max_bytes=50_000_000)
    except SourceError as exc:
        raise UsageError(str(exc)) from None


def configured_topics(config_path: str | None):
    """The config's [[topics]] sections; none without --config (groups are found instead)."""
    if config_path is None:
        return ()
    from digest.settings import load_settings

    return load_settings(config_path).topics
