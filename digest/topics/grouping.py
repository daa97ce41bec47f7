"""Topics: the sections an editor configures, or groups found in the day's articles.

Configured sections: an article's mentions of each section's name and keywords (title
mentions count double) place it first; then the articles placed confidently lend their
vocabulary, so that an article using other words for the same thing finds its section too.
An article with no keyword that is unlike every section goes to "Other".

Automatic grouping (no section configured): articles become TF-IDF vectors of Snowball
stems; each is linked to its ceil(sqrt(n)) most similar articles, and Louvain modularity
optimisation on that graph chooses the number of groups, so nothing assumes how many
topics a day has. A few rounds of spherical k-means from that partition then move the
articles that sit between two groups. A small day (under MIN_HISTORY articles) chooses
its Louvain resolution by stability instead (_stable_groups). Each group is labelled by
the words its articles share and the others don't. Louvain runs with fixed seeds: the same
input, the same topics.

Background statistics: earlier articles (a `Background`, which the state database feeds
through digest/history.py) add their document frequencies to the day's, and, once there
are MIN_HISTORY of them, give small days an LSA space where words that go together lie
close; that is what thin statistics of 20-60 articles lack most. With no history the day's own statistics are used.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Protocol

from digest.models import Article, Topic

OTHER = "Other"
# A section needs a keyword mentioned twice in the text, or once in the title (~log1p(2)).
MIN_SECTION_SCORE = 1.0
TITLE_WEIGHT = 2
# Stories from different sources this similar are the same story told twice.
SAME_STORY = 0.5
LABEL_WORDS = 3
# Weight of an article's keyword evidence against its similarity to a section's articles.
# Chosen on one half of the BBC development set (0.2 of 0.2-1.0), checked on the other half.
KEYWORD_WEIGHT = 0.2
SECTION_ROUNDS = 5

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)


@cache
def _stemmer():
    # PyStemmer: the same Snowball algorithm as NLTK's, in C; NLTK's pure-Python one took
    # most of the time of grouping 2,000 articles
    import Stemmer

    return Stemmer.Stemmer("english")


@cache
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    # the BBC-style "said"/"says" and "mr"/"mrs" carry no topic either
    return frozenset(ENGLISH_STOP_WORDS | {"said", "says", "say", "mr", "mrs", "ms", "told"})


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


def _term_counts(text: str) -> Counter:
    """Counts of (stem, surface) pairs; counting words before stemming is much faster."""
    out: Counter = Counter()
    for surface, n in Counter(_TOKEN.findall(text)).items():
        term = _normal(surface)
        if term is not None:
            out[term] += n
    return out


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


# A small day's partition (see _stable_groups): runs that each see a random share of the
# vocabulary, and the Louvain resolutions tried (1, the textbook default, and above it,
# since at 1 topics merge on small days; the range was chosen on one half of the BBC
# development set, by a hash of the id, and checked on the other half). 16 runs rather than
# 8: the agreement and the consensus are averages over random views, and with 8 their
# noise moved small days' groups (40-article samples: NMI 0.791 -> 0.796 on the tuning
# half, 0.755 -> 0.758 on the held-out one); it doubles a small day's ~0.3 s.
STABILITY_RUNS = 16
STABILITY_SHARE = 0.8
RESOLUTIONS = (1.0, 1.1, 1.2, 1.3, 1.4, 1.5)

# LSA needs enough earlier articles to learn which words go together.
MIN_HISTORY = 200
# neighbours per article: sqrt(n), but no more than this, so that the graph of a very big
# day (10,000 articles: 100 each, a million edges for Louvain in pure Python) stays bounded;
# up to 2,500 articles it changes nothing
MAX_NEIGHBOURS = 50
HISTORY_DIMENSIONS = 100


class CorpusBackground:
    """A background built from earlier articles held in memory."""

    def __init__(self, docs: Sequence[_Doc] = ()):
        self._docs = list(docs)
        self.documents = len(self._docs)
        self.counts: Counter = Counter()
        for doc in self._docs:
            self.counts.update({stem for stem, _ in doc.term_counts()})
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
        from sklearn.preprocessing import normalize

        if self._space is None:
            matrix, vocab, idf = _vectors(self._docs)
            dims = min(HISTORY_DIMENSIONS, matrix.shape[1] - 1, self.documents - 1)
            svd = TruncatedSVD(dims, random_state=0).fit(matrix)
            self._space = (vocab, idf, svd)
        vocab, idf, svd = self._space
        return normalize(svd.transform(_vectors_in(docs, vocab, idf)))


# --------------------------------------------------------------------------- documents


@dataclass
class _Doc:
    id: str
    title: str
    text: str
    source: str = ""

    @cached_property
    def title_terms(self) -> Counter:
        return _term_counts(self.title)

    @cached_property
    def text_terms(self) -> Counter:
        return _term_counts(self.text)

    @cached_property
    def title_stems(self) -> Counter:
        return _stems_only(self.title_terms)

    @cached_property
    def text_stems(self) -> Counter:
        return _stems_only(self.text_terms)

    @cached_property
    def stem_counts(self) -> Counter:
        """Stem counts, the title counted TITLE_WEIGHT times."""
        out = Counter({t: n * TITLE_WEIGHT for t, n in self.title_stems.items()})
        out.update(self.text_stems)
        return out

    def term_counts(self) -> Counter:
        """(stem, surface) counts, the title counted TITLE_WEIGHT times."""
        out = Counter({t: n * TITLE_WEIGHT for t, n in self.title_terms.items()})
        out.update(self.text_terms)
        return out


def _stems_only(counts: Counter) -> Counter:
    out: Counter = Counter()
    for (stem, _), n in counts.items():
        out[stem] += n
    return out


def _vectors(docs: Sequence[_Doc], background: Background | None = None):
    """L2-normalised TF-IDF rows (sublinear tf), the vocabulary and the idf weights."""
    import numpy as np
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, doc in enumerate(docs):
        for stem, n in doc.stem_counts.items():
            rows.append(i)
            cols.append(vocab.setdefault(stem, len(vocab)))
            vals.append(1.0 + math.log(n))
    counts_matrix = sp.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab)))
    df = np.bincount(cols, minlength=len(vocab)).astype(float)
    n = float(len(docs))
    if background is not None and background.documents:
        stems = sorted(vocab, key=vocab.get)
        df = df + np.array([background.frequency(s) for s in stems], dtype=float)
        n += background.documents
    idf = np.log((n + 1.0) / (df + 1.0)) + 1.0
    matrix = normalize(counts_matrix @ sp.diags(idf)).tocsr()
    return matrix, vocab, idf


def _vectors_in(docs: Sequence[_Doc], vocab: dict[str, int], idf):
    """TF-IDF rows of `docs` over a given vocabulary and idf (words outside it dropped)."""
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    rows, cols, vals = [], [], []
    for i, doc in enumerate(docs):
        for stem, k in doc.stem_counts.items():
            j = vocab.get(stem)
            if j is None:
                continue
            rows.append(i)
            cols.append(j)
            vals.append((1.0 + math.log(k)) * idf[j])
    return normalize(sp.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab))))


# --------------------------------------------------------------------------- grouping


def _louvain(similarity, k: int, resolution: float = 1.0, seed: int = 0):
    """Communities of the k-nearest-neighbour graph; the number comes from modularity."""
    import numpy as np

    sim = similarity.copy()
    np.fill_diagonal(sim, -np.inf)
    # stable sort: ties broken by position, so the graph is the same on every run
    neighbours = np.argsort(-sim, axis=1, kind="stable")[:, :k]
    weights = np.take_along_axis(similarity, neighbours, axis=1)
    return _communities(neighbours, weights, resolution, seed)


def _nearest(matrix, k: int, block: int = 512):
    """The k nearest neighbours of every row of a (unit-row) sparse matrix and their
    similarities, a block of rows at a time: memory grows with n, not n squared (10,000
    articles took 4 GB with the whole similarity matrix at once)."""
    import numpy as np

    n = matrix.shape[0]
    neighbours = np.empty((n, k), dtype=np.int64)
    weights = np.empty((n, k))
    transposed = matrix.T.tocsc()
    for start in range(0, n, block):
        stop = min(n, start + block)
        sims = (matrix[start:stop] @ transposed).toarray()
        masked = sims.copy()
        masked[np.arange(stop - start), np.arange(start, stop)] = -np.inf
        # the same stable order as _louvain's: the same graph as the whole matrix gives
        rows = np.argsort(-masked, axis=1, kind="stable")[:, :k]
        neighbours[start:stop] = rows
        weights[start:stop] = np.take_along_axis(sims, rows, axis=1)
    return neighbours, weights


def _communities(neighbours, weights, resolution: float = 1.0, seed: int = 0):
    """Louvain communities of the graph that links each row to its neighbours."""
    import networkx as nx
    import numpy as np

    n = neighbours.shape[0]
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(
        (i, int(j), float(w)) for i in range(n)
        for j, w in zip(neighbours[i], weights[i]) if w > 0)
    communities = nx.community.louvain_communities(graph, weight="weight", seed=seed,
                                                   resolution=resolution)
    # number groups by their first member so the labels do not depend on set order
    communities = sorted((sorted(c) for c in communities), key=lambda c: c[0])
    labels = np.zeros(n, dtype=int)
    for c, members in enumerate(communities):
        labels[members] = c
    return labels


def _refine(matrix, labels, rounds: int = 10):
    """Spherical k-means from the graph's partition: each article to its nearest centroid."""
    import numpy as np
    from sklearn.preprocessing import normalize

    for _ in range(rounds):
        groups = sorted(set(labels.tolist()))
        centroids = normalize(np.vstack([np.asarray(matrix[labels == g].sum(axis=0)).ravel()
                                         for g in groups]))
        nearest = np.asarray(matrix @ centroids.T).argmax(axis=1)
        moved = np.array(groups)[nearest]
        if (moved == labels).all():
            break
        labels = moved
    # renumber 0..k-1 in order of first appearance
    order = {g: i for i, g in enumerate(dict.fromkeys(labels.tolist()))}
    return np.array([order[g] for g in labels.tolist()])


