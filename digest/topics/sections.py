"""Configured sections: which of an editor's sections each article belongs to.

An article's mentions of each section's name and keywords (title mentions count double)
place it first; then the articles placed confidently lend their vocabulary, so that an
article using other words for the same thing finds its section too. An article with no
keyword that is unlike every section goes to "Other". Without any configured section,
`assign` names each article by the group found for it (grouping.py, labels.py).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from digest.topics.grouping import cluster
from digest.topics.vectors import TITLE_WEIGHT, Background, _Doc, _vectors, terms

OTHER = "Other"
# A section needs a keyword mentioned twice in the text, or once in the title (~log1p(2)).
MIN_SECTION_SCORE = 1.0
# Weight of an article's keyword evidence against its similarity to a section's articles.
# Chosen on one half of the BBC development set (0.2 of 0.2-1.0), checked on the other half.
KEYWORD_WEIGHT = 0.2
SECTION_ROUNDS = 5


@dataclass(frozen=True)
class Section:
    """A configured section: a name, the words that mark it, an optional description."""

    name: str
    keywords: tuple[str, ...] = ()
    description: str = ""


def _phrases(section: Section) -> list[tuple[tuple[str, ...], float]]:
    """Stem sequences that mark a section, with their weights."""
    out = []
    for phrase in (section.name, *section.keywords):
        stems = tuple(stem for stem, _ in terms(phrase))
        if stems:
            out.append((stems, 1.0))
    # the description helps, but an editor writes it for readers, not for matching
    for stem, _ in terms(section.description):
        out.append(((stem,), 0.5))
    return out


def _runs(stems: tuple[str, ...], size: int):
    """The runs of `size` stems in a stem sequence, in order."""
    return zip(*(stems[i:] for i in range(size)))


def _ngrams(stems: tuple[str, ...], size: int) -> Counter:
    """Counts of the runs of `size` stems in a stem sequence."""
    return Counter(_runs(stems, size))


def section_scores(title: str, text: str, sections: Sequence[Section]) -> list[float]:
    """How strongly the article is about each section (0: no mention)."""
    return _section_scores(_Doc("", title, text), [_phrases(s) for s in sections])


def _section_scores(doc: _Doc, phrases: list) -> list[float]:
    grams: dict[tuple[int, bool], Counter] = {}  # (size, in the title) -> counts

    def count(phrase: tuple[str, ...], title: bool) -> int:
        if len(phrase) == 1:
            return (doc.title_stems if title else doc.text_stems)[phrase[0]]
        key = (len(phrase), title)
        if key not in grams:
            grams[key] = _ngrams(doc.title_sequence if title else doc.text_sequence, key[0])
        return grams[key][phrase]

    scores = []
    for marks in phrases:
        score = 0.0
        for phrase, weight in marks:
            hits = TITLE_WEIGHT * count(phrase, True) + count(phrase, False)
            # diminishing returns: one word repeated does not outweigh several words
            score += weight * math.log1p(hits)
        scores.append(score)
    return scores


def _section_matrix(docs: Sequence[_Doc], phrases: list):
    """`_section_scores` of many documents at once, as an array (documents x sections).

    The same sums, reorganised: each document's stems are looked up among the keywords
    (rather than every keyword among its stems), and each phrase length's sequences are
    counted once per document; the built-in sections have some 700 keywords.
    """
    import numpy as np

    singles: dict[str, list[tuple[int, float]]] = {}
    longer: dict[tuple[str, ...], list[tuple[int, float]]] = {}
    for j, marks in enumerate(phrases):
        for phrase, weight in marks:
            table = singles if len(phrase) == 1 else longer
            table.setdefault(phrase[0] if len(phrase) == 1 else phrase, []).append((j, weight))
    # per phrase length, each phrase -> (its place in the list, its marks): a document's
    # runs of that length are looked up among the phrases, and the hits summed in the
    # list's order (the same sums in the same order as going down the list)
    by_size: dict[int, dict] = {}
    for phrase, marks in longer.items():
        table = by_size.setdefault(len(phrase), {})
        table[phrase] = (len(table), marks)
    has_single = singles.__contains__
    out = np.zeros((len(docs), len(phrases)))
    for i, doc in enumerate(docs):
        title_stems, text_stems = doc.title_stems, doc.text_stems
        hits: dict[str, int] = {}
        for stem in filter(has_single, title_stems):
            hits[stem] = TITLE_WEIGHT * title_stems[stem]
        for stem in filter(has_single, text_stems):
            hits[stem] = hits.get(stem, 0) + text_stems[stem]
        row = [0.0] * len(phrases)  # a list: a numpy element costs ten times as much
        for stem, n in hits.items():
            for j, weight in singles[stem]:
                row[j] += weight * math.log1p(n)
        for size, wanted in by_size.items():
            known = wanted.__contains__
            title = Counter(filter(known, _runs(doc.title_sequence, size)))
            text = Counter(filter(known, _runs(doc.text_sequence, size)))
            for _, marks, phrase in sorted((*wanted[p], p) for p in {*title, *text}):
                n = TITLE_WEIGHT * title.get(phrase, 0) + text.get(phrase, 0)
                for j, weight in marks:
                    row[j] += weight * math.log1p(n)
        out[i] = row
    return out


def assign_sections(docs: Sequence[_Doc], sections: Sequence[Section],
                    min_score: float = MIN_SECTION_SCORE,
                    background: Background | None = None, vectors=None) -> list[str]:
    """Best section name per document, or OTHER.

    Keywords alone miss articles that use other words for the same thing, so the articles
    the keywords place confidently lend their vocabulary: each article is scored by its
    TF-IDF similarity to each section's centroid (leaving itself out) plus KEYWORD_WEIGHT
    times its share of keyword evidence, for a few rounds. An article with no
    keyword at all that is also further from its best section than most of that
    section's own articles goes to OTHER.
    """
    import numpy as np

    if not docs or not sections:
        return [OTHER] * len(docs)
    phrases = [_phrases(section) for section in sections]
    keyword = _section_matrix(docs, phrases)
    confident = keyword.max(axis=1) >= min_score
    labels = np.where(confident, keyword.argmax(axis=1), -1)
    share = keyword / np.maximum(keyword.sum(axis=1, keepdims=True), 1e-12)
    matrix, _, _ = vectors or _vectors(docs, background)
    similarity = np.zeros(keyword.shape)
    for _ in range(SECTION_ROUNDS):
        similarity = _centroid_similarity(matrix, labels, len(sections))
        moved = (similarity + KEYWORD_WEIGHT * share).argmax(axis=1)
        if (moved == labels).all():
            break
        labels = moved
    out = []
    for i, s in enumerate(labels.tolist()):
        members = similarity[(labels == s) & confident, s]
        typical = float(np.percentile(members, 25)) if members.size else 0.0
        # (a small floor: the leave-one-out cosine of an unrelated article is 0 up to rounding)
        if keyword[i].max() == 0 and similarity[i, s] < max(typical, 1e-6):
            out.append(OTHER)
        else:
            out.append(sections[s].name)
    return out


def _centroid_similarity(matrix, labels, count: int):
    """Cosine of each row to each group's centroid, a row's own group counted without it."""
    import numpy as np

    sums = np.vstack([np.asarray(matrix[labels == s].sum(axis=0)).ravel()
                      for s in range(count)])
    dots = np.asarray(matrix @ sums.T)  # rows are unit vectors
    norms2 = (sums * sums).sum(axis=1)
    own = labels[:, None] == np.arange(count)[None, :]
    dots_loo = np.where(own, dots - 1.0, dots)
    norms_loo = np.where(own, norms2[None, :] - 2.0 * dots + 1.0, norms2[None, :])
    return dots_loo / np.sqrt(np.maximum(norms_loo, 1e-12))


# --------------------------------------------------------------------------- each article's topic


def assign(items: Sequence[tuple[str, str, str]], sections: Sequence[Section] = (),
           background: Background | None = None) -> list[str]:
    """Topic name of each (id, title, text): configured sections if any, else found groups."""
    docs = [_Doc(id=i, title=t, text=x) for i, t, x in items]
    return _assign(docs, sections, background)[0]


def _assign(docs: Sequence[_Doc], sections: Sequence[Section],
            background: Background | None):
    if not docs:
        return [], None
    vectors = _vectors(docs, background)
    if sections:
        return assign_sections(docs, sections, background=background, vectors=vectors), vectors
    # (labels.py names groups after the built-in sections, which are Sections: imported here)
    from digest.topics.builtin import keyword_scores
    from digest.topics.labels import _labels, settle

    groups = cluster(docs, background, vectors)
    scores = keyword_scores(docs)  # once, for naming the groups and settling them
    names = _labels(docs, groups, vectors, scores)
    return settle(docs, [names[g] for g in groups], vectors[0], scores), vectors
