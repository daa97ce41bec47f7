"""Extractive summaries chosen by name: `news` (ours, the default) or one of sumy's.

Sentences come from `digest.text.sentences` (offline), so sumy never needs NLTK's punkt data:
we build sumy's document model ourselves and give it our word tokeniser.
Summaries keep document order: readers follow the story, not the score.
A language that the summarisers cannot handle (no stop words or stemmer in sumy) gets the
lead sentences and a logged note.
"""

from __future__ import annotations

import logging

from digest.errors import UsageError
from digest.summaries.sumy_methods import (
    SUMY_ALGORITHMS,
    stop_words,
    sumy_summary,
    supported_language,
)
from digest.text.sentences import sentence_words, split_paragraph_sentences, words

log = logging.getLogger("digest")

DEFAULT_ALGORITHM = "news"

# name -> (module, function or class); imported only when used. `news` is ours, the rest sumy's.
ALGORITHMS: dict[str, tuple[str, str]] = dict(sorted(
    {"news": ("digest.summaries.news", "select"), **SUMY_ALGORITHMS}.items()))


def check_algorithm(name: str) -> str:
    if name not in ALGORITHMS:
        raise UsageError(
            f"unknown summary algorithm '{name}' (choose from: {', '.join(ALGORITHMS)})"
        )
    return name


def summarize(
    text: str,
    algorithm: str = DEFAULT_ALGORITHM,
    sentences: int = 3,
    language: str | None = "en",
    title: str = "",
    max_words: int | None = None,
) -> list[str]:
    """The `sentences` best sentences of `text` by `algorithm`, in document order.

    `language` None: detect it. `max_words` (the `news` algorithm only): a word budget for
    the whole summary; sentences are never cut.
    """
    check_algorithm(algorithm)
    language, paragraphs = prepare(text, language, title)
    return summarize_prepared(paragraphs, algorithm, sentences, language, title, max_words)


def prepare(text: str, language: str | None = "en", title: str = ""
            ) -> tuple[str, list[list[str]]]:
    """(language, sentences by paragraph): the part of summarising that does not depend on
    the algorithm or the length, done once however many summaries an article gets."""
    if language is None:
        from digest.text.language import detect_language

        language = detect_language(text)
    language = language.split("-")[0].lower() or "en"
    paragraphs = split_paragraph_sentences(text, language)
    if title:
        # a headline repeated as the text's first line is not a body sentence
        key = " ".join(words(title)).casefold()
        paragraphs = [kept for kept in ([s for s in para
                                         if " ".join(sentence_words(s)).casefold() != key]
                                        for para in paragraphs) if kept]
    return language, paragraphs


def summarize_prepared(paragraphs: list[list[str]], algorithm: str, sentences: int,
                       language: str, title: str = "", max_words: int | None = None
                       ) -> list[str]:
    """`summarize` on sentences that `prepare` split."""
    check_algorithm(algorithm)
    if not supported_language(language):
        lead = [s for para in paragraphs for s in para][:sentences]
        label = f"'{title}'" if title else "an article"
        log.warning("%s is in a language the summarisers do not handle (%s): "
                    "its first sentences are the summary", label, language)
        return lead
    if algorithm == "news":
        return _News(paragraphs, language).summary(sentences, max_words)
    return sumy_summary(paragraphs, algorithm, sentences, language, title)


def summarize_variants(paragraphs: list[list[str]], variants: list[tuple[str, int]],
                       language: str, title: str = "") -> dict[tuple[str, int], list[str]]:
    """Every (algorithm, sentences) summary an article gets, by variant: the `news` ones
    share one similarity matrix (it was a fifth of a big day's summarising, made twice)."""
    news = _News(paragraphs, language) if supported_language(language) else None
    return {(algo, n): news.summary(n) if algo == "news" and news is not None else
            summarize_prepared(paragraphs, algo, n, language, title) for algo, n in variants}


class _News:
    """The `news` summaries of one article's sentences, its similarities made once."""

    def __init__(self, paragraphs: list[list[str]], language: str):
        self.flat = [s for para in paragraphs for s in para]
        self.starts = [j == 0 for para in paragraphs for j in range(len(para))]
        self.stop_words = stop_words(language)
        self._sim = None
        self._units = None

    def summary(self, sentences: int, max_words: int | None = None) -> list[str]:
        from digest.summaries.news import Units, select, similarities

        if self._sim is None and self.flat:
            self._sim = similarities(self.flat, self.stop_words)
            self._units = Units.of(self.flat, self.starts)
        chosen = select(self.flat, sentences, self.stop_words, max_words, self.starts,
                        self._sim, self._units)
        return [self.flat[i] for i in chosen]


