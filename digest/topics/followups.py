"""Follow-ups: a story that continues one an earlier issue of the same audience carried.

The same URL or text is not a follow-up (one story once leaves it out); a follow-up is a new
article about the same story: "Hurricane Dorian leaves trail of destruction" four days after
"Hurricane Dorian strengthens to Category 5". Each issue records what it told its audience
about each story (title, summary, key quotes and the article's opening, in the state's
`sent_stories`); an article of a later issue whose title and opening are close to one of
those (TF-IDF cosine over content-word stems, the stories of the last LOOKBACK_DAYS) follows
it. Two stories of the same kind (two hurricanes, two marathons) share their vocabulary, so
the similarity is the geometric mean of two cosines: of the content words, and of the names
(capitalised words inside sentences), which tell one hurricane from another. The pipeline
then marks the article ("Update") and summarises what it adds (digest/summaries/novelty.py)
against what was sent. THRESHOLD was chosen on pairs of the bundled Wikinews samples
(docs/quality.md, bench/followups.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from digest.models import Article
from digest.state import State
from digest.topics.vectors import TITLE_WEIGHT, terms

LOOKBACK_DAYS = 30
THRESHOLD = 0.2
OPENING_CHARS = 1500  # a story's opening names its subject; the rest adds noise


@dataclass
class Earlier:
    """What an earlier issue told the audience about a story."""

    issue_date: dt.date
    title: str
    summary: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    similarity: float = 0.0

    @property
    def said(self) -> list[str]:
        """Everything the reader already read about it: the summary, then the quotes."""
        return self.summary + self.quotes


def opening(text: str, cap: int = OPENING_CHARS) -> str:
    if len(text) <= cap:
        return text
    cut = text.rfind(" ", 0, cap)
    return text[:cut if cut > cap // 2 else cap]


def _bag(title: str, text: str) -> Counter:
    bag: Counter = Counter(stem for stem, _ in terms(opening(text)))
    for stem, _ in terms(title):
        bag[stem] += TITLE_WEIGHT
    return bag


_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_EDGE = "\"'“”‘’«»„()[],.;:!?"
# capitalised words that name no story: days, months, titles, the most common countries
_NOT_NAMES = frozenset("""the a an in on at he she it they we this that these there his her
their its but and for with as after while when monday tuesday wednesday thursday friday
saturday sunday january february march april may june july august september october november
december mr mrs ms dr president prime minister according utc us uk""".split())


def _names(title: str, text: str) -> Counter:
    """The capitalised words inside sentences (not the first word), title ones twice."""
    bag: Counter = Counter()
    for weight, part in ((1, opening(text)), (TITLE_WEIGHT, title)):
        for sentence in _SENTENCES.split(part):
            words = sentence.split()
            # a title's first word is as much a name as any other ("Dorian leaves...")
            for word in (words if weight == TITLE_WEIGHT else words[1:]):
                if not word[:1].isupper():
                    continue
                word = word.strip(_EDGE).replace("’", "'").removesuffix("'s")
                if len(word) > 1 and word.lower() not in _NOT_NAMES:
                    bag[word.lower()] += weight
    return bag


def _matrix(bags: Sequence[Counter]):
    """Sublinear TF-IDF rows (document frequencies of these bags), L2-normalised, sparse."""
    import numpy as np
    from scipy.sparse import csr_matrix

    columns: dict[str, int] = {}
    indptr, indices, counts = [0], [], []
    for bag in bags:
        for term, count in bag.items():
            indices.append(columns.setdefault(term, len(columns)))
            counts.append(count)
        indptr.append(len(indices))
    tf = csr_matrix((np.log(np.asarray(counts, dtype=float)) + 1.0 if counts else [],
                     indices, indptr), shape=(len(bags), max(len(columns), 1)))
    df = np.bincount(tf.indices, minlength=tf.shape[1])
    idf = np.log((1 + len(bags)) / (1 + df)) + 1.0
    weighted = tf.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return csr_matrix(weighted.multiply(1.0 / norms[:, None]))


def similarities(earlier: Sequence[tuple[str, str]], later: Sequence[tuple[str, str]]
                 ) -> list[list[float]]:
    """Similarity of each later (title, text) to each earlier one (rows later, columns
    earlier): the geometric mean of the content-word and the name cosines."""
    import numpy as np

    if not earlier or not later:
        return [[] for _ in later]
    items = (*earlier, *later)
    k = len(earlier)
    cosines = []
    for bags in ([_bag(t, x) for t, x in items], [_names(t, x) for t, x in items]):
        rows = _matrix(bags)
        cosines.append(np.clip((rows[k:] @ rows[:k].T).toarray(), 0.0, None))
    return np.sqrt(cosines[0] * cosines[1]).tolist()


def sent_before(state: State, audience: str, date: dt.date,
                lookback_days: int = LOOKBACK_DAYS) -> list[tuple[Earlier, str, int]]:
    """(what was sent, the story's opening, its `seen` id) for the audience's issues of the
    days before."""
    start = (date - dt.timedelta(days=lookback_days)).isoformat()
    with state.lock:
        rows = state.db.execute(
            "SELECT issue_date, title, summary, quotes, opening, seen_id FROM sent_stories "
            "WHERE audience = ? AND issue_date < ? AND issue_date >= ? "
            "ORDER BY issue_date DESC", (audience, date.isoformat(), start)).fetchall()
    return [(Earlier(dt.date.fromisoformat(r[0]), r[1], _lines(r[2]), _lines(r[3])), r[4], r[5])
            for r in rows]


def find_followups(state: State, audience: str, date: dt.date, articles: Sequence[Article],
                   seen: dict[int, set[int]] | None = None,
                   threshold: float = THRESHOLD) -> dict[int, Earlier]:
    """{id(article): the earlier story it follows} for the articles that follow one.

    `seen` (id(article) -> its `seen` ids): a story carried again (`--force`) is not a
    follow-up of itself.
    """
    sent = sent_before(state, audience, date)
    if not sent or not articles:
        return {}
    sims = similarities([(e.title, text) for e, text, _ in sent],
                        [(a.title, a.text) for a in articles])
    out: dict[int, Earlier] = {}
    for article, row in zip(articles, sims):
        own = (seen or {}).get(id(article), set())
        candidates = [j for j in range(len(row)) if sent[j][2] not in own]
        if not candidates:
            continue
        best = max(candidates, key=lambda j: (row[j], sent[j][0].issue_date))
        if row[best] >= threshold:
            earlier = sent[best][0]
            out[id(article)] = Earlier(earlier.issue_date, earlier.title, earlier.summary,
                                       earlier.quotes, round(row[best], 3))
    return out


def record_sent(state: State, audience: str, date: dt.date, articles: Sequence[Article],
                seen_ids: Sequence[set[int]]) -> None:
    """What the issue of `date` told the audience about each story (a rebuild replaces it)."""
    rows = [(audience, date.isoformat(), min(ids), a.title, "\n".join(a.summary),
             "\n".join(q.text for q in a.quotes), opening(a.text))
            for a, ids in zip(articles, seen_ids) if ids]
    with state.transaction() as db:
        db.execute("DELETE FROM sent_stories WHERE audience = ? AND issue_date = ?",
                   (audience, date.isoformat()))
        db.executemany("INSERT OR REPLACE INTO sent_stories (audience, issue_date, seen_id, "
                       "title, summary, quotes, opening) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def _lines(value: str) -> list[str]:
    return [line for line in value.split("\n") if line.strip()]
