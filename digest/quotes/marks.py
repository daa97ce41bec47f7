"""Quotation marks: pairing them into quoted parts, and joining the parts of one quote.

Marks are paired per paragraph (straight, curly, single, angle, and '' for a double mark);
typed text mixes curly and straight marks, so either closes. Parts of a quote split by its
attribution ("“A,” she said, “B.”") are joined; a quote left open at a paragraph's end
continues when the next paragraph opens with a mark (the usual convention for
multi-paragraph quotes).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from digest.quotes.lexicon import REPORTING_VERBS
from digest.quotes.names import has_reporting_verb, words_of
from digest.quotes.sentences import ABBREV, SENT_END

# Typed text mixes curly and straight marks ("...” is common), so either closes.
_DOUBLE_OPEN = {"“": "”\"“", "„": "“”\"", '"': '"”', "«": "»", "»": "«"}
_SINGLE_OPEN = {"‘": "’", "'": "'", "‹": "›", "‚": "‘’"}
# what may stand before an opening mark
_OPEN_BEFORE = set(" \t\n([{—–-/:;,") | {"\u00a0", "\u2009", "\u202f"}


@dataclass
class Part:
    """One quoted stretch of text between a pair of marks."""

    start: int  # index of the opening mark
    end: int  # index after the closing mark (or the paragraph's end when left open)
    closed: bool = True


@dataclass
class Found:
    """A quote as it is found: its parts, then its speaker and whether it is a quotation."""

    parts: list[Part]
    speaker: str = ""
    role: str = ""
    mention: str = ""  # the words that named the speaker next to the quote
    cue: str = ""
    kind: str = ""  # how the speaker was found
    is_quote: bool = True
    extra: dict = field(default_factory=dict)

    @property
    def start(self) -> int:
        return self.parts[0].start

    @property
    def end(self) -> int:
        return self.parts[-1].end


# a position in the text -> (start, end) of its paragraph
ParagraphOf = Callable[[int], tuple[int, int]]


_LINE = re.compile(r"[^\n]+")


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line that is not blank: a paragraph in feed text."""
    bounds = []
    for m in _LINE.finditer(text):
        if m.group().strip():
            bounds.append((m.start(), m.end()))
    return bounds


