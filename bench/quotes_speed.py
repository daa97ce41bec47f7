"""How long quote extraction takes per article (prints figures; no asserts).

Reads the BBC and PolNeAR sets from ../shared/data when they are there:
    python bench/quotes_speed.py [DATA_DIR]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from digest.quotes import extract_quotes, key_quotes


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else \
        Path(__file__).resolve().parents[1].parent / "shared" / "data"
    sets = {"bbc": (root / "bbc" / "bbc-dev.jsonl", "article"),
            "polnear": (root / "quotes" / "polnear-dev.jsonl", "text")}
    for name, (path, key) in sets.items():
        if not path.is_file():
            print(f"{name}: {path} not found, skipped")
            continue
        texts = [json.loads(line)[key] for line in path.open(encoding="utf-8") if line.strip()]
        start = time.perf_counter()
        cpu = time.process_time()
        n_quotes = 0
        for text in texts:
            found = extract_quotes(text)
            key_quotes(found, 2)
            n_quotes += len(found)
        took = time.perf_counter() - start
        cpu = time.process_time() - cpu  # the machine may be shared: CPU time says more
        chars = sum(len(t) for t in texts)
        print(f"{name}: {len(texts)} articles, {chars / len(texts):.0f} chars each, "
              f"{n_quotes} quotes, {took:.2f} s wall, {1000 * took / len(texts):.2f} ms/article "
              f"({1000 * cpu / len(texts):.2f} ms CPU)")


if __name__ == "__main__":
    main()
