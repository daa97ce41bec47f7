"""`digest bounces` (and the start of each `digest send`): read the mailbox, act on each report.

Each new message is classified (`reports.py`) and acted on: a hard bounce or a complaint
suppresses the address for every audience, a soft bounce counts towards `[mailbox]
soft_bounce_limit` within `soft_bounce_days`, a mailed unsubscribe suppresses it for the
token's audience. A message acted on is marked in the mailbox; every message read is
remembered by its key and by its own Message-ID, so none is counted twice. A message that
cannot be read gets a warning naming it and the others go on.
"""

from __future__ import annotations

import email
import logging
from collections import Counter
from email import policy

from digest.settings import Settings
from digest.state import State
from digest.subscribers import reports, suppression
from digest.subscribers.mailboxes import open_mailbox
from digest.subscribers.secret import link_secret
from digest.subscribers.suppression import now_text

log = logging.getLogger("digest")


def read_bounces(settings: Settings, state: State) -> Counter:
    """Read the configured mailbox once; the count of each kind of message found."""
    box_settings = settings.mailbox
    if box_settings is None:
        return Counter()
    secret = link_secret(state)
    counts: Counter = Counter()
    box = open_mailbox(box_settings)
    try:
        for item in box.items():
            own_id = _own_id(item.raw)
            if _seen(state, item.key, own_id):
                continue
            try:
                finding = reports.classify(item.raw, state, secret)
            except Exception as exc:  # a broken message must not stop the others
                log.warning("%s: cannot read it as a report (%s); skipped", item.name, exc)
                counts["unreadable"] += 1
                _remember(state, item.key, own_id, "unreadable")
                continue
            _act(state, settings, finding)
            counts[finding.kind] += 1
            if finding.kind != reports.NONE:
                box.mark(item)
            _remember(state, item.key, own_id, finding.kind)
    finally:
        box.close()
    if counts:
        log.info("mailbox: %s", ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())))
    return counts


def _act(state: State, settings: Settings, finding: reports.Finding) -> None:
    box = settings.mailbox
    for address in finding.emails:
        if finding.kind == reports.HARD:
            suppression.suppress(state, address, suppression.BOUNCED, detail=finding.detail)
        elif finding.kind == reports.COMPLAINT:
            suppression.suppress(state, address, suppression.COMPLAINED, detail=finding.detail)
        elif finding.kind == reports.SOFT:
            suppression.soft_bounce(state, address, finding.detail, box.soft_bounce_limit,
                                    box.soft_bounce_days)
        elif finding.kind == reports.UNSUBSCRIBE and finding.audience in settings.audiences:
            suppression.suppress(state, address, suppression.UNSUBSCRIBED,
                                 audience=finding.audience, detail=finding.detail)


def _own_id(raw: bytes) -> str:
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    value = email.message_from_bytes(head, policy=policy.compat32).get("Message-ID", "")
    return " ".join(str(value).split())[:300]


def _seen(state: State, key: str, own_id: str) -> bool:
    keys = (key, f"id:{own_id}") if own_id else (key, key)
    row = state.db.execute("SELECT 1 FROM mailbox_seen WHERE key IN (?, ?)", keys).fetchone()
    return row is not None


def _remember(state: State, key: str, own_id: str, outcome: str) -> None:
    rows = [(key, outcome, now_text())]
    if own_id:
        rows.append((f"id:{own_id}", outcome, now_text()))
    with state.lock, state.transaction() as db:
        db.executemany("INSERT OR IGNORE INTO mailbox_seen (key, outcome, at) VALUES (?, ?, ?)",
                       rows)
