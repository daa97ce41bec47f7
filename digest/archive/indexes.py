"""The archive's Jinja templates (autoescaped, in `templates/` beside this module) and the
two kinds of index: an audience's issues newest first, and the site's audiences."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from digest.archive import urls
from digest.archive.store import StoredIssue
from digest.rendering.context import long_date
from digest.settings.schema import Archive, Audience


@cache
def environment() -> jinja2.Environment:
    # autoescape everywhere: titles, sources and summaries are untrusted article text
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def template(name: str) -> jinja2.Template:
    return environment().get_template(name)


def subscribe_link(archive: Archive, audience: str) -> str:
    return archive.subscribe_url.replace("{audience}", audience)


def audience_index(archive: Archive, audience: Audience, issues: list[StoredIssue],
                   lang: str, direction: str) -> str:
    rows = []
    for issue in issues:
        headlines = issue.articles[:archive.headlines]
        rows.append({"date": issue.date.isoformat(), "page": urls.page_name(issue.date),
                     "date_long": long_date(issue.date, audience.locale),
                     "subject": issue.subject, "headlines": headlines,
                     "more": len(issue.articles) - len(headlines)})
    brand = audience.branding
    return template("audience.html").render(
        lang=lang, dir=direction, issues=rows,
        brand={"name": brand.name, "color": brand.color,
               "background_color": brand.background_color},
        own_url=urls.public_url(archive, audience.name, urls.INDEX),
        subscribe_url=subscribe_link(archive, audience.name))


def site_index(listed: list[tuple[Audience, int, str]]) -> str:
    """`listed`: (audience, how many issues, the latest date) of each archived audience."""
    audiences = [{"name": audience.name, "brand": audience.branding.name, "count": count,
                  "latest": latest or ""}
                 for audience, count, latest in listed]
    return template("site.html").render(audiences=audiences)
