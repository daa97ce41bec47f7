"""Topics: the day's articles grouped into sections a reader can scan.

Takes the day's `Article`s (and the configured `Section`s, and earlier days' articles from the
state as background word statistics) and gives labelled `Topic`s with `group_articles`;
`arrange` orders and caps them for an audience. `evaluate` scores grouping against labelled
topics (`digest eval topics`).
"""

from digest.topics.grouping import OTHER, CorpusBackground, Section, arrange, assign, group_articles

__all__ = ["OTHER", "CorpusBackground", "Section", "arrange", "assign", "group_articles"]
