"""Who the message says it is from and how to leave: List-Unsubscribe with one-click, the
DKIM signature (verified offline against the key pair's public half) aligned with From, and
the bulk-sender rules of Gmail and Yahoo (2024) that follow from them."""

from __future__ import annotations

import re
from email.utils import parseaddr

from digest.check.parts import Parts
from digest.check.result import Result, failed, passed, warning
from digest.delivery import dkim
from digest.delivery.dkim import Signer

_TARGET = re.compile(r"<([^>]*)>")


def unsubscribe_targets(parts: Parts) -> list[str]:
    return _TARGET.findall(str(parts.message.get("List-Unsubscribe", "")))


def one_click(parts: Parts) -> bool:
    """RFC 8058: an https target and List-Unsubscribe-Post: List-Unsubscribe=One-Click."""
    post = str(parts.message.get("List-Unsubscribe-Post", "")).replace(" ", "")
    return post == "List-Unsubscribe=One-Click" and \
        any(t.startswith("https://") for t in unsubscribe_targets(parts))


def list_unsubscribe(parts: Parts) -> Result:
    targets = unsubscribe_targets(parts)
    if not targets:
        return failed("list-unsubscribe", "no List-Unsubscribe header: set the audience's "
                      "unsubscribe_url (https) or unsubscribe_mailto")
    if not one_click(parts):
        return warning("list-unsubscribe", "List-Unsubscribe without one-click (RFC 8058 "
                       "needs an https unsubscribe_url)", targets=targets)
    return passed("list-unsubscribe", "List-Unsubscribe with one-click (RFC 8058)",
                  targets=targets)


def visible_unsubscribe(parts: Parts) -> bool:
    """A link in the HTML to one of the List-Unsubscribe targets (or saying unsubscribe),
    and the same address in the text part."""
    targets = set(unsubscribe_targets(parts))
    html_ok = any(link.href in targets or "unsubscribe" in link.text.lower()
                  for link in parts.links)
    text_ok = bool(parts.text) and (any(t in parts.text for t in targets) if targets
                                    else "unsubscribe" in parts.text.lower())
    return html_ok and text_ok


def from_domain(parts: Parts) -> str:
    return parseaddr(str(parts.message.get("From", "")))[1].rpartition("@")[2].lower()


def aligned(domain: str, signing: str) -> bool:
    """DMARC's relaxed alignment, approximated: the same domain or one inside the other
    (mail.example.org and example.org)."""
    return bool(domain) and (domain == signing or domain.endswith("." + signing)
                             or signing.endswith("." + domain))


def dkim_alignment(parts: Parts, signer: Signer | None) -> Result:
    if signer is None:
        return warning("dkim-aligned", "not signed: no [dkim] table (see "
                       "docs/deliverability.md)")
    sender = from_domain(parts)
    if not aligned(sender, signer.domain):
        return failed("dkim-aligned", f"From is @{sender} but [dkim] signs as {signer.domain}: "
                      "DMARC needs them aligned", from_domain=sender, dkim_domain=signer.domain)
    return passed("dkim-aligned", f"From @{sender} aligned with the DKIM domain "
                  f"{signer.domain}")


def dkim_verifies(parts: Parts, signer: Signer | None) -> Result:
    if signer is None:
        return warning("dkim-verifies", "not signed")
    records = {signer.record_name(): signer.public_record()}
    if not dkim.verify(parts.data, records):
        return failed("dkim-verifies", "the DKIM signature does not verify against the key's "
                      "public half")
    covered = set(dkim.signed_headers(parts.data))
    wanted = {"from", "list-unsubscribe", "list-unsubscribe-post"}
    if not wanted <= covered:
        return failed("dkim-verifies", "the signature does not cover "
                      f"{', '.join(sorted(wanted - covered))}")
    return passed("dkim-verifies", f"signature verifies ({signer.record_name()}), covering "
                  "From, List-Unsubscribe and List-Unsubscribe-Post",
                  record=signer.record_name())


def bulk_sender(parts: Parts, signer: Signer | None) -> Result:
    """Gmail's and Yahoo's rules for bulk senders that this message can show: one-click
    unsubscribe, authentication (DKIM aligned with From; SPF and DMARC live in DNS, which
    this offline check does not read), a visible unsubscribe link."""
    missing_hard, missing_soft = [], []
    if not visible_unsubscribe(parts):
        missing_hard.append("a visible unsubscribe link in both parts")
    if not unsubscribe_targets(parts):
        missing_hard.append("List-Unsubscribe")
    elif not one_click(parts):
        missing_soft.append("one-click unsubscribe")
    if signer is None:
        missing_soft.append("DKIM authentication")
    elif not aligned(from_domain(parts), signer.domain):
        missing_hard.append("DKIM aligned with From")
    note = "SPF and DMARC are DNS records: check them with your provider"
    if missing_hard:
        return failed("bulk-sender", f"missing {', '.join(missing_hard + missing_soft)}; "
                      f"{note}", missing=missing_hard + missing_soft)
    if missing_soft:
        return warning("bulk-sender", f"missing {', '.join(missing_soft)}; {note}",
                       missing=missing_soft)
    return passed("bulk-sender", f"one-click unsubscribe, DKIM, visible unsubscribe link; "
                  f"{note}")


CHECKS = (list_unsubscribe, dkim_alignment, dkim_verifies, bulk_sender)
