"""Recipient slots: where each recipient's own fields go in an issue rendered once.

The templates are rendered (and the MJML compiled) once per audience and issue with a slot
wherever a recipient's field goes: `recipient.email`, `recipient.name`, any CSV column,
`greeting` and `unsubscribe_url`. A slot is `~dg<token>~<field>~` with a random token of that
render, so that no article text can forge one; it is plain ASCII without any character that
HTML escaping or the MJML compiler would change (they rewrite non-ASCII in attributes).
Filling splits the rendered text at the slots once, then joins the pieces with each
recipient's values, HTML-escaped for the HTML part.

Because the fields are filled after the templates ran, a template prints them but cannot test
them (`{% if recipient.name %}` is always true); `greeting` is worked out per recipient for that.
"""

from __future__ import annotations

import html as html_lib
import re
import secrets
from collections.abc import Mapping

_OPEN, _CLOSE = "~dg", "~"
# the slots that are not recipient columns; delivery fills them per recipient
PERSONAL_NAMES = ("greeting", "unsubscribe_url")


def new_token() -> str:
    return secrets.token_hex(8)


def placeholder(token: str, field: str) -> str:
    return f"{_OPEN}{token}~{field}{_CLOSE}"


class RecipientPlaceholders:
    """`recipient` in the template context: any attribute is that field's slot."""

    def __init__(self, token: str):
        self._token = token

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return placeholder(self._token, f"recipient.{name}")

    __getitem__ = __getattr__

    def __str__(self) -> str:
        return placeholder(self._token, "recipient.email")


def context_fields(token: str, audience) -> dict:
    """The per-recipient names of the template context, as slots.

    `unsubscribe_url` is empty for an audience without one, so `{% if unsubscribe_url %}` works.
    """
    has_link = bool(audience.link_base or audience.unsubscribe_url or audience.unsubscribe_mailto)
    return {
        "recipient": RecipientPlaceholders(token),
        "greeting": placeholder(token, "greeting"),
        "unsubscribe_url": placeholder(token, "unsubscribe_url") if has_link else "",
    }


class Fillable:
    """A rendered text with slots, split once and filled many times."""

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
