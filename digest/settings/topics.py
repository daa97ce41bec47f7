"""Configured topics: the `[[topics]]` sections, and which of them an audience reads.

Without `[[topics]]` the topics are found in the day's articles; with them, articles are
matched to these sections and the rest go to `OTHER`.
"""

from __future__ import annotations

from pathlib import Path

from digest.settings.schema import MAX_TOPIC_KEYWORDS
from digest.settings.values import Table
from digest.topics import OTHER, Section


def parse_topics(top: Table, origin: Path) -> tuple[Section, ...]:
    """`[[topics]]` tables: name, keywords (at most MAX_TOPIC_KEYWORDS), description."""
    sections = []
    seen: set[str] = set()
    for i, item in enumerate(top.get("topics", list, [])):
        table = Table(item, f"topics[{i}]", origin)
        name = table.get("name", str, required=True).strip()
        if not name:
            raise table.error(table.key("name"), "must not be empty")
        if name.casefold() == OTHER.casefold():
            raise table.error(table.key("name"), f"'{OTHER}' is where unmatched articles go; "
                              "choose another name")
        if name.casefold() in seen:
            raise table.error(table.key("name"), f"repeats the topic name '{name}'")
        seen.add(name.casefold())
        keywords = table.strings("keywords")
        if len(keywords) > MAX_TOPIC_KEYWORDS:
            raise table.error(table.key("keywords"), f"has {len(keywords)} keywords; at most "
                              f"{MAX_TOPIC_KEYWORDS}")
        description = table.get("description", str, "")
        table.done()
        sections.append(Section(name=name, keywords=keywords, description=description))
    return tuple(sections)


def audience_sections(aud: Table, topics: tuple[Section, ...]) -> tuple[str, ...] | None:
    """An audience's `sections`: configured topic names, in the order it reads them."""
    if "sections" not in aud.data:
        return None
    names = aud.strings("sections")
    known = {t.name.casefold(): t.name for t in topics}
    known[OTHER.casefold()] = OTHER
    out = []
    for i, name in enumerate(names):
        if not topics:
            raise aud.error(aud.key("sections"), "needs [[topics]] sections to choose from")
        if name.casefold() not in known:
            raise aud.error(f"{aud.key('sections')}[{i}]", f"is not a configured topic: '{name}' "
                            f"(configured: {', '.join(known.values())})")
        if known[name.casefold()] in out:
            raise aud.error(f"{aud.key('sections')}[{i}]", f"repeats '{name}'")
        out.append(known[name.casefold()])
    return tuple(out)
