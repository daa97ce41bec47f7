"""Headings of found groups that no built-in section names: the names and phrases the
group's articles share and the other articles don't ("Tony Blair", "Interest rates").

Candidates are names (runs of capitalised words, a lone one only when it is capitalised
in the middle of a sentence: "Brexit", "Microsoft") and phrases (two or three content words
in a row, nothing left out between them). A lone common word ("Like", "Years", "Issue") is
never a heading: a group with nothing better gets none, and arrange.py puts its stories
under "More news".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from digest.topics.vectors import _Doc, _normal, _stop_words

# A heading names at most this many things ("Apple, iPod").
MAX_PARTS = 2
# ... each one used by at least this share of the group's articles (and by two of them) ...
MIN_SHARE = 0.4
# ... and by this much less of the other articles.
MIN_LEAD = 0.3
PHRASE_LEAD = 0.5
# how many articles of a group (the first given) and of the rest are read
MAX_READ = 60
MAX_OTHERS = 400

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|[.,!?;:\"“”()]")
_ENDS = frozenset('.,!?;:"“”()')
# capitalised in mid-sentence, yet no subject: the calendar
_CALENDAR = frozenset("""january february march april may june july august september october
november december monday tuesday wednesday thursday friday saturday sunday""".split())


def candidates(doc: _Doc) -> dict[tuple[str, ...], str]:
    """Key (stems) -> spelling of the names and phrases of an article's title and text."""
    found: dict[tuple[str, ...], str] = {}
    for text in (doc.title, doc.text):
        tokens = _WORD.findall(text)
        run: list[tuple[str, bool]] = []  # (word, at a sentence's start)
        start = True
        for token in tokens + ["."]:
            if token in _ENDS:
                if run:
                    _names(run, found)
                # after a comma a capital still marks a name; after a full stop any word
                run, start = [], token not in ",;:()"
                continue
            norm = _normal(token)
            capital = token[0].isupper()
            if capital and (norm is not None or run):
                run.append((token, start))
            elif run:  # (most words end no run: no call)
                _names(run, found)
                run = []
            start = False
        _phrases(tokens, found)
    return found


def _names(run: list[tuple[str, bool]], found: dict) -> None:
    """A run of capitalised words: a name, without a leading stop word ("The", "But")."""
    while run and _normal(run[0][0]) is None:
        run = run[1:]
    while run and _normal(run[-1][0]) is None:
        run = run[:-1]
    if not run or len(run) > 3:
        return
    if len(run) == 1:
        word, initial = run[0]
        # a capitalised word that opens a sentence may be any word
        if initial or len(word) < 3 or word.casefold() in _CALENDAR:
            return
    key = tuple(w.casefold() for w, _ in run)
    found.setdefault(("@",) + key, " ".join(w for w, _ in run))


def _phrases(tokens: list[str], found: dict) -> None:
    """Two or three content words in a row."""
    stops = _stop_words()
    # per token: its (stem, surface) when it can be part of a phrase (a content word, not
    # punctuation: a phrase does not cross it), else None
    lower = [w.casefold() for w in tokens]
    terms = [None if w in _ENDS or x in stops else _normal(w) for w, x in zip(tokens, lower)]
    for a, b, x, y in zip(terms, terms[1:], lower, lower[1:]):
        if a is not None and b is not None:
            found.setdefault((a[0], b[0]), f"{x} {y}")
    for a, b, c, x, y, z in zip(terms, terms[1:], terms[2:], lower, lower[1:], lower[2:]):
        if a is not None and b is not None and c is not None:
            found.setdefault((a[0], b[0], c[0]), f"{x} {y} {z}")


def heading(inside: Sequence[_Doc], outside: Sequence[_Doc],
            cache: dict[int, dict] | None = None) -> str | None:
    """The names and phrases most of `inside` share and `outside` does not, or None."""
    cache = {} if cache is None else cache

    def of(doc):
        key = id(doc)
        if key not in cache:
            cache[key] = candidates(doc)
        return cache[key]

    group = list(inside)[:MAX_READ]
    if len(group) < 2:
        return None
    others = list(outside)[:MAX_OTHERS]
    counts_in: Counter = Counter()
    for doc in group:
        counts_in.update(of(doc).keys())
    # only what enough of the group shares can be a part: the others are asked about those
    # few (a few dozen of some 50,000 keys)
    shared = {key: n / len(group) for key, n in counts_in.items()
              if n >= 2 and n / len(group) >= MIN_SHARE}
    counts_out: Counter = Counter()
    for doc in others:
        counts_out.update(shared.keys() & of(doc).keys())
    scored = []
    for key, share in shared.items():
        lead = share - (counts_out[key] / len(others) if others else 0.0)
        name = key[0] == "@"
        # a phrase of common words ("year old") is shared by chance more easily than a
        # name: it needs a wider lead
        if lead >= (MIN_LEAD if name else PHRASE_LEAD):
            # names before phrases; then the widest lead; longer before shorter
            scored.append((name, lead, len(key), key))
    scored.sort(reverse=True)
    parts: list[str] = []
    for _, _, _, key in scored:
        # its commonest spelling in the group (ties: the first met), counted only for the
        # few keys that could be a part (counting every key's made 80,000 Counters)
        spelling = Counter(found[key] for found in map(of, group) if key in found)
        surface = spelling.most_common(1)[0][0]
        if any(surface.casefold() in p.casefold() or p.casefold() in surface.casefold()
               for p in parts):
            continue
        parts.append(surface[0].upper() + surface[1:])
        if len(parts) == MAX_PARTS:
            break
    return ", ".join(parts) or None
