"""The personal links in each message: signed, with no address in them.

With `[service] base_url`, a recipient's unsubscribe link is `<base_url>/unsubscribe/<token>`
(`digest serve` answers it). An audience's own `unsubscribe_url` may carry `{token}` instead
(for a server of the user's own); `{email}` still works there but puts the address in every
proxy's log, so `digest send` warns about it. The List-Unsubscribe mailto carries the token in
its subject, which is how a mailed unsubscribe is matched (never by its From).
"""

from __future__ import annotations

import dataclasses
from urllib.parse import quote

from digest.settings import Audience
from digest.subscribers.tokens import BOUNCE, CONFIRM, UNSUBSCRIBE, make_token

UNSUBSCRIBE_PATH = "/unsubscribe/"
RESUBSCRIBE_PATH = "/resubscribe/"
CONFIRM_PATH = "/confirm/"
SUBSCRIBE_PATH = "/subscribe/"


def prepare_audience(audience: Audience, secret: bytes, return_path: str | None = None
                     ) -> Audience:
    """The audience with the key that signs its links (kept out of the settings file)."""
    return dataclasses.replace(audience, link_secret=secret,
                               return_path=return_path or audience.return_path)


def envelope_sender(audience: Audience, email: str, default: str) -> str:
    """The VERP envelope sender `local+<token>@domain` with [mailbox] return_path, else
    `default`: a bounce sent back to it names its recipient, however vague the DSN."""
    if not audience.return_path or not audience.link_secret:
        return default
    local, _, domain = audience.return_path.partition("@")
    token = make_token(audience.link_secret, BOUNCE, audience.name, email)
    return f"{local}+{token}@{domain}"


def unsubscribe_token(audience: Audience, email: str) -> str:
    if not audience.link_secret or not email:
        return ""
    return make_token(audience.link_secret, UNSUBSCRIBE, audience.name, email)


def unsubscribe_url(audience: Audience, email: str) -> str:
    """This recipient's unsubscribe URL, or "" when there is none."""
    token = unsubscribe_token(audience, email)
    if audience.link_base and token:
        return f"{audience.link_base}{UNSUBSCRIBE_PATH}{token}"
    url = audience.unsubscribe_url
    if not url:
        return ""
    if "{token}" in url:
        return url.replace("{token}", token) if token else ""
    return url.replace("{email}", quote(email, safe=""))


def unsubscribe_mailto(audience: Audience, email: str = "") -> str:
    if not audience.unsubscribe_mailto:
        return ""
    token = unsubscribe_token(audience, email)
    subject = f"unsubscribe%20{token}" if token else "unsubscribe"
    return f"mailto:{audience.unsubscribe_mailto}?subject={subject}"


def preview_url(audience: Audience) -> str:
    """The outbox copy's link, for nobody in particular."""
    if audience.link_base:
        return f"{audience.link_base}{UNSUBSCRIBE_PATH}"
    if audience.unsubscribe_url and "{token}" not in audience.unsubscribe_url:
        return audience.unsubscribe_url
    return unsubscribe_mailto(audience)


def confirm_url(audience: Audience, base: str, email: str) -> str:
    return f"{base}{CONFIRM_PATH}{make_token(audience.link_secret, CONFIRM, audience.name, email)}"


def has_link(audience: Audience) -> bool:
    return bool(audience.link_base or audience.unsubscribe_url or audience.unsubscribe_mailto)
