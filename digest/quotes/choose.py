"""Key quotes: the few quotes of an article worth showing in an issue.

A statement of substance by a named speaker scores highest; repeats, phrases and quotes
already in the story's summary are left out.
"""

from __future__ import annotations

import re

from digest.models import Quote
from digest.quotes.extract import extract_quotes

# Fewer words than this are a phrase ("dear friend", "no limits"), never a key quote.
_KEY_MIN_WORDS = 5
_KEY_LONG_WORDS = 60  # past this a quote crowds the newsletter
_STOP_END = re.compile(r"[.!?]$")
_NON_WORDS = re.compile(r"\W+")


def _score(q: Quote) -> float:
    """How much a quote is worth showing: a statement of substance by a named speaker."""
    n = len(q.text.split())
    if n < _KEY_MIN_WORDS or not q.speaker:
        return 0.0
    score = min(n, 40) / 40.0
    if n > _KEY_LONG_WORDS:
        score -= (n - _KEY_LONG_WORDS) / 100.0
    # a whole statement reads better than a fragment woven into the reporter's sentence
    score += 0.3 if q.text[:1].isupper() else -0.3
    if _STOP_END.search(q.text):
        score += 0.2
    if q.speaker[:1].isupper():
        score += 1.0
        if len(q.speaker.split()) >= 2:
            score += 0.3  # a person's full name
    else:
        score += 0.6  # "a spokesman for the ministry"
    if q.role:
        score += 0.1
    return max(score, 0.01)


def _norm(s: str) -> str:
    """Lower-case words only, to find a quote inside another or inside the summary."""
    return _NON_WORDS.sub(" ", s.lower()).strip()


def key_quotes(text: str | list[Quote], count: int = 2, shown: str = "") -> list[Quote]:
    """The `count` quotes most worth showing: statements of substance by a known speaker.

    Repeats are dropped, and so are quotes already in `shown` (the story's summary).
    """
    quotes = extract_quotes(text) if isinstance(text, str) else list(text)
    ranked = sorted(((q, _score(q)) for q in quotes), key=lambda qs: (-qs[1], qs[0].start))
    chosen: list[Quote] = []
    seen: list[str] = []
    shown_norm = _norm(shown)
    for q, s in ranked:
        if s <= 0:
            continue
        norm = _norm(q.text)
        if any(norm in other or other in norm for other in seen) or norm in shown_norm:
            continue
        seen.append(norm)
        chosen.append(q)
        if len(chosen) >= count:
            break
    return sorted(chosen, key=lambda q: q.start)
