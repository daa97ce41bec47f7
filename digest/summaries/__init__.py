"""Summaries: a few sentences of each article, in its own words and in document order.

Takes an article's text (and title and language) and gives its summary sentences. The
algorithm is chosen by name from `ALGORITHMS` in `registry`: `news` (ours, the default, in
`news`) or one of sumy's (`lex-rank`, `lsa`, `text-rank`, ...). `evaluate` scores them with
ROUGE against reference summaries (`digest eval summaries`).
"""

from digest.summaries.registry import (
    ALGORITHMS,
    DEFAULT_ALGORITHM,
    check_algorithm,
    prepare,
    summarize,
    summarize_prepared,
)

__all__ = ["ALGORITHMS", "DEFAULT_ALGORITHM", "check_algorithm", "prepare", "summarize",
           "summarize_prepared"]
