"""Per-article work gives the same issue in a process pool as in the main process."""

import datetime as dt

from conftest import write_json_article

from digest import articlework, timing
from digest.pipeline import run
from digest.settings import load_settings


def test_pool_and_main_process_give_the_same_issues(project, monkeypatch):
    config, articles = project
    for i in range(6):
        write_json_article(articles, f"extra{i}.json", title=f"Story number {i}",
                           text=f"Officials said on Monday that plan {i} would go ahead. "
                                "The council voted in favour after a long debate. "
                                "Work on the site should begin in the spring. "
                                "Residents have asked for a plan like this for years. "
                                f"\"We are ready to start work on plan {i} now,\" said Mayor "
                                "Ann Lee. Critics said the cost was too high.",
                           date="2024-05-01", url=f"https://example.org/extra{i}")
    settings = load_settings(config)
    now = dt.datetime(2024, 5, 1, 6, tzinfo=dt.UTC)
    alone = run(settings, date=dt.date(2024, 5, 1), now=now, write=False, force=True)
    monkeypatch.setattr(articlework, "POOL_THRESHOLD", 2)
    with timing.measure() as timings:
        pooled = run(settings, date=dt.date(2024, 5, 1), now=now, write=False, force=True)
    assert [(i.audience, i.text) for i in pooled] == [(i.audience, i.text) for i in alone]
    assert [[a.quotes for a in i.articles] for i in pooled] == \
        [[a.quotes for a in i.articles] for i in alone]
    assert any(a.quotes for i in pooled for a in i.articles)
    assert timings.seconds["summarise"] > 0 and "per-article" in timings.seconds


def small_jobs(count: int) -> list[articlework.Job]:
    return [articlework.Job(str(i), f"Sentence one of {i}. Sentence two. Sentence three.",
                            "en", "", [("news", 1)]) for i in range(count)]


def recording_bar(seen: list):
    """A progress bar that records its start and each step in `seen`."""
    from contextlib import contextmanager

    @contextmanager
    def bar(label, total):
        seen.append(("start", label, total))
        yield lambda n: seen.append(("step", n))

    return bar


def test_progress_advances_once_per_article(monkeypatch):
    monkeypatch.setattr(articlework, "POOL_THRESHOLD", 2)
    jobs = small_jobs(5)
    seen = []
    done = articlework.run_jobs(jobs, recording_bar(seen))
    assert sorted(done) == [str(i) for i in range(5)]
    assert seen[0] == ("start", "Summarising", 5)
    assert sum(n for kind, n in seen[1:]) == 5


def test_work_starts_before_the_merge_and_the_kept_version_gets_its_summary(project,
                                                                             monkeypatch):
    """Summaries start on the window's articles before duplicates are merged, keyed by what
    they depend on: the version kept (here the fuller copy under another URL) still finds
    its summary and quotes, and the merged-away copy is in no issue."""
    config, articles = project
    body = ("Officials said on Monday that the new tram line would open in June. "
            "The council voted in favour after a long debate. "
            "Work on the depot should begin in the spring. "
            "\"We are ready to start work now,\" said Mayor Ann Lee. "
            "Critics said the cost was too high.")
    write_json_article(articles, "tram.json", title="Tram line approved", text=body,
                       date="2024-05-01", url="https://example.org/tram")
    write_json_article(articles, "tram-copy.json", title="Tram line approved",
                       text=body + " Tickets will cost the same as the bus.",
                       date="2024-05-01", url="https://other.example.net/tram-copy")
    monkeypatch.setattr(articlework, "POOL_THRESHOLD", 2)
    settings = load_settings(config)
    now = dt.datetime(2024, 5, 1, 6, tzinfo=dt.UTC)
    issues = run(settings, date=dt.date(2024, 5, 1), now=now, write=False, force=True)
    for issue in issues:
        trams = [a for a in issue.articles if a.title == "Tram line approved"]
        assert [a.url for a in trams] == ["https://other.example.net/tram-copy"]
        assert trams[0].summary and trams[0].summary[0].startswith("Officials said")
        assert trams[0].quotes and trams[0].quotes[0].speaker == "Ann Lee"


def test_a_failure_after_the_work_started_stops_the_workers(project, monkeypatch):
    import pytest

    from digest.gathering import dedupe

    config, _ = project
    closed = []
    original = articlework.Pending.close
    monkeypatch.setattr(articlework.Pending, "close",
                        lambda self: (closed.append(self), original(self)))
    monkeypatch.setattr(articlework, "POOL_THRESHOLD", 1)

    def broken(articles, threshold=0.6):
        raise RuntimeError("merge failed")

    monkeypatch.setattr(dedupe, "merge_duplicates", broken)
    with pytest.raises(RuntimeError, match="merge failed"):
        run(load_settings(config), date=dt.date(2024, 5, 1), write=False, force=True)
    assert len(closed) == 1 and closed[0].pool is not None
    assert closed[0].pool._shutdown_thread


def test_jobs_withdrawn_before_a_worker_takes_them_are_not_done(monkeypatch):
    monkeypatch.setattr(articlework, "POOL_THRESHOLD", 2)
    seen = []
    pending = articlework.start(small_jobs(800), recording_bar(seen))
    wanted = {str(i) for i in range(0, 800, 2)}
    pending.keep_only(wanted)
    done = pending.results()
    assert wanted <= set(done)
    assert len(done) < 800  # the workers had not started: most withdrawn jobs never ran
    assert seen[0] == ("start", "Summarising", 800)
    assert sum(n for _, n in seen[1:]) == 800  # done or withdrawn, each counted once
    assert all(done[k].summaries[("news", 1)] for k in wanted)


def test_render_all_renders_here_what_no_worker_renders_before_waiting_for_them(monkeypatch):
    """_render_all: the issues no worker was given are rendered here first, then the
    workers' results are taken, all in the audiences' order; with none given to a worker,
    each is rendered here only when asked for. The longest issue is the one kept here."""
    import os
    from concurrent.futures import Future
    from types import SimpleNamespace

    from digest import pipeline

    here = []
    monkeypatch.setattr(pipeline, "render_issue",
                        lambda name, environments=None: here.append(name) or (name, os.getpid()))

    class Worker(Future):
        def result(self, timeout=None):
            assert here == ["b"]  # what is rendered here comes first
            return ("worker", "elsewhere")

    started = {0: Worker(), 2: Worker()}
    assert list(pipeline._render_all([("a",), ("b",), ("c",)], started)) == [
        ("worker", "elsewhere"), ("b", os.getpid()), ("worker", "elsewhere")]
    here.clear()
    rendering = pipeline._render_all([("a",), ("b",)], {})
    assert next(rendering)[0] == "a" and here == ["a"]  # the next one only when asked for
    assert next(rendering)[0] == "b" and here == ["a", "b"]

    def plan(sentences, quotes):
        return (SimpleNamespace(summary_sentences=sentences, quotes=quotes), "news", [])

    assert pipeline._rendered_here([plan(3, 1), plan(5, 2)]) == 1
    assert pipeline._rendered_here([plan(5, 2), plan(3, 1), plan(5, 1)]) == 0
