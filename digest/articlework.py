"""The per-article work of a run (summaries and quotes), in a process pool when it pays.

Each article is summarised once per (algorithm, length) that some audience asks for, and its
quotes are found once. On a big day the articles are spread over the machine's cores: the
work is pure computation on plain data, so processes scale where threads would not.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

from digest import timing

# below this many articles the pool's start-up (forking, first imports) costs more than it saves
POOL_THRESHOLD = 150
_CHUNK = 16

Progress = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]


@dataclass
class Job:
    key: str  # the article's id
    text: str
    language: str
    title: str
    variants: list[tuple[str, int]] = field(default_factory=list)  # (algorithm, sentences)
    quotes: bool = False


@dataclass
class Done:
    key: str
    summaries: dict[tuple[str, int], list[str]]
    quotes: list | None
    summarise_seconds: float
    quotes_seconds: float


def work(job: Job) -> Done:
    from digest.language import detect_language
    from digest.quotes import extract_quotes
    from digest.summarize import prepare, summarize_prepared

    start = time.perf_counter()
    # the article's own language, whatever its source claimed; split once for every variant
    language, paragraphs = prepare(job.text, detect_language(job.text, job.language), job.title)
    summaries = {(algo, n): summarize_prepared(paragraphs, algo, n, language, job.title)
                 for algo, n in job.variants}
    middle = time.perf_counter()
    quotes = extract_quotes(job.text) if job.quotes else None
    end = time.perf_counter()
    return Done(job.key, summaries, quotes, middle - start, end - middle)


def workers_for(count: int) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 1 if count < POOL_THRESHOLD else max(1, min(cores or 1, 8))


def run_jobs(jobs: Iterable[Job], progress: Progress | None = None) -> dict[str, Done]:
    """Every job done, by key; a progress bar advances per article when one is given."""
    jobs = list(jobs)
    workers = workers_for(len(jobs))
    bar = progress("Summarising", len(jobs)) if progress else nullcontext(lambda n: None)
    results: dict[str, Done] = {}
    with timing.stage("per-article"), bar as advance:
        if workers == 1:
            done_iter = map(work, jobs)
            pool = None
        else:
            pool = ProcessPoolExecutor(max_workers=workers)
            done_iter = pool.map(work, jobs, chunksize=_CHUNK)
        try:
            for done in done_iter:
                results[done.key] = done
                timing.add("summarise", done.summarise_seconds)
                timing.add("quotes", done.quotes_seconds)
                advance(1)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
    return results
