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
    now = dt.datetime(2024, 5, 1, 6, tzinfo=dt.timezone.utc)
    alone = run(settings, date=dt.date(2024, 5, 1), now=now, write=False, force=True)
    monkeypatch.setattr(articlework, "POOL_THRESHOLD", 2)
    with timing.measure() as timings:
        pooled = run(settings, date=dt.date(2024, 5, 1), now=now, write=False, force=True)
    assert [(i.audience, i.text) for i in pooled] == [(i.audience, i.text) for i in alone]
    assert [[a.quotes for a in i.articles] for i in pooled] == \
        [[a.quotes for a in i.articles] for i in alone]
    assert any(a.quotes for i in pooled for a in i.articles)
    assert timings.seconds["summarise"] > 0 and "per-article" in timings.seconds


def test_progress_advances_once_per_article(monkeypatch):
    monkeypatch.setattr(articlework, "POOL_THRESHOLD", 2)
    jobs = [articlework.Job(str(i), f"Sentence one of {i}. Sentence two. Sentence three.",
                            "en", "", [("news", 1)]) for i in range(5)]
    seen = []

    from contextlib import contextmanager

    @contextmanager
    def bar(label, total):
        seen.append(("start", label, total))
        yield lambda n: seen.append(("step", n))

    done = articlework.run_jobs(jobs, bar)
    assert sorted(done) == [str(i) for i in range(5)]
    assert seen[0] == ("start", "Summarising", 5)
    assert sum(n for kind, n in seen[1:]) == 5
