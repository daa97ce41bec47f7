"""Each recipient's own copy of a rendered issue: the slots filled, the list headers set.

Rendering (`digest.rendering`) gives the issue once per audience with slots for the
recipient's fields; this fills them (`values_for`), for the outbox copy with nobody in
particular (`preview_values`), and builds the message with a Message-ID that is the same for
every attempt at the same (issue, audience, recipient). The unsubscribe links are signed
(`digest.subscribers.links`): a token, never the address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from email.headerregistry import Address
from email.message import EmailMessage

from digest.delivery.recipients import Recipient
from digest.rendering.context import translated_default
from digest.rendering.issue import RenderedIssue
from digest.rendering.message import build_message, header_text, sender_domain
from digest.settings import Audience
from digest.subscribers import links


def greeting(audience: Audience, name: str) -> str:
    # the built-in "Hello {name}," speaks the audience's language; a configured one stays
    text = translated_default(audience, "greeting", audience.locale)
    if name:
        return text.replace("{name}", name)
    # "Hello {name}," becomes "Hello," for someone whose name is not known
    return re.sub(r"\s*\{name\}", "", text)


def unsubscribe_url(audience: Audience, email: str) -> str:
    """This recipient's signed unsubscribe URL (digest/subscribers/links.py), or ""."""
    return links.unsubscribe_url(audience, email)


def unsubscribe_mailto(audience: Audience, email: str = "") -> str:
    return links.unsubscribe_mailto(audience, email)


def unsubscribe_link(audience: Audience, email: str) -> str:
    """The visible link in the message: the URL, else the mailto."""
    return unsubscribe_url(audience, email) or unsubscribe_mailto(audience, email)


def values_for(audience: Audience, recipient: Recipient, url: str | None = None
               ) -> dict[str, str]:
    """The slots' values for `recipient`; `url`: their unsubscribe URL when already made."""
    values = {f"recipient.{k}": v for k, v in recipient.fields.items()}
    values["recipient.email"] = recipient.email
    values["recipient.name"] = recipient.name
    values["greeting"] = greeting(audience, recipient.name)
    if url is None:
        url = unsubscribe_url(audience, recipient.email)
    values["unsubscribe_url"] = url or unsubscribe_mailto(audience, recipient.email)
    return values


def preview_values(audience: Audience) -> dict[str, str]:
    """The outbox copy: nobody in particular."""
    return {
        "recipient.email": "",
        "recipient.name": "",
        "greeting": greeting(audience, ""),
        "unsubscribe_url": links.preview_url(audience),
    }


def message_id(date: dt.date, audience: str, email: str, sender: str) -> str:
    """The same for every attempt at the same (issue, audience, recipient)."""
    seed, head, tail = message_id_parts(date, audience, sender)
    return f"{head}{hashlib.sha256(seed + email.lower().encode()).hexdigest()[:24]}{tail}"


def message_id_parts(date: dt.date, audience: str, sender: str) -> tuple[bytes, str, str]:
    """What the Message-IDs of one issue and audience share: (seed of the hash, head, tail)."""
    return (f"{date.isoformat()}\0{audience}\0".encode(), f"<{date:%Y%m%d}.{audience}.",
            f"@{sender_domain(sender)}>")


def list_headers(audience: Audience, email: str, sender: str, url: str | None = None
                 ) -> list[tuple[str, str]]:
    """List-Id, List-Unsubscribe and, for an https URL, RFC 8058 one-click unsubscribe;
    `url`: the recipient's unsubscribe URL when already made."""
    title = header_text(audience.branding.name).replace('"', "'")
    headers = [("List-Id", f'"{title}" <{audience.name}.{sender_domain(sender)}>')]
    targets = []
    if url is None:
        url = unsubscribe_url(audience, email)
    if url:
        targets.append(f"<{url}>")
    if audience.unsubscribe_mailto:
        targets.append(f"<{unsubscribe_mailto(audience, email)}>")
    if targets:
        headers.append(("List-Unsubscribe", ", ".join(targets)))
    if url.startswith("https://"):
        headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    return headers


def message_for(issue: RenderedIssue, audience: Audience, recipient: Recipient,
                now: dt.datetime | None = None) -> EmailMessage:
    """The message one recipient receives, built by the email package: what `digest send`'s
    `compose.Composer` is tested against part by part, and bench/send.py's baseline."""
    subject, html, text = issue.filled(values_for(audience, recipient))
    to = str(Address(display_name=header_text(recipient.name), addr_spec=recipient.email))
    return build_message(
        subject=subject, sender=issue.sender, recipients=[to], text=text, html=html,
        date=issue.date, audience=issue.audience, now=now,
        message_id=message_id(issue.date, issue.audience, recipient.email, issue.sender),
        headers=list_headers(audience, recipient.email, issue.sender),
    )


def outbox_copy(issue: RenderedIssue, audience: Audience, now: dt.datetime | None = None
                ) -> tuple[str, str, str, EmailMessage]:
    """(subject, html, text, message) of the outbox copy: to the audience's listed
    recipients, filled for nobody in particular."""
    subject, html, text = issue.filled(preview_values(audience))
    message = build_message(subject=subject, sender=audience.sender,
                            recipients=audience.recipients, text=text, html=html,
                            date=issue.date, audience=audience.name, now=now)
    return subject, html, text, message
