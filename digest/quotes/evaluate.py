"""Quality of quote extraction on attribution-annotated news (PolNeAR's JSONL layout).

Input lines: {"id", "text", "attributions": [{"source", "content_spans", "is_direct_quote",
...}]}. Figures (micro-averaged over all articles):

- precision: share of extracted quote characters (the quoted parts, marks included) that lie
  inside some annotated attribution content, direct or indirect;
- recall: share of the characters of annotated direct quotes that extracted quotes cover;
- found: share of annotated direct quotes at least half covered;
- speaker accuracy: on found direct quotes whose annotated source is a name (not a pronoun
  or a common noun), the share whose extracted speaker shares a name word with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from digest.errors import UsageError
from digest.jsonl import rows as jsonl_rows
from digest.quotes.extract import extract_quotes
from digest.quotes.lexicon import FUNCTION_WORDS, PRONOUNS, TITLES


def read_dataset(path: str | Path) -> Iterator[dict]:
    try:
        handle = open(path, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    with handle:
        for where, row in jsonl_rows(handle, str(path)):
            if not isinstance(row.get("text"), str) or \
                    not isinstance(row.get("attributions"), list):
                raise UsageError(f"{where}: expected an object with 'text' and 'attributions'")
            yield row


def name_tokens(source: str) -> set[str]:
    """The words of an annotated source that name someone ("Sen. Ted Cruz" -> ted, cruz)."""
    out = set()
    for w in re.findall(r"[\w’'\-\.]+", source):
        w = re.sub(r"(’s|'s)$", "", w).strip(".")
        if not w or not w[0].isupper():
            continue
        lw = w.lower()
        if lw in FUNCTION_WORDS or lw in PRONOUNS or lw in TITLES or lw + "." in TITLES:
            continue
        out.add(lw)
    return out


def _speaker_tokens(speaker: str) -> set[str]:
    return {re.sub(r"(’s|'s)$", "", w).strip(".").lower()
            for w in re.findall(r"[\w’'\-\.]+", speaker)}


def _overlap(a: bytearray, b: bytearray) -> int:
    """Positions set in both 0/1 masks."""
    return (int.from_bytes(a, "big") & int.from_bytes(b, "big")).bit_count()


def evaluate(rows: Iterable[dict]) -> dict:
    pred_chars = pred_in = gold_chars = gold_cov = 0
    n_direct = n_found = n_named = n_right = 0
    articles = 0
    for row in rows:
        articles += 1
        text = row["text"]
        n = len(text)
        quotes = extract_quotes(text)
        pred = bytearray(n)
        for q in quotes:
            for s, e in q.spans:
                pred[s:e] = b"\x01" * (e - s)
        content = bytearray(n)
        for a in row["attributions"]:
            for s, e in a.get("content_spans") or []:
                content[s:e] = b"\x01" * (e - s)
        pred_chars += pred.count(1)
        pred_in += _overlap(pred, content)
        covered_direct = bytearray(n)
        for a in row["attributions"]:
            if not a.get("is_direct_quote"):
                continue
            spans = a.get("content_spans") or []
            size = sum(e - s for s, e in spans)
            if not size:
                continue
            n_direct += 1
            hit = sum(pred[s:e].count(1) for s, e in spans)
            for s, e in spans:
                covered_direct[s:e] = b"\x01" * (e - s)
            if hit * 2 < size:
                continue
            n_found += 1
            names = name_tokens(a.get("source") or "")
            if not names:
                continue
            n_named += 1
            best, best_overlap = None, 0
            for q in quotes:
                overlap = sum(max(0, min(e, qe) - max(s, qs)) for s, e in spans
                              for qs, qe in q.spans)
                if overlap > best_overlap:
                    best, best_overlap = q, overlap
            if best is not None and names & _speaker_tokens(best.speaker):
                n_right += 1
        gold_chars += covered_direct.count(1)
        gold_cov += _overlap(covered_direct, pred)

    def ratio(a: int, b: int) -> float:
        return round(a / b, 4) if b else 0.0

    return {
        "articles": articles,
        "direct_quotes": n_direct,
        "precision": ratio(pred_in, pred_chars),
        "recall": ratio(gold_cov, gold_chars),
        "found": ratio(n_found, n_direct),
        "speaker_accuracy": ratio(n_right, n_named),
        "named_sources": n_named,
    }
