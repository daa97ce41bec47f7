"""sumy's summarisers on our sentences: no NLTK punkt data needed.

We build sumy's document model ourselves from `digest.text` sentences and give it our word
tokeniser; stop words and stemmers are sumy's own (shipped in the package, offline).
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from digest.text.sentences import sentence_words, words

# name -> (module, class) of sumy's summarisers; imported only when used
SUMY_ALGORITHMS: dict[str, tuple[str, str]] = {
    "edmundson": ("sumy.summarizers.edmundson", "EdmundsonSummarizer"),
    "kl": ("sumy.summarizers.kl", "KLSummarizer"),
    "lex-rank": ("sumy.summarizers.lex_rank", "LexRankSummarizer"),
    "lsa": ("sumy.summarizers.lsa", "LsaSummarizer"),
    "luhn": ("sumy.summarizers.luhn", "LuhnSummarizer"),
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


class _Tokenizer:
    """The two things sumy asks of a tokenizer: a language and words of a sentence."""

    def __init__(self, language: str):
        self.language = language

    def to_words(self, sentence: str):
        return sentence_words(sentence)


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
    module, cls = SUMY_ALGORITHMS[algorithm]
    sumy_language, stemmer, stop_words = _language_tools(language)
    summarizer = getattr(import_module(module), cls)(stemmer)
    summarizer.stop_words = stop_words
    if algorithm == "edmundson":
        summarizer.bonus_words = tuple(stemmer(w.lower()) for w in words(title)
                                       if w.lower() not in stop_words) or ("news",)
        summarizer.stigma_words = _STIGMA_WORDS
        summarizer.null_words = tuple(stop_words)
    return summarizer


def sumy_summary(paragraphs: list[list[str]], algorithm: str, sentences: int, language: str,
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
