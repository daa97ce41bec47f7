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

    from digest.topics.norms import unit_rows

    labels = np.asarray(groups)
    closeness = np.zeros(len(labels))
    for g in set(labels.tolist()):
        inside = np.flatnonzero(labels == g)
        centroid = unit_rows(np.asarray(matrix[inside].sum(axis=0)))
        closeness[inside] = np.asarray(matrix[inside] @ centroid.T).ravel()
    return sorted(range(len(labels)), key=lambda i: (-closeness[i], i))


def _labels(docs: Sequence[_Doc], groups: list[int], vectors,
            scores=None) -> dict[int, str]:
    """Group number -> heading; groups sharing a heading are meant to be shown as one.
    `scores`: builtin.keyword_scores of `docs`, when already made."""
    matrix = vectors[0]
    order = _central_order(matrix, groups)
    names = group_sections(docs, groups, order, scores)
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


# Weight of an article's built-in keyword evidence against its similarity to the named
# groups' articles, when the named groups settle their borders (as sections.KEYWORD_WEIGHT).
SETTLE_WEIGHT = 0.2
SETTLE_ROUNDS = 5


def settle(docs: Sequence[_Doc], names: list[str], matrix, scores=None) -> list[str]:
    """Each article moved to the named group it is most like, its built-in keywords
    counting as for configured sections: groups found by word overlap alone split a
    story's articles where its words change; the sections' vocabularies know they belong."""
    import numpy as np

    from digest.topics.builtin import SECTION_NAMES, keyword_scores
    from digest.topics.sections import _centroid_similarity

    headings = list(dict.fromkeys(names))
    if len(headings) < 2:
        return names
    column = {h: j for j, h in enumerate(headings)}
    builtin = [h for h in headings if h in SECTION_NAMES]
    keyword = np.zeros((len(docs), len(headings)))
    if builtin:
        wanted = [SECTION_NAMES.index(h) for h in builtin]
        scores = keyword_scores(docs) if scores is None else scores
        keyword[:, [column[h] for h in builtin]] = scores[:, wanted]
    share = keyword / np.maximum(keyword.sum(axis=1, keepdims=True), 1e-12)
    labels = np.array([column[n] for n in names])
    for _ in range(SETTLE_ROUNDS):
        similarity = _centroid_similarity(matrix, labels, len(headings))
        moved = (similarity + SETTLE_WEIGHT * share).argmax(axis=1)
        if (moved == labels).all():
            break
        labels = moved
    return [headings[j] for j in labels.tolist()]
