"""What one message in the bounce mailbox is: a bounce, a complaint, an unsubscribe, or none.

- **A bounce**: a delivery status notification (RFC 3464) or one of the common non-standard
  formats, read by flufl.bounce (GNU Mailman's detectors): permanent failures are hard
  bounces, delays (4.x.x) soft ones. Heuristic formats are only tried on a message that comes
  from a mail system (an empty return path, MAILER-DAEMON, postmaster, a multipart/report).
- **A complaint**: an ARF feedback report (RFC 5965).
- **A mailed unsubscribe**: a message whose Subject carries a valid unsubscribe token (the
  List-Unsubscribe mailto puts it there). Its From is never trusted: anyone can forge it.

A report is matched to our recipient by what our own message carried: its signed token
(in List-Unsubscribe) or its Message-ID (in the delivery ledger), found in the returned
message or headers; only when the report names no such thing, by a failed address that we
actually mail. Anything else (an out-of-office reply, a person writing back) is "none" and
suppresses nobody.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.utils import parseaddr

import flufl.bounce

from digest.state import State
from digest.subscribers import tokens

HARD, SOFT, COMPLAINT, UNSUBSCRIBE, NONE = "hard", "soft", "complaint", "unsubscribe", "none"
_MAIL_SYSTEM = re.compile(r"(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.I)
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}@[^<>\s]{1,250}>")


@dataclass
class Finding:
    kind: str
    emails: list[str] = field(default_factory=list)
    audience: str | None = None  # for an unsubscribe: the token's audience
    detail: str = ""


def parse(raw: bytes) -> Message:
    # compat32: the Message class flufl.bounce's detectors are written for
    return email.message_from_bytes(raw, policy=policy.compat32)


def classify(raw: bytes, state: State, secret: bytes) -> Finding:
    msg = parse(raw)
    if not msg.keys() or msg.defects and not msg.get("From"):
        raise ValueError("not a mail message (no headers)")
    content_type = msg.get_content_type()
    report_type = (msg.get_param("report-type") or "").lower() \
        if content_type == "multipart/report" else ""
    if report_type == "feedback-report":
        return _complaint(msg, state, secret)
    if report_type != "delivery-status" and not _from_mail_system(msg):
        return _unsubscribe(msg, state, secret)
    return _bounce(msg, state, secret)


def _from_mail_system(msg: Message) -> bool:
    return (msg.get("Return-Path", "").strip() == "<>"
            or bool(_MAIL_SYSTEM.search(parseaddr(str(msg.get("From", "")))[1] + "@")))


def _unsubscribe(msg: Message, state: State, secret: bytes) -> Finding:
    subject = str(msg.get("Subject", ""))
    if "unsubscribe" not in subject.lower():
        return Finding(NONE)
    for token in tokens.find_tokens(secret, subject, tokens.UNSUBSCRIBE):
        address = tokens.address_of(state, token)
        if address:
            return Finding(UNSUBSCRIBE, [address], token.audience, "mailed unsubscribe")
    return Finding(NONE, detail="an unsubscribe request without a valid token")


def _complaint(msg: Message, state: State, secret: bytes) -> Finding:
    kind = ""
    named: list[str] = []
    for part in msg.walk():
        if part.get_content_type() == "message/feedback-report":
            fields = _report_fields(part)
            kind = fields.get("feedback-type", "abuse")
            named = [parseaddr(v)[1] for k, v in fields.items() if k == "original-rcpt-to"]
    ours = _our_recipient(msg, state, secret)
    emails = [ours] if ours else _known(state, named)
    if not emails:
        return Finding(NONE, detail="a complaint about no message of ours")
    return Finding(COMPLAINT, emails, detail=f"ARF complaint ({kind or 'abuse'})")


def _report_fields(part: Message) -> dict[str, str]:
    """The fields of a message/feedback-report part (a header block, however parsed)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        text = "".join(str(p) for p in payload)
    else:
        text = payload if isinstance(payload, str) else ""
    fields = {}
    for line in text.splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip():
            fields.setdefault(name.strip().lower(), value.strip())
    return fields


def _bounce(msg: Message, state: State, secret: bytes) -> Finding:
    try:
        temporary, permanent = flufl.bounce.all_failures(msg)
    except Exception as exc:  # a detector that trips on odd input: treat as unreadable
        raise ValueError(f"bounce parser failed: {type(exc).__name__}: {exc}") from None
    kind = HARD if permanent else SOFT if temporary else NONE
    if kind == NONE:
        return Finding(NONE, detail="a mail-system message that names no failed recipient")
    failed = [a.decode("ascii", "replace") for a in (permanent or temporary)]
    ours = _our_recipient(msg, state, secret)
    emails = [ours] if ours else _known(state, failed)
    if not emails:
        return Finding(NONE, detail="a bounce for no recipient of ours")
    status = _status(msg)
    return Finding(kind, emails, detail=f"{'hard' if kind == HARD else 'soft'} bounce"
                   f"{' ' + status if status else ''}")


def _status(msg: Message) -> str:
    for part in msg.walk():
        if part.get_content_type() == "message/delivery-status" and part.is_multipart():
            for block in part.get_payload():
                if block.get("Status"):
                    code = str(block.get("Status")).split()[0][:12]
                    diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())[:200]
                    return f"{code} {diagnostic}".strip()
    return ""


def _returned(msg: Message) -> str:
    """The headers (or the whole) of the message that came back, as text."""
    out = []
    for part in msg.walk():
        if part is msg:
            continue
        ctype = part.get_content_type()
        if ctype == "message/rfc822" and part.is_multipart():
            inner = part.get_payload(0)
            out.extend(f"{k}: {v}" for k, v in inner.items())
        elif ctype in ("text/rfc822-headers", "text/plain"):
            payload = part.get_payload(decode=True) or b""
            out.append(payload[:200_000].decode("utf-8", "replace"))
    return "\n".join(out)


def _our_recipient(msg: Message, state: State, secret: bytes) -> str | None:
    """Our recipient of the returned message: by the VERP address the report was sent to,
    else the signed token in what came back, else its Message-ID."""
    envelope = " ".join(str(v) for k in ("To", "Delivered-To", "X-Original-To", "Envelope-To")
                        for v in msg.get_all(k, []))
    for token in tokens.find_tokens(secret, envelope, tokens.BOUNCE):
        address = tokens.address_of(state, token)
        if address:
            return address
    text = _returned(msg)
    for token in tokens.find_tokens(secret, text, tokens.UNSUBSCRIBE):
        address = tokens.address_of(state, token)
        if address:
            return address
    for line in text.splitlines():
        if line.lower().startswith("message-id:"):
            for mid in _MESSAGE_ID.findall(line):
                row = state.db.execute("SELECT email FROM deliveries WHERE message_id = ?"
                                       " LIMIT 1", (mid,)).fetchone()
                if row:
                    return row[0]
    return None


def _known(state: State, addresses: list[str]) -> list[str]:
    """The addresses that we mail (sent to before, or with a link reference)."""
    out = []
    for address in {a.lower() for a in addresses if a}:
        row = state.db.execute(
            "SELECT 1 FROM deliveries WHERE email = ? UNION SELECT 1 FROM subscriber_refs"
            " WHERE email = ? LIMIT 1", (address, address)).fetchone()
        if row:
            out.append(address)
    return sorted(out)
