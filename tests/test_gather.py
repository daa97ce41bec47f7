"""`digest gather` and `digest run` over feeds: the window, state between runs, one story once."""

import datetime as dt
import json
import sqlite3

from click.testing import CliRunner
from conftest import STORY, write_config
from localserver import static
from test_feeds import item, rss

from digest.cli import cli
from digest.pipeline import gather_day, run
from digest.settings import load_settings

OTHER = ("A storm hit the coast on Tuesday and thousands of homes lost power overnight. "
         "Crews worked through the night to restore it, the utility said in a statement.\n\n"
         "Forecasters expect calmer weather by Friday, with lighter winds along the shore.")
THIRD = ("The city library will open on Sundays from next month, its director announced. "
         "The change follows a petition signed by more than four thousand residents.\n\n"
         "Extra staff will be hired with money from the regional culture budget.")


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def lines(result):
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_a_story_from_two_feeds_appears_once_with_both_named(tmp_path):
    one = tmp_path / "wire.xml"
    one.write_bytes(rss(item("Bridge approved", "https://wire.example/b?utm_source=rss", STORY)
                        + item("Storm", "https://wire.example/s", OTHER)))
    two = tmp_path / "paper.xml"
    two.write_bytes(rss(item("Council approves the bridge", "https://paper.example/x",
                             STORY + " The vote was 7 to 2.")).replace(
        b"Example News", b"Daily Paper"))
    result = invoke("gather", "--all", "--json", "--source", str(one), "--source", str(two))
    assert result.exit_code == 0, result.output
    rows = lines(result)
    assert len(rows) == 2
    bridge = next(r for r in rows if "bridge" in r["title"].lower())
    assert bridge["source"] == "Daily Paper" and bridge["also_in"] == ["Example News"]
    assert bridge["url"] == "https://paper.example/x" and bridge["words"] > 50
    assert set(bridge) == {"title", "source", "date", "url", "words", "language", "also_in"}
    assert result.stderr.strip().splitlines()[-1] == "sources: 2 ok, 0 failed"


def test_gather_reports_failures_and_fails_only_when_all_fail(tmp_path):
    good = tmp_path / "good.xml"
    good.write_bytes(rss(item("Bridge", "https://wire.example/b", STORY)))
    bad = tmp_path / "bad.rss"
    bad.write_bytes(b"<html>Moved</html><p>junk")
    result = invoke("gather", "--all", "--source", str(good), "--source", str(bad))
    assert result.exit_code == 0
    assert f"Warning: source '{bad}'" in result.stderr
    assert "sources: 1 ok, 1 failed" in result.stderr
    result = invoke("gather", "--all", "--source", str(bad))
    assert result.exit_code == 1
    assert "Error: every source failed (sources: 0 ok, 1 failed)" in result.stderr
    assert "Traceback" not in result.output


def feed_project(tmp_path, server, feed_body, timezone="UTC"):
    server.routes["/feed"] = static(feed_body, etag='"v1"')
    return write_config(tmp_path / "proj", f"""
        window = "day"
        timezone = "{timezone}"
        outbox = "out"

        [fetch]
        timeout = 2
        retries = 0

        [[sources]]
        name = "Local feed"
        type = "feed"
        url = "{server.url('/feed')}"
        full_text = false

        [audiences.general]
        subject = "News for {{{{ date }}}}"
        summary_sentences = 1
    """)


def test_second_gather_is_served_from_304(tmp_path, server):
    config = feed_project(tmp_path, server, rss(item("Bridge", "https://w.example/b", STORY)))
    first = invoke("gather", "--config", str(config), "--all", "--json")
    second = invoke("gather", "--config", str(config), "--all", "--json")
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert lines(first) == lines(second) and len(lines(first)) == 1
    assert "If-None-Match" not in server.requests[0][1]
    assert server.requests[1][1]["If-None-Match"] == '"v1"'
    state = sqlite3.connect(tmp_path / "proj" / "digest-state.sqlite3")
    assert state.execute("SELECT etag FROM fetch_cache").fetchone()[0] == '"v1"'


