"""Where a run's time goes: seconds per stage, for `-v` and the benchmarks.

Stages are timed only inside `measure()`; elsewhere `stage()` costs one global lookup.
Timings add up across threads (sources are read in a pool), so a stage timed inside
another (cleaning inside gathering) is also counted in its parent: `report()` says which.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

# the order stages are reported in; others follow in the order they were first timed
ORDER = ("gather", "clean", "dedupe", "topics", "summarise", "quotes", "per-article",
         "render", "write")
NESTED = {"clean": "gather"}  # stage -> the stage whose time already includes it


class Timings:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._lock = threading.Lock()

    def add(self, name: str, seconds: float) -> None:
        with self._lock:
            self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def report(self) -> str:
        """One line: `stage 1.23 s, ...` in pipeline order."""
        names = [n for n in ORDER if n in self.seconds]
        names += [n for n in self.seconds if n not in names]
        parts = []
        for name in names:
            inside = f" (in {NESTED[name]})" if name in NESTED else ""
            parts.append(f"{name} {self.seconds[name]:.2f} s{inside}")
        return "timings: " + ", ".join(parts)


_active: Timings | None = None


@contextmanager
def measure() -> Iterator[Timings]:
    """Time the stages run inside this block."""
    global _active
    previous, _active = _active, Timings()
    try:
        yield _active
    finally:
        _active = previous


@contextmanager
def stage(name: str) -> Iterator[None]:
    timings = _active
    if timings is None:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        timings.add(name, time.perf_counter() - start)


def add(name: str, seconds: float) -> None:
    """Record time measured elsewhere (in a worker process)."""
    if _active is not None:
        _active.add(name, seconds)
