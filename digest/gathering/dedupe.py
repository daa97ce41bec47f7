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
import zlib
from dataclasses import replace
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from digest.models import Article
from digest.text.clean import text_key

NEAR_DUPLICATE = 0.6  # Jaccard similarity of word 5-shingles
SHINGLE_WORDS = 5
# below this many shingles a text is too short to call a copy on wording alone
MIN_SHINGLES = 8
# share of the shorter text's shingles found in the longer one: a teaser of its full story
CONTAINED = 0.8
# a shingle in more texts than this is a stock phrase, not evidence of one story
_MAX_POSTINGS = 50


@lru_cache(maxsize=4096)
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


# odd 64-bit multipliers that mix the words' crc32s into one hash per shingle
_MIX = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB)


def _shingles_of(key: str, size: int = SHINGLE_WORDS):
    """The word `size`-shingles of a normalised text (`paragraph_key`), as sorted unique
    64-bit hashes: a number for each shingle rather than a string keeps 10,000 articles'
    shingles in tens of megabytes, not a gigabyte, and lets numpy compare them. (Two
    shingles share a hash with a chance of about n^2 / 2^64.)"""
    import numpy as np

    words = np.fromiter(map(zlib.crc32, key.encode("utf-8").split()), dtype=np.uint64)
    count = max(0, words.size - size + 1)
    mixed = np.zeros(count, dtype=np.uint64)
    for i in range(size if count else 0):
        mixed = mixed * np.uint64(0x100000001B3) + words[i:i + count] * np.uint64(_MIX[i])
    return np.unique(mixed)


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
    _MAX_POSTINGS texts), are counted: the texts become rows of a sparse matrix of those
    shingles, and a block of rows times its transpose counts the shingles each pair shares
    (in C, so thousands of texts cost seconds, not minutes, and memory stays linear).
    """
    import numpy as np
    import scipy.sparse as sp

    n = len(sets)
    sizes = np.array([len(s) for s in sets], dtype=np.int64)
    flat = np.concatenate(list(sets)) if n else np.zeros(0, dtype=np.uint64)
    values, column, counts = np.unique(flat, return_inverse=True, return_counts=True)
    del flat, values
    telling = (counts > 1) & (counts <= _MAX_POSTINGS)
    rows = np.repeat(np.arange(n), sizes)
    keep = telling[column]
    matrix = sp.csr_matrix((np.ones(int(keep.sum()), dtype=np.int32),
                            (rows[keep], column[keep])), shape=(n, counts.size))
    del rows, column, keep
    need = share * sizes
    # a text too little of which is anywhere else holds nothing
    asking = np.flatnonzero((np.diff(matrix.indptr) >= need) & (sizes > 0))
    transposed = matrix.T.tocsr()
    for start in range(0, asking.size, block):
        rows = asking[start:start + block]
        shared = (matrix[rows] @ transposed).tocoo()
        i, j, count = rows[shared.row], shared.col, shared.data
        # asked from the smaller side only (ties: the lower index asks)
        smaller = (sizes[i] < sizes[j]) | ((sizes[i] == sizes[j]) & (i < j))
        keep = (i != j) & smaller & (count >= need[i])
        i, j, count = i[keep], j[keep], count[keep]
        for a in np.lexsort((j, i)).tolist():
            yield int(i[a]), int(j[a]), int(count[a])


def _near_copy_floor(threshold: float) -> float:
    """The share of the smaller text that a near-copy's shared shingles must reach, less a
    margin. Jaccard J = s / (a + b - s) >= t with a <= b needs s >= 2t / (1 + t) * a (0.75 of
    the smaller text at t = 0.6); the count leaves out stock phrases, so a pair is asked
    about from two thirds of that (0.5), then checked on its whole shingle sets."""
    return 2 * threshold / (1 + threshold) * 2 / 3


def group_duplicates(articles: list[Article], threshold: float = NEAR_DUPLICATE,
                     contained: float | None = CONTAINED) -> list[list[int]]:
    """Indexes of `articles` grouped by story, in order of first appearance."""
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

    sets = [_shingles_of(key) for key in keys]
    del keys
    candidates = [i for i, s in enumerate(sets) if len(s) >= MIN_SHINGLES]
    if len(candidates) > 1:
        floor = _near_copy_floor(threshold)
        pairs = list(sharing_pairs([sets[i] for i in candidates],
                                   floor if contained is None else min(floor, contained)))
        for i, j, _ in pairs:
            a, b = candidates[i], candidates[j]
            if find(a) != find(b) and jaccard(sets[a], sets[b]) >= threshold:
                union(a, b)
        if contained is not None:
            holders: dict[int, list[int]] = {}
            for i, j, shared in pairs:
                if shared >= contained * len(sets[candidates[i]]):
                    holders.setdefault(candidates[j], []).append(candidates[i])
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
        best = max(versions, key=lambda a: a.words)  # max keeps the first on a tie
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

