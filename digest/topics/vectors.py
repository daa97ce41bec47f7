"""Articles as vectors: content words, their Snowball stems, and TF-IDF rows of them.

Every part of the stage compares articles through these: stop words and single letters
are dropped, each word is reduced to its stem (and its spelling kept, for labels), and an
article becomes a row of sublinear TF-IDF weights, its title counted TITLE_WEIGHT times.

Background statistics: earlier articles (a `Background`, which the state database feeds
through digest/topics/history.py) add their document frequencies to the day's, and, once
there are MIN_HISTORY of them, give small days an LSA space where words that go together
lie close; that is what thin statistics of 20-60 articles lack most. With no history the
day's own statistics are used.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Protocol

# A title mention counts this many times a mention in the text.
TITLE_WEIGHT = 2


# --------------------------------------------------------------------------- words


_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)


@cache
def _stemmer():
    # PyStemmer: the same Snowball algorithm as NLTK's, in C; NLTK's pure-Python one took
    # most of the time of grouping 2,000 articles
    import Stemmer

    return Stemmer.Stemmer("english")


@cache
def _stop_words() -> frozenset[str]:
    from importlib.resources import files

    text = files("digest.topics").joinpath("stop_words.txt").read_text(encoding="utf-8")
    words = {line for line in text.splitlines() if line and not line.startswith("#")}
    # the BBC-style "said"/"says" and "mr"/"mrs" carry no topic either
    return frozenset(words | {"said", "says", "say", "mr", "mrs", "ms", "told"})


@cache
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


@cache
def _normal(surface: str) -> tuple[str, str] | None:
    """(stem, surface) of a content word, None for stop words and single letters."""
    lower = surface.casefold().replace("’", "'")
    if lower.endswith("'s"):
        lower, surface = lower[:-2], surface[:-2]
    if len(lower) < 2 or lower in _stop_words():
        return None
    return _stem(lower), surface


def terms(text: str) -> list[tuple[str, str]]:
    """(stem, surface word) pairs of the content words of `text`, in order."""
    return [t for t in map(_normal, _TOKEN.findall(text)) if t is not None]


@cache
def _stem_of(surface: str) -> str | None:
    """The stem of a content word, None for stop words and single letters."""
    term = _normal(surface)
    return None if term is None else term[0]


# _TOKEN's words without the regular expression, for a text whose letters are all ASCII
# (every text of the 10,000-article day; 0.35 s against 0.85 s for its 3.3 million words):
# a byte at a time in C, letters and apostrophes kept and any other byte a space, then the
# apostrophes that join no two letters made spaces too
_ASCII_WORD_BYTES = bytes(c if chr(c).isalpha() or c == 39 else 32 for c in range(128))
_ASCII_WORD_BYTES += b" " * 128
# a letter to _TOKEN outside ASCII (a text with one takes the regular expression)
_WIDE_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")


def _words(text: str) -> list[str]:
    """_TOKEN's words of `text`, the curly apostrophe (’) written ' where that is faster:
    the same stems (see _normal)."""
    if not text.isascii():
        plain = text.replace("’", "'")
        if not plain.isascii() and _WIDE_LETTER.search(plain):
            return _TOKEN.findall(text)
        text = plain  # any other character separates words: "?" below, then a space
    spaced = f" {text.encode('ascii', 'replace').translate(_ASCII_WORD_BYTES).decode()} "
    if "'" in spaced:
        # two apostrophes together, or one beside a space (or an end), join nothing
        spaced = spaced.replace("''", " ").replace(" '", " ").replace("' ", " ")
    return spaced.split()


def stem_sequence(text: str) -> tuple[str, ...]:
    """The stems of the content words of `text`, in order: what every count is made of."""
    return tuple(filter(None, map(_stem_of, _words(text))))


# --------------------------------------------------------------------------- documents and vectors


@dataclass
class _Doc:
    """An article as the stage compares it: its stems are read once, when first asked, and
    every count (words, keyword phrases) is made from them."""

    id: str
    title: str
    text: str
    source: str = ""

    @cached_property
    def title_sequence(self) -> tuple[str, ...]:
        return stem_sequence(self.title)

    @cached_property
    def text_sequence(self) -> tuple[str, ...]:
        return stem_sequence(self.text)

    @cached_property
    def title_stems(self) -> Counter:
        return Counter(self.title_sequence)

    @cached_property
    def text_stems(self) -> Counter:
        return Counter(self.text_sequence)

    def stem_counts(self) -> Counter:
        """Stem counts, the title counted TITLE_WEIGHT times (made when asked, not kept)."""
        title, text = self.title_stems, self.text_stems
        # the title's stems first, then the text's, in the order they come (the columns'
        # order); the text's counts copied in C, not added one by one (Counter.update)
        out = Counter(dict.fromkeys(title, 0))
        dict.update(out, text)
        for stem, n in title.items():
            out[stem] = n * TITLE_WEIGHT + text.get(stem, 0)
        return out


def _vectors(docs: Sequence[_Doc], background: Background | None = None):
    """L2-normalised TF-IDF rows (sublinear tf), the vocabulary and the idf weights."""
    import numpy as np
    import scipy.sparse as sp

    from digest.topics.norms import unit_rows

    vocab: dict[str, int] = defaultdict(itertools.count().__next__)  # stem -> column
    cols: list[int] = []
    counts: list[int] = []
    lengths = []
    for doc in docs:
        stems = doc.stem_counts()
        cols.extend(map(vocab.__getitem__, stems))  # new stems get the next column
        counts.extend(stems.values())
        lengths.append(len(stems))
    vocab = dict(vocab)
    cols = np.asarray(cols, dtype=np.int64)
    rows = np.repeat(np.arange(len(docs)), lengths)
    vals = 1.0 + np.log(np.asarray(counts, dtype=float))
    counts_matrix = sp.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab)))
    df = np.bincount(cols, minlength=len(vocab)).astype(float)
    n = float(len(docs))
    if background is not None and background.documents:
        stems = sorted(vocab, key=vocab.get)
        df = df + np.array([background.frequency(s) for s in stems], dtype=float)
        n += background.documents
    idf = np.log((n + 1.0) / (df + 1.0)) + 1.0
    matrix = unit_rows(counts_matrix @ sp.diags(idf)).tocsr()
    return matrix, vocab, idf


def _vectors_in(docs: Sequence[_Doc], vocab: dict[str, int], idf):
    """TF-IDF rows of `docs` over a given vocabulary and idf (words outside it dropped)."""
    import scipy.sparse as sp

    from digest.topics.norms import unit_rows

    rows, cols, vals = [], [], []
    for i, doc in enumerate(docs):
        for stem, k in doc.stem_counts().items():
            j = vocab.get(stem)
            if j is None:
                continue
            rows.append(i)
            cols.append(j)
            vals.append((1.0 + math.log(k)) * idf[j])
    return unit_rows(sp.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab))))


# --------------------------------------------------------------------------- background


class Background(Protocol):
    """What earlier articles (e.g. the state database's) tell about words.

    `frequency` gives document frequencies to add to the day's; `project` (None for a
    background too small to have one) maps the day's articles into a semantic space learnt
    from the earlier ones, where words that occur together there lie close together.
    """

    documents: int

    def frequency(self, stem: str) -> int: ...

    def project(self, docs: Sequence[_Doc]): ...


# LSA needs enough earlier articles to learn which words go together.
MIN_HISTORY = 200
HISTORY_DIMENSIONS = 100


class CorpusBackground:
    """A background built from earlier articles held in memory."""

    def __init__(self, docs: Sequence[_Doc] = ()):
        self._docs = list(docs)
        self.documents = len(self._docs)
        self.counts: Counter = Counter()
        for doc in self._docs:
            self.counts.update(doc.title_stems.keys() | doc.text_stems.keys())
        self._space = None

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> CorpusBackground:
        return cls([_Doc(id=str(i), title="", text=t) for i, t in enumerate(texts)])

    @classmethod
    def from_items(cls, items: Iterable[tuple[str, str, str]]) -> CorpusBackground:
        return cls([_Doc(id=i, title=t, text=x) for i, t, x in items])

    def frequency(self, stem: str) -> int:
        return self.counts.get(stem, 0)

    def project(self, docs: Sequence[_Doc]):
        """LSA coordinates (unit rows) of `docs`, or None with too little history."""
        if self.documents < MIN_HISTORY:
            return None
        from sklearn.decomposition import TruncatedSVD

        from digest.topics.norms import unit_rows

        if self._space is None:
            matrix, vocab, idf = _vectors(self._docs)
            dims = min(HISTORY_DIMENSIONS, matrix.shape[1] - 1, self.documents - 1)
            svd = TruncatedSVD(dims, random_state=0).fit(matrix)
            self._space = (vocab, idf, svd)
        vocab, idf, svd = self._space
        return unit_rows(svd.transform(_vectors_in(docs, vocab, idf)))
