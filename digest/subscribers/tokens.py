"""Signed tokens: `<audience>.<purpose>.<reference>.<mac>`, no address anywhere in them.

The reference is an HMAC of the address (the same one in every link to that address, so a
table in the state database can map it back); the mac covers purpose, audience and
reference. A token that does not verify is simply not a token: the caller shows one "not
valid" page whatever was wrong with it, so nothing can be learnt from trying.
"""

from __future__ import annotations

import base64
import hmac
import re
from dataclasses import dataclass

from digest.state import State

UNSUBSCRIBE = "u"
CONFIRM = "c"
BOUNCE = "b"  # in a VERP return path
PURPOSES = (UNSUBSCRIBE, CONFIRM, BOUNCE)
MAX_TOKEN = 200  # longer than any token we make: refused before any work
_SHAPE = re.compile(r"([A-Za-z0-9][A-Za-z0-9_-]{0,63})\.([a-z])\.([A-Za-z0-9_-]{16})"
                    r"\.([A-Za-z0-9_-]{22})")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def reference(secret: bytes, email: str) -> str:
    """The opaque reference of an address: 16 URL-safe characters."""
    return _b64(hmac.digest(secret, b"ref\0" + email.lower().encode(), "sha256")[:12])


def _mac(secret: bytes, purpose: str, audience: str, ref: str) -> str:
    message = f"{purpose}\0{audience}\0{ref}".encode()
    return _b64(hmac.digest(secret, message, "sha256")[:16])


def make_token(secret: bytes, purpose: str, audience: str, email: str) -> str:
    ref = reference(secret, email)
    return f"{audience}.{purpose}.{ref}.{_mac(secret, purpose, audience, ref)}"


@dataclass(frozen=True)
class Token:
    audience: str
    purpose: str
    ref: str


def verify(secret: bytes, token: str, purpose: str) -> Token | None:
    """The token's parts if it is ours and for this purpose, else None."""
    if len(token) > MAX_TOKEN:
        return None
    match = _SHAPE.fullmatch(token)
    if not match or match.group(2) != purpose:
        return None
    audience, _, ref, mac = match.groups()
    if not hmac.compare_digest(mac, _mac(secret, purpose, audience, ref)):
        return None
    return Token(audience, purpose, ref)


def find_tokens(secret: bytes, text: str, purpose: str) -> list[Token]:
    """Every valid token of this purpose in a text (a subject, headers, a body)."""
    found = []
    for match in _SHAPE.finditer(text[:200_000]):
        whole = match.group(0)
        # "%20daily.u..." (a subject left URL-encoded) first matches as audience "20daily":
        # try the later starts of the audience part too
        for start in range(len(match.group(1))):
            token = verify(secret, whole[start:], purpose)
            if token:
                if token not in found:
                    found.append(token)
                break
    return found


def remember(state: State, secret: bytes, emails) -> None:
    """Keep reference -> address for these addresses, so that their tokens can be read back."""
    rows = [(reference(secret, e), e.lower()) for e in emails]
    with state.lock, state.transaction() as db:
        db.executemany("INSERT OR IGNORE INTO subscriber_refs (ref, email) VALUES (?, ?)", rows)


def address_of(state: State, token: Token) -> str | None:
    row = state.db.execute("SELECT email FROM subscriber_refs WHERE ref = ?",
                           (token.ref,)).fetchone()
    return row[0] if row else None
