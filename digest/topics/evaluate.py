"""Topic quality on a labelled JSONL set: NMI and ARI (scikit-learn) on the whole set and
on random samples of a day's size, plus accuracy when sections are configured and, for
found groups, label agreement: the share of articles whose section name is the built-in
section of their gold label (LABEL_SECTIONS maps the BBC set's five labels; a label that
is itself a built-in section's name maps to that section)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from digest.errors import UsageError
from digest.jsonl import rows as jsonl_rows
from digest.topics.sections import Section, assign
from digest.topics.vectors import CorpusBackground

# The BBC News set's labels (D. Greene and P. Cunningham, 2006) as built-in sections.
LABEL_SECTIONS = {
    "business": "Business",
    "entertainment": "Arts and entertainment",
    "politics": "Politics",
    "sport": "Sport",
    "tech": "Science and technology",
}


def label_section(label: str) -> str | None:
    """The built-in section a gold label stands for, or None."""
    from digest.topics.builtin import SECTION_NAMES

    mapped = LABEL_SECTIONS.get(label.casefold())
    if mapped:
        return mapped
    return next((n for n in SECTION_NAMES if n.casefold() == label.casefold()), None)


def parse_jsonl(text: str, name: str, labelled: bool = False) -> list[dict]:
    """Rows {"id", "title", "text"(, "label")} of JSONL text; "article" is read as "text"."""
    rows = []
    for lineno, (where, row) in enumerate(jsonl_rows(text, name), start=1):
        body = row.get("text", row.get("article"))
        if not isinstance(body, str):
            raise UsageError(f"{where}: no 'text' or 'article' string")
        item = {"id": row.get("id", lineno), "title": str(row.get("title") or ""), "text": body}
        if labelled:
            if not isinstance(row.get("label"), str):
                raise UsageError(f"{where}: no 'label' string")
            item["label"] = row["label"]
        rows.append(item)
    return rows


def read_labelled(path: str | Path, labelled: bool = True) -> list[dict]:
    """The (labelled) rows of a JSONL file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    rows = parse_jsonl(text, str(path), labelled=labelled)
    if not rows:
        raise UsageError(f"{path}: no articles")
    return rows


def _scores(rows: Sequence[dict], sections: Sequence[Section],
            background: CorpusBackground | None = None) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    predicted = assign([(str(r["id"]), r["title"], r["text"]) for r in rows], sections,
                       background)
    truth = [r["label"] for r in rows]
    out = {
        "nmi": float(normalized_mutual_info_score(truth, predicted)),
        "ari": float(adjusted_rand_score(truth, predicted)),
        "topics": len(set(predicted)),
    }
    if not sections:
        mapped = [label_section(t) for t in truth]
        if all(mapped):
            out["agreement"] = sum(p == m for p, m in zip(predicted, mapped)) / len(rows)
    if sections:
        out["accuracy"] = sum(p.casefold() == t.casefold()
                              for p, t in zip(predicted, truth)) / len(rows)
        out["other"] = sum(p == "Other" for p in predicted) / len(rows)
    return out


def evaluate(rows: Sequence[dict], sections: Sequence[Section] = (), sample: int = 40,
             repeats: int = 20, seed: int = 0, history: Sequence[dict] = ()) -> dict:
    """Scores on the whole set and the mean over `repeats` random samples of `sample`.

    `history`: earlier articles used as background statistics, as the state database's
    would be (their labels, if any, are not read).
    """
    import random

    import numpy as np

    from digest.topics.history import capped

    # capped as the state database keeps them, so the figure is the pipeline's
    background = (CorpusBackground.from_items((str(r["id"]), r["title"], capped(r["text"]))
                                              for r in history) if history else None)
    started = time.perf_counter()
    whole = _scores(rows, sections, background)
    whole_seconds = time.perf_counter() - started
    rng = random.Random(seed)
    size = min(sample, len(rows))
    runs = [_scores(rng.sample(list(rows), size), sections, background)
            for _ in range(repeats)]
    samples = {}
    # (a key every sample has: label agreement needs every label of the sample mapped)
    for key in [k for k in runs[0] if all(k in r for r in runs)] if runs else ():
        values = np.array([r[key] for r in runs], dtype=float)
        samples[key] = float(values.mean())
        samples[f"{key}_sd"] = float(values.std())
    return {"articles": len(rows), "whole": whole, "whole_seconds": whole_seconds,
            "sample_size": size, "repeats": repeats, "seed": seed, "samples": samples,
            "mode": "sections" if sections else "automatic", "history": len(history)}
