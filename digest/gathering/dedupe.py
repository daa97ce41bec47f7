"""One story once: versions of the same story from several sources become one article.

Two articles are the same story when they share a canonical URL (tracking parameters such
as utm_* and the fragment removed, by courlan), a GUID, or nearly the same text: word
5-shingles whose Jaccard similarity is at least `NEAR_DUPLICATE`. A teaser and its full
story are one story too, though their Jaccard similarity is low: when at least `CONTAINED`
of the shorter text's shingles are in the longer one (containment). Both come from one count
of the shingles each pair of texts shares (a sparse matrix product over the shingles that
two texts or more have, in C), so thousands of articles are never compared all against all;
a near-copy found that way is then checked on the exact shingle sets. The fullest version is
kept and names the others' sources in `also_in`.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from digest.gathering.shingling import SHINGLE_WORDS, _all_shingles, _ranks, _shingles_of
from digest.models import Article
from digest.text.clean import text_key

NEAR_DUPLICATE = 0.6  # Jaccard similarity of word 5-shingles
# below this many shingles a text is too short to call a copy on wording alone
MIN_SHINGLES = 8
# share of the shorter text's shingles found in the longer one: a teaser of its full story
CONTAINED = 0.8
# a shingle in more texts than this is a stock phrase, not evidence of one story
_MAX_POSTINGS = 50


# `remember` asks for every URL of the day before the merge asks again: a cache that holds
# a big day's serves the merge (10,000 URLs: about 1 MB; 0.3-0.4 s of courlan saved)
@lru_cache(maxsize=1 << 16)
def canonical_url(url: str) -> str:
    """The URL that identifies a story: no tracking parameters, no fragment; "" if none."""
    if not url:
        return ""
    from courlan import normalize_url  # deferred: pulled in with trafilatura, not light

    try:
        normal = normalize_url(url)
    except Exception:  # courlan on a hostile URL: fall back to the URL without its fragment
        normal = url
    parts = urlsplit(normal)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       parts.query, ""))


def guid_key(article: Article) -> str:
    """The GUID as an identity, or "" when it is too weak to be one.

    GUIDs that look global (a URL, a tag: or urn: URI, a UUID) identify a story anywhere;
    short local ones ("2", "post-17") are unique only within their feed, so they are scoped
    by the source.
    """
    guid = article.guid.strip()
    if not guid:
        return ""
    if ":" in guid or len(guid) >= 24:
        return guid
    return f"{article.source}\x1f{guid}"


@lru_cache(maxsize=4096)
def _normal(text: str) -> str:
    # the same texts are hashed, shingled and remembered in turn: normalise each once
    return text_key(text)


def content_hash(text: str) -> str:
    """A hash of the wording, or "" for a text too short to identify a story on its own
    (feeds repeat bodies such as "[link] [comments]" under every entry)."""
    return _hash_of(_normal(text))


def shingles(text: str, size: int = SHINGLE_WORDS):
    """The text's word `size`-shingles as 64-bit hashes (sorted, unique: a numpy array)."""
    return _shingles_of(_normal(text), size)


def _hash_of(key: str) -> str:
    """content_hash of a normalised text."""
    # its words are one space apart: counted without splitting the text into them
    if key.count(" ") + 1 < SHINGLE_WORDS + MIN_SHINGLES - 1:
        return ""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def jaccard(a, b) -> float:
    """Jaccard similarity of two shingle arrays (sorted, unique)."""
    import numpy as np

    if not a.size or not b.size:
        return 0.0
    shared = np.intersect1d(a, b, assume_unique=True).size
    return shared / (a.size + b.size - shared)


def contained_pairs(sets: list, share: float = CONTAINED, block: int = 512):
    """Pairs (i, j) where at least `share` of the smaller set is in the other one, in
    order of i, then j."""
    for i, j, _ in sharing_pairs(sets, share, block):
        yield i, j


def sharing_pairs(sets: list, share: float, block: int = 512):
    """(i, j, shared) where set i is the smaller (ties: the lower index) and at least `share`
    of it is in set j, in order of i, then j; `shared` counts the shingles they share.

    Only shingles that two texts share, and that are not stock phrases (in more than
    _MAX_POSTINGS texts), are counted: see `_shared_counts`.
    """
    import numpy as np

    n = len(sets)
    sizes = np.array([len(s) for s in sets], dtype=np.int64)
    values = np.concatenate(list(sets)) if n else np.zeros(0, dtype=np.uint64)
    telling, _ = _postings(values, np.repeat(np.arange(n), sizes), n)
    del values
    i, j, count = _shared_counts(telling, sizes, share, block)
    for a, b, c in zip(i.tolist(), j.tolist(), count.tolist()):
        yield a, b, c


