"""Topic figures on the two halves of the BBC set: the one tuned on and the held-out one.

The halves are by the sha1 of the article's id (even: tuning, odd: held-out), as in
docs/quality.md. Prints `digest eval topics`' figures for each half and the whole set, with
no history (a first run). Figures only, no pass/fail.

    python bench/topics_split.py [--data PATH] [--repeats 100] [--sample 40]
"""

from __future__ import annotations

import argparse
import hashlib
import os
from pathlib import Path

DATA = Path(os.environ.get("DIGEST_DATA", Path(__file__).resolve().parents[2] / "shared"
                           / "data")) / "bbc" / "bbc-dev.jsonl"


def half(row: dict) -> int:
    return int(hashlib.sha1(str(row["id"]).encode()).hexdigest(), 16) % 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--sample", type=int, default=40)
    args = parser.parse_args()
    if not args.data.is_file():
        print(f"skipped: {args.data} not found")
        return
    from digest.topics.evaluate import evaluate, read_labelled

    rows = read_labelled(args.data)
    parts = {"tuning half": [r for r in rows if half(r) == 0],
             "held-out half": [r for r in rows if half(r) == 1], "whole set": rows}
    for name, part in parts.items():
        result = evaluate(part, sample=args.sample, repeats=args.repeats)
        w, s = result["whole"], result["samples"]
        print(f"{name} ({len(part)}): whole NMI {w['nmi']:.3f} agreement "
              f"{w.get('agreement', float('nan')):.3f} topics {w['topics']}; "
              f"{args.repeats} samples of {args.sample}: NMI {s['nmi']:.3f} (sd {s['nmi_sd']:.3f})"
              f" agreement {s.get('agreement', float('nan')):.3f} topics {s['topics']:.1f}",
              flush=True)


if __name__ == "__main__":
    main()