def test_date_since_and_time_zone_select_the_window(tmp_path, server):
    items = (item("May first", "https://w.example/1", STORY, "Wed, 01 May 2024 12:00:00 GMT")
             + item("Late May first", "https://w.example/2", OTHER,
                    "Wed, 01 May 2024 23:30:00 GMT")
             + item("May third", "https://w.example/3", THIRD, "Fri, 03 May 2024 09:00:00 GMT"))
    config = feed_project(tmp_path, server, rss(items), timezone="Europe/Berlin")
    settings = load_settings(config)
    titles = lambda day: sorted(a.title for a in day.articles)
    assert titles(gather_day(settings, date=dt.date(2024, 5, 1))) == ["May first"]
    # 23:30 UTC is already the next day in Berlin
    assert titles(gather_day(settings, date=dt.date(2024, 5, 2))) == ["Late May first"]
    assert titles(gather_day(settings, date=dt.date(2024, 5, 3), since=dt.date(2024, 5, 1))) \
        == ["Late May first", "May first", "May third"]
    assert len(gather_day(settings, everything=True).articles) == 3
    result = invoke("gather", "--config", str(config), "--date", "2024-05-03", "--since",
                    "2024-05-04")
    assert result.exit_code == 2 and "--since 2024-05-04 is after the date" in result.output


def test_undated_entries_count_from_when_they_were_first_seen(tmp_path, server):
    config = feed_project(tmp_path, server,
                          rss(item("Undated", "https://w.example/u", STORY, date=None)))
    settings = load_settings(config)
    seen = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.timezone.utc)
    assert len(gather_day(settings, date=dt.date(2024, 5, 1), now=seen).articles) == 1
    # seen again two days later: still news of the first day, not of the day it is read
    later = seen + dt.timedelta(days=2)
    assert gather_day(settings, date=dt.date(2024, 5, 3), now=later).articles == []
    assert len(gather_day(settings, date=dt.date(2024, 5, 1), now=later).articles) == 1


def test_next_days_run_does_not_repeat_and_rebuilds_are_identical(tmp_path, server):
    day1 = item("Bridge", "https://w.example/b", STORY, "Wed, 01 May 2024 10:00:00 GMT")
    day2 = item("Storm", "https://w.example/s", OTHER, "Thu, 02 May 2024 10:00:00 GMT")
    config = feed_project(tmp_path, server, rss(day1 + day2))
    settings = load_settings(config)
    now = dt.datetime(2024, 5, 2, 18, 0, tzinfo=dt.timezone.utc)
    [first] = run(settings, date=dt.date(2024, 5, 1), now=now)
    assert [a.title for a in first.articles] == ["Bridge"]
    # the next day's issue looks back two days, yet the bridge story is not repeated
    [second] = run(settings, date=dt.date(2024, 5, 2), since=dt.date(2024, 5, 1), now=now)
    assert [a.title for a in second.articles] == ["Storm"]
    [forced] = run(settings, date=dt.date(2024, 5, 2), since=dt.date(2024, 5, 1), now=now,
                   force=True)
    assert sorted(a.title for a in forced.articles) == ["Bridge", "Storm"]
    # rebuilding the first day gives the same issue, byte for byte
    html = open(first.files[".html"], "rb").read()
    [again] = run(settings, date=dt.date(2024, 5, 1), now=now)
    assert open(again.files[".html"], "rb").read() == html


def test_also_in_is_shown_in_both_parts_of_the_newsletter(tmp_path):
    one = tmp_path / "feeds" / "wire.xml"
    one.parent.mkdir()
    one.write_bytes(rss(item("Bridge approved", "https://wire.example/b", STORY)))
    two = tmp_path / "feeds" / "paper.xml"
    two.write_bytes(rss(item("Bridge approved", "https://wire.example/b#top", STORY)))
    config = write_config(tmp_path, f"""
        window = "all"
        outbox = "out"

        [[sources]]
        name = "Wire"
        type = "feed"
        path = "{one}"
        full_text = false

        [[sources]]
        name = "Paper <b>"
        type = "feed"
        path = "{two}"
        full_text = false

        [audiences.general]
        summary_sentences = 1
    """)
    [issue] = run(load_settings(config))
    assert len(issue.articles) == 1
    assert "Also in: Paper <b>" in issue.text
    html = open(issue.files[".html"], encoding="utf-8").read()
    assert "Also in: Paper &lt;b&gt;" in html


