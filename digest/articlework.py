"""The per-article work of a run (summaries and quotes), in a process pool when it pays.

Each article is summarised once per (algorithm, length) that some audience asks for, and its
quotes are found once. On a big day the articles are spread over the machine's cores: the
work is pure computation on plain data, so processes scale where threads would not. The work
can start before the day's topics are known (`start`), so that one core groups the topics
while the others summarise.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
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


def work_key(article) -> str:
    """What an article's work is known by: the hash of all it depends on (text, language,
    title), so that the work can start before duplicates are merged (the version kept is
    one of those read, its text unchanged) and a story read twice is worked on once."""
    data = "\x1f".join((article.title, article.language or "", article.text))
    return hashlib.sha1(data.encode("utf-8", "surrogatepass")).hexdigest()


def work(job: Job) -> Done:
    from digest.quotes.extract import extract_quotes
    from digest.summaries.registry import prepare, summarize_variants
    from digest.text.language import detect_language

    start = time.perf_counter()
    # the article's own language, whatever its source claimed; split once for every variant
    language, paragraphs = prepare(job.text, detect_language(job.text, job.language), job.title)
    summaries = summarize_variants(paragraphs, job.variants, language, job.title)
    middle = time.perf_counter()
    quotes = extract_quotes(job.text, language) if job.quotes else None
    end = time.perf_counter()
    return Done(job.key, summaries, quotes, middle - start, end - middle)


def _work_chunk(jobs: list[Job]) -> list[Done]:
    return [work(job) for job in jobs]


# what a worker needs, imported once by the fork server and shared by every worker it forks
_PRELOAD = ["numpy", "pysbd", "sumy.utils", "digest.articlework", "digest.quotes.extract",
            "digest.summaries.news", "digest.summaries.registry", "digest.text.language",
            "digest.pipeline"]  # the last for rendering another audience's issue


def _context():
    """Workers forked from a fork server (a fresh process that imported only _PRELOAD), not
    from this process: a forked copy of a big day's process inherits its whole heap (the
    articles, the topics' matrices), and the garbage collector and reference counts touch,
    hence copy, its pages. From the fork server a worker holds about 100 MB at 10,000
    articles. Where there is no fork server (not on Linux or macOS), fork or spawn as the
    platform does."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def warm_up() -> None:
    """Start the fork server now, when the day's size is not known yet, where there are
    cores to spare: it imports what the workers need (about half a second) while this
    process gathers, instead of after, when the work is waiting for it. Small days pay a
    process that idles on another core."""
    if _cores() > 1 and _context() is not None:
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _one_thread():
    """numpy's BLAS threads off: every core already runs a process of this work (BLAS
    threads fighting the other processes for the cores slowed a 10,000-article run's
    summaries by a quarter and its topics by a fifth)."""
    import numpy  # noqa: F401  (threadpoolctl limits the libraries already loaded)
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def _cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def workers_for(count: int) -> int:
    return 1 if count < POOL_THRESHOLD else max(1, min(_cores(), 8))


class Pending:
    """Work under way in a pool, or waiting to be done here when the day is small.

    The pool has one worker fewer than the machine has cores: this process is busy with
    the day's topics meanwhile (a worker per core made three busy processes on two cores,
    each slowed by the others), and when `results()` is asked it works too, taking the
    chunks no worker has started, from the last one back.
    """

    def __init__(self, jobs: list[Job], progress: Progress | None):
        self.jobs = jobs
        self._bar = progress("Summarising", len(jobs)) if progress else nullcontext(
            lambda n: None)
        self._advance = self._bar.__enter__()
        self._lock = threading.Lock()
        self._started = time.perf_counter()
        self._closed = False
        self.pool = None
        self._limits = None
        self.chunks: list[list[Job]] = []
        self.futures: list[Future] = []
        workers = workers_for(len(jobs))
        if workers > 1:
            self.pool = ProcessPoolExecutor(max_workers=max(1, workers - 1),
                                            mp_context=_context(), initializer=_one_thread)
            # and here, while the pool works (this process groups topics, then helps)
            self._limits = _one_thread()
            # the executor pickles a chunk only when a worker is about to take it: the
            # jobs stream to the workers, and the ones not yet taken can still be withdrawn
            self._submit(jobs)

    def _submit(self, jobs: list[Job]) -> None:
        for i in range(0, len(jobs), _CHUNK):
            chunk = jobs[i:i + _CHUNK]
            future = self.pool.submit(_work_chunk, chunk)
            future.add_done_callback(self._tick)
            self.chunks.append(chunk)
            self.futures.append(future)

    def keep_only(self, keys: set[str]) -> None:
        """Withdraw the jobs not in `keys` (versions merged away) that no worker has taken;
        the progress bar counts them as settled."""
        if self.pool is None:
            kept = [job for job in self.jobs if job.key in keys]
            dropped = len(self.jobs) - len(kept)
            self.jobs = kept
        else:
            taken, waiting = [], []
            for chunk, future in zip(self.chunks, self.futures):
                if future.cancel():
                    waiting.extend(chunk)
                else:
                    taken.append((chunk, future))
            kept = [job for job in waiting if job.key in keys]
            dropped = len(waiting) - len(kept)
            self.chunks = [chunk for chunk, _ in taken]
            self.futures = [future for _, future in taken]
            self._submit(kept)  # in their order, after the ones taken
        with self._lock:
            self._advance(dropped)

    def close(self) -> None:
        """Stop the workers (work not yet taken is dropped); nothing happens the second
        time. `results()` closes; a caller that fails before asking for them closes."""
        if self._closed:
            return
        self._closed = True
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self._limits.restore_original_limits()
        self._end_bar()

    def _end_bar(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def _tick(self, future: Future) -> None:
        if not future.cancelled() and future.exception() is None:
            with self._lock:
                self._advance(len(future.result()))

    def submit(self, fn: Callable, *args) -> Future | None:
        """`fn(*args)` in a worker, once the jobs are done (another audience's issue to
        render); None when there are no workers (a small day) or they were stopped."""
        if self.pool is None or self._closed:
            return None
        return self.pool.submit(fn, *args)

    def results(self, keep_workers: bool = False) -> dict[str, Done]:
        """Every job done, by key. The workers are stopped, unless `keep_workers`: then they
        stay for `submit`, until `close()`."""
        done: list[Done] = []
        try:
            if self.pool is None:
                for job in self.jobs:
                    done.append(work(job))
                    self._advance(1)
            else:
                here: dict[int, list[Done]] = {}
                # this process takes chunks from the end while the workers take them from
                # the start, until the next one back is already running or done
                for i in range(len(self.futures) - 1, -1, -1):
                    if not self.futures[i].cancel():
                        break
                    here[i] = _work_chunk(self.chunks[i])
                    with self._lock:
                        self._advance(len(here[i]))
                for i, future in enumerate(self.futures):
                    done.extend(here[i] if i in here else future.result())
        finally:
            self._end_bar()
            if not keep_workers:
                self.close()
        for item in done:
            timing.add("summarise", item.summarise_seconds)
            timing.add("quotes", item.quotes_seconds)
        timing.add("per-article", time.perf_counter() - self._started)
        return {item.key: item for item in done}


def start(jobs: Iterable[Job], progress: Progress | None = None) -> Pending:
    """Start the jobs; `results()` waits for them."""
    return Pending(list(jobs), progress)


def run_jobs(jobs: Iterable[Job], progress: Progress | None = None) -> dict[str, Done]:
    """Every job done, by key; a progress bar advances per article when one is given."""
    return start(jobs, progress).results()
