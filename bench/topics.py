"""How long grouping 2,000 articles takes (automatic topics and configured sections).

Reads ../shared/data/bbc/bbc-dev.jsonl (1,780 articles; the first 220 are used twice, with
new ids and a changed title, to make 2,000). Without the data it says so and stops.

    python bench/topics.py [--articles N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data" / "bbc" / "bbc-dev.jsonl"
SECTIONS = HERE.parent / "examples" / "news-sections.toml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--dataset", default=str(DATA))
    args = parser.parse_args()
    if not Path(args.dataset).is_file():
        print(f"skipped: {args.dataset} not found")
        return 0

    started = time.perf_counter()
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
        t = time.perf_counter()
        topics = group_articles(articles, configured)
        seconds = time.perf_counter() - t
        print(f"{name}: {len(articles)} articles -> {len(topics)} topics in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