def _sharpened(matrix, idf):
    """The rows reweighted for a small day: plain idf log(N/df), which gives no weight to
    a word in every article (the +1 of smoothed idf keeps it), and no weight to a word
    only one of the day's articles uses (it links no two articles, it only dilutes)."""
    import numpy as np
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    weight = (idf - 1.0) * (df >= 2) / idf
    return normalize(matrix @ sp.diags(weight)).tocsr()


def _stable_groups(matrix, k: int):
    """A small day's partition: the Louvain resolution at which the groups are most stable
    when each run sees only part of the vocabulary, then the groups most of those runs
    agree on (average linkage on how often two articles were grouped together, cut at
    one half).

    Modularity at resolution 1 tends to merge topics on 20-60 articles; which resolution
    suits a day is not known beforehand, and a partition that holds when some words are
    left out is one the words support (stability-based model selection, Lange et al. 2004;
    cluster ensembles, Strehl and Ghosh 2002).
    """
    import itertools

    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    from sklearn.metrics import adjusted_rand_score
    from sklearn.preprocessing import normalize

    rng = np.random.default_rng(0)
    views = []
    for _ in range(STABILITY_RUNS):
        part = normalize(matrix[:, rng.random(matrix.shape[1]) < STABILITY_SHARE])
        views.append((part @ part.T).toarray())
    best = None
    for resolution in RESOLUTIONS:
        runs = [_louvain(view, k, resolution, seed) for seed, view in enumerate(views)]
        agreement = float(np.mean([adjusted_rand_score(a, b)
                                   for a, b in itertools.combinations(runs, 2)]))
        # ties keep the lower resolution: fewer, larger groups
        if best is None or agreement > best[0] + 1e-9:
            best = (agreement, resolution, runs)
    _, resolution, runs = best
    runs.append(_louvain((matrix @ matrix.T).toarray(), k, resolution))
    together = np.mean([r[:, None] == r[None, :] for r in runs], axis=0)
    distance = 1.0 - together
    np.fill_diagonal(distance, 0.0)
    labels = fcluster(linkage(squareform(distance, checks=False), "average"), 0.5, "distance")
    return np.asarray(labels) - 1


