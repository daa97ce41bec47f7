"""Quote figures on the train and dev parts of the PolNeAR file separately (prints; no asserts).

The rules were tuned looking at errors on the train/ articles only; dev/ is the check.
    python bench/quotes_eval_split.py [PATH]
"""

from __future__ import annotations

import sys
from pathlib import Path

from digest.quotes.evaluate import evaluate, read_dataset


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else \
        Path(__file__).resolve().parents[1].parent / "shared" / "data" / "quotes" / \
        "polnear-dev.jsonl"
    if not path.is_file():
        print(f"{path} not found, skipped")
        return
    rows = list(read_dataset(path))
    for part in ("train/", "dev/", ""):
        figures = evaluate(r for r in rows if r["id"].startswith(part))
        name = part.rstrip("/") or "all"
        print(f"{name:5}  articles {figures['articles']:4}  precision {figures['precision']:.4f}"
              f"  recall {figures['recall']:.4f}  found {figures['found']:.4f}"
              f"  speaker accuracy {figures['speaker_accuracy']:.4f}"
              f" (on {figures['named_sources']})")


if __name__ == "__main__":
    main()
