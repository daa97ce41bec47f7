"""Quotes in French, German and Spanish: the language's own rules against the English ones.

    python bench/quotes_languages.py [--data tests/data/quotes_fr_de_es.jsonl]

The set: the 10 French Wikinews samples (samples/wikinews-fr/, quotes annotated by hand) and
6 German and 6 Spanish news-style passages written for this set (see docs/quality.md). Prints
per language the annotated quotes found, the speakers right and the extra quotes, for
"before" (the English rules, what every article got) and "after" (the article's language).
Figures only, no pass/fail.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from digest.quotes.evaluate_languages import evaluate, read_rows
from digest.quotes.extract import extract_quotes

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests/data/quotes_fr_de_es.jsonl")
    args = parser.parse_args()
    rows = read_rows(args.data, ROOT)
    before = evaluate(rows, lambda text, lang: extract_quotes(text, "en"))
    after = evaluate(rows, extract_quotes)
    print(f"{'lang':5} {'rules':7} {'articles':>8} {'quotes':>6} {'found':>9} "
          f"{'speaker right':>14} {'extra':>5}")
    for lang in sorted(after):
        for label, figures in (("before", before[lang]), ("after", after[lang])):
            f = figures
            print(f"{lang:5} {label:7} {f['articles']:8} {f['annotated']:6} "
                  f"{f['found']:4} ({f['found'] / max(f['annotated'], 1):.0%}) "
                  f"{f['speaker_right']:4}/{f['named']:<3} "
                  f"({f['speaker_right'] / max(f['named'], 1):.0%}) "
                  f"{f['extra']:5}")


if __name__ == "__main__":
    main()
