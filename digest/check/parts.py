"""The message taken apart once for the checks: headers, the text and HTML parts, the HTML's
links, images and visible text (lxml)."""

from __future__ import annotations

import email
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage

import lxml.html


@dataclass
class Link:
    href: str
    text: str


@dataclass
class Image:
    src: str
    alt: str | None


@dataclass
class Parts:
    data: bytes  # the message as it would go on the wire
    message: EmailMessage
    text: str | None
    html: str | None
    html_bytes: int = 0  # the HTML's size in UTF-8, what Gmail's clipping counts
    visible_text: str = ""  # the HTML's text as a reader sees it (hidden preheader left out)
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)  # the ids and names a `#...` link can reach


def _hidden(element) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or element.get("aria-hidden") == "true"


def take_apart(data: bytes) -> Parts:
    message = email.message_from_bytes(data, policy=policy.default)
    text_part = message.get_body(("plain",))
    html_part = message.get_body(("html",))
    parts = Parts(data=data, message=message,
                  text=text_part.get_content() if text_part is not None else None,
                  html=html_part.get_content() if html_part is not None else None)
    if html_part is None or not parts.html.strip():
        return parts
    parts.html_bytes = len(parts.html.encode("utf-8"))
    document = lxml.html.document_fromstring(parts.html)
    parts.links = [Link(a.get("href", "").strip(), " ".join(a.text_content().split()))
                   for a in document.iter("a") if a.get("href") is not None]
    parts.images = [Image(img.get("src", ""), img.get("alt")) for img in document.iter("img")]
    parts.anchors = {value for element in document.iter() if isinstance(element.tag, str)
                     for value in (element.get("id"), element.get("name")) if value}
    # what a reader sees: no head, no styles, no hidden preheader
    for element in list(document.iter()):
        if element.getparent() is None or not isinstance(element.tag, str):
            continue
        if element.tag in ("head", "style", "script", "title") or _hidden(element):
            element.drop_tree()
    parts.visible_text = " ".join(document.text_content().split())
    return parts
