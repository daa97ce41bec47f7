"""How long grouping takes, and what the compiled parts change against what they replaced.

1. `group_articles` on N articles (default 2,000): automatic topics and configured sections.
2. Community detection on the same k-nearest-neighbour graph of the 1,780 real articles:
   networkx Louvain (pure Python, what was used before) against igraph's Leiden (C):
   seconds, modularity and NMI against the BBC labels.
3. Nearest neighbours, all pairs against HNSW (voyager) on LSA rows with exact re-scoring:
   seconds and recall of the exact neighbours, on the real articles and on --big made-up
   ones (bench/run.py's: paragraphs of three real articles each).

Reads /work/shared/data (or $DIGEST_DATA)/bbc/bbc-dev.jsonl; without it, says so and stops.

    python bench/topics.py [--articles N] [--big 10000]
    python bench/topics.py --scale 1780,10000,50000   # grouping alone: time and peak memory
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("DIGEST_DATA", HERE.parent.parent / "shared" / "data")) / "bbc" \
    / "bbc-dev.jsonl"
SECTIONS = HERE.parent / "examples" / "news-sections.toml"


def timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def communities(rows) -> None:
    import igraph
    from sklearn.metrics import normalized_mutual_info_score

    from digest.topics import grouping
    from digest.topics.neighbours import exact
    from digest.topics.vectors import _Doc, _vectors

    docs = [_Doc(str(r["id"]), r["title"], r["text"]) for r in rows]
    matrix = _vectors(docs)[0]
    n = len(docs)
    k = max(2, min(n - 1, math.ceil(math.sqrt(n)), grouping.MAX_NEIGHBOURS))
    neighbours, weights = exact(matrix, k)
    pairs = {}
    for i in range(n):
        for j, w in zip(neighbours[i].tolist(), weights[i].tolist()):
            if w > 0:
                pairs[(min(i, j), max(i, j))] = w
    graph = igraph.Graph(n=n, edges=list(pairs))
    graph.es["weight"] = list(pairs.values())
    gold = [r["label"] for r in rows]
    print(f"\ncommunities of the {k}-nearest-neighbour graph of {n} articles "
          f"({graph.ecount()} edges):")
    for name, fn in (("networkx Louvain", grouping._communities_networkx),
                     ("igraph Leiden", grouping._communities)):
        labels, seconds = timed(fn, neighbours, weights)
        quality = graph.modularity(labels.tolist(), weights="weight")
        print(f"  {name:17} {seconds:6.2f} s  modularity {quality:.4f}  groups "
              f"{len(set(labels.tolist())):3}  NMI vs labels "
              f"{normalized_mutual_info_score(gold, labels):.3f}")


def neighbours_figures(rows, label: str) -> None:
    import numpy as np

    from digest.topics import grouping
    from digest.topics.neighbours import approximate, exact
    from digest.topics.vectors import _Doc, _vectors

    docs = [_Doc(str(r["id"]), r["title"], r["text"]) for r in rows]
    matrix = _vectors(docs)[0]
    n = len(docs)
    k = max(2, min(n - 1, math.ceil(math.sqrt(n)), grouping.MAX_NEIGHBOURS))
    (truth, _), exact_s = timed(exact, matrix, k)
    (found, _), approx_s = timed(approximate, matrix, k)
    recall = np.mean([len(set(a.tolist()) & set(b.tolist())) / k
                      for a, b in zip(found, truth)])
    print(f"  {label}: {n} articles, k={k}: all pairs {exact_s:.1f} s, HNSW {approx_s:.1f} s, "
          f"recall {recall:.3f}")


def scale(sizes: list[int], dataset: str) -> None:
    """group_articles alone at each size, each in a fresh process: seconds and peak RSS."""
    import subprocess

    print("\ngrouping alone (a fresh process per size; made-up articles past 1,780):")
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--dataset", dataset],
                             capture_output=True, text=True, check=True).stdout.strip()
        print(f"  {out}", flush=True)


def one(n: int, dataset: str) -> None:
    import resource

    sys.path.insert(0, str(HERE))
    from run import extend

    from digest.models import Article
    from digest.topics import group_articles
    from digest.topics.evaluate import read_labelled

    rows = [{"id": r["id"], "title": r["title"], "article": r["text"]}
            for r in read_labelled(dataset)]
    articles = [Article(title=r.get("title") or "Story", text=r["article"], source="BBC",
                        url=f"https://example.org/{i}") for i, r in enumerate(extend(rows, n))]
    topics, seconds = timed(group_articles, articles)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n:>6} articles: {seconds:6.1f} s ({seconds / n * 1000:.2f} ms an article), "
          f"{len(topics)} topics, peak RSS {peak:.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--big", type=int, default=10000)
    parser.add_argument("--dataset", default=str(DATA))
    parser.add_argument("--scale", default="", help="sizes for grouping alone, e.g. "
                        "1780,10000,50000 (only that part runs)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not Path(args.dataset).is_file():
        print(f"skipped: {args.dataset} not found")
        return 0
    if args.one:
        one(args.one, args.dataset)
        return 0
    if args.scale:
        scale([int(n) for n in args.scale.split(",")], args.dataset)
        return 0

    started = time.perf_counter()
    sys.path.insert(0, str(HERE))
    from run import extend

    from digest.models import Article
    from digest.settings import load_settings
    from digest.topics import group_articles
    from digest.topics.evaluate import read_labelled

    rows = read_labelled(args.dataset)
    articles = []
    for i in range(args.articles):
        row = rows[i % len(rows)]
        again = i // len(rows)
        title = row["title"] + (f" ({again + 1})" if again else "")
        articles.append(Article(title=title, text=row["text"], source="BBC",
                                url=f"https://example.org/{row['id']}/{again}"))
    sections = load_settings(SECTIONS).topics
    print(f"setup (imports, reading): {time.perf_counter() - started:.1f} s")

    for name, configured in (("automatic", ()), ("five sections", sections)):
        topics, seconds = timed(group_articles, articles, configured)
        print(f"{name}: {len(articles)} articles -> {len(topics)} topics in {seconds:.1f} s")

    communities(rows)
    print("\nnearest neighbours:")
    neighbours_figures(rows, "real articles")
    big = [{"id": r["id"], "title": r.get("title", ""), "text": r["article"]}
           for r in extend([{"id": r["id"], "title": r["title"], "article": r["text"]}
                            for r in rows], args.big)]
    neighbours_figures(big, "made-up articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
