"""The day's topics in order, and each audience's share of them.

`group_articles`, the stage's entry point, makes the day's `Topic`s from the articles'
topic names (sections.py): heaviest first, each with its articles most important first.
`arrange` then gives one audience its sections, in its order, capped per topic and per
issue, and `layout` makes a small issue read as a list.
"""

from __future__ import annotations

from collections.abc import Sequence

from digest.models import Article, Topic
from digest.topics.builtin import MORE_NEWS
from digest.topics.sections import OTHER, Section, _assign
from digest.topics.vectors import Background, _Doc

# Stories from different sources this similar are the same story told twice.
SAME_STORY = 0.5


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
    by_name: dict[str, list[int]] = {}
    for i, n in enumerate(names):
        by_name.setdefault(n, []).append(i)
    for name, members in by_name.items():
        rows = matrix[members]
        m = len(members)
        # mean similarity to the others, from the sum of the (unit) rows: linear in m
        total = np.asarray(rows.sum(axis=0)).ravel()
        own = np.asarray(rows.multiply(rows).sum(axis=1)).ravel()  # 1, or 0 for an empty row
        centralities = ((rows @ total) - own) / (m - 1) if m > 1 else np.zeros(m)
        coverage = _coverage(rows, [docs[i].source for i in members])
        scored = [(1 + coverage[a], float(centralities[a]), i) for a, i in enumerate(members)]
        scored.sort(key=lambda t: (-t[0], -t[1], articles[t[2]].title.casefold(), t[2]))
        weight = float(sum(s[0] for s in scored))
        topics.append(Topic(name=name, articles=[articles[s[2]] for s in scored], weight=weight,
                            configured=name in order_of))
    topics.sort(key=lambda t: (t.name == MORE_NEWS, t.name == OTHER, -t.weight,
                               t.name.casefold()))
    return topics


def _coverage(rows, sources: list[str], block: int = 512) -> list[int]:
    """For each row, how many other sources tell the same story (similarity of at least
    SAME_STORY), a block of rows at a time so that memory stays linear in the topic."""
    import numpy as np

    m = len(sources)
    if len(set(sources)) < 2:  # one source: nobody else tells anything
        return [0] * m
    out = []
    transposed = rows.T.tocsc()
    for start in range(0, m, block):
        sims = (rows[start:start + block] @ transposed).toarray()
        for a, row in enumerate(sims, start=start):
            close = np.flatnonzero(row >= SAME_STORY).tolist()
            out.append(len({sources[b] for b in close if b != a and sources[b] != sources[a]}))
    return out


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


# An issue of fewer stories than this is one list, without headings.
LIST_UNDER = 6


def layout(topics: Sequence[Topic], list_under: int = LIST_UNDER) -> list[Topic]:
    """An audience's sections as the reader sees them: headings only where they help.

    An issue of fewer than `list_under` stories is one list with no heading (a Topic named
    ""); a section left with one story joins a final "More news"; and when that leaves a
    single section, it loses its heading too ("Other" or "More news" alone says nothing).
    """
    kept = [t for t in topics if t.articles]
    stories = [a for t in kept for a in t.articles]
    if not stories:
        return []
    whole = [Topic(name="", articles=stories, weight=float(len(stories)))]
    if len(stories) < list_under:
        return whole
    named = [t for t in kept if len(t.articles) >= 2 and t.name != MORE_NEWS]
    alone = {id(t) for t in named}
    rest = [a for t in kept if id(t) not in alone for a in t.articles]
    if rest:
        named.append(Topic(name=MORE_NEWS, articles=rest, weight=float(len(rest))))
    if len(named) == 1:
        return whole
    return named
