"""Earlier days' articles kept in the state database as topic grouping's background."""

import datetime as dt
import random

from conftest import write_config, write_json_article

import digest.pipeline
from digest.gathering.seen import remember
from digest.models import Article
from digest.pipeline import run
from digest.settings import load_settings
from digest.state import State
from digest.topics import history

VOCAB = {
    "sport": "match goal striker league coach season stadium referee penalty champions",
    "money": "shares market investors profit earnings bank inflation interest dividend",
    "space": "rocket orbit astronauts launch satellite spacecraft mission lunar telescope",
}


def write_day(folder, date, per_topic, seed):
    rng = random.Random(seed)
    titles = []
    for label, words in VOCAB.items():
        vocab = words.split()
        for i in range(per_topic):
            text = " ".join(" ".join(rng.sample(vocab, 5)).capitalize() + "." for _ in range(5))
            title = f"{label} {date} {i} " + " ".join(rng.sample(vocab, 2))
            write_json_article(folder, f"{label}-{date}-{i}.json", title=title, text=text,
                               date=date, url=f"https://example.org/{label}/{date}/{i}")
            titles.append(title)
    return titles


def test_record_caps_the_text_keeps_one_row_per_article_and_prunes_old_days(tmp_path):
    long_text = "word " * 1000
    articles = [Article(title="Old", text="Old story text.", source="S", url="https://e.org/1"),
                Article(title="Long", text=long_text, source="S", url="https://e.org/2")]
    now = dt.datetime(2024, 5, 1, 6, tzinfo=dt.timezone.utc)
    with State(tmp_path / "s.sqlite3") as state:
        ids = [ids for ids, _ in remember(state, articles, now)]
        days = [dt.date(2024, 1, 1), dt.date(2024, 4, 30)]
        history.record(state, articles, ids, days)
        history.record(state, articles, ids, days)  # seen again: still one row each
        rows = state.db.execute("SELECT title, text FROM history ORDER BY day").fetchall()
        assert [r[0] for r in rows] == ["Old", "Long"]
        assert len(rows[1][1]) <= history.TEXT_CAP and long_text.startswith(rows[1][1])
        assert [t for _, t, _ in history.earlier(state, dt.date(2024, 5, 1), keep_days=200)] \
            == ["Long", "Old"]
        # the day itself and articles excluded by id are not earlier articles
        assert history.earlier(state, dt.date(2024, 4, 30), keep_days=200)[0][1] == "Old"
        assert history.earlier(state, dt.date(2024, 5, 1), exclude=ids[1])[:1] == []
        assert history.prune(state, dt.date(2024, 5, 1)) == 1
        assert [r[0] for r in state.db.execute("SELECT title FROM history")] == ["Long"]
        # deleting the article seen deletes what grouping kept of it
        state.db.execute("DELETE FROM seen")
        assert state.db.execute("SELECT count(*) FROM history").fetchone()[0] == 0


def test_the_second_days_grouping_uses_the_first_days_articles(tmp_path, monkeypatch):
    articles = tmp_path / "articles"
    config = write_config(tmp_path, """
        window = "day"
        outbox = "out"
        [[sources]]
        name = "Local"
        type = "folder"
        path = "articles"
        [audiences.general]
        summary_sentences = 1
    """)
    backgrounds = []
    real = digest.pipeline.group_articles

    def spy(articles, sections=(), background=None):
        backgrounds.append(background)
        return real(articles, sections, background)

    monkeypatch.setattr(digest.pipeline, "group_articles", spy)
    first = write_day(articles, "2024-05-01", per_topic=3, seed=1)
    issue = run(load_settings(config), date=dt.date(2024, 5, 1))[0]
    assert backgrounds == [None]  # a first run has no history, and groups all the same
    assert len(issue.topics) >= 2
    second = write_day(articles, "2024-05-02", per_topic=3, seed=2)
    run(load_settings(config), date=dt.date(2024, 5, 2))
    background = backgrounds[-1]
    assert background is not None and background.documents == len(first)
    titles = {doc.title for doc in background._docs}
    assert titles == set(first) and not titles & set(second)
    assert background.frequency(history_stem("rocket")) > 0
    # rebuilding the first day gives it the same (empty) history as before
    run(load_settings(config), date=dt.date(2024, 5, 1))
    assert backgrounds[-1] is None


def history_stem(word):
    from digest.topics import terms

    return terms(word)[0][0]
