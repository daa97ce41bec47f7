"""Quote figures per language on a small annotated set (tests/data/quotes_fr_de_es.jsonl).

Each line: {"id", "language", "text" or "file" (a path from the repository's top), "quotes":
[{"text", "speaker"}]}, the annotated quotes being every quotation of someone's words of four
words or more ("" as speaker when the text does not name one). Figures per language:

- found: annotated quotes that an extracted quote covers (at least half of its words);
- speaker right: found quotes with a named speaker whose extracted speaker shares a word
  with it;
- extra: extracted quotes of four words or more that match no annotation (shorter ones are
  neither annotated nor counted).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from digest.models import Quote

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _covers(extracted: Quote, annotated: str) -> bool:
    gold, got = _words(annotated), _words(extracted.text)
    if not gold or not got:
        return False
    # half of the annotated words are in the extracted quote, and half of its words in them
    return sum(w in set(got) for w in gold) * 2 >= len(gold) and \
        sum(w in set(gold) for w in got) * 2 >= len(got)


def read_rows(path: Path, root: Path) -> list[dict]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if "file" in row:
            row["text"] = json.loads((root / row["file"]).read_text(encoding="utf-8"))["text"]
        rows.append(row)
    return rows


def evaluate(rows: Iterable[dict], extract: Callable[[str, str], list[Quote]]) -> dict:
    """{language: {annotated, found, named, speaker_right, extracted, extra}}."""
    figures: dict[str, dict[str, int]] = {}
    for row in rows:
        lang = row["language"]
        f = figures.setdefault(lang, dict.fromkeys(
            ("articles", "annotated", "found", "named", "speaker_right", "extracted", "extra"), 0))
        f["articles"] += 1
        quotes = [q for q in extract(row["text"], lang) if len(q.text.split()) >= 4]
        f["extracted"] += len(quotes)
        matched: set[int] = set()
        for gold in row["quotes"]:
            f["annotated"] += 1
            hits = [i for i, q in enumerate(quotes) if _covers(q, gold["text"])]
            if not hits:
                continue
            f["found"] += 1
            matched.update(hits)
            if gold["speaker"]:
                f["named"] += 1
                wanted = set(_words(gold["speaker"]))
                if any(wanted & set(_words(quotes[i].speaker)) for i in hits):
                    f["speaker_right"] += 1
        f["extra"] += len(quotes) - len(matched)
    return figures
