"""Headings of found groups: the words a group's articles share and the others don't.

Each word is shown in the spelling its articles use most; names keep their capitals, other
words get one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from digest.topics.vectors import _Doc

LABEL_WORDS = 3


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
