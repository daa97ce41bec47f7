"""The outbox: each issue as .html, .txt and a multipart/alternative .eml, written atomically."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from email.message import EmailMessage
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outbox files are ordinary
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def issue_paths(outbox: Path, date: dt.date, audience: str) -> dict[str, Path]:
    folder = outbox / date.isoformat()
    return {suffix: folder / f"{audience}{suffix}" for suffix in (".html", ".txt", ".eml")}


def write_issue(outbox: Path, date: dt.date, audience: str, html: str, text: str,
                message: EmailMessage | bytes) -> dict[str, str]:
    """The issue's three outbox files; `message` as built, or already its bytes."""
    paths = issue_paths(outbox, date, audience)
    write_atomic(paths[".html"], html.encode("utf-8"))
    write_atomic(paths[".txt"], text.encode("utf-8"))
    write_atomic(paths[".eml"], message if isinstance(message, bytes) else message.as_bytes())
    return {suffix: str(path) for suffix, path in paths.items()}