def cluster(docs: Sequence[_Doc], background: Background | None = None,
            vectors=None) -> list[int]:
    """Group numbers (0, 1, ...) of `docs`, the number of groups chosen by the method."""
    import numpy as np

    n = len(docs)
    if n < 3:
        return [0] * n
    matrix, _, idf = vectors or _vectors(docs, background)
    # a day with as many articles as LSA needs has statistics enough of its own; on the
    # whole BBC set, the history's view made the groups worse, on 40-article days better
    small = n < MIN_HISTORY
    if small:
        matrix = _sharpened(matrix, idf)
    space = background.project(docs) if background is not None and small else None
    if space is not None:
        import scipy.sparse as sp
        from sklearn.preprocessing import normalize

        # the day's own words and the history's view of them, weighted alike
        matrix = normalize(sp.hstack([matrix, sp.csr_matrix(space)]).tocsr())
    # (on a small day, an article none of whose words another article uses is empty too)
    empty = np.asarray(matrix.getnnz(axis=1)) == 0
    k = max(2, min(n - 1, math.ceil(math.sqrt(n)), MAX_NEIGHBOURS))
    if small:
        labels = _stable_groups(matrix, k)
    else:
        labels = _communities(*_nearest(matrix, k))
    if len(set(labels.tolist())) > 1:
        labels = _refine(matrix, labels)
    if empty.any():
        # articles that share no content word with the others: a group of their own
        labels = labels.copy()
        labels[empty] = labels.max() + 1
    return labels.tolist()


