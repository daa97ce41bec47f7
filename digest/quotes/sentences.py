"""Where sentences start and end in an article, as attribution needs them.

Abbreviations ("Sen.", "U.S.", "Jan.") do not end a sentence. Sentence starts are found once
per text and looked up by position, so long articles stay linear.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

# a sentence ends at a stop, maybe closing marks, and space before the next one's start...
SENT_END = re.compile(r"[.!?…][”\"’')\]]*\s+(?=[“\"‘'(\[A-Z0-9])")
# ...unless the stop ends one of these
ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Adm|St|Jr|Sr|Prof|Rev|Capt|Cmdr|Maj|"
    r"Det|Sec|Pres|Supt|No|Vol|Inc|Co|Corp|Ltd|vs|etc|Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec"
    r"|U\.S|U\.K|U\.N|D\.C|[A-Z])\.)$"
)


# a stop that may end a sentence: closing marks, then a space or the end
_STOP = re.compile(r"[.!?…](?=[”\"’')\]]*(?:\s|$))")


@lru_cache(maxsize=4)
def _boundaries(text: str) -> list[int]:
    """Where sentences start, once per text (abbreviations such as "Sen." do not end one)."""
    return [m.end() for m in SENT_END.finditer(text) if not _abbreviation_at(text, m.start())]


def _abbreviation_at(text: str, stop: int) -> bool:
    """Whether the stop at `stop` ends an abbreviation ("Sen.") rather than a sentence; an
    abbreviation ends in a dot, so a "!" or "?" needs no search."""
    return text[stop] == "." and bool(ABBREV.search(text[max(0, stop - 12):stop + 1]))


_MAX_SENTENCE = 1000  # characters looked back for a sentence's start: keeps long texts linear


def sentence_start(text: str, lo: int, pos: int) -> int:
    """Start of the sentence holding `pos`, not before `lo` (the paragraph's start)."""
    bounds = _boundaries(text)
    i = bisect.bisect_right(bounds, pos) - 1
    best = bounds[i] if i >= 0 else 0
    return max(lo, best, pos - _MAX_SENTENCE)


def sentence_end(text: str, pos: int, hi: int) -> int:
    """End of the sentence going on at `pos`, at most `hi`."""
    # searched in place (endpos ends the text for the pattern's "$" as a slice's end did)
    for m in _STOP.finditer(text, pos, hi):
        if not _abbreviation_at(text, m.start()):
            return m.end()
    return hi


def sentence_initial(text: str, pos: int) -> bool:
    """True when the word at `pos` opens a sentence, a line, or what follows a colon."""
    before = text[max(0, pos - 3):pos].rstrip(" \u00a0“\"‘'(")
    return not before or before[-1] in ".!?\n:" or pos < 3
