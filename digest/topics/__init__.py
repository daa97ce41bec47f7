"""Topics: the day's articles grouped into sections a reader can scan.

Takes the day's `Article`s (and the configured `Section`s, and earlier days' articles from the
state as background word statistics) and gives labelled `Topic`s with `group_articles`;
`arrange` orders and caps them for an audience. `assign` names each article's topic.

The parts, in the order an article meets them: `vectors` (content words, stems, TF-IDF rows,
the `CorpusBackground` of earlier articles), `sections` (configured sections, and `assign`),
`grouping` (groups found when no section is configured) and `labels` (their headings),
`arrange` (the day's topics in order, and each audience's share). `history` keeps earlier
days' articles in the state database; `evaluate` scores grouping against labelled topics
(`digest eval topics`).
"""

from digest.topics.arrange import arrange, group_articles, layout
from digest.topics.builtin import MORE_NEWS, SECTION_NAMES
from digest.topics.sections import OTHER, Section, assign, section_scores
from digest.topics.vectors import CorpusBackground, terms

__all__ = ["MORE_NEWS", "OTHER", "SECTION_NAMES", "CorpusBackground", "Section", "arrange",
           "assign", "group_articles", "layout",
           "section_scores", "terms"]