def _labels(docs: Sequence[_Doc], groups: list[int], vectors,
            words: int = LABEL_WORDS) -> dict[int, str]:
    """1-3 words per group: common in its articles, rarer in the others."""
    import numpy as np

    matrix, vocab, idf = vectors
    present = (matrix > 0).astype(float).tocsc()
    stems = sorted(vocab, key=vocab.get)
    groups_arr = np.array(groups)
    out: dict[int, str] = {}
    used: set[str] = set()
    for g in sorted(set(groups)):
        inside = groups_arr == g
        share_in = np.asarray(present[inside].mean(axis=0)).ravel()
        if (~inside).any():
            share_out = np.asarray(present[~inside].mean(axis=0)).ravel()
        else:
            share_out = np.zeros_like(share_in)
        score = (share_in - share_out) * share_in * idf
        if inside.sum() >= 2:
            # a word of one article only says nothing about the group
            score[np.asarray(present[inside].sum(axis=0)).ravel() < 2] = -np.inf
        chosen: list[str] = []
        for j in np.argsort(-score, kind="stable"):
            if len(chosen) == words or not np.isfinite(score[j]) or score[j] <= 0:
                break
            members = [docs[i] for i in np.flatnonzero(inside)]
            surface = _readable(_surfaces(stems[j], members))
            if surface is None or surface.casefold() in {c.casefold() for c in chosen}:
                continue
            chosen.append(surface)
        if not chosen:
            chosen = [docs[int(np.flatnonzero(inside)[0])].title[:40] or "Stories"]
        label = ", ".join(chosen)
        while label in used:  # two groups never share a heading
            label += "'"
        used.add(label)
        out[g] = label
    return out


def _surfaces(stem: str, docs: Sequence[_Doc]) -> Counter:
    """How the articles spell the words of one stem."""
    forms: Counter = Counter()
    for doc in docs:
        for counts in (doc.title_terms, doc.text_terms):
            for (s, surface), n in counts.items():
                if s == stem:
                    forms[surface] += n
    return forms


def _readable(forms: Counter) -> str | None:
    """The usual spelling of a word; names keep their capitals, other words get one."""
    surface, _ = max(forms.items(), key=lambda kv: (kv[1], kv[0]))
    if len(surface) < 3:
        return None
    if surface.islower():
        return surface[0].upper() + surface[1:]
    return surface


# --------------------------------------------------------------------------- sections


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


