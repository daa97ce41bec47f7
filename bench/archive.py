"""Benchmark: what the public archive adds to a daily run, as the archive grows.

    python bench/archive.py [--sizes 30,365,1000] [--stories 61] [--repeats 3]

One real issue of the bundled samples (61 stories, rendered once through MJML) is stored
under N dates in a fresh state; then, per size, `publish` of one new date (what `digest run`
adds each day: its page, its neighbour's, the index, the feed, the site index) and a full
`rebuild` (`digest archive --rebuild` on an empty folder). Prints the range of `--repeats`
runs in seconds, and the sizes of the index and the feed; figures only, no pass/fail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from digest.archive import publish, rebuild
from digest.archive.store import store_contents
from digest.delivery.ledger import store_issue
from digest.pipeline import run
from digest.rendering import make_environment, render
from digest.settings import load_settings
from digest.settings.schema import Archive
from digest.state import State


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="30,365,1000")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    base = load_settings(None)  # the built-in default: every sample in one issue
    folder = Path(tempfile.mkdtemp(prefix="digest-bench-archive-"))
    try:
        settings = replace(base, outbox=folder / "outbox", state=folder / "state.sqlite3",
                           archive=Archive(path=folder / "archive",
                                           base_url="https://example.org/archive"))
        audience = replace(next(iter(settings.audiences.values())), archive=True)
        settings = replace(settings, audiences={audience.name: audience})
        (issue,) = run(settings, write=False)
        rendered = render(make_environment(), issue.date, audience, issue.articles,
                          issue.topics, web_url="https://example.org/archive/x.html")
        print(f"one issue: {len(issue.articles)} stories, page source {len(rendered.html):,} "
              "bytes")
        first = dt.date(2020, 1, 1)
        stored = 0
        for size in (int(s) for s in args.sizes.split(",")):
            with State(settings.state) as state:
                for i in range(stored, size):
                    store_issue(state, replace(rendered, date=first + dt.timedelta(days=i)))
                    store_contents(state, first + dt.timedelta(days=i), audience.name,
                                   issue.articles)
                stored = size
                daily, full = [], []
                for _ in range(args.repeats):
                    shutil.rmtree(settings.archive.path, ignore_errors=True)
                    start = time.perf_counter()
                    rebuild(settings, state)
                    full.append(time.perf_counter() - start)
                    day = first + dt.timedelta(days=size - 1)
                    start = time.perf_counter()
                    publish(settings, state, audience, day, issue.articles)
                    daily.append(time.perf_counter() - start)
                folder_of = settings.archive.path / audience.name
                print(f"{size:5d} issues: publish one date {min(daily):.3f}-{max(daily):.3f} s,"
                      f" rebuild {min(full):.2f}-{max(full):.2f} s; index "
                      f"{(folder_of / 'index.html').stat().st_size:,} B, feed "
                      f"{(folder_of / 'feed.xml').stat().st_size:,} B")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
