"""An issue's archive page: the newsletter's own HTML, filled for nobody in particular.

Never a recipient's copy: every recipient field is left empty, the greeting goes (it would
name someone), the personal unsubscribe link goes or becomes a generic "subscribe" link, and
the page's own "view in browser" link goes. A bar of links is added on top (previous and next
issue, all issues, the feed), and the feed is announced in the head. Article text was escaped
when the issue was rendered; the HTML is parsed and written back by lxml, which keeps it so.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

import jinja2
from lxml import html as lxml_html

from digest.rendering.issue import RenderedIssue

# what a slot looks like (digest/rendering/slots.py), should one survive in an attribute
_SLOT = re.compile(r"~dg[0-9a-f]+~[A-Za-z0-9_.]+~")
WEB_LINK_CLASS = "view-in-browser"


@dataclass(frozen=True)
class PageLinks:
    """Where the bar on top of a page leads; names relative to the page's folder."""

    previous: str = ""  # "2024-04-30.html", or "" for the first issue
    previous_label: str = ""
    next: str = ""
    next_label: str = ""
    index: str = "index.html"
    feed: str = "feed.xml"
    subscribe_url: str = ""
    own_url: str = ""  # the page's public address ("view in browser" links to it)


def archive_page(issue: RenderedIssue, links: PageLinks, bar: jinja2.Template,
                 feed_title: str) -> str:
    """The page of `issue`: slots filled for nobody, personal links gone, the bar on top."""
    # each recipient field gets a mark of its own, so that what held one can be found
    prefix = f"dgmark{secrets.token_hex(8)}n"
    marks = {name: f"{prefix}{i}x" for i, name in enumerate(sorted(issue.fields))}
    _, html, _ = issue.filled(marks)
    unsubscribe, greeting = marks.get("unsubscribe_url"), marks.get("greeting")
    doc = lxml_html.document_fromstring(html)
    for element in list(doc.iter()):
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        if element.tag == "a" and _is_self_link(element, links.own_url):
            _drop_with_empty_section(element)
        elif element.tag == "a" and unsubscribe and element.get("href") == unsubscribe \
                and links.subscribe_url:
            for child in list(element):
                element.remove(child)
            element.text = "Subscribe"
            element.set("href", links.subscribe_url)
        elif element.tag == "a" and prefix in element.get("href", ""):
            # a personal link (unsubscribe, or any a template makes of a recipient field)
            element.drop_tree()
        elif greeting and (element.text or "").strip() == greeting and len(element) == 0 \
                and element.getparent() is not None and element.tag in ("p", "div", "span"):
            element.drop_tree()  # the greeting would name someone: it goes, not "Hello,"
    # whatever is left of the marks (and any slot) goes, in text and attributes alike
    pattern = re.compile(re.escape(prefix) + r"\d+x|" + _SLOT.pattern)
    for element in doc.iter():
        for attr in ("text", "tail"):
            value = getattr(element, attr)
            if value and (prefix in value or "~dg" in value):
                setattr(element, attr, pattern.sub("", value))
        if isinstance(element.tag, str):
            for name, value in element.attrib.items():
                if prefix in value or "~dg" in value:
                    element.set(name, pattern.sub("", value))
    _add_head_links(doc, links, feed_title)
    body = doc.find("body")
    if body is not None:
        nav = lxml_html.fragment_fromstring(bar.render(links=links))
        body.insert(0, nav)
    return lxml_html.tostring(doc, doctype="<!doctype html>", encoding="unicode",
                              method="html") + "\n"


def _is_self_link(element, own_url: str) -> bool:
    href = element.get("href", "")
    return WEB_LINK_CLASS in (element.get("class") or "").split() or bool(own_url) and \
        href == own_url


def _drop_with_empty_section(element) -> None:
    """Drop the link, and the row of the layout that held only it (MJML wraps each section
    in a block of its own, a child of the body's one wrapper)."""
    section = element
    while section.getparent() is not None and section.getparent().tag != "body" and \
            section.getparent().getparent() is not None and \
            section.getparent().getparent().tag != "body":
        section = section.getparent()
    element.drop_tree()
    if section is not element and section.getparent() is not None and \
            not section.text_content().strip() and not section.xpath(".//img"):
        section.drop_tree()


def _add_head_links(doc, links: PageLinks, feed_title: str) -> None:
    head = doc.find("head")
    if head is None:
        return
    feed = lxml_html.Element("link", rel="alternate", type="application/atom+xml",
                             href=links.feed, title=feed_title)
    head.append(feed)
    if links.own_url:
        head.append(lxml_html.Element("link", rel="canonical", href=links.own_url))
