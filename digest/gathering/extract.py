"""Main text of an HTML page: trafilatura, tuned for the text that reaches the summaries.

Measured on the article pages of `bench/pages.py`, trafilatura's precision mode with tables
kept scores better than its default (F1 0.976 against 0.960 before our cleaning): the
default lets through related-story lists and captions, and tables of figures in a story are
part of it. Precision mode sometimes keeps too little of a page; then the default's longer
text is taken instead.
"""

from __future__ import annotations

# precision mode's text shorter than this share of the default's, and the page lost its body
_FALLBACK_SHARE = 0.3
# only a short precision text is worth the second extraction
_FALLBACK_WORDS = 150


def _extract(html, url, **options) -> dict | None:
    import trafilatura  # deferred: heavy, and only needed for HTML

    doc = trafilatura.bare_extraction(html, url=url or None, with_metadata=True,
                                      include_comments=False, include_tables=True, **options)
    if doc is None:
        return None
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return data if (data.get("text") or "").strip() else None


def main_text(html: str | bytes, url: str | None = None) -> dict | None:
    """trafilatura's fields of the page (text, title, author, date, url, sitename,
    language), or None when the page has no main text."""
    precise = _extract(html, url, favor_precision=True)
    words = len((precise or {}).get("text", "").split())
    if words >= _FALLBACK_WORDS:
        return precise
    fuller = _extract(html, url)
    if fuller is not None and words < _FALLBACK_SHARE * len(fuller["text"].split()):
        return fuller
    return precise or fuller