def _postings(values, owners, n: int):
    """(telling, stock): sparse n-row matrices, a row per text, of the shingles that two
    texts or more have; `telling` holds those in at most _MAX_POSTINGS texts (see
    `_merged`), `stock` the stock phrases, in more, a column each. (`values` holds each
    text's shingles once, `owners` the text of each.)"""
    import numpy as np
    import scipy.sparse as sp

    order = np.argsort(values)
    ordered = values[order]
    owners = owners[order].astype(np.int32, copy=False)
    del order
    # the texts holding one shingle are next to each other
    column, _, counts = _runs(ordered)
    del ordered
    stock = (counts > _MAX_POSTINGS)[column]
    stock_matrix = sp.csr_matrix(
        (np.ones(int(stock.sum()), dtype=np.int32), (owners[stock], column[stock])),
        shape=(n, counts.size))
    del stock
    telling = ((counts > 1) & (counts <= _MAX_POSTINGS))[column]
    column, owners = column[telling], owners[telling]
    del telling
    return _merged(column, owners, n), stock_matrix


def _merged(column, owners, n: int):
    """A sparse n-row matrix of the shingles `column` held by the texts `owners` (an entry
    each, in order of column), where the shingles held by exactly the same texts are one
    column whose entries count them: the product of the matrix and its pattern's transpose
    (ones) is the same count of shared shingles, but the shingles of a paragraph that
    several texts carry, alike in every one, are added up once, not once for each shingle
    (versions of a story share whole paragraphs: 4.7 million entries become 150,000 on the
    10,000-article day)."""
    import numpy as np
    import scipy.sparse as sp

    if not column.size:
        return sp.csr_matrix((n, 0), dtype=np.int32)
    # each column's texts in order, then a column's signature: a sum of its texts' hashes
    key = column.astype(np.int64)
    key *= n
    key += owners
    key.sort()
    key -= column.astype(np.int64) * n  # the columns stay in order: their texts are sorted
    owners = key.astype(np.int32)
    del key
    column, starts, counts = _runs(column)
    signature = np.add.reduceat(_mixed_ints(owners), starts)
    # the columns with one signature are one column if their texts are the same: checked
    by_signature = np.argsort(signature)
    alike = np.zeros(starts.size, dtype=bool)
    alike[1:] = signature[by_signature[1:]] == signature[by_signature[:-1]]
    leader = np.empty(starts.size, dtype=np.int64)
    leader[by_signature] = by_signature[
        np.maximum.accumulate(np.where(alike, 0, np.arange(starts.size)))]
    same = np.array_equal(counts[leader], counts)
    if same:
        # an entry's counterpart in its column's leader: as far from the leader's start
        moved = np.flatnonzero((leader != np.arange(starts.size))[column])
        shift = (starts[leader] - starts)[column[moved]]
        same = np.array_equal(owners[moved + shift], owners[moved])
        del moved, shift
    del column
    if not same:  # two sets of texts of one signature (a chance of about n^2 / 2^64)
        leader = np.arange(starts.size)
    leaders, weights = np.unique(leader, return_counts=True)
    take = np.repeat(starts[leaders], counts[leaders]) + _ranks(counts[leaders])
    indptr = np.concatenate(([0], np.cumsum(counts[leaders])))
    by_column = sp.csr_matrix(
        (np.repeat(weights.astype(np.int32), counts[leaders]), owners[take], indptr),
        shape=(leaders.size, n))
    return by_column.T.tocsr()


