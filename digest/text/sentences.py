"""Sentence and word tokenisation that works offline, tuned for news.

Nothing is downloaded: sentences come from rules, words from a regular expression.
Paragraph breaks always end a sentence, so a header line is never glued to what follows.

Splitting is two-staged for speed: a regular expression first cuts at the boundaries no
rule could dispute (a lower-case word or a plain capitalised word, then . ! or ?, maybe a
closing quote, a space and a capital letter); only the pieces that still hold a doubtful
full stop (Mr., U.S., a.m., initials, ellipses, decimals) go to pysbd's rules, which are
careful but slow. Most news sentences never reach pysbd.

News furniture is not body text: "Advertisement" lines, bylines ("By Jane Doe",
"PUBLISHED: 10:02 EST, 3 May 2015"), "Scroll down for video" and photo credits are dropped,
and a dateline ("WASHINGTON (CNN) -- ") is taken off the sentence it starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache

_BLANK_LINES = re.compile(r"\n\s*\n")
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)
_TERMINAL = tuple(".!?:;…\"'”’)»")

# pysbd has rules for these; other languages fall back to English rules.
_PYSBD_LANGUAGES = {"en", "fr", "de", "es", "it", "nl", "pl", "ru", "da"}


def paragraphs(text: str) -> list[str]:
    """Split on blank lines; inside a block, a short line without end punctuation that is
    followed by more text is a heading of its own, other line breaks are soft wraps."""
    out: list[str] = []
    for block in _BLANK_LINES.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        current: list[str] = []
        for line in lines:
            if current and _looks_like_heading(current[-1], line):
                out.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            out.append(" ".join(current))
    return out


def _looks_like_heading(line: str, following: str) -> bool:
    # hard-wrapped prose has long lines; a heading is short and the next line starts anew
    return (
        len(line) < 60
        and len(line.split()) <= 10
        and not line.endswith(_TERMINAL)
        and not line.endswith(",")
        and (following[:1].isupper() or following[:1].isdigit() or following[:1] in "\"“‘'(")
    )


# pysbd builds a regular expression per abbreviation it meets (some 2,500 different ones
# over news text), more than the `re` module's cache of compiled patterns holds (512 in
# Python 3.11): each article compiled hundreds again, 15% of the per-article work
_PATTERN_CACHE = 4096


_TRAILING_SPACE = re.compile(r"\s*")


def _sentence_spans(text: str, sentences: list[str]) -> list:
    r"""pysbd's `Segmenter.sentences_with_char_spans`, without its regular expression per
    sentence (`re.escape(sent) + r"\s*"`, compiled anew for each of them: 4-6% of the
    per-article work). Each sentence is looked for as its matches would be: the leftmost
    copy at or after the previous copy's end (its trailing spaces included); the first one
    that ends past the previous sentence's span is its span."""
    from pysbd.utils import TextSpan

    spans = []
    prior_end = 0
    for sent in sentences:
        if not sent:
            # an empty pattern's matches follow rules of their own: pysbd's way
            found = (m.span() for m in _TRAILING_SPACE.finditer(text))
        else:
            found = _copies(text, sent)
        for start, end in found:
            if end > prior_end:
                spans.append(TextSpan(text[start:end], start, end))
                prior_end = end
                break
    return spans


def _copies(text: str, sent: str) -> Iterator[tuple[int, int]]:
    r"""The (start, end) of `re.finditer(re.escape(sent) + r"\s*", text)`, `sent` not empty."""
    pos = 0
    while (start := text.find(sent, pos)) >= 0:
        pos = _TRAILING_SPACE.match(text, start + len(sent)).end()
        yield start, pos


