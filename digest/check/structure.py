"""The message's shape: size under Gmail's clip, a text part, Message-ID and Date, images with
alt text and enough words around them, links that are http(s)."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

from digest.check.parts import Parts
from digest.check.result import Result, failed, passed, warning

# Gmail shows "[Message clipped]" past 102 KB of HTML, and the unsubscribe link at the end
# goes with the rest
GMAIL_CLIP_BYTES = 102 * 1024
NEAR_CLIP_BYTES = 90 * 1024
# Under IMAGE_ONLY_CHARS of visible text beside images, the newsletter is a picture: filters
# score it as spam, and a reader whose client blocks images sees nothing. (SpamAssassin's
# HTML_IMAGE_ONLY_* count raw HTML bytes, under 3,200, which MJML's markup always passes.)
IMAGE_ONLY_CHARS = 200
LITTLE_TEXT_CHARS = 500
LINK_SCHEMES = ("http", "https", "mailto")


def html_size(parts: Parts) -> Result:
    if parts.html is None:
        return failed("html-size", "no HTML part")
    kb = parts.html_bytes / 1024
    if parts.html_bytes > GMAIL_CLIP_BYTES:
        return failed("html-size", f"HTML is {kb:.0f} KB: Gmail clips it past 102 KB (fewer "
                      "articles: max_articles)", bytes=parts.html_bytes)
    if parts.html_bytes > NEAR_CLIP_BYTES:
        return warning("html-size", f"HTML is {kb:.0f} KB, close to Gmail's 102 KB clip",
                       bytes=parts.html_bytes)
    return passed("html-size", f"HTML is {kb:.0f} KB (Gmail clips past 102 KB)",
                  bytes=parts.html_bytes)


def text_part(parts: Parts) -> Result:
    if parts.text is None or not parts.text.strip():
        return failed("text-part", "no plain-text part: HTML-only mail is a spam sign")
    return passed("text-part", f"a plain-text part of {len(parts.text.split())} words")


def ids_and_date(parts: Parts) -> Result:
    missing = [h for h in ("Message-ID", "Date") if not parts.message.get(h)]
    if missing:
        return failed("message-id-date", f"missing {' and '.join(missing)}")
    return passed("message-id-date", "Message-ID and Date present")


def images(parts: Parts) -> Result:
    if not parts.images:
        return passed("images", "no images")
    words = len(parts.visible_text.encode("utf-8"))
    n = len(parts.images)
    if words < IMAGE_ONLY_CHARS:
        return failed("images", f"image-only: {n} image(s) and {words} bytes of text; spam "
                      "filters read that as spam, and readers who block images see nothing",
                      images=n, text_bytes=words)
    no_alt = [i.src or "(no src)" for i in parts.images if not (i.alt or "").strip()]
    if no_alt:
        return warning("images", f"{len(no_alt)} of {n} image(s) without alt text, e.g. "
                       f"{no_alt[0][:80]}", images=n, without_alt=len(no_alt))
    if words < LITTLE_TEXT_CHARS:
        return warning("images", f"{n} image(s) with only {words} bytes of text beside them",
                       images=n, text_bytes=words)
    return passed("images", f"{n} image(s), each with alt text", images=n)


def link_schemes(parts: Parts) -> Result:
    """Every link http(s) or mailto, or a `#name` to an anchor of the message itself (the
    "In this issue" list)."""
    bad = [link.href for link in parts.links
           if urlsplit(link.href).scheme.lower() not in LINK_SCHEMES
           and not (link.href.startswith("#") and link.href[1:] in parts.anchors)]
    if bad:
        return failed("links", f"{len(bad)} link(s) not http(s) or mailto, e.g. "
                      f"'{bad[0][:80]}'", bad=bad[:20])
    return passed("links", f"{len(parts.links)} links, all http(s) or mailto",
                  links=len(parts.links))


def address_in_links(parts: Parts, address: str) -> Result:
    """A link or List-Unsubscribe target that carries the recipient's address: it leaks to
    every server and log on the way, and filters score it (SpamAssassin's GB_CUSTOM_HTM_URI)."""
    if not address:
        return passed("address-in-links", "no recipient address to look for")
    wanted = {address.lower(), quote(address, safe="").lower()}
    urls = [link.href for link in parts.links]
    urls += str(parts.message.get("List-Unsubscribe", "")).split(",")
    carrying = [u.strip() for u in urls
                if any(w in u.lower() or w in unquote(u).lower() for w in wanted)]
    if carrying:
        return warning("address-in-links", f"{len(carrying)} link(s) carry the recipient's "
                       f"address, e.g. {carrying[0][:100]} (use a token, not the address)",
                       count=len(carrying))
    return passed("address-in-links", "no link carries the recipient's address")


CHECKS = (html_size, text_part, ids_and_date, images, link_schemes)
