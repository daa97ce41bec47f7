"""The feed of the digest itself: `<audience>/feed.xml`, Atom 1.0, written by feedgen.

One entry per issue, newest first, the last `feed_entries` of them, each with the issue's
headlines and summaries as its content (HTML, escaped once by Jinja and carried as text by
feedgen, never as markup of the feed). The whole feed stays under `feed_max_bytes` (some
readers refuse feeds over 500 kB): each entry gets an equal share, filled story by story,
and the rest of an issue is one "and N more stories" link to its page.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import jinja2

from digest.archive import urls
from digest.archive.store import StoredIssue
from digest.settings.schema import Archive, Audience

log = logging.getLogger("digest")

# what XML 1.0 cannot carry at all (lxml refuses it): control characters, lone surrogates
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def build_feed(archive: Archive, audience: Audience, issues: list[StoredIssue],
               entry: jinja2.Template, lang: str) -> bytes:
    """The Atom document of the audience's newest issues (`issues` newest first)."""
    chosen = issues[:archive.feed_entries]
    # an equal share of the cap for each entry, with room for the feed's own elements
    share = max(2_000, (archive.feed_max_bytes - 4_000) // max(1, len(chosen)))
    contents = [_content(issue, entry, share, archive) for issue in chosen]
    while True:
        data = _atom(archive, audience, chosen, contents, lang)
        if len(data) <= archive.feed_max_bytes or len(chosen) <= 1:
            break
        # escaping and titles can take an entry past its share: the oldest goes
        chosen, contents = chosen[:-1], contents[:-1]
    if len(data) > archive.feed_max_bytes:
        log.warning("archive: %s/feed.xml is %d bytes, over feed_max_bytes (%d)",
                    audience.name, len(data), archive.feed_max_bytes)
    return data


def _content(issue: StoredIssue, entry: jinja2.Template, share: int, archive: Archive) -> str:
    """The entry's HTML: as many of the issue's stories as fit in `share` bytes."""
    page = _page_href(archive, issue)
    articles = issue.articles
    shown = len(articles)
    while True:
        html = entry.render(articles=articles[:shown], more=len(articles) - shown, page=page,
                            subject=issue.subject)
        # the feed escapes the HTML once more (& < > and quotes): count it as it will be
        if len(_escaped_size(html)) <= share or shown == 0:
            return html
        shown = shown * 3 // 4 if shown > 4 else shown - 1


def _escaped_size(html: str) -> bytes:
    return (html.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .encode("utf-8"))


def _page_href(archive: Archive, issue: StoredIssue) -> str:
    return urls.public_url(archive, issue.audience, urls.page_name(issue.date)) or \
        urls.page_name(issue.date)


def _when(issue: StoredIssue) -> dt.datetime:
    """When the issue was rendered (stable across rebuilds of the site), else its day."""
    try:
        moment = dt.datetime.fromisoformat(issue.rendered_at)
    except (TypeError, ValueError):
        moment = dt.datetime.combine(issue.date, dt.time())
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _atom(archive: Archive, audience: Audience, issues: list[StoredIssue],
          contents: list[str], lang: str) -> bytes:
    from feedgen.feed import FeedGenerator  # only an archived audience's run needs it

    feed = FeedGenerator()
    name = audience.branding.name
    feed.id(urls.feed_id(archive, audience.name))
    feed.title(xml_text(name) or "digest")
    feed.author({"name": xml_text(name) or "digest"})
    feed.language(lang)
    feed.generator("digest")
    self_url = urls.public_url(archive, audience.name, urls.FEED)
    if self_url:
        feed.link(href=self_url, rel="self", type="application/atom+xml")
    index = urls.public_url(archive, audience.name, urls.INDEX) or urls.INDEX
    feed.link(href=index, rel="alternate", type="text/html")
    moments = [_when(issue) for issue in issues]
    feed.updated(max(moments) if moments else dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    for issue, content, moment in zip(issues, contents, moments):
        item = feed.add_entry(order="append")
        item.id(urls.entry_id(archive, audience.name, issue.date))
        item.title(xml_text(issue.subject) or f"{name} for {issue.date.isoformat()}")
        item.link(href=_page_href(archive, issue), rel="alternate", type="text/html")
        item.published(dt.datetime.combine(issue.date, dt.time(), tzinfo=dt.UTC))
        item.updated(moment)
        item.content(xml_text(content), type="html")
    return feed.atom_str(pretty=True)
