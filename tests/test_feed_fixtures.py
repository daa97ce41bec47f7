"""Every file in ../shared/data/feeds (feedparser's 2,107 test feeds and real-world feeds)
is read without an exception escaping: articles, or a warning naming the source.

Skipped when the evaluation data is not beside the repository.
"""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import cli

FEEDS = Path(__file__).resolve().parents[2] / "shared" / "data" / "feeds"

pytestmark = pytest.mark.skipif(not FEEDS.is_dir(), reason=f"{FEEDS} not present")

# real-world files that are not feeds at all, or hold no entries worth an article
NOT_FEEDS = {"unrecognized.rss"}


def feed_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "LICENSE")


def test_gather_over_every_fixture_exits_0_without_traceback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the state file of a config-less run lands here
    files = feed_files(FEEDS)
    assert len(files) > 2000
    args = ["gather", "--all", "--json"]
    for path in files:
        args += ["--source", str(path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output[-2000:]
    assert result.exception is None and "Traceback" not in result.output
    # feeds read from files never fetch their links (the loopback guard would say so)
    assert "not allowed" not in result.stderr
    # no reader met an exception it did not expect
    assert not re.search(r"unexpected \w+(Error|Exception)", result.stderr)
    last = result.stderr.strip().splitlines()[-1]
    ok, failed = (int(last.split()[i]) for i in (1, 3))
    assert ok + failed == len(files)
    # each warning names the file it is about
    for line in result.stderr.splitlines():
        if line.startswith("Warning:"):
            assert str(FEEDS) in line, line


def test_each_real_world_feed_yields_its_articles(tmp_path, monkeypatch):
    import feedparser

    monkeypatch.chdir(tmp_path)
    from digest.gathering.sources import guess_source
    from digest.pipeline import gather_day
    from digest.settings import Settings

    settings = Settings(sources=(), audiences={}, outbox=tmp_path, state=None)
    for path in feed_files(FEEDS / "real-world"):
        if path.name in NOT_FEEDS:
            continue
        expected = feedparser.parse(path.read_bytes())
        day = gather_day(settings, everything=True, sources=[guess_source(str(path))])
        assert day.ok, path
        # every entry with a title or text is an article (duplicates inside a feed merge)
        assert 0 < len(day.articles) <= len(expected.entries), path
