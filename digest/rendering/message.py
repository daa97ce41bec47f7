"""An issue as a mail message: headers made safe, a UTF-8 multipart/alternative body."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, getaddresses
from functools import lru_cache

from digest.errors import DigestError

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def header_text(text: str, limit: int = 250) -> str:
    """Text that goes into a mail header: one line, no control characters, capped."""
    line = " ".join(_CONTROL.sub(" ", str(text)).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


@lru_cache(maxsize=64)  # asked for every recipient's Message-ID and List-Id: parse once
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
        msg["To"] = (", ".join(recipients) if recipients
                     else Address("undisclosed-recipients", "", ""))
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
