"""Benchmark: merging duplicates among N articles (MinHash LSH, no all-pairs comparison).

    python bench/dedupe.py [--sizes 1000,2000,4000,8000]

Synthetic articles of 150 words drawn from a 20,000-word vocabulary, 2% of them planted
near-copies (one word in 30 changed: Jaccard of shingles about 0.7). Prints wall time per size and the planted copies found;
figures only, no pass/fail. Time roughly proportional to N means no quadratic step.
"""

from __future__ import annotations

import argparse
import random
import time

from digest.gathering.dedupe import group_duplicates
from digest.models import Article


def corpus(n: int, seed: int = 1) -> tuple[list[Article], set[tuple[int, int]]]:
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(20_000)]
    texts = [" ".join(rng.choice(vocabulary) for _ in range(150)) for _ in range(n)]
    planted = set()
    for original in rng.sample(range(n), n // 50):
        words = texts[original].split()
        for i in range(0, len(words), 30):
            words[i] = rng.choice(vocabulary)
        planted.add((original, len(texts)))
        texts.append(" ".join(words))
    return [Article(title=f"t{i}", text=t, source=f"s{i}") for i, t in enumerate(texts)], planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,2000,4000,8000")
    args = parser.parse_args()
    group_duplicates(corpus(20)[0])  # imports (datasketch, scipy) out of the timings
    for n in (int(x) for x in args.sizes.split(",")):
        articles, planted = corpus(n)
        started = time.perf_counter()
        groups = group_duplicates(articles)
        elapsed = time.perf_counter() - started
        found = {(g[0], g[1]) for g in groups if len(g) == 2}
        print(f"{len(articles):>6} articles: {elapsed:6.2f} s, {elapsed / len(articles) * 1e3:.2f} "
              f"ms/article; planted copies found {len(found & planted)}/{len(planted)}, "
              f"other merges {sum(len(g) > 1 for g in groups) - len(found & planted)}")


if __name__ == "__main__":
    main()
