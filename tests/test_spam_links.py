"""SpamAssassin (Debian's, local tests only: no network) scores the old `?email=` unsubscribe
link as GB_CUSTOM_HTM_URI; the signed link carries no address and does not hit it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest

from digest.delivery.personalize import message_for
from digest.delivery.recipients import Recipient
from digest.rendering.issue import RenderedIssue
from digest.rendering.slots import context_fields
from digest.settings import Audience, Branding
from digest.subscribers.links import prepare_audience

READER = "reader@example.net"


def spam_tests(raw: bytes) -> set[str]:
    binary = shutil.which("spamassassin")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("spamassassin is needed (.ci/run installs it)")
        pytest.skip("spamassassin is not installed")
    result = subprocess.run([binary, "-L", "-t"], input=raw, capture_output=True, timeout=120)
    report = result.stdout.decode("utf-8", "replace")
    status = report.split("X-Spam-Status:", 1)[1].split("\n\n", 1)[0]
    tests = status.split("tests=", 1)[1].split("autolearn", 1)[0]
    return {t.strip() for t in tests.replace("\n", " ").split(",") if t.strip()}


def message(audience: Audience) -> bytes:
    fields = context_fields("t0k", audience)
    html = (f'<html><body><p>{fields["greeting"]}</p><p>Today: the council approved a new '
            f'bridge.</p><a href="{fields["unsubscribe_url"]}">Unsubscribe</a></body></html>')
    text = f'{fields["greeting"]}\nToday: the council approved a new bridge.\n' \
           f'Unsubscribe: {fields["unsubscribe_url"]}\n'
    issue = RenderedIssue(date=dt.date(2024, 5, 1), audience="daily", subject="News",
                          sender="Digest <digest@example.org>", html=html, text=text,
                          token="t0k")
    person = Recipient(READER, "Reader", {"email": READER, "name": "Reader"})
    return message_for(issue, audience, person).as_bytes()


def test_the_signed_link_does_not_hit_gb_custom_htm_uri():
    base = dict(name="daily", branding=Branding(name="Daily news"),
                sender="Digest <digest@example.org>")
    old = Audience(**base, unsubscribe_url="https://news.example.org/unsubscribe?email={email}")
    signed = prepare_audience(Audience(**base, link_base="https://news.example.org/digest"),
                              b"k" * 32)
    assert "GB_CUSTOM_HTM_URI" in spam_tests(message(old))
    hits = spam_tests(message(signed))
    assert "GB_CUSTOM_HTM_URI" not in hits
