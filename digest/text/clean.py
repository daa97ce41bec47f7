"""Cleaning before any NLP: boilerplate lines out, repeated paragraphs once.

The text keeps its original typography (curly quotes, dashes); only the comparison of
paragraphs normalises quote marks and spacing.
"""

from __future__ import annotations

import re
import threading
import unicodedata

from digest.text.sentences import paragraphs

# Lines that sell, navigate or share rather than report. Matched on short lines only, so a
# real paragraph that mentions "subscribe" in passing is kept. Those of a line's start:
_AT_START = [
    r"^\W*(subscribe|sign up|signup|register)\b",
    r"^\W*share (this|on|via|the)\b",
    r"^\W*(share|tweet|email|print)(\s*[|/·•,]?\s*(facebook|twitter|whatsapp|linkedin|email|"
    r"print|reddit|x|share|tweet))+\W*$",
    r"^\W*(read more|continue reading|related( articles| stories)?|advertisement|sponsored)\W*$",
    # related-story links and follow/newsletter promotions left under an article
    r"^\W*(see more|see also|don't miss|most read|trending now|recommended( for you)?)"
    r"\s*(:|\W*$)",
    r"^[\w' ]{0,40}\bnewsletter\W*$",
    # a CMS shortcode such as [button link=...] that the page printed as text
    r"^\s*\[/?[a-z_]+(\s[^\]]*)?\]",
]
# Those found anywhere, each with what any line it matches contains (case aside): a search
# for those words alone spares most lines the search of the patterns, which tries every
# pattern at every position
_ANYWHERE = {
    r"\bdownload\b.*\bapp\b": "download",
    r"\b(google\s*play|play\s*store|playstore|app\s*store)\b": "play|store",
    r"\bsubscribe (to|for|now|today)\b": "subscribe",
    r"\bclick here\b": "click here",
    r"\btap here\b": "tap here",
    r"\bfollow us on\b": "follow us on",
    r">>+|»»+|→\s*$": ">>|»»|→",
    r"\ball rights reserved\b": "all rights reserved",
    r"\b(turn off|disable) (your )?ad ?blocker\b": "blocker",
    r"\bfollow \w+( \w+)? on (instagram|facebook|twitter|youtube|linkedin)\b": "follow",
    r"\b(sign up|subscribe)\b.*\bnewsletter\b": "newsletter",
    r"\[(insight|video|reaction|pictures|poll)\]": r"\[",
}
_BOILERPLATE = _AT_START + list(_ANYWHERE)


def _either(patterns) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_AT_START_RE = _either(_AT_START)
_ANYWHERE_RE = _either(_ANYWHERE)
_HINTS_RE = _either(_ANYWHERE.values())
_MAX_BOILERPLATE_WORDS = 40

# "Monday March 20, 2023 – " or "Tuesday, October 8, 2019 —" at the start of the first
# paragraph: the date is metadata, not the story.
_DATELINE = re.compile(
    r"^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December),?\s+\d{4})"
    r"\s*[–—-]\s+(?=\S)"
)

# A repeated paragraph is dropped when it is prose (a sentence of some length): a pull quote
# or a block printed twice. Short lines that repeat by design (list items and table cells
# such as "Meal 1", "See it now: Amazon", a recipe line) are the structure of the text and
# stay; measured on the article pages of bench/pages.py, dropping those cost recall.
_REPEAT_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")

_QUOTE_MARKS = "\"“”„‟«»‘’‚‛`´"
# one regex pass, not str.translate: translate looks every character of a non-ASCII text up
# in a dict, and remembering and shingling key whole articles
_QUOTES = re.compile(f"[{re.escape(_QUOTE_MARKS)}]")
# the runs left between the spaces once everything else is one: the key's words
_KEY_WORDS = re.compile(r"[\w']+")
# the same for an ASCII text (nine paragraphs in ten), a byte at a time in C: its word
# characters and apostrophes kept, any other byte a space
_ASCII_KEY_BYTES = bytes(c if chr(c).isalnum() or chr(c) in "_'" else 32 for c in range(128))
_ASCII_KEY_BYTES += b" " * 128


def is_boilerplate(line: str) -> bool:
    """A short line that any of `_BOILERPLATE` finds."""
    return len(line.split()) <= _MAX_BOILERPLATE_WORDS and bool(
        _AT_START_RE.match(line) or (_HINTS_RE.search(line) and _ANYWHERE_RE.search(line)))


def paragraph_key(paragraph: str) -> str:
    """What two copies of a paragraph share once quote marks, case and spacing are set aside."""
    text = _QUOTES.sub("'", unicodedata.normalize("NFKC", paragraph)).casefold()
    if text.isascii():
        return b" ".join(text.encode().translate(_ASCII_KEY_BYTES).split()).decode()
    return " ".join(_KEY_WORDS.findall(text))


# the keys of the texts clean_text gave, the whole text's key made from its paragraphs' (the
# blank lines between them only separate words): remembering and shingling each article
# key its whole text again. Bounded, oldest out first; sources are cleaned in threads.
_TEXT_KEYS: dict[str, str] = {}
_TEXT_KEYS_MAX = 8192
_TEXT_KEYS_LOCK = threading.Lock()


def text_key(text: str) -> str:
    """paragraph_key of a whole text, kept from its cleaning when clean_text gave it."""
    key = _TEXT_KEYS.get(text)
    return paragraph_key(text) if key is None else key


def _keep_key(text: str, key: str) -> None:
    with _TEXT_KEYS_LOCK:
        _TEXT_KEYS[text] = key
        if len(_TEXT_KEYS) > _TEXT_KEYS_MAX:
            del _TEXT_KEYS[next(iter(_TEXT_KEYS))]


def _is_prose(paragraph: str) -> bool:
    return (len(paragraph.split()) >= _REPEAT_WORDS
            and bool(_SENTENCE_END.search(paragraph.rstrip())))


def clean_text(text: str) -> str:
    """Drop boilerplate lines and repeated prose paragraphs; paragraphs joined by a blank line."""
    kept: list[str] = []
    keys: list[str] = []
    seen: set[str] = set()
    for para in paragraphs(text):
        if is_boilerplate(para):
            continue
        key = paragraph_key(para)
        if not key:
            continue
        if key in seen and _is_prose(para):
            continue
        seen.add(key)
        kept.append(para)
        keys.append(key)
    if kept:
        first = _DATELINE.sub("", kept[0], count=1)
        if first != kept[0]:
            kept[0], keys[0] = first, paragraph_key(first)
    cleaned = "\n\n".join(kept)
    _keep_key(cleaned, " ".join(key for key in keys if key))
    return cleaned