def test_run_cli_prints_the_sources_line(project):
    config, _ = project
    result = invoke("run", "--config", str(config), "--date", "2024-05-01")
    assert result.exit_code == 0, result.output
    assert "sources: 1 ok, 0 failed" in result.stderr


def test_entries_outside_the_window_fetch_no_full_text(tmp_path, server):
    page = ("<html><head><title>P</title></head><body><article>"
            + "".join(f"<p>{p}</p>" for p in STORY.split("\n\n")) + "</article></body></html>")
    server.routes["/today"] = static(page.encode(), "text/html")
    server.routes["/old"] = static(page.encode(), "text/html")
    items = (item("Today", server.url("/today"), "A teaser.", "Wed, 01 May 2024 10:00:00 GMT")
             + item("Old", server.url("/old"), "Old teaser.", "Mon, 01 Jan 2024 10:00:00 GMT"))
    config = feed_project(tmp_path, server, rss(items))
    text = config.read_text().replace("full_text = false", 'full_text = "auto"')
    config.write_text(text)
    day = gather_day(load_settings(config), date=dt.date(2024, 5, 1))
    assert [a.title for a in day.articles] == ["Today"]
    assert "Residents have waited a decade" in day.articles[0].text
    assert server.hits["/today"] == 1 and server.hits["/old"] == 0


def test_folders_and_files_given_to_gather(tmp_path):
    from conftest import write_json_article

    folder = tmp_path / "articles"
    write_json_article(folder, "a.json", title="Council approves bridge", text=STORY)
    note = tmp_path / "note.txt"
    note.write_text("Title: Storm hits coast\nDate: 2024-05-02\n\n" + OTHER, encoding="utf-8")
    result = invoke("gather", "--all", "--json", "--source", str(folder), "--source", str(note))
    assert result.exit_code == 0, result.output
    rows = {r["title"]: r for r in lines(result)}
    assert rows["Council approves bridge"]["source"] == "articles"
    assert rows["Storm hits coast"]["source"] == "note.txt"
    assert rows["Storm hits coast"]["date"] == "2024-05-02"
    missing = invoke("gather", "--source", str(tmp_path / "nope"))
    assert missing.exit_code == 2 and "no such file or folder" in missing.output


def test_run_fails_only_when_every_source_failed(tmp_path):
    config = write_config(tmp_path, """
        outbox = "out"

        [[sources]]
        name = "Gone"
        type = "folder"
        path = "missing"

        [audiences.general]
    """)
    result = invoke("run", "--config", str(config))
    assert result.exit_code == 1
    assert "Error: every source failed (sources: 0 ok, 1 failed)" in result.output
    assert "source 'Gone': folder not found" in result.output


def test_undated_teasers_seen_before_fetch_no_full_text_again(tmp_path, server):
    page = ("<html><head><title>P</title></head><body><article>"
            + "".join(f"<p>{p}</p>" for p in STORY.split("\n\n")) + "</article></body></html>")
    server.routes["/undated"] = static(page.encode(), "text/html")
    config = feed_project(tmp_path, server,
                          rss(item("Undated", server.url("/undated"), "A teaser.", date=None)))
    config.write_text(config.read_text().replace("full_text = false", 'full_text = "auto"'))
    settings = load_settings(config)
    seen = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.timezone.utc)
    [article] = gather_day(settings, date=dt.date(2024, 5, 1), now=seen).articles
    assert "Residents have waited a decade" in article.text
    assert server.hits["/undated"] == 1
    later = seen + dt.timedelta(days=1)
    assert gather_day(settings, date=dt.date(2024, 5, 2), now=later).articles == []
    assert server.hits["/undated"] == 1  # first seen yesterday: outside today's window
