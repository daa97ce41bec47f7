"""Extractive summaries with sumy, chosen by name.

Sentences come from `digest.sentences` (offline), so sumy never needs NLTK's punkt data:
we build sumy's document model ourselves and give it our word tokeniser.
Summaries keep document order: readers follow the story, not the score.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from digest.errors import UsageError
from digest.sentences import split_paragraph_sentences, words

# name -> (module, class) in sumy.summarizers; imported only when used
ALGORITHMS: dict[str, tuple[str, str]] = {
    "edmundson": ("sumy.summarizers.edmundson", "EdmundsonSummarizer"),
    "kl": ("sumy.summarizers.kl", "KLSummarizer"),
    "lex-rank": ("sumy.summarizers.lex_rank", "LexRankSummarizer"),
    "lsa": ("sumy.summarizers.lsa", "LsaSummarizer"),
    "luhn": ("sumy.summarizers.luhn", "LuhnSummarizer"),
    "reduction": ("sumy.summarizers.reduction", "ReductionSummarizer"),
    "sum-basic": ("sumy.summarizers.sum_basic", "SumBasicSummarizer"),
    "text-rank": ("sumy.summarizers.text_rank", "TextRankSummarizer"),
}

_LANGUAGES = {"en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian",
              "pt": "portuguese", "nl": "dutch"}

# Edmundson's cue method needs words that mark a sentence as important or not.
_STIGMA_WORDS = ("subscribe", "click", "advertisement", "sponsored", "download", "app")


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
    algorithm: str = "lex-rank",
    sentences: int = 3,
    language: str = "en",
    title: str = "",
) -> list[str]:
    """The `sentences` best sentences of `text` by `algorithm`, in document order."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    check_algorithm(algorithm)
    paragraphs = split_paragraph_sentences(text, language)
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
