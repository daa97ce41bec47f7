"""Gathering: the day's articles from the configured sources, one story once.

Takes `Source` settings (folders, feeds, pages) and gives `Article`s. `collect` reads every
source (feeds and pages over `fetch`, files through `files`), `dedupe` merges the versions of
one story, and `seen` remembers in the state what was gathered and what each issue carried.
"""

from digest.gathering.context import Context
from digest.gathering.dedupe import merge_duplicates
from digest.gathering.seen import carried_before, record_issue, remember
from digest.gathering.sources import Gathered, collect, guess_source

__all__ = ["Context", "Gathered", "carried_before", "collect", "guess_source",
           "merge_duplicates", "record_issue", "remember"]