def _count(phrase: tuple[str, ...], text: str, counts: Counter) -> int:
    if len(phrase) == 1:
        return counts[phrase[0]]
    # phrases are rare in a configuration: the word sequence is only built for them
    stems = [stem for stem, _ in terms(text)]
    size = len(phrase)
    return sum(1 for i in range(len(stems) - size + 1) if tuple(stems[i:i + size]) == phrase)


def section_scores(title: str, text: str, sections: Sequence[Section]) -> list[float]:
    """How strongly the article is about each section (0: no mention)."""
    return _section_scores(_Doc("", title, text), [_phrases(s) for s in sections])


def _section_scores(doc: _Doc, phrases: list) -> list[float]:
    scores = []
    for marks in phrases:
        score = 0.0
        for phrase, weight in marks:
            hits = (TITLE_WEIGHT * _count(phrase, doc.title, doc.title_stems)
                    + _count(phrase, doc.text, doc.text_stems))
            # diminishing returns: one word repeated does not outweigh several words
            score += weight * math.log1p(hits)
        scores.append(score)
    return scores


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
    keyword = np.array([_section_scores(d, phrases) for d in docs])
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


# --------------------------------------------------------------------------- public API


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
    groups = cluster(docs, background, vectors)
    names = _labels(docs, groups, vectors)
    return [names[g] for g in groups], vectors


def group_articles(articles: Sequence[Article], sections: Sequence[Section] = (),
                   background: Background | None = None) -> list[Topic]:
    """The day's topics, heaviest first, each with its articles most important first."""
    import numpy as np

    if not articles:
        return []
    docs = [_Doc(id=a.id, title=a.title, text=a.text, source=a.source) for a in articles]
    names, (matrix, _, _) = _assign(docs, sections, background)
    order_of = {s.name: i for i, s in enumerate(sections)}
    topics = []
    for name in dict.fromkeys(names):
        members = [i for i, n in enumerate(names) if n == name]
        similarity = (matrix[members] @ matrix[members].T).toarray()
        np.fill_diagonal(similarity, 0.0)
        m = len(members)
        # mean similarity to the others (vectorised: topics of thousands are O(m^2) here)
        centralities = similarity.sum(axis=1) / (m - 1) if m > 1 else np.zeros(m)
        scored = []
        for a, i in enumerate(members):
            # a story several sources tell counts once per other source telling it
            close = np.flatnonzero(similarity[a] >= SAME_STORY)
            coverage = len({docs[members[b]].source for b in close.tolist()
                            if b != a and docs[members[b]].source != docs[i].source})
            scored.append((1 + coverage, float(centralities[a]), i))
        scored.sort(key=lambda t: (-t[0], -t[1], articles[t[2]].title.casefold(), t[2]))
        weight = float(sum(s[0] for s in scored))
        topics.append(Topic(name=name, articles=[articles[s[2]] for s in scored], weight=weight,
                            configured=name in order_of))
    topics.sort(key=lambda t: (t.name == OTHER, -t.weight, t.name.casefold()))
    return topics


def arrange(topics: Sequence[Topic], sections: Sequence[str] | None = None,
            per_topic: int | None = None, per_issue: int | None = None) -> list[Topic]:
    """What one audience gets: its sections in its order, capped per topic and per issue.

    Without a list of sections every topic is kept in weight order. The issue cap takes
    articles round by round (each topic's first, then each one's second...), so the top
    story of a small topic is not crowded out by a large one.
    """
    if sections is not None:
        by_name = {t.name: t for t in topics}
        chosen = [by_name[name] for name in sections if name in by_name]
    else:
        chosen = list(topics)
    lists = [t.articles[:per_topic] if per_topic else list(t.articles) for t in chosen]
    if per_issue is not None:
        kept = [0] * len(lists)
        left = per_issue
        depth = 0
        while left > 0 and any(depth < len(a) for a in lists):
            for i, arts in enumerate(lists):
                if left and depth < len(arts):
                    kept[i] += 1
                    left -= 1
            depth += 1
        lists = [arts[:n] for arts, n in zip(lists, kept)]
    return [Topic(name=t.name, articles=arts, weight=t.weight, configured=t.configured)
            for t, arts in zip(chosen, lists) if arts]
