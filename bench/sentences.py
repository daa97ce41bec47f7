"""Sentence splitting: boundary precision/recall and speed, against plain pysbd.

    python bench/sentences.py [--data ../shared/data]

1. The Golden Rules (sentences/golden_rules_en.jsonl): exact cases and boundary
   precision/recall (a boundary = the end of a sentence that is not the text's last).
2. News with gold sentences: the BBC set's references are sentences copied from the
   articles, so each one that is a whole sentence (a capital or quote at the start, a
   terminal mark at the end, 4+ words) must come out of the splitter as one sentence:
   recall of those, for digest and for pysbd. (The references' own splitter breaks quotes
   in two, "\"" alone; those fragments fail the test above and are left out.)
3. ms per BBC article for both.
Skips what is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
_WHOLE = re.compile(r"^[\"“‘'(]?[A-Z0-9].*[.!?][\"”’')]?$")


def _boundaries(sentences: list[str]) -> set[int]:
    out, pos = set(), 0
    for s in sentences[:-1]:
        pos += len("".join(s.split()))
        out.add(pos)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    args = parser.parse_args()
    from digest.text.clean import clean_text
    from digest.text.sentences import _segmenter, paragraphs, split_sentences

    segmenter = _segmenter("en")

    def pysbd_split(text: str) -> list[str]:
        return [s.strip() for p in paragraphs(text) for s in segmenter.segment(p) if s.strip()]

    splitters = {"digest": split_sentences, "pysbd": pysbd_split}
    golden = args.data / "sentences" / "golden_rules_en.jsonl"
    if golden.is_file():
        rows = [json.loads(line) for line in golden.read_text(encoding="utf-8").splitlines()
                if line.strip()]
        for name, split in splitters.items():
            tp = fp = fn = exact = 0
            for row in rows:
                got = split(row["text"])
                exact += got == row["expected"]
                g, e = _boundaries(got), _boundaries(row["expected"])
                tp, fp, fn = tp + len(g & e), fp + len(g - e), fn + len(e - g)
            print(f"golden rules  {name:<7} exact {exact}/{len(rows)}  boundary precision "
                  f"{tp / max(tp + fp, 1):.3f} recall {tp / max(tp + fn, 1):.3f}")
    else:
        print(f"skipped golden rules: no {golden}")
    bbc = args.data / "bbc" / "bbc-dev.jsonl"
    if not bbc.is_file():
        print(f"skipped news: no {bbc}")
        return 0
    rows = [json.loads(line) for line in bbc.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    texts = [clean_text(r["article"]) for r in rows]
    for name, split in splitters.items():
        found = total = 0
        t0 = time.perf_counter()
        outputs = [split(text) for text in texts]
        seconds = time.perf_counter() - t0
        for row, sentences in zip(rows, outputs):
            got = set(sentences)
            for ref in row["reference"]:
                ref = ref.strip()
                if len(ref.split()) >= 4 and _WHOLE.match(ref) and ref.count('"') % 2 == 0:
                    total += 1
                    found += ref in got
        print(f"BBC news      {name:<7} whole reference sentences found {found}/{total} "
              f"(recall {found / max(total, 1):.3f}), {1000 * seconds / len(texts):.2f} "
              "ms/article")
    return 0


if __name__ == "__main__":
    sys.exit(main())
