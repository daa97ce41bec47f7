"""Speed of the default `news` summariser against sumy's LexRank, on the same articles.

    python bench/summaries.py [--dataset ../shared/data/bbc/bbc-dev.jsonl] [--limit N]

Both go through `digest.summaries.registry.summarize` (same cleaning, same sentence splitter) with
the reference's length as k; each article is summarised by both, alternately, in one
process, so they share the machine's state. Prints ms per article and the ratio. Also
times the sentence splitter against plain pysbd. Skips when the dataset is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "bbc" / "bbc-dev.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    if not args.dataset.is_file():
        print(f"skipped: no dataset at {args.dataset}")
        return 0
    from digest.summaries.registry import summarize
    from digest.text.clean import clean_text
    from digest.text.sentences import _segmenter, paragraphs, split_sentences

    rows = [json.loads(line) for line in args.dataset.read_text(encoding="utf-8").splitlines()
            if line.strip()][: args.limit]
    texts = [(clean_text(r["article"]), len(r.get("reference") or [0, 0, 0])) for r in rows]
    # warm up imports and caches outside the clock
    summarize(texts[0][0], "news", 3)
    summarize(texts[0][0], "lex-rank", 3)
    seconds = {"news": 0.0, "lex-rank": 0.0}
    for text, k in texts:
        for name in seconds:
            t0 = time.perf_counter()
            summarize(text, name, k, "en")
            seconds[name] += time.perf_counter() - t0
    n = len(texts)
    segmenter = _segmenter("en")
    t0 = time.perf_counter()
    for text, _ in texts:
        split_sentences(text)
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    for text, _ in texts:
        for para in paragraphs(text):
            segmenter.segment(para)
    pysbd = time.perf_counter() - t0
    print(f"{args.dataset.name}: {n} articles, k = reference length")
    print(f"news      {1000 * seconds['news'] / n:8.2f} ms/article")
    print(f"lex-rank  {1000 * seconds['lex-rank'] / n:8.2f} ms/article")
    print(f"ratio news / lex-rank: {seconds['news'] / seconds['lex-rank']:.2f}")
    print(f"sentence splitting: digest {1000 * ours / n:.2f} ms/article, "
          f"pysbd alone {1000 * pysbd / n:.2f} ms/article")
    return 0


if __name__ == "__main__":
    sys.exit(main())
