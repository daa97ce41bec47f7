"""Headings of found groups: a built-in section when the group clearly belongs to one,
else the names and phrases its articles share.

Groups found in the day (grouping.py) are named in this order: a group whose articles'
keywords clearly point to one built-in section (builtin.py) takes its name, and groups that
take the same section become one; any other group is headed by what its articles share
and the rest don't (phrases.py); a group with neither, and a group of one article, has
no heading of its own: its stories go under "More news" (builtin.MORE_NEWS), last.
"""

from __future__ import annotations

from collections.abc import Sequence

from digest.topics.builtin import MORE_NEWS, group_sections
from digest.topics.phrases import heading
from digest.topics.vectors import _Doc


def _central_order(matrix, groups) -> list[int]:
    """Article indices, each group's most central (closest to its centroid) first."""
    import numpy as np
    from sklearn.preprocessing import normalize

    labels = np.asarray(groups)
    closeness = np.zeros(len(labels))
    for g in set(labels.tolist()):
        inside = np.flatnonzero(labels == g)
        centroid = normalize(np.asarray(matrix[inside].sum(axis=0)))
        closeness[inside] = np.asarray(matrix[inside] @ centroid.T).ravel()
    return sorted(range(len(labels)), key=lambda i: (-closeness[i], i))


def _labels(docs: Sequence[_Doc], groups: list[int], vectors) -> dict[int, str]:
    """Group number -> heading; groups sharing a heading are meant to be shown as one."""
    matrix = vectors[0]
    order = _central_order(matrix, groups)
    names = group_sections(docs, groups, order)
    members: dict[int, list[int]] = {}
    for i in order:
        members.setdefault(groups[i], []).append(i)
    cache: dict[int, dict] = {}
    used = set(names.values())
    for g, ids in members.items():
        if g in names:
            continue
        label = None
        if len(ids) >= 2:
            inside = set(ids)
            # the others: the day's other articles, the most central of each group first
            others = [docs[i] for i in order if i not in inside]
            label = heading([docs[i] for i in ids], others, cache)
        if label is None or label in used:
            label = MORE_NEWS
        used.add(label)
        names[g] = label
    return names