def _runs(ordered):
    """(run, starts, counts) of a sorted array: each item's run of equal values numbered
    0, 1, ... (int32), where each run starts and how long it is."""
    import numpy as np

    first = np.ones(ordered.size, dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(first)
    run = np.cumsum(first, dtype=np.int32)
    run -= 1
    return run, starts, np.diff(np.append(starts, ordered.size))


def _mixed_ints(ints):
    """A 64-bit hash of each integer (splitmix64's finaliser)."""
    import numpy as np

    z = ints.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _shared_counts(matrix, sizes, share: float, block: int = 512):
    """(i, j, shared) as arrays, for `sharing_pairs`, from the texts' `telling` matrix.

    A block of rows times the transpose counts the shingles each pair shares (in C, so
    thousands of texts cost seconds, not minutes, and memory stays linear)."""
    import numpy as np

    need = share * sizes
    # a text too little of which is anywhere else holds nothing
    held = np.asarray(matrix.sum(axis=1)).ravel()
    asking = np.flatnonzero((held >= need) & (sizes > 0))
    transposed = matrix.T.tocsr()
    transposed.data[:] = 1  # the other text's side: whether it has the shingles, not how many
    found = []
    for start in range(0, asking.size, block):
        rows = asking[start:start + block]
        shared = (matrix[rows] @ transposed).tocoo()
        i, j, count = rows[shared.row], shared.col, shared.data
        # asked from the smaller side only (ties: the lower index asks)
        smaller = (sizes[i] < sizes[j]) | ((sizes[i] == sizes[j]) & (i < j))
        keep = (i != j) & smaller & (count >= need[i])
        i, j, count = i[keep], j[keep], count[keep]
        order = np.lexsort((j, i))
        found.append((i[order], j[order], count[order].astype(np.int64)))
    if not found:
        return tuple(np.zeros(0, dtype=np.int64) for _ in range(3))
    return tuple(np.concatenate(parts) for parts in zip(*found))


def _near_copy_floor(threshold: float) -> float:
    """The share of the smaller text that a near-copy's shared shingles must reach, less a
    margin. Jaccard J = s / (a + b - s) >= t with a <= b needs s >= 2t / (1 + t) * a (0.75 of
    the smaller text at t = 0.6); the count leaves out stock phrases, so a pair is asked
    about from two thirds of that (0.5), then checked on its whole shingle sets."""
    return 2 * threshold / (1 + threshold) * 2 / 3


def group_duplicates(articles: list[Article], threshold: float = NEAR_DUPLICATE,
                     contained: float | None = CONTAINED) -> list[list[int]]:
    """Indexes of `articles` grouped by story, in order of first appearance."""
    import numpy as np

    parent = list(range(len(articles)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    # each text normalised once, for its hash and its shingles (and for `seen`, before)
    keys = [_normal(article.text) for article in articles]
    owners: dict[str, int] = {}
    for i, article in enumerate(articles):
        url, guid, text = canonical_url(article.url), guid_key(article), _hash_of(keys[i])
        for key in (f"url {url}" if url else "", f"guid {guid}" if guid else "",
                    f"text {text}" if text else ""):
            if key:
                if key in owners:
                    union(owners[key], i)
                else:
                    owners[key] = i

    values, owners, sizes = _all_shingles(keys)
    del keys
    candidates = np.flatnonzero(sizes >= MIN_SHINGLES)
    if candidates.size > 1:
        if candidates.size < sizes.size:
            # the candidates' shingles, each text numbered by its place among the candidates
            keep = sizes[owners] >= MIN_SHINGLES
            place = (np.cumsum(sizes >= MIN_SHINGLES) - 1).astype(np.int32)
            values, owners = values[keep], place[owners[keep]]
            del keep
        telling, stock = _postings(values, owners, candidates.size)
        del values, owners
        sizes = sizes[candidates]
        floor = _near_copy_floor(threshold)
        i, j, shared = _shared_counts(telling, sizes,
                                      floor if contained is None else min(floor, contained))
        del telling
        # the shingles two texts share are the telling ones counted, and stock phrases
        shared_all = shared + np.asarray(stock[i].multiply(stock[j]).sum(axis=1)).ravel()
        near = shared_all / (sizes[i] + sizes[j] - shared_all) >= threshold
        pairs = list(zip(candidates[i].tolist(), candidates[j].tolist()))
        for (a, b), similar in zip(pairs, near.tolist()):
            if similar and find(a) != find(b):
                union(a, b)
        if contained is not None:
            holders: dict[int, list[int]] = {}
            for (a, b), teaser in zip(pairs, (shared >= contained * sizes[i]).tolist()):
                if teaser:
                    holders.setdefault(b, []).append(a)
            for longer, shorter in holders.items():
                # a text that holds two different stories' texts is a round-up, not the
                # full version of either: it merges with neither
                if len({find(i) for i in shorter}) == 1:
                    union(longer, shorter[0])

    groups: dict[int, list[int]] = {}
    for i in range(len(articles)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def merge_duplicates(articles: list[Article], threshold: float = NEAR_DUPLICATE
                     ) -> list[tuple[Article, list[Article]]]:
    """(kept article, all its versions) per story; the kept one names the others' sources.

    The fullest version (most words; the first read on a tie) is kept; a date, link or
    author it lacks is taken from the other versions.
    """
    stories = []
    for group in group_duplicates(articles, threshold):
        versions = [articles[i] for i in group]
        # max keeps the first on a tie; a story of one version has no words to count
        best = versions[0] if len(versions) == 1 else max(versions, key=lambda a: a.words)
        others = [a for a in versions if a is not best]
        also_in = []
        for other in others:
            if other.source != best.source and other.source not in also_in:
                also_in.append(other.source)
        dates = [a.published for a in others if a.published]
        kept = replace(
            best,
            also_in=also_in,
            url=best.url or next((a.url for a in others if a.url), ""),
            author=best.author or next((a.author for a in others if a.author), ""),
            published=best.published or (min(dates) if dates else None),
        )
        stories.append((kept, versions))
    return stories