@cache
def _segmenter(language: str):
    import pysbd

    if getattr(re, "_MAXCACHE", _PATTERN_CACHE) < _PATTERN_CACHE:
        re._MAXCACHE = _PATTERN_CACHE  # a private setting, read on each compile

    class Segmenter(pysbd.Segmenter):
        def sentences_with_char_spans(self, sentences):
            return _sentence_spans(self.original_text, sentences)

    lang = language if language in _PYSBD_LANGUAGES else "en"
    return Segmenter(language=lang, clean=False)


# Words that end with a full stop without ending the sentence. A piece whose boundary
# follows one of them is left to pysbd, so the list errs on the long side.
_ABBREVIATIONS = frozenset("""
mr mrs ms mme mlle messrs dr prof rev hon sr jr st mt ft gen sen rep gov col capt lt sgt
cpl pvt maj brig adm cmdr det insp supt pres atty inc ltd co corp bros dept univ assn est
jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
ave blvd rd hwy no nos vs etc approx esp cf al fig figs vol vols pp ca min max op ed eds
ala ariz ark calif colo conn del fla ill ind kan ky la md mass mich minn miss mo mont neb
nev okla ore pa penn tenn tex va vt wash wis wyo
""".split())
# a clear boundary: a word (lower-case or capitalised, an acronym, or a number: 2005, 1.2%,
# £250m; not one or two bare digits, which may number a list), closing quotes/brackets,
# terminal mark, closing quotes/brackets, space(s), opening quote/bracket, capital letter.
# (Numbers, acronyms and quotes closed before the stop, as British news writes them, were
# most of what reached pysbd: 58 of the 1,780 BBC articles now split differently, mostly
# sentences inside a quotation that pysbd left joined; the Golden Rules and the BBC
# references' sentences score as before, see docs/quality.md.)
_CLEAR_BOUNDARY = re.compile(
    r"(?<![\w.'’-])([A-Za-z][a-z]+|[A-Z]{2,}|\d[\d,.]*(?:%|m|bn|s)|\d{3,}|\d+(?:[.,]\d+)+)"
    r"[\"”’')\]]*[.!?]+[\"”’')\]]*(\s+)(?=[\"“‘'(\[]?[A-Z])"
)
# what pysbd may still split: a stop, ! or ? followed by a space or a closing mark; list
# items ("1) first 2) second", "• one • two")
_DOUBTFUL = re.compile(r"[.!?…](?:[\"”’')\]]*\s|[\"”’')\]]*$)|\s(?:\d{1,2}|[a-zA-Z])[.)]\s|•")

# a character that each of _DOUBTFUL's branches needs: nine pieces in ten have none, and a
# search for it skips along the text where _DOUBTFUL's tries its branches at every position
_DOUBTFUL_CHARACTER = re.compile(r"[.!?…)•]")

# the stops and closing marks that end a piece (taken off before looking for a doubtful stop
# inside it; str.rstrip does what a regex substitution did, without the regex's scan)
_END_MARKS = ".!?…\"”’')]"


_STOP = re.compile(r"[.!?]")
_SPACES = re.compile(r"\s+")


def _clear_boundaries(block: str) -> Iterator[re.Match]:
    """The matches of `_CLEAR_BOUNDARY.finditer(block)`, looked for only where a stop is.

    Trying the pattern at every character of the block was a fifth of the time of
    `split_paragraph_sentences`. A match is a run of non-spaces that holds a stop, the
    spaces after the run and a peek at two characters past them. So the next match lies in
    the run holding the next stop (a run before it has none), and is found by searching
    that run from its start (the lookbehind still sees the character before it) to two
    characters past its spaces (too few for a match of their own to start there).
    """
    pos = 0
    while (stop := _STOP.search(block, pos)) is not None:
        spaces = _SPACES.search(block, stop.start())
        if spaces is None:
            return  # the last run: no space after it, no boundary
        run_start = stop.start()
        while run_start > pos and not block[run_start - 1].isspace():
            run_start -= 1  # (\s and str.isspace are the same characters)
        m = _CLEAR_BOUNDARY.search(block, run_start, spaces.end() + 2)
        if m is None:
            pos = spaces.end()
            continue
        yield m
        pos = m.end()


