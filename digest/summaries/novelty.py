"""Summaries of a follow-up: the sentences that add to what the reader was already told.

A continuing story repeats its background ("Dorian made landfall in the Bahamas on Sunday as
a Category 5 hurricane"); the reader had that in yesterday's issue. A sentence most of whose
content words (stems, stop words out) are in one sentence already sent (the earlier summary
or a key quote) is "already said": the summary is chosen among the others, by the same
algorithm and in document order. When fewer new sentences than asked remain, the summary is
shorter; when none do, it is the ordinary one (the story has nothing new to add in words).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from digest.summaries.registry import prepare, summarize_prepared

# a sentence with at least this share of its content words in one sentence sent is a repeat
ALREADY_SAID = 0.5
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@cache
def _stemmer(language: str):
    import Stemmer

    names = {"en": "english", "fr": "french", "de": "german", "es": "spanish",
             "it": "italian", "pt": "portuguese", "nl": "dutch"}
    return Stemmer.Stemmer(names.get(language, "english"))


def content_words(sentence: str, language: str = "en") -> set[str]:
    """The stems of a sentence's content words (words of four letters or more: in news
    text the shorter ones are nearly all function words, in every language here)."""
    stem = _stemmer(language).stemWord
    return {stem(w.lower()) for w in _WORD.findall(sentence) if len(w) >= 4}


def repeat_share(sentence: str, said: Sequence[set[str]], language: str = "en") -> float:
    """The largest share of the sentence's content words found in one sentence of `said`."""
    words = content_words(sentence, language)
    if not words or not said:
        return 0.0
    return max(len(words & s) / len(words) for s in said)


def novel_summary(text: str, said: Sequence[str], sentences: int, algorithm: str = "news",
                  language: str = "en", title: str = "") -> list[str]:
    """The summary of `text` without what `said` (the sentences sent before) already told."""
    language, paragraphs = prepare(text, language, title)
    sent = [content_words(s, language) for s in said]
    fresh = [[s for s in para if repeat_share(s, sent, language) < ALREADY_SAID]
             for para in paragraphs]
    fresh = [para for para in fresh if para]
    if not fresh:
        return summarize_prepared(paragraphs, algorithm, sentences, language, title)
    return summarize_prepared(fresh, algorithm, sentences, language, title)


def follow_up_summary(article, said: Sequence[str], sentences: int,
                      algorithm: str = "news") -> list[str]:
    """`novel_summary` of an `Article`, in its own detected language."""
    from digest.text.language import detect_language

    language = detect_language(article.text, article.language)
    return novel_summary(article.text, said, sentences, algorithm, language, article.title)
