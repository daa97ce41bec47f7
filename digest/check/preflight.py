"""The preflight: an audience's issue built as it would be sent to a sample recipient (its
first listed one), signed when `[dkim]` is set, and every check run on those bytes.

`check` is `digest check`; `refuse_failing` is what `digest send` runs first (every check but
SpamAssassin's score, which takes seconds an audience: `digest check` gives it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from digest.check import authentication, structure
from digest.check.links import answering
from digest.check.parts import take_apart
from digest.check.result import AudienceCheck, Result, failed, passed, warning
from digest.check.spam import spam_score
from digest.delivery import ledger
from digest.delivery.compose import Composer
from digest.delivery.dkim import Signer
from digest.delivery.recipients import Recipient, iter_recipients
from digest.delivery.sending import NotRendered, state_path
from digest.errors import DigestError
from digest.rendering.issue import RenderedIssue
from digest.settings import Audience, Settings, select_audiences, today
from digest.state import State

SAMPLE_ADDRESS = "sample.reader@example.org"


class CheckFailed(DigestError):
    """An issue failed its preflight: `digest send` does not send it."""


def sample_recipient(audience: Audience) -> Recipient:
    """The audience's first recipient; a made-up reader when it lists none yet. Only the
    list's first row is read: the list may hold a million (reading it all here was the one
    part of `digest send` whose memory grew with the list: +60 MB at 100,000)."""
    people = iter_recipients(audience, warn=False)
    try:
        first = next(people, None)
    except DigestError:
        first = None
    finally:
        people.close()
    return first or Recipient(SAMPLE_ADDRESS, "", {"email": SAMPLE_ADDRESS, "name": ""})


def load_signer(settings: Settings) -> tuple[Signer | None, Result | None]:
    """The signer, and a result line when [dkim] is set (its key file read or not)."""
    if settings.dkim is None:
        return None, None
    try:
        signer = Signer.from_settings(settings)
    except DigestError as exc:
        return None, failed("dkim-key", str(exc))
    path = settings.dkim.key_file
    if path.stat().st_mode & 0o077:
        return signer, warning("dkim-key", f"key file {path} is readable by others: chmod 600 "
                                           "it")
    return signer, passed("dkim-key", f"key file {path} read, readable by its owner only")


def check_message(data: bytes, signer: Signer | None, settings: Settings, spam: bool = True,
                  links: bool = False, recipient: str = "") -> list[Result]:
    """Every check of one message's bytes (sent to `recipient`)."""
    parts = take_apart(data)
    results = [check(parts) for check in structure.CHECKS]
    results.append(structure.address_in_links(parts, recipient))
    results.append(authentication.list_unsubscribe(parts))
    results += [check(parts, signer) for check in (authentication.dkim_alignment,
                                                   authentication.dkim_verifies,
                                                   authentication.bulk_sender)]
    if links:
        results.append(answering(parts, settings))
    if spam and settings.check.spamassassin:
        results.append(spam_score(data, settings.check.spam_threshold))
    return results


def check_issue(settings: Settings, issue: RenderedIssue, audience: Audience,
                spam: bool = True, links: bool = False,
                now: dt.datetime | None = None) -> AudienceCheck:
    recipient = sample_recipient(audience)
    report = AudienceCheck(audience.name, issue.date.isoformat(), recipient.email)
    signer, key_result = load_signer(settings)
    if key_result is not None:
        report.results.append(key_result)
    # the bytes exactly as `digest send` makes them (signed where it signs)
    data = Composer(issue, audience, now=now, sign=signer.sign if signer else None
                    ).message(recipient)
    report.results += check_message(data, signer, settings, spam=spam, links=links,
                                    recipient=recipient.email)
    return report


def check(settings: Settings, date: dt.date | None = None,
          audiences: list[str] | tuple[str, ...] | None = None, links: bool = False,
          spam: bool = True) -> list[AudienceCheck]:
    """`digest check`: each chosen audience's stored issue for `date` (default: today)."""
    chosen = select_audiences(settings, audiences)
    issue_date = date or today(settings)
    with State(state_path(settings)) as state:
        issues = {a.name: ledger.load_issue(state, issue_date, a.name) for a in chosen}
    reports = []
    for audience in chosen:
        issue = issues[audience.name]
        if issue is None:
            raise NotRendered(f"no rendered issue for audience '{audience.name}' on "
                              f"{issue_date}: run `digest run --date {issue_date}` first")
        reports.append(check_issue(settings, issue, audience, spam=spam, links=links))
    return reports


def refuse_failing(settings: Settings) -> Callable[[RenderedIssue, Audience], None]:
    """The preflight `digest send` gives `delivery.send`: raises CheckFailed for an issue
    with a failing check."""

    def preflight(issue: RenderedIssue, audience: Audience) -> None:
        report = check_issue(settings, issue, audience, spam=False)
        if report.ok:
            return
        why = "; ".join(f"{r.name}: {r.detail}" for r in report.failures)
        raise CheckFailed(f"audience '{audience.name}' on {issue.date}: the issue fails "
                          f"`digest check` ({why}); not sending (--force sends anyway)")

    return preflight