def _split_block(block: str, segmenter) -> list[str]:
    pieces: list[str] = []
    start = 0
    for m in _clear_boundaries(block):
        word = m.group(1)
        if word.lower() in _ABBREVIATIONS or len(word) < 2:
            continue
        pieces.append(block[start:m.start(2)])
        start = m.end(2)
    pieces.append(block[start:])
    out: list[str] = []
    for piece in pieces:
        # only a boundary inside the piece needs the careful rules
        body = piece.rstrip()
        inner = body.rstrip(_END_MARKS)
        if _DOUBTFUL_CHARACTER.search(inner) and _DOUBTFUL.search(inner):
            out.extend(s.strip() for s in segmenter.segment(piece))
        else:
            out.append(body.strip())
    return [s for s in out if s]


# --- news furniture ---------------------------------------------------------------------
_FURNITURE = re.compile(
    r"^\W*(?:advertisement|advertising|sponsored content|scroll down for (?:video|more)|"
    r"(?:photo|image|picture|video)s?(?: credit)?:.{0,80}|"
    r"(?:published|updated|last updated)(?: at)?:?\s.{0,80}|"
    r"by\s*\.?\s*(?:[A-Z][\w'’.-]*\s*){1,4}(?:,\s*[A-Z][\w ]{0,40})?\.?|"
    r"(?:getty images|reuters|ap|afp|pa|epa)(?:/[\w ]+)?)\W*$",
    re.IGNORECASE,
)
_LEADING_FURNITURE = re.compile(r"^(?:scroll down for (?:video|more)\s*)+", re.IGNORECASE)
# "WASHINGTON (CNN) -- ", "(CNN)", "LONDON, England (Reuters) -", "PARIS — "
_PLACE = r"[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,3}(?:,\s*[A-Z][\w.]+(?: [A-Z][\w.]+){0,2})?"
_DATELINES = (
    re.compile(rf"^(?:{_PLACE}\s*)?\((?:CNN|AP|Reuters|AFP|UPI|Bloomberg)[^)]{{0,20}}\)"
               r"\s*(?:--|—|–|-)?\s*"),
    re.compile(rf"^{_PLACE}\s*(?:--|—|–)\s+"),
)


def _strip_dateline(sentence: str) -> str:
    for pattern in _DATELINES:
        m = pattern.match(sentence)
        if m and m.end() < len(sentence):
            return sentence[m.end():]
    return sentence


def _is_furniture(sentence: str) -> bool:
    return len(sentence) <= 120 and bool(_FURNITURE.match(sentence))


def split_paragraph_sentences(text: str, language: str = "en") -> list[list[str]]:
    """Body sentences grouped by paragraph (news furniture dropped, datelines stripped)."""
    segmenter = _segmenter(language)
    out = []
    first = True
    for para in paragraphs(text):
        sents = []
        for sentence in _split_block(para, segmenter):
            sentence = _LEADING_FURNITURE.sub("", sentence)
            # a lone quotation mark or dash left between paragraphs is no sentence
            if not any(ch.isalnum() for ch in sentence) or _is_furniture(sentence):
                continue
            if first:
                sentence = _strip_dateline(sentence)
                first = False
            if sentence:
                sents.append(sentence)
        if sents:
            out.append(sents)
    return out


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Body sentences of `text` in order; paragraph breaks end sentences."""
    return [s for para in split_paragraph_sentences(text, language) for s in para]


def words(text: str) -> list[str]:
    """Word tokens (letters, with inner apostrophes and hyphens; numbers)."""
    return _WORD.findall(text)


@lru_cache(maxsize=2048)
def sentence_words(sentence: str) -> tuple[str, ...]:
    """`words` of a sentence, remembered: an article's sentences are tokenised by the check
    for a repeated headline and again by the summaries' word counts."""
    return tuple(_WORD.findall(sentence))
