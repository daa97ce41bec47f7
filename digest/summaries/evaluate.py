"""ROUGE of the summarisers against reference summaries (`digest eval summaries`).

A dataset is JSONL, one story a line: {"id", "article", "reference": [sentences], "title"?,
"language"?}. Every algorithm and the Lead-k baseline (the first k sentences) get the same
cleaned article and the same k: `sentences`, or else the reference's sentence count.
Scores are rouge-score's F1 (stemmer on) for ROUGE-1, ROUGE-2 and ROUGE-Lsum (sentences
joined by newlines), averaged over stories, times 100.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from digest.errors import UsageError
from digest.jsonl import rows as jsonl_rows

METRICS = ("rouge1", "rouge2", "rougeLsum")
LEAD = "lead"


@dataclass
class Story:
    id: str
    article: str
    reference: list[str]
    title: str = ""
    language: str | None = None


@dataclass
class Report:
    dataset: str
    stories: int
    sentences: int | None  # None: the reference's length, story by story
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "dataset": self.dataset,
            "stories": self.stories,
            "sentences": self.sentences if self.sentences is not None else "reference",
            "scores": {name: {m: round(v, 2) for m, v in s.items()}
                       for name, s in self.scores.items()},
            "ms_per_story": {name: round(1000 * t / max(self.stories, 1), 2)
                             for name, t in self.seconds.items()},
        }


def read_dataset(path: str | Path) -> list[Story]:
    """Stories of a JSONL file; a malformed line is a UsageError naming file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read dataset {path}: {getattr(exc, 'strerror', None) or exc}"
                         ) from None
    stories = []
    for lineno, (where, row) in enumerate(jsonl_rows(text, str(path)), start=1):
        article = row.get("article", row.get("text"))
        reference = row.get("reference")
        if not isinstance(article, str):
            raise UsageError(f"{where}: no 'article' string")
        if isinstance(reference, str):
            reference = [reference]
        if (not isinstance(reference, list) or not reference
                or not all(isinstance(s, str) for s in reference)):
            raise UsageError(f"{where}: 'reference' must be a non-empty list of sentences")
        language = row.get("language")
        stories.append(Story(id=str(row.get("id", lineno)), article=article,
                             reference=reference, title=str(row.get("title") or ""),
                             language=language if isinstance(language, str) else None))
    if not stories:
        raise UsageError(f"dataset {path} has no stories")
    return stories


def evaluate(
    stories: list[Story],
    algorithms: Iterable[str],
    sentences: int | None = None,
    dataset: str = "",
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Mean ROUGE F1 (x100) of Lead-k and each algorithm over `stories`."""
    import time

    from rouge_score import rouge_scorer

    from digest.summaries.registry import check_algorithm, summarize
    from digest.text.clean import clean_text
    from digest.text.language import detect_language
    from digest.text.sentences import split_sentences

    names = [check_algorithm(a) for a in algorithms]
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    totals = {name: dict.fromkeys(METRICS, 0.0) for name in [LEAD, *names]}
    seconds = dict.fromkeys([LEAD, *names], 0.0)
    for story in stories:
        text = clean_text(story.article)
        language = story.language or detect_language(text)
        k = sentences or len(story.reference)
        target = "\n".join(story.reference)
        t0 = time.perf_counter()
        outputs = {LEAD: split_sentences(text, language)[:k]}
        seconds[LEAD] += time.perf_counter() - t0
        for name in names:
            t0 = time.perf_counter()
            outputs[name] = summarize(text, name, k, language, story.title)
            seconds[name] += time.perf_counter() - t0
        for name, summary in outputs.items():
            result = scorer.score(target, "\n".join(summary))
            for metric in METRICS:
                totals[name][metric] += result[metric].fmeasure
        if progress is not None:
            progress(1)
    n = len(stories)
    scores = {name: {m: 100.0 * v / n for m, v in t.items()} for name, t in totals.items()}
    return Report(dataset=dataset, stories=n, sentences=sentences, scores=scores,
                  seconds=seconds)


def format_table(report: Report) -> str:
    """A plain-text table, best ROUGE-1 first after the Lead-k baseline."""
    k = f"k = {report.sentences}" if report.sentences else "k = reference length"
    lines = [f"{report.dataset}: {report.stories} stories, {k} (ROUGE F1 x 100, stemmer on)",
             f"{'algorithm':<12} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-Lsum':>10} {'ms/story':>9}"]
    order = [LEAD] + sorted((n for n in report.scores if n != LEAD),
                            key=lambda n: -report.scores[n]["rouge1"])
    for name in order:
        s = report.scores[name]
        label = "Lead-k" if name == LEAD else name
        ms = 1000 * report.seconds.get(name, 0.0) / max(report.stories, 1)
        lines.append(f"{label:<12} {s['rouge1']:>8.2f} {s['rouge2']:>8.2f} "
                     f"{s['rougeLsum']:>10.2f} {ms:>9.1f}")
    return "\n".join(lines)
