"""`news`: the default extractive summariser, built for news stories.

One score per sentence, then a greedy pick under constraints:

- **Position prior** (the lede): news is written as an inverted pyramid, so sentence i gets
  exp(-i / k) for a k-sentence summary; the prior is measured in summary lengths, so it
  favours "the first few" whatever k is.
- **Centrality** (coverage): the sum of a sentence's cosine similarities to all the others,
  on sub-linear term frequencies of its content words (stop words out, no stemming: exact
  word forms agree better, and it costs nothing).
- **Which one rules** depends on the length asked for: a summary of up to three sentences
  (the newsletter's) is the lede, picked by the position prior; a longer one is a condensed
  story and must cover it, so centrality picks. Nothing here reads a reference summary (see
  docs/quality.md for what was chosen on which data).

Hygiene, applied while picking:
- no near-duplicates (cosine >= 0.7 to a sentence already chosen);
- a sentence that leans on what came before ("He also said", "However,", "This") is chosen
  only when the sentence before it is in the summary, or when it is clearly better than
  the alternatives (its score counts 90%);
- a fragment of fewer than six words counts half;
- a quotation that runs over several sentences is picked whole or not at all;
- an optional word budget; sentences are never cut.

Everything per article is a few numpy array operations on an n x vocabulary matrix.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from digest.text.sentences import sentence_words

# a summary this short is the story's lede; a longer one must cover the story
LEDE_SENTENCES = 3
NEAR_DUPLICATE = 0.7
DANGLING_PENALTY = 0.9
MAX_QUOTE_SPAN = 4  # a quotation longer than this many sentences is not kept whole
# fewer words than this: a fragment or a teaser ("Not any more.") rather than news
FRAGMENT_WORDS = 6
FRAGMENT_PENALTY = 0.5


# Openers that point back to a previous sentence. English only: in other languages the
# rule simply never fires.
_DANGLING = re.compile(
    r"^\W*(?:but|and|or|so|yet|also|however|meanwhile|moreover|furthermore|nevertheless|"
    r"nonetheless|instead|therefore|thus|hence|besides|otherwise|likewise|similarly|"
    r"he|she|it|they|them|his|her|its|their|this|these|those|such|"
    r"the latter|the former|in addition|as well|in turn|on the other hand|by contrast|"
    r"in contrast|as a result)\b",
    re.IGNORECASE,
)


def lede_weight(k: int, n: int) -> float:
    """How much the position prior counts (1.0) against centrality (0.0) for k of n."""
    if k <= LEDE_SENTENCES or n <= 0:
        return 1.0
    return 0.0


def _term_matrix(sentences: Sequence[str], stop_words: frozenset[str]):
    """Rows: sentences; columns: content words; values: 1 + log(tf), rows L2-normalised."""
    import numpy as np

    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, sentence in enumerate(sentences):
        for w in sentence_words(sentence):
            w = w.lower()
            if w in stop_words or (len(w) == 1 and not w.isdigit()):
                continue
            rows.append(i)
            cols.append(vocab.setdefault(w, len(vocab)))
    width = max(1, len(vocab))
    counts = np.zeros((len(sentences), width))
    if rows:
        flat = np.asarray(rows) * width + np.asarray(cols)
        counts = np.bincount(flat, minlength=counts.size).astype(float).reshape(counts.shape)
    tf = np.where(counts > 0, 1.0 + np.log(np.maximum(counts, 1.0)), 0.0)
    norms = np.linalg.norm(tf, axis=1, keepdims=True)
    return tf / np.where(norms > 0, norms, 1.0)


def quote_spans(
    sentences: Sequence[str], paragraph_starts: Sequence[bool] | None = None
) -> list[tuple[int, int]]:
    """[start, end) index ranges of sentences that belong together because a quotation
    opened in the first closes only in the last; every sentence is in exactly one span.
    A paragraph that does not open with a quotation mark ends any quotation still open."""
    spans: list[tuple[int, int]] = []
    start = 0
    stack: list[str] = []
    for i, sentence in enumerate(sentences):
        if i > start and paragraph_starts is not None and paragraph_starts[i]:
            spans.append((start, i))
            start, stack = i, []
        stack = _open_quotes_after(sentence, stack)
        if not stack or i - start + 1 >= MAX_QUOTE_SPAN:
            # (never closed within reach: a stray mark, not a quotation to keep whole)
            stack = []
            spans.append((start, i + 1))
            start = i + 1
    if start < len(sentences):
        spans.append((start, len(sentences)))
    return spans


_QUOTE_MARK = re.compile(r"[“‘«„”»\"]|’(?![^\W\d_])")
_PAIRS = {"”": "“", "»": "«", "’": "‘"}


def _open_quotes_after(sentence: str, stack: list[str]) -> list[str]:
    """The quotation marks still open after `sentence`, innermost last."""
    stripped = sentence.lstrip()
    if stripped[:1] in "“‘«„\"" and stack:
        # a new quotation mark opens each paragraph of a long quote, and the earlier
        # paragraph has no closing mark: whatever was open has ended
        stack = []
    stack = list(stack)
    for m in _QUOTE_MARK.finditer(sentence):
        mark = m.group()
        if mark == '"':
            if stack and stack[-1] == '"':
                stack.pop()
            else:
                stack.append('"')
        elif mark in "“‘«„":
            # a long quote reopens with each paragraph and never nests in itself
            if mark not in stack:
                stack.append(mark)
        elif mark == "’":
            # the apostrophe (don’t, players’) is the same character: it closes only an
            # open single quote
            if "‘" in stack:
                while stack and stack.pop() != "‘":
                    pass
        elif _PAIRS[mark] in stack:
            while stack and stack.pop() != _PAIRS[mark]:
                pass
    return stack


def similarities(sentences: Sequence[str], stop_words: frozenset[str]):
    """Cosine similarity of every pair of sentences (0 on the diagonal): what every summary
    of the article, whatever its length, is scored from, so it is made once per article."""
    import numpy as np

    x = _term_matrix(sentences, stop_words)
    sim = x @ x.T
    np.fill_diagonal(sim, 0.0)
    return sim


def scores(sentences: Sequence[str], k: int, stop_words: frozenset[str], sim=None):
    """(score per sentence, similarity matrix) for a k-sentence summary; `sim` from
    `similarities` when the caller has it already."""
    import numpy as np

    n = len(sentences)
    if sim is None:
        sim = similarities(sentences, stop_words)
    centrality = sim.sum(axis=1)
    top = centrality.max()
    if top > 0:
        centrality = centrality / top
    prior = np.exp(-np.arange(n) / max(k, 1))
    w = lede_weight(k, n)
    return w * prior + (1.0 - w) * centrality, sim


@dataclass(frozen=True)
class Units:
    """What a summary of any length is picked from: the sentences' word counts and the
    spans picked whole, made once per article however many summaries it gets."""

    lengths: list[int]
    spans: list[tuple[int, int]]
    dangling: object  # per sentence: a span's first sentence that leans on what came before
    fragment: object  # per sentence: fewer than FRAGMENT_WORDS words
    starts: object  # the spans' first sentences
    sizes: object  # the spans' sentence counts
    span_words: object  # the spans' word counts

    @classmethod
    def of(cls, sentences: Sequence[str], paragraph_starts: Sequence[bool] | None = None
           ) -> Units:
        import numpy as np

        lengths = [len(s.split()) for s in sentences]
        spans = quote_spans(sentences, paragraph_starts)
        # only a span's first sentence can lean on text outside it
        dangling = np.zeros(len(sentences), dtype=bool)
        for a, _ in spans:
            dangling[a] = a > 0 and bool(_DANGLING.match(sentences[a]))
        starts = np.array([a for a, _ in spans])
        return cls(lengths, spans, dangling, np.asarray(lengths) < FRAGMENT_WORDS, starts,
                   np.array([b - a for a, b in spans]),
                   np.add.reduceat(np.asarray(lengths), starts))


def select(
    sentences: Sequence[str],
    k: int,
    stop_words: frozenset[str] = frozenset(),
    max_words: int | None = None,
    paragraph_starts: Sequence[bool] | None = None,
    sim=None,
    units: Units | None = None,
) -> list[int]:
    """Indices (in document order) of the sentences of a k-sentence summary.

    `paragraph_starts[i]` says whether sentence i opens a paragraph (quotations end with
    their paragraph unless the next one reopens them); `sim`: `similarities(sentences)` and
    `units`: `Units.of(sentences, paragraph_starts)`, when several summaries of one article
    share them."""
    import numpy as np

    n = len(sentences)
    if n == 0 or k <= 0:
        return []
    score, sim = scores(sentences, k, stop_words, sim)
    if units is None:
        units = Units.of(sentences, paragraph_starts)
    lengths, spans, dangling = units.lengths, units.spans, units.dangling
    starts, sizes, span_words = units.starts, units.sizes, units.span_words
    score = np.where(units.fragment, score * FRAGMENT_PENALTY, score)
    penalised = score * DANGLING_PENALTY

    chosen: list[int] = []
    chosen_mask = np.zeros(n, dtype=bool)
    used_words = 0
    # each sentence's highest similarity to a chosen one (none yet)
    closest = np.full(n, -np.inf)
    while len(chosen) < k:
        # a span's value is its sentences' mean score; a leaning opener is penalised
        # unless the sentence it leans on is already in
        prev_in = np.concatenate(([False], chosen_mask[:-1]))
        lean = dangling & ~prev_in
        adjusted = np.where(lean, penalised, score)
        # the spans still open: not chosen, small enough, within the word budget, and no
        # near-duplicate of a chosen sentence (all sums over a span's few sentences)
        open_ = ~chosen_mask[starts] & (len(chosen) + sizes <= k)
        if max_words is not None and chosen:
            open_ &= used_words + span_words <= max_words
        if chosen:
            open_ &= np.maximum.reduceat(closest, starts) < NEAR_DUPLICATE
        if not open_.any():
            break
        values = np.add.reduceat(adjusted, starts) / sizes
        best_j = int(np.flatnonzero(open_)[np.argmax(values[open_])])
        a, b = spans[best_j]
        if max_words is not None and not chosen and sum(lengths[a:b]) > max_words:
            # nothing is ever cut: the budget still gets one whole unit, the best that fits
            # if one does
            fitting = [j for j, (c, d) in enumerate(spans)
                       if sum(lengths[c:d]) <= max_words and d - c <= k]
            if fitting:
                best_j = max(fitting, key=lambda j: adjusted[spans[j][0]:spans[j][1]].mean())
                a, b = spans[best_j]
        chosen.extend(range(a, b))
        chosen_mask[a:b] = True
        closest = np.maximum(closest, sim[:, a:b].max(axis=1))
        used_words += sum(lengths[a:b])
        if max_words is not None and used_words >= max_words:
            break
    return sorted(chosen)
