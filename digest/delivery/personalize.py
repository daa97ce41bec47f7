"""One message per recipient without rendering the issue once per recipient.

The templates are rendered (and the MJML compiled) once per audience and issue with
placeholders where the recipient's fields go: `recipient.email`, `recipient.name`, any CSV
column, `greeting` and `unsubscribe_url`. A placeholder is `~dg<token>~<field>~` with a random
token of that render, so that no article text can forge one; it is plain ASCII without any
character that HTML escaping or the MJML compiler would change (they rewrite non-ASCII in
attributes). Filling splits the rendered text at the placeholders once, then joins the
pieces with each recipient's values, HTML-escaped for the HTML part.

Because the fields are filled after the templates ran, a template prints them but cannot test
them (`{% if recipient.name %}` is always true); `greeting` is worked out per recipient for that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html as html_lib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from urllib.parse import quote

from digest.rendering.outbox import build_message, sender_domain
from digest.delivery.recipients import Recipient
from digest.rendering.templates import header_text
from digest.settings import Audience

_OPEN, _CLOSE = "~dg", "~"
PERSONAL_NAMES = ("greeting", "unsubscribe_url")


def new_token() -> str:
    return secrets.token_hex(8)


def placeholder(token: str, field: str) -> str:
    return f"{_OPEN}{token}~{field}{_CLOSE}"


class RecipientPlaceholders:
    """`recipient` in the template context: any attribute is that field's placeholder."""

    def __init__(self, token: str):
        self._token = token

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return placeholder(self._token, f"recipient.{name}")

    __getitem__ = __getattr__

    def __str__(self) -> str:
        return placeholder(self._token, "recipient.email")


def context_fields(token: str, audience: Audience) -> dict:
    """The per-recipient names of the template context, as placeholders.

    `unsubscribe_url` is empty for an audience without one, so `{% if unsubscribe_url %}` works.
    """
    has_link = bool(audience.unsubscribe_url or audience.unsubscribe_mailto)
    return {
        "recipient": RecipientPlaceholders(token),
        "greeting": placeholder(token, "greeting"),
        "unsubscribe_url": placeholder(token, "unsubscribe_url") if has_link else "",
    }


class Fillable:
    """A rendered text with placeholders, split once and filled many times."""

    def __init__(self, rendered: str, token: str, escape: bool):
        pattern = re.escape(f"{_OPEN}{token}~") + r"([A-Za-z0-9_.]+)" + re.escape(_CLOSE)
        self.parts = re.split(pattern, rendered)
        self.escape = escape
        self.fields = set(self.parts[1::2])

    def fill(self, values: Mapping[str, str]) -> str:
        parts = self.parts
        out = parts[:]
        escape = html_lib.escape if self.escape else str
        for i in range(1, len(parts), 2):
            out[i] = escape(values.get(parts[i], ""))
        return "".join(out)


def greeting(audience: Audience, name: str) -> str:
    if name:
        return audience.greeting.replace("{name}", name)
    # "Hello {name}," becomes "Hello," for someone whose name is not known
    return re.sub(r"\s*\{name\}", "", audience.greeting)


def unsubscribe_url(audience: Audience, email: str) -> str:
    """The configured URL for this recipient, or "" when there is none."""
    if not audience.unsubscribe_url:
        return ""
    return audience.unsubscribe_url.replace("{email}", quote(email, safe=""))


def unsubscribe_mailto(audience: Audience) -> str:
    if not audience.unsubscribe_mailto:
        return ""
    return f"mailto:{audience.unsubscribe_mailto}?subject=unsubscribe"


def unsubscribe_link(audience: Audience, email: str) -> str:
    """The visible link in the message: the URL, else the mailto."""
    return unsubscribe_url(audience, email) or unsubscribe_mailto(audience)


def values_for(audience: Audience, recipient: Recipient) -> dict[str, str]:
    values = {f"recipient.{k}": v for k, v in recipient.fields.items()}
    values["recipient.email"] = recipient.email
    values["recipient.name"] = recipient.name
    values["greeting"] = greeting(audience, recipient.name)
    values["unsubscribe_url"] = unsubscribe_link(audience, recipient.email)
    return values


def preview_values(audience: Audience) -> dict[str, str]:
    """The outbox copy: nobody in particular."""
    return {
        "recipient.email": "",
        "recipient.name": "",
        "greeting": greeting(audience, ""),
        "unsubscribe_url": audience.unsubscribe_url or unsubscribe_mailto(audience),
    }


def message_id(date: dt.date, audience: str, email: str, sender: str) -> str:
    """The same for every attempt at the same (issue, audience, recipient)."""
    key = hashlib.sha256(f"{date.isoformat()}\0{audience}\0{email.lower()}".encode()).hexdigest()
    return f"<{date:%Y%m%d}.{audience}.{key[:24]}@{sender_domain(sender)}>"


def list_headers(audience: Audience, email: str, sender: str) -> list[tuple[str, str]]:
    """List-Id, List-Unsubscribe and, for an https URL, RFC 8058 one-click unsubscribe."""
    title = header_text(audience.branding.name).replace('"', "'")
    headers = [("List-Id", f'"{title}" <{audience.name}.{sender_domain(sender)}>')]
    targets = []
    url = unsubscribe_url(audience, email)
    if url:
        targets.append(f"<{url}>")
    if audience.unsubscribe_mailto:
        targets.append(f"<{unsubscribe_mailto(audience)}>")
    if targets:
        headers.append(("List-Unsubscribe", ", ".join(targets)))
    if url.startswith("https://"):
        headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    return headers


@dataclass
class SendableIssue:
    """An audience's issue as stored for sending: placeholders still in."""

    date: dt.date
    audience: str
    subject: str
    sender: str
    html: str
    text: str
    token: str

    def __post_init__(self) -> None:
        self._subject = Fillable(self.subject, self.token, escape=False)
        self._html = Fillable(self.html, self.token, escape=True)
        self._text = Fillable(self.text, self.token, escape=False)

    @property
    def fields(self) -> set[str]:
        return self._subject.fields | self._html.fields | self._text.fields

    def filled(self, values: Mapping[str, str]) -> tuple[str, str, str]:
        """(subject, html, text) for one recipient."""
        return (header_text(self._subject.fill(values)), self._html.fill(values),
                self._text.fill(values))

    def message_for(self, audience: Audience, recipient: Recipient,
                    now: dt.datetime | None = None) -> EmailMessage:
        subject, html, text = self.filled(values_for(audience, recipient))
        to = str(Address(display_name=header_text(recipient.name), addr_spec=recipient.email))
        return build_message(
            subject=subject, sender=self.sender, recipients=[to], text=text, html=html,
            date=self.date, audience=self.audience, now=now,
            message_id=message_id(self.date, self.audience, recipient.email, self.sender),
            headers=list_headers(audience, recipient.email, self.sender),
        )
