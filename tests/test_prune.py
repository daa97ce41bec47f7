"""State that does not grow forever: `prune` and `digest state prune`."""

import datetime as dt
import json

from click.testing import CliRunner
from conftest import write_config

from digest.cli import cli
from digest.gathering.prune import prune
from digest.gathering.seen import record_issue, remember
from digest.models import Article
from digest.state import State
from digest.topics import history

NOW = dt.datetime(2024, 12, 1, 12, 0, tzinfo=dt.timezone.utc)


def story(n: int) -> Article:
    return Article(title=f"Story {n}", text=f"Story number {n} happened on a day. " * 5,
                   source="feed", url=f"https://news.example/{n}")


def test_articles_not_seen_for_the_horizon_go_with_their_history_and_issues(tmp_path):
    old, still_in_feed, recent = story(1), story(2), story(3)
    with State(tmp_path / "state.sqlite3") as state:
        long_ago = NOW - dt.timedelta(days=200)
        memory = remember(state, [old, still_in_feed], long_ago)
        history.record(state, [old, still_in_feed], [ids for ids, _ in memory],
                       [long_ago.date()] * 2)
        record_issue(state, "general", long_ago.date(), memory[0][0] | memory[1][0])
        # the feed still carries story 2: seen again yesterday, it must stay
        remember(state, [still_in_feed, recent], NOW - dt.timedelta(days=1))
        result = prune(state, keep_days=180, now=NOW)
        titles = [r[0] for r in state.db.execute("SELECT title FROM seen ORDER BY title")]
        assert titles == ["Story 2", "Story 3"]
        assert result.seen == 1 and result.history == 1
        assert state.db.execute("SELECT count(*) FROM carried").fetchone()[0] == 1
        assert state.db.execute("SELECT count(*) FROM history").fetchone()[0] == 1
        # story 2 keeps its first date (it is no new article)
        first = state.db.execute("SELECT first_seen FROM seen WHERE title = 'Story 2'")
        assert first.fetchone()[0].startswith(long_ago.date().isoformat())


def test_the_file_is_vacuumed_when_pruning_frees_much(tmp_path):
    path = tmp_path / "state.sqlite3"
    with State(path) as state:
        old = (NOW - dt.timedelta(days=400)).isoformat()
        with state.transaction() as db:
            db.executemany(
                "INSERT INTO fetch_cache (url, final_url, body, fetched_at, used_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [(f"https://e.example/{i}", f"https://e.example/{i}", b"x" * 20_000, old, old)
                 for i in range(200)])
        before = state.db.execute("PRAGMA page_count").fetchone()[0]
        result = prune(state, keep_days=180, now=NOW)
        after = state.db.execute("PRAGMA page_count").fetchone()[0]
    assert result.fetch_cache == 200 and result.vacuumed
    assert after < before / 4 and result.size_after < result.size_before / 4
    assert path.stat().st_size < 1_000_000


def test_little_freed_is_not_worth_a_vacuum(tmp_path):
    with State(tmp_path / "state.sqlite3") as state:
        remember(state, [story(1)], NOW - dt.timedelta(days=400))
        result = prune(state, keep_days=180, now=NOW)
    assert result.seen == 1 and not result.vacuumed


def test_digest_state_prune(tmp_path):
    config = write_config(tmp_path, """
        outbox = "out"
        state = "state.sqlite3"
        keep_days = 30
        [audiences.general]
        recipients = ["a@example.org"]
    """)
    with State(tmp_path / "state.sqlite3") as state:
        now = dt.datetime.now(dt.timezone.utc)
        remember(state, [story(1)], now - dt.timedelta(days=40))
        remember(state, [story(2)], now - dt.timedelta(days=10))
    result = CliRunner().invoke(cli, ["state", "prune", "--config", str(config), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["seen"] == 1
    result = CliRunner().invoke(cli, ["state", "prune", "--config", str(config),
                                      "--keep-days", "5"])
    assert result.exit_code == 0 and "pruned 1 articles" in result.output


def test_digest_state_prune_without_a_state_file(tmp_path):
    config = write_config(tmp_path, """
        outbox = "out"
        state = "none-yet.sqlite3"
        [audiences.general]
        recipients = ["a@example.org"]
    """)
    result = CliRunner().invoke(cli, ["state", "prune", "--config", str(config)])
    assert result.exit_code == 2 and "no state file at" in result.output


def test_digest_run_prunes_what_is_past_the_horizon(project):
    config, _ = project
    state_path = config.parent / "digest-state.sqlite3"
    with State(state_path) as state:
        long_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=400)
        remember(state, [story(99)], long_ago)
    result = CliRunner().invoke(cli, ["run", "--config", str(config), "--date", "2024-05-01"])
    assert result.exit_code == 0, result.output
    with State(state_path) as state:
        titles = {r[0] for r in state.db.execute("SELECT title FROM seen")}
    assert "Story 99" not in titles and "Council approves bridge" in titles
