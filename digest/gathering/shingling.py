"""Word shingles of normalised texts as 64-bit hashes, the evidence dedupe.py compares.

A shingle is a run of SHINGLE_WORDS words; each becomes one 64-bit number mixed from its
words' crc32s, so that 10,000 articles' shingles take tens of megabytes, not a gigabyte, and
numpy can sort and compare them. Many texts are hashed in one pass (`_all_shingles`).
"""

from __future__ import annotations

import zlib

SHINGLE_WORDS = 5


# odd 64-bit multipliers that mix the words' crc32s into one hash per shingle
_MIX = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB)


def _shingles_of(key: str, size: int = SHINGLE_WORDS):
    """The word `size`-shingles of a normalised text (`paragraph_key`), as sorted unique
    64-bit hashes: a number for each shingle rather than a string keeps 10,000 articles'
    shingles in tens of megabytes, not a gigabyte, and lets numpy compare them. (Two
    shingles share a hash with a chance of about n^2 / 2^64.)"""
    import numpy as np

    return np.unique(_mixed(_word_hashes(key), size))


def _word_hashes(key: str):
    import numpy as np

    return np.fromiter(map(zlib.crc32, key.encode("utf-8").split()), dtype=np.uint64)


def _mixed(words, size: int, count: int | None = None):
    """The hash of each run of `size` words starting at the first `count` positions (all
    the runs of `words` by default), in any order, with repeats."""
    import numpy as np

    if count is None:
        count = max(0, words.size - size + 1)
    mixed = np.zeros(count, dtype=np.uint64)
    term = np.empty(count, dtype=np.uint64)
    for i in range(size if count else 0):  # in place: 4.8 million shingles on a big day
        mixed *= np.uint64(0x100000001B3)
        mixed += np.multiply(words[i:i + count], np.uint64(_MIX[i]), out=term)
    return mixed


def _all_shingles(keys: list[str], size: int = SHINGLE_WORDS, batch: int = 1 << 20):
    """(values, owners, sizes): every text's `_shingles_of`, one after the other in one
    array, the text each belongs to (int32), and how many each text has. The shingles of
    many texts are hashed in one pass over their words, and each text's are sorted in
    place, so 10,000 texts cost a few numpy calls each rather than a dozen; texts of about
    `batch` words at a time keep the temporaries to a few megabytes."""
    import numpy as np

    parts, words, held = [], [], 0
    for key in keys:
        words.append(_word_hashes(key))
        held += words[-1].size
        if held >= batch:
            parts.append(_batch_shingles(words, size))
            words, held = [], 0
    if words or not parts:
        parts.append(_batch_shingles(words, size))
    values = np.concatenate([v for v, _ in parts])
    sizes = np.concatenate([c for _, c in parts])
    del parts
    return values, np.repeat(np.arange(len(keys), dtype=np.int32), sizes), sizes


def _batch_shingles(words: list, size: int):
    """(values, sizes) of `_all_shingles` for the texts whose word hashes are `words`."""
    import numpy as np

    lengths = np.array([w.size for w in words], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths)))
    every = np.concatenate(words) if words else np.zeros(0, dtype=np.uint64)
    # the runs that start in one text and end in the next are hashed too, then dropped
    mixed = _mixed(every, size, max(0, every.size - size + 1))
    del every
    counts = np.maximum(0, lengths - size + 1)
    mixed = mixed[np.repeat(starts[:-1], counts) + _ranks(counts)]
    bounds = np.concatenate(([0], np.cumsum(counts)))
    for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        mixed[start:end].sort()
    # sorted within each text: a repeat is the same shingle as the one before, same text
    unique = np.ones(mixed.size, dtype=bool)
    unique[1:] = mixed[1:] != mixed[:-1]
    unique[bounds[:-1][counts > 0]] = True
    held = np.concatenate(([0], np.cumsum(unique)))
    return mixed[unique], held[bounds[1:]] - held[bounds[:-1]]


def _ranks(counts):
    """0, 1, ... counts[0] - 1, 0, 1, ... counts[1] - 1, ...: each item's place in its run."""
    import numpy as np

    total = int(counts.sum())
    firsts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total) - firsts
