"""Benchmark: merging duplicates among N articles (a sparse count of shared shingles, no all-pairs comparison).

    python bench/dedupe.py [--sizes 1000,2000,4000,8000]

Synthetic articles of 150 words drawn from a 20,000-word vocabulary, 2% of them planted
near-copies (one word in 30 changed: Jaccard of shingles about 0.7), 2% planted teasers
(the first 40 words of an article and "…", under another URL: Jaccard about 0.2, so only
containment finds them) and 0.5% planted round-ups (three teasers of different articles in
one text, which must merge with none of them). Prints wall time per size and the planted
pairs found, with containment and without it (Jaccard only, as before) in the same run;
figures only, no pass/fail. Time roughly proportional to N means no quadratic step.
"""

from __future__ import annotations

import argparse
import random
import time

from digest.gathering.dedupe import CONTAINED, group_duplicates
from digest.models import Article


def corpus(n: int, seed: int = 1):
    """(articles, planted copies, planted teasers, round-ups) as index pairs / indexes."""
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(20_000)]
    texts = [" ".join(rng.choice(vocabulary) for _ in range(150)) for _ in range(n)]
    planted, teasers, roundups = set(), set(), set()
    for original in rng.sample(range(n), n // 50):
        words = texts[original].split()
        for i in range(0, len(words), 30):
            words[i] = rng.choice(vocabulary)
        planted.add((original, len(texts)))
        texts.append(" ".join(words))
    for original in rng.sample(range(n), n // 50):
        teasers.add((original, len(texts)))
        texts.append(" ".join(texts[original].split()[:40]) + " …")
    for _ in range(n // 200):
        roundups.add(len(texts))
        texts.append("\n\n".join(" ".join(texts[i].split()[:30]) for i in rng.sample(range(n), 3)))
    articles = [Article(title=f"t{i}", text=t, source=f"s{i}", url=f"https://e{i}.example/a")
                for i, t in enumerate(texts)]
    return articles, planted, teasers, roundups


def unexplained(groups, explained: set[int], roundups: set[int]) -> int:
    """Merged groups that no planted pair or round-up accounts for."""
    return sum(len(g) > 1 and k not in explained and not roundups & set(g)
               for k, g in enumerate(groups))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,2000,4000,8000")
    args = parser.parse_args()
    group_duplicates(corpus(200)[0])  # imports (scipy) out of the timings
    for n in (int(x) for x in args.sizes.split(",")):
        articles, planted, teasers, roundups = corpus(n)
        for label, contained in (("jaccard only", None), ("with containment", CONTAINED)):
            started = time.perf_counter()
            groups = group_duplicates(articles, contained=contained)
            elapsed = time.perf_counter() - started
            group_of = {i: k for k, g in enumerate(groups) for i in g}
            found = {pair for pair in planted | teasers if group_of[pair[0]] == group_of[pair[1]]}
            merged_roundups = sum(1 for g in groups if len(g) > 1 and roundups & set(g))
            explained = {group_of[a] for a, _ in found}
            print(f"{len(articles):>6} articles, {label:<16}: {elapsed:6.2f} s, "
                  f"{elapsed / len(articles) * 1e3:.2f} ms/article; copies found "
                  f"{len(found & planted)}/{len(planted)}, teasers found "
                  f"{len(found & teasers)}/{len(teasers)}, round-ups merged "
                  f"{merged_roundups}/{len(roundups)}, other merges "
                  f"{unexplained(groups, explained, roundups)}")


if __name__ == "__main__":
    main()
