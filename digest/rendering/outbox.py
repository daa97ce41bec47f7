"""The outbox: each issue as .html, .txt and a multipart/alternative .eml, written atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, getaddresses
from pathlib import Path

from digest.errors import DigestError
from digest.rendering.templates import header_text


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


def sender_domain(sender: str) -> str:
    addresses = getaddresses([sender])
    address = addresses[0][1] if addresses else ""
    return address.rpartition("@")[2] or "localhost"


def build_message(
    *,
    subject: str,
    sender: str,
    recipients: tuple[str, ...] | list[str],
    text: str,
    html: str,
    date: dt.date,
    audience: str,
    now: dt.datetime | None = None,
    message_id: str | None = None,
    headers: list[tuple[str, str]] | tuple = (),
) -> EmailMessage:
    """A UTF-8 multipart/alternative message: the text part first, then the HTML part.

    `message_id` and `headers` (e.g. List-Unsubscribe) are given for a recipient's own copy.
    """
    digest_of_content = hashlib.sha256(
        "\0".join([date.isoformat(), audience, subject, text, html]).encode("utf-8")
    ).hexdigest()
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = header_text(subject)
    try:
        msg["From"] = sender
        msg["To"] = ", ".join(recipients) if recipients else Address("undisclosed-recipients", "", "")
    except (ValueError, IndexError) as exc:
        raise DigestError(f"audience '{audience}': invalid address: {exc}") from None
    msg["Date"] = format_datetime(now or dt.datetime.now(dt.timezone.utc))
    # derived, not random: the same issue keeps its Message-ID when it is rebuilt
    msg["Message-ID"] = message_id or (
        f"<{date:%Y%m%d}.{audience}.{digest_of_content[:16]}@{sender_domain(sender)}>")
    for name, value in headers:
        msg[name] = value
    msg["MIME-Version"] = "1.0"
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    msg.set_boundary(f"=_digest_{digest_of_content[:24]}")
    return msg


def issue_paths(outbox: Path, date: dt.date, audience: str) -> dict[str, Path]:
    folder = outbox / date.isoformat()
    return {suffix: folder / f"{audience}{suffix}" for suffix in (".html", ".txt", ".eml")}


def write_issue(outbox: Path, date: dt.date, audience: str, html: str, text: str,
                message: EmailMessage) -> dict[str, str]:
    paths = issue_paths(outbox, date, audience)
    write_atomic(paths[".html"], html.encode("utf-8"))
    write_atomic(paths[".txt"], text.encode("utf-8"))
    write_atomic(paths[".eml"], message.as_bytes())
    return {suffix: str(path) for suffix, path in paths.items()}
