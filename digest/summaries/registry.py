"""Extractive summaries chosen by name: `news` (ours, the default) or one of sumy's.

Sentences come from `digest.text.sentences` (offline), so sumy never needs NLTK's punkt data:
we build sumy's document model ourselves and give it our word tokeniser.
Summaries keep document order: readers follow the story, not the score.
A language that the summarisers cannot handle (no stop words or stemmer in sumy) gets the
lead sentences and a logged note.
"""

from __future__ import annotations

import logging
from functools import cache
from importlib import import_module

from digest.errors import UsageError
from digest.text.sentences import split_paragraph_sentences, words

log = logging.getLogger("digest")

DEFAULT_ALGORITHM = "news"

# name -> (module, class); imported only when used. `news` is digest.summaries.news (not a sumy class).
ALGORITHMS: dict[str, tuple[str, str]] = {
    "edmundson": ("sumy.summarizers.edmundson", "EdmundsonSummarizer"),
    "kl": ("sumy.summarizers.kl", "KLSummarizer"),
    "lex-rank": ("sumy.summarizers.lex_rank", "LexRankSummarizer"),
    "lsa": ("sumy.summarizers.lsa", "LsaSummarizer"),
    "luhn": ("sumy.summarizers.luhn", "LuhnSummarizer"),
    "news": ("digest.summaries.news", "select"),
    "reduction": ("sumy.summarizers.reduction", "ReductionSummarizer"),
    "sum-basic": ("sumy.summarizers.sum_basic", "SumBasicSummarizer"),
    "text-rank": ("sumy.summarizers.text_rank", "TextRankSummarizer"),
}

# ISO 639-1 -> sumy's name, for the languages sumy has both stop words and a stemmer for
_LANGUAGES = {"ar": "arabic", "cs": "czech", "de": "german", "el": "greek", "en": "english",
              "es": "spanish", "fr": "french", "he": "hebrew", "it": "italian", "pl": "polish",
              "pt": "portuguese", "sk": "slovak", "sv": "swedish", "uk": "ukrainian"}

# Edmundson's cue method needs words that mark a sentence as important or not.
_STIGMA_WORDS = ("subscribe", "click", "advertisement", "sponsored", "download", "app")


def supported_language(language: str) -> bool:
    """Whether the summarisers have stop words and a stemmer for this ISO 639-1 code."""
    return language.split("-")[0].lower() in _LANGUAGES


def check_algorithm(name: str) -> str:
    if name not in ALGORITHMS:
        raise UsageError(
            f"unknown summary algorithm '{name}' (choose from: {', '.join(ALGORITHMS)})"
        )
    return name


class _Tokenizer:
    """The two things sumy asks of a tokenizer: a language and words of a sentence."""

    def __init__(self, language: str):
        self.language = language

    def to_words(self, sentence: str):
        return tuple(words(sentence))


@cache
def _language_tools(language: str):
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words

    sumy_language = _LANGUAGES.get(language, "english")
    try:
        stop_words = frozenset(get_stop_words(sumy_language))
    except LookupError:
        stop_words = frozenset(get_stop_words("english"))
    return sumy_language, Stemmer(sumy_language), stop_words


@cache
def stop_words(language: str) -> frozenset[str]:
    from sumy.utils import get_stop_words

    try:
        return frozenset(get_stop_words(_LANGUAGES.get(language, "english")))
    except LookupError:
        return frozenset()


def _summarizer(algorithm: str, language: str, title: str):
    module, cls = ALGORITHMS[check_algorithm(algorithm)]
    sumy_language, stemmer, stop_words = _language_tools(language)
    summarizer = getattr(import_module(module), cls)(stemmer)
    summarizer.stop_words = stop_words
    if algorithm == "edmundson":
        summarizer.bonus_words = tuple(stemmer(w.lower()) for w in words(title)
                                       if w.lower() not in stop_words) or ("news",)
        summarizer.stigma_words = _STIGMA_WORDS
        summarizer.null_words = tuple(stop_words)
    return summarizer


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
        paragraphs = [kept for kept in ([s for s in para if " ".join(words(s)).casefold() != key]
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
        from digest.summaries.news import select

        flat = [s for para in paragraphs for s in para]
        starts = [j == 0 for para in paragraphs for j in range(len(para))]
        chosen = select(flat, sentences, stop_words(language), max_words, starts)
        return [flat[i] for i in chosen]
    return _sumy_summary(paragraphs, algorithm, sentences, language, title)


def _sumy_summary(paragraphs: list[list[str]], algorithm: str, sentences: int, language: str,
                  title: str) -> list[str]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    unique: list[str] = []
    seen: set[str] = set()
    for para in paragraphs:
        for s in para:
            if s not in seen:
                seen.add(s)
                unique.append(s)
    if len(unique) <= sentences:
        return unique
    tokenizer = _Tokenizer(_LANGUAGES.get(language, "english"))
    document = ObjectDocumentModel(
        [Paragraph([Sentence(s, tokenizer) for s in para]) for para in paragraphs]
    )
    summarizer = _summarizer(algorithm, language, title)
    chosen = {str(s) for s in summarizer(document, sentences)}
    # order and uniqueness come from the document, whatever order sumy returns
    return [s for s in unique if s in chosen][:sentences]