def _is_opening(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if nxt.isspace():
        return False
    return prev in _OPEN_BEFORE or prev in _DOUBLE_OPEN or prev in _SINGLE_OPEN or i == 0


_CLOSERS: dict[str, re.Pattern] = {}  # one pattern per set of closing marks, made once
# '' (two apostrophes) stands for a double mark in some newswire text
_TWO_APOSTROPHES_CLOSE = re.compile(r"''(?!')")
_OPENERS = {id(_DOUBLE_OPEN): re.compile("''|[" + re.escape("".join(_DOUBLE_OPEN)) + "]"),
            id(_SINGLE_OPEN): re.compile("[" + re.escape("".join(_SINGLE_OPEN)) + "]")}


def _find_close(text: str, i: int, end: int, closers: str, single: bool) -> int | None:
    """Index of the mark closing the quote opened at i, inside [i, end)."""
    pattern = _CLOSERS.get(closers)
    if pattern is None:
        pattern = _CLOSERS[closers] = re.compile("[" + re.escape(closers) + "]")
    j = i + 1
    while True:
        m = pattern.search(text, j, end)
        if m is None:
            return None
        j = m.start()
        c = text[j]
        prev = text[j - 1]
        nxt = text[j + 1] if j + 1 < len(text) else " "
        if single:
            # an apostrophe inside a word (don't, O'Brien) is not a closing mark
            if nxt.isalnum() or prev.isspace():
                j += 1
                continue
        elif c == '"' and prev.isspace() and nxt.isalnum():
            # a straight mark that opens: the previous quote was never closed
            return None
        elif c == "“" and (prev.isspace() or nxt.isalnum()):
            j += 1  # an opening mark inside the quote; “ closes only after a word (“It's,“)
            continue
        return j


def _scan(text: str, start: int, end: int, marks: dict[str, str], single: bool,
          skip: list[tuple[int, int]]) -> list[Part]:
    """Quoted parts opened by `marks` in [start, end), outside the `skip` spans."""
    parts = []
    i = start
    skip_iter = iter(sorted(skip))
    next_skip = next(skip_iter, None)
    while i < end:
        while next_skip is not None and next_skip[1] <= i:
            next_skip = next(skip_iter, None)
        if next_skip is not None and next_skip[0] <= i < next_skip[1]:
            i = next_skip[1]
            continue
        m = _OPENERS[id(marks)].search(text, i, end if next_skip is None else
                                       min(end, max(next_skip[0], i)))
        if m is None:
            if next_skip is None or next_skip[0] >= end:
                break
            i = max(i, next_skip[0])
            continue
        i = m.start()
        c = text[i]
        if m.group() == "''":
            if (i == 0 or text[i - 1] in _OPEN_BEFORE) and not text[i + 2:i + 3].isspace():
                limit = end if next_skip is None else min(end, next_skip[0])
                close = _TWO_APOSTROPHES_CLOSE.search(text, i + 2, limit)
                while close is not None and text[close.end():close.end() + 1].isalnum():
                    close = _TWO_APOSTROPHES_CLOSE.search(text, close.end(), limit)
                if close is None:
                    parts.append(Part(i, limit, closed=False))
                    i = limit
                else:
                    parts.append(Part(i, close.end()))
                    i = close.end()
                continue
            i += 2
            continue
        if _is_opening(text, i):
            if single and c in "'’" and i > 0 and text[i - 1].isalnum() or \
                    c == "'" and ("'" in text[i - 1:i] or "'" in text[i + 1:i + 2]):
                i += 1
                continue
            limit = end if next_skip is None else min(end, next_skip[0])
            j = _find_close(text, i, limit, marks[c], single)
            if j is None:
                if single:
                    i += 1
                    continue
                parts.append(Part(i, limit, closed=False))
                i = limit
                continue
            parts.append(Part(i, j + 1))
            i = j + 1
            continue
        i += 1
    return parts


def find_parts(text: str) -> list[Part]:
    """Quoted spans, one per paragraph part; open ones are continued later."""
    parts: list[Part] = []
    for ps, pe in paragraph_bounds(text):
        doubles = _scan(text, ps, pe, _DOUBLE_OPEN, False, [])
        singles = _scan(text, ps, pe, _SINGLE_OPEN, True, [(p.start, p.end) for p in doubles])
        parts.extend(sorted(doubles + singles, key=lambda p: p.start))
    return parts


MARKS = "“”„\"«»‘’'‹›‚"  # every quotation mark, opening or closing


def unquoted(text: str, start: int, end: int) -> str:
    """The words of a quoted span without its marks."""
    s = text[start:end]
    s = s[2:] if s.startswith("''") else s[1:] if s[:1] in MARKS else s
    if s.endswith("''"):
        return s[:-2]
    return s[:-1] if s[-1:] in MARKS else s


def _bridge_ok(text: str, a: Part, b: Part) -> bool:
    """True when the words between two parts are only their attribution."""
    between = text[a.end:b.start]
    if "\n" in between or len(between) > 160:
        return False
    inner = unquoted(text, a.start, a.end).rstrip()
    words = words_of(between)
    if not words or len(words) > 22:
        return False
    if not has_reporting_verb(between):
        return False
    # "...,” he said. “..." or "...,” he said, “..."; a full new sentence in between
    # ("...” Smith said. Jones added: “...") means two quotes.
    verbs = [w for w in words if w.lower().rstrip(".") in REPORTING_VERBS]
    if len(verbs) > 1:
        return False
    body = between.strip()
    if body.endswith(".") and unquoted(text, b.start, b.end).rstrip().endswith(","):
        # "“A,” said Collins. “B,” added Rodgers.": the second part has its own speaker
        return False
    if body[-1:] not in ",.:;—–-" and words[-1].lower() not in REPORTING_VERBS:
        # "...,” Trump said on ABC’s “Good Morning America.”": not a second part
        return False
    for m in SENT_END.finditer(body):
        if not ABBREV.search(body[max(0, m.start() - 12):m.start() + 1]):
            return False  # a second sentence: "...” Cruz said. Later he called it “..."
    if not (inner.endswith((",", "—", "–", "-", "…", "..."))
            or between.lstrip().startswith(",")
            or inner[-1:] in "?!" and between.strip()[:1].islower()):
        return False
    return True


def join_parts(text: str, parts: list[Part]) -> list[Found]:
    """The quotes the parts make: split quotes and multi-paragraph quotes joined."""
    found: list[Found] = []
    for part in parts:
        if found:
            last = found[-1]
            prev = last.parts[-1]
            if not prev.closed:
                # a paragraph left open continues if the next paragraph opens a quote
                gap = text[prev.end:part.start]
                if not gap.strip():
                    last.parts.append(part)
                    continue
            elif _bridge_ok(text, prev, part):
                last.parts.append(part)
                continue
        found.append(Found([part]))
    for f in found:
        # a multi-paragraph quote is one span from its first mark to its last
        merged: list[Part] = []
        for p in f.parts:
            if merged and not merged[-1].closed:
                merged[-1] = Part(merged[-1].start, p.end, p.closed)
            else:
                merged.append(p)
        if not merged[-1].closed:
            # trim a quote that was never closed to its paragraph's last word
            last = merged[-1]
            while last.end > last.start and text[last.end - 1].isspace():
                last.end -= 1
        f.parts = merged
    return found
