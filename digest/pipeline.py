"""The day's work as one function: gather, clean, summarise, render, write the outbox."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from zoneinfo import ZoneInfo

from digest.errors import UsageError
from digest.language import detect_language
from digest.models import Article, Issue
from digest.outbox import build_message, write_issue
from digest.render import build_context, make_environment, render_issue, render_subject
from digest.settings import Settings
from digest.sources import gather
from digest.summarize import check_algorithm, summarize

log = logging.getLogger("digest")


def today(settings: Settings) -> dt.date:
    if settings.timezone:
        return dt.datetime.now(ZoneInfo(settings.timezone)).date()
    return dt.datetime.now().astimezone().date()


def select_audiences(settings: Settings, names: list[str] | tuple[str, ...] | None):
    if not names:
        return list(settings.audiences.values())
    chosen = []
    for name in names:
        if name not in settings.audiences:
            raise UsageError(
                f"unknown audience '{name}' (configured: {', '.join(settings.audiences)})"
            )
        if settings.audiences[name] not in chosen:
            chosen.append(settings.audiences[name])
    return chosen


def in_window(articles: list[Article], date: dt.date, window: str) -> list[Article]:
    if window == "all":
        return list(articles)
    # an article without a date is news the day it is seen
    return [a for a in articles if (a.published or date) == date]


def order(articles: list[Article]) -> list[Article]:
    """Newest first, then by title: the same input gives the same issue."""
    return sorted(articles, key=lambda a: (-(a.published or dt.date.min).toordinal(),
                                           a.title.casefold(), a.id))


def run(
    settings: Settings,
    date: dt.date | None = None,
    audiences: list[str] | tuple[str, ...] | None = None,
    algorithm: str | None = None,
    now: dt.datetime | None = None,
) -> list[Issue]:
    """Build and write each chosen audience's issue for `date` (default: today).

    Without `date` the configured window applies (the built-in default takes in every
    sample); with a date, the articles published that day.
    """
    chosen = select_audiences(settings, audiences)
    if algorithm is not None:
        check_algorithm(algorithm)
    issue_date = date or today(settings)
    window = "day" if date is not None else settings.window
    articles = order(in_window(gather(settings.sources), issue_date, window))
    if not articles:
        log.warning("no articles for %s: the issues are empty", issue_date.isoformat())
    env = make_environment([settings.templates] if settings.templates else [])
    summaries: dict[tuple, list[str]] = {}
    issues = []
    for audience in chosen:
        algo = algorithm or audience.summary_algorithm
        selected = articles[: audience.max_articles] if audience.max_articles else articles
        with_summary = []
        for article in selected:
            key = (article.id, algo, audience.summary_sentences)
            if key not in summaries:
                summaries[key] = summarize(article.text, algo, audience.summary_sentences,
                                           detect_language(article.text, article.language),
                                           article.title)
            with_summary.append(replace(article, summary=summaries[key]))
        context = build_context(issue_date, audience, with_summary)
        subject = render_subject(env, audience.subject, context)
        context["subject"] = subject
        html, text = render_issue(env, context)
        message = build_message(subject=subject, sender=audience.sender,
                                recipients=audience.recipients, text=text, html=html,
                                date=issue_date, audience=audience.name, now=now)
        files = write_issue(settings.outbox, issue_date, audience.name, html, text, message)
        issues.append(Issue(date=issue_date, audience=audience.name, subject=subject, html=html,
                            text=text, articles=with_summary, files=files))
    return issues
