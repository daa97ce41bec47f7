"""Sentence and word tokenisation that works offline.

Nothing is downloaded: sentences come from pysbd's rules (no punkt model), words from a
regular expression, stems from NLTK's Snowball stemmer (pure code, no data files).
Paragraph breaks always end a sentence, so a header line is never glued to what follows.
"""

from __future__ import annotations

import re
from functools import cache

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


@cache
def _segmenter(language: str):
    import pysbd

    lang = language if language in _PYSBD_LANGUAGES else "en"
    return pysbd.Segmenter(language=lang, clean=False)


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Sentences of `text` in order; paragraph breaks end sentences."""
    segmenter = _segmenter(language)
    sentences: list[str] = []
    for para in paragraphs(text):
        for sentence in segmenter.segment(para):
            sentence = sentence.strip()
            if sentence:
                sentences.append(sentence)
    return sentences


def split_paragraph_sentences(text: str, language: str = "en") -> list[list[str]]:
    """Sentences grouped by paragraph."""
    segmenter = _segmenter(language)
    out = []
    for para in paragraphs(text):
        sents = [s.strip() for s in segmenter.segment(para) if s.strip()]
        if sents:
            out.append(sents)
    return out


def words(text: str) -> list[str]:
    """Word tokens (letters, with inner apostrophes and hyphens; numbers)."""
    return _WORD.findall(text)
