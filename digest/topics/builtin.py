"""The built-in news sections (IPTC Media Topics, top level) that name found groups.

The sections and their vocabularies live in `builtin_sections.toml` beside this module
(shipped in the wheel with the package); `SECTION_NAMES` and `MORE_NEWS` are every heading
the stage can write by itself, in one place, so that they can be translated.

A found group is named after a built-in section when its articles clearly belong to it:
most of the articles whose keyword evidence is clear pick that section (`group_sections`).
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from digest.topics.sections import Section, _phrases, _section_matrix, _section_scores
from digest.topics.vectors import _Doc

DATA = Path(__file__).with_name("builtin_sections.toml")
# the heading of the stories that are alone in their section (arrange.py)
MORE_NEWS = "More news"
# An article's keyword evidence is clear when its best section scores at least this
# (about one keyword in the title, or two in the text) ...
MIN_EVIDENCE = 1.0
# ... and this many times its second best.
MARGIN = 1.25
# A group is named after a section when at least this share of its articles with clear
# evidence, and at least MIN_SHARE_ALL of all its articles, pick it.
MIN_SHARE = 0.5
MIN_SHARE_ALL = 0.34
# articles voting per group: the most central ones; the vote of a group of thousands is
# settled long before all of them have spoken
MAX_VOTERS = 60


@cache
def builtin_sections() -> tuple[Section, ...]:
    """The built-in sections, in the file's order."""
    with DATA.open("rb") as handle:
        data = tomllib.load(handle)
    return tuple(Section(name=s["name"], keywords=tuple(s["keywords"]),
                         description="") for s in data["section"])


@cache
def iptc_codes() -> dict[str, str]:
    """Section name -> IPTC Media Topic code."""
    with DATA.open("rb") as handle:
        data = tomllib.load(handle)
    return {s["name"]: s["iptc"] for s in data["section"]}


@cache
def _marks() -> list:
    return [_phrases(s) for s in builtin_sections()]


SECTION_NAMES: tuple[str, ...] = tuple(s.name for s in builtin_sections())


def article_section(doc: _Doc) -> str | None:
    """The built-in section an article's keywords clearly point to, or None."""
    return _clear(_section_scores(doc, _marks()))


def _clear(scores) -> str | None:
    scores = list(scores)
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
    best, second = scores[ranked[0]], scores[ranked[1]]
    if best < MIN_EVIDENCE or best < MARGIN * second:
        return None
    return SECTION_NAMES[ranked[0]]


def keyword_scores(docs: Sequence[_Doc]):
    """Every article's keyword evidence for every built-in section (articles x sections)."""
    return _section_matrix(docs, _marks())


def group_sections(docs: Sequence[_Doc], groups: Sequence[int],
                   order: Sequence[int] | None = None, scores=None) -> dict[int, str]:
    """Group number -> built-in section name, for the groups that clearly belong to one.

    `order`: the articles' indices, most central first within each group (at most
    MAX_VOTERS of each group vote); default the given order. `scores`: keyword_scores of
    all of `docs`, when already made.
    """
    members: dict[int, list[int]] = {}
    for i in (order if order is not None else range(len(docs))):
        members.setdefault(groups[i], []).append(i)
    voting = [i for ids in members.values() for i in ids[:MAX_VOTERS]]
    if scores is None:
        scores = dict(zip(voting, keyword_scores([docs[i] for i in voting])))
    out = {}
    for g, ids in members.items():
        voters = ids[:MAX_VOTERS]
        votes = Counter(s for s in (_clear(scores[i]) for i in voters) if s)
        if not votes:
            continue
        name, n = votes.most_common(1)[0]
        if n >= MIN_SHARE * sum(votes.values()) and n >= MIN_SHARE_ALL * len(voters):
            out[g] = name
    return out
