"""The public archive: pages, indexes and the Atom feed after real runs and real sends.

Messages go through the aiosmtpd test server (tests/smtp_server.py); the feed is read by
feedparser; links are followed on disk.
"""

from __future__ import annotations

import re
import sqlite3
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote, urlsplit

import feedparser
import pytest
from click.testing import CliRunner
from conftest import STORY, write_config, write_json_article
from lxml import html as lxml_html
from smtp_server import SmtpTestServer

from digest.cli import cli

BASE = "https://news.example.org/archive"
DAY1, DAY2 = "2024-05-01", "2024-05-02"
# distinctive enough that finding any of these under the archive can only be a leak
PEOPLE = [
    ("zebulon.qx7@distinct-recipient.example", "Zebulon Quaxley", "Xylopolis"),
    ("wren+vv93@other-recipient.example", "Wren Vantablack", "Quorndale"),
]


@pytest.fixture
def smtp(smtp_server):
    return smtp_server


def make_project(tmp_path: Path, smtp: SmtpTestServer | None = None, archive: str = "",
                 titles=("Council approves bridge", "Storm hits coast")) -> Path:
    folder = tmp_path / "proj"
    write_json_article(folder / "articles", "one.json", title=titles[0], text=STORY, date=DAY1,
                       url="https://example.org/bridge")
    write_json_article(folder / "articles", "two.json", title=titles[1],
                       text="A storm hit the coast on Tuesday. Thousands lost power. "
                            "Crews worked through the night to restore it.\n\n"
                            "Forecasters expect calmer weather by Friday.",
                       date=DAY2, url="https://example.org/storm")
    (folder / "people.csv").write_text(
        "email,name,city\n" + "".join(f"{e},{n},{c}\n" for e, n, c in PEOPLE), encoding="utf-8")
    # templates that print every recipient field, so that a leak would show
    templates = folder / "templates"
    templates.mkdir(parents=True)
    (templates / "newsletter.mjml").write_text(
        '{% extends "!default/newsletter.mjml" %}{% block greeting %}<p>{{ greeting }} '
        '({{ recipient.email }}, {{ recipient.city }}) <a href="https://example.org/prefs?'
        'who={{ recipient.email }}">Your preferences</a></p>{% endblock %}', encoding="utf-8")
    (templates / "newsletter.txt").write_text(
        '{% extends "!default/newsletter.txt" %}{% block greeting %}\n{{ greeting }} '
        '({{ recipient.email }}, {{ recipient.city }})\n{% endblock %}', encoding="utf-8")
    return write_config(folder, f"""
window = "day"
outbox = "out"
state = "state.sqlite3"
templates = "templates"

[[sources]]
name = "Local"
type = "folder"
path = "articles"

[archive]
base_url = "{BASE}"
{archive}

[audiences.daily]
subject = "News for {{{{ date }}}}: {{{{ top_headline }}}}"
from = "Daily Digest <digest@example.org>"
recipients = "people.csv"
unsubscribe_url = "https://example.org/unsubscribe?email={{email}}"
greeting = "Dear {{name}},"
archive = true

[audiences.private]
from = "Private <private@example.org>"
recipients = ["{PEOPLE[0][0]}"]
# `digest send` refuses an issue without List-Unsubscribe (digest check)
unsubscribe_mailto = "leave@example.org"
""" + (smtp.smtp_config() if smtp else ""))


def invoke(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def feed_file(path: Path, href: str) -> Path:
    """The file under the archive that a feed link names."""
    assert href.startswith(BASE + "/"), href
    return path / urlsplit(href).path[len(urlsplit(BASE).path) + 1:]


def bodies(message: EmailMessage) -> tuple[str, str]:
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    return html, text


def test_two_runs_give_index_feed_pages_and_view_in_browser_links(tmp_path, smtp):
    config = make_project(tmp_path, smtp)
    for day in (DAY1, DAY2):
        invoke("run", "--config", config, "--date", day, "--send")
    archive = config.parent / "archive"

    index = (archive / "daily" / "index.html").read_text(encoding="utf-8")
    assert index.index(f'href="{DAY2}.html"') < index.index(f'href="{DAY1}.html"')  # newest first
    assert "Council approves bridge" in index and "Storm hits coast" in index
    site = (archive / "index.html").read_text(encoding="utf-8")
    assert 'href="daily/index.html"' in site and "private" not in site
    assert not (archive / "private").exists()  # not archived: some digests are private

    feed = feedparser.parse((archive / "daily" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [e.title for e in feed.entries] == [f"News for {DAY2}: Storm hits coast",
                                               f"News for {DAY1}: Council approves bridge"]
    for entry, day in zip(feed.entries, (DAY2, DAY1)):
        assert entry.link == f"{BASE}/daily/{day}.html"
        assert feed_file(archive, entry.link).is_file()
    assert "Storm hits coast" in feed.entries[0].content[0].value

    pages = {day: (archive / "daily" / f"{day}.html").read_text(encoding="utf-8")
             for day in (DAY1, DAY2)}
    for page in pages.values():
        for email, name, city in PEOPLE:
            assert email not in page and name not in page and city not in page
        assert "Dear" not in page and "Unsubscribe" not in page
        assert "Your preferences" not in page and "example.org/prefs" not in page
    assert 'rel="next" href="2024-05-02.html"' in pages[DAY1]
    assert 'rel="prev" href="2024-05-01.html"' in pages[DAY2]

    for email, name, _ in PEOPLE:
        messages = [m for m in smtp.handler.messages(email) if "Daily" in m["From"]]
        assert len(messages) == 2
        for message, day in zip(messages, (DAY1, DAY2)):
            html, text = bodies(message)
            url = f"{BASE}/daily/{day}.html"
            assert f'href="{url}"' in html and "View in browser" in html
            assert f"View in browser: {url}" in text
            assert name in html  # the message itself is still the recipient's own copy
            assert f'prefs?who={email}"' in html
    # the private audience's messages carry no archive link
    private = [m for m in smtp.handler.messages(PEOPLE[0][0]) if "Private" in m["From"]]
    assert len(private) == 2
    assert all("View in browser" not in "".join(bodies(m)) for m in private)
    outbox_text = (config.parent / "out" / DAY1 / "daily.txt").read_text(encoding="utf-8")
    assert f"View in browser: {BASE}/daily/{DAY1}.html" in outbox_text
    assert "View in browser" not in (config.parent / "out" / DAY1 / "private.txt").read_text(
        encoding="utf-8")


def leaks(tree: Path, secrets: list[str]) -> list[str]:
    found = []
    for path in sorted(p for p in tree.rglob("*") if p.is_file()):
        data = path.read_bytes().lower()
        found += [f"{path.name}: {s}" for s in secrets if s.lower().encode() in data]
    return found


def test_no_address_name_or_token_anywhere_under_the_archive(tmp_path, smtp):
    config = make_project(tmp_path, smtp)
    for day in (DAY1, DAY2):
        invoke("run", "--config", config, "--date", day, "--send")
    invoke("archive", "--config", config, "--rebuild")
    assert sum(len(smtp.handler.messages(e)) for e, _, _ in PEOPLE) == 6  # 2 daily each, 2 private
    db = sqlite3.connect(config.parent / "state.sqlite3")
    tokens = [row[0] for row in db.execute("SELECT token FROM sendable_issues")]
    db.close()
    secrets = ["~dg", *tokens, "unsubscribe?email"]
    for email, name, city in PEOPLE:
        secrets += [email, quote(email, safe=""), email.split("@")[0], email.split("@")[1],
                    name, city]
    archive = config.parent / "archive"
    assert len(list(archive.rglob("*.html"))) == 4
    assert leaks(archive, secrets) == []
    # the same search finds them in what was sent: it can fail
    sent = tmp_path / "sent"
    sent.mkdir()
    for i, raw in enumerate(smtp.handler.mailbox[PEOPLE[0][0]]):
        (sent / f"{i}.eml").write_bytes(raw)
    assert leaks(sent, [PEOPLE[0][0], PEOPLE[0][1]])


def test_a_script_title_is_text_escaped_once_in_pages_and_feed(tmp_path):
    evil = "<script>alert(1)</script> & co"
    config = make_project(tmp_path, titles=(evil, "Storm hits coast"))
    invoke("run", "--config", config, "--date", DAY1)
    archive = config.parent / "archive" / "daily"
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
    for name in (f"{DAY1}.html", "index.html"):
        page = (archive / name).read_text(encoding="utf-8")
        assert "<script" not in page.lower()
        assert escaped in page
        assert "&amp;lt;" not in page  # not twice
        doc = lxml_html.document_fromstring(page)
        assert evil in doc.text_content()  # a reader sees the characters
        assert not doc.xpath("//script")
    raw = (archive / "feed.xml").read_text(encoding="utf-8")
    assert "<script" not in raw
    feed = feedparser.parse(raw)
    assert not feed.bozo
    (entry,) = feed.entries
    assert entry.title == f"News for {DAY1}: {evil}"  # text construct: the characters
    content = entry.content[0]
    assert content.type == "text/html"
    assert escaped in content.value and "&amp;lt;" not in content.value
    assert evil in lxml_html.fragment_fromstring(content.value, create_parent="div").text_content()


def relative_links(page: Path) -> list[str]:
    """The page's links to the site itself (not to other sites, nor within the page)."""
    doc = lxml_html.document_fromstring(page.read_bytes())
    scheme = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)
    return [link for element, _, link, _ in doc.iterlinks()
            if element.tag in ("a", "link", "img") and not scheme.match(link)
            and not link.startswith("#")]


def test_every_link_of_the_site_resolves_to_a_written_file(tmp_path):
    config = make_project(tmp_path, archive='subscribe_url = "https://news.example.org/join"')
    for day in (DAY1, DAY2):
        invoke("run", "--config", config, "--date", day)
    archive = config.parent / "archive"
    pages = sorted(archive.rglob("*.html"))
    assert len(pages) == 4  # site index, audience index, two issues
    checked = 0
    for page in pages:
        for link in relative_links(page):
            target = (page.parent / urlsplit(link).path).resolve()
            assert target.is_file(), f"{page.relative_to(archive)} -> {link}"
            assert target.is_relative_to(archive.resolve())
            checked += 1
    assert checked >= 12
    page = (archive / "daily" / f"{DAY1}.html").read_text(encoding="utf-8")
    assert 'href="https://news.example.org/join">Subscribe</a>' in page
    feed = feedparser.parse((archive / "daily" / "feed.xml").read_bytes())
    for link in [feed.feed.link, *(e.link for e in feed.entries)]:
        assert feed_file(archive, link).is_file()


def test_feed_keeps_the_last_n_issues_and_ids_stay_across_rebuilds(tmp_path):
    config = make_project(tmp_path, archive="feed_entries = 2")
    articles = config.parent / "articles"
    days = ["2024-05-01", "2024-05-02", "2024-05-03", "2024-05-04"]
    for i, day in enumerate(days[2:]):
        write_json_article(articles, f"more{i}.json", title=f"Later story {i}", text=STORY,
                           date=day, url=f"https://example.org/later{i}")
    for day in days:
        invoke("run", "--config", config, "--date", day)
    path = config.parent / "archive" / "daily" / "feed.xml"
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo
    assert [e.link.rsplit("/", 1)[1] for e in feed.entries] == ["2024-05-04.html",
                                                                "2024-05-03.html"]
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == 2
    index = (config.parent / "archive" / "daily" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{day}.html"' in index for day in days)  # the index keeps them all

    import shutil

    shutil.rmtree(config.parent / "archive")
    invoke("archive", "--config", config, "--rebuild")
    again = feedparser.parse(path.read_bytes())
    assert [e.id for e in again.entries] == ids
    assert feed.feed.id == again.feed.id


def test_rebuild_from_the_state_alone_and_a_date_gone_is_not_left_dangling(tmp_path):
    config = make_project(tmp_path)
    for day in (DAY1, DAY2):
        invoke("run", "--config", config, "--date", day)
    archive = config.parent / "archive"
    before = {p.relative_to(archive): p.read_bytes() for p in archive.rglob("*") if p.is_file()}
    import shutil

    shutil.rmtree(archive)
    shutil.rmtree(config.parent / "out")  # nothing but the state
    result = invoke("archive", "--config", config, "--rebuild")
    assert "daily: 2 issues" in result.output
    after = {p.relative_to(archive): p.read_bytes() for p in archive.rglob("*") if p.is_file()}
    assert after == before  # the same site, byte for byte

    # a date gone from the state: its page goes, and nothing links to it
    db = sqlite3.connect(config.parent / "state.sqlite3")
    with db:
        db.execute("DELETE FROM sendable_issues WHERE issue_date = ?", (DAY1,))
    db.close()
    invoke("archive", "--config", config)
    assert not (archive / "daily" / f"{DAY1}.html").exists()
    for path in archive.rglob("*"):
        if path.is_file():
            assert f"{DAY1}.html" not in path.read_text(encoding="utf-8"), path.name
    assert len(feedparser.parse((archive / "daily" / "feed.xml").read_bytes()).entries) == 1

    # an audience no longer archived loses its pages
    config.write_text(config.read_text(encoding="utf-8").replace("archive = true\n", ""),
                      encoding="utf-8")
    invoke("archive", "--config", config)
    assert not (archive / "daily").exists()
    assert "daily" not in (archive / "index.html").read_text(encoding="utf-8")


def test_rebuilding_a_date_replaces_its_page(tmp_path):
    config = make_project(tmp_path)
    invoke("run", "--config", config, "--date", DAY1)
    page = config.parent / "archive" / "daily" / f"{DAY1}.html"
    assert "Council approves bridge" in page.read_text(encoding="utf-8")
    write_json_article(config.parent / "articles", "one.json", title="Council delays bridge",
                       text=STORY, date=DAY1, url="https://example.org/bridge-2")
    invoke("run", "--config", config, "--date", DAY1, "--force")
    text = page.read_text(encoding="utf-8")
    assert "Council delays bridge" in text and "Council approves bridge" not in text
    assert len(list(page.parent.glob("*.html"))) == 2  # the page and the index
    assert not list(page.parent.glob(".*"))  # no temporary file left beside it


def test_without_base_url_pages_are_written_but_messages_have_no_link(tmp_path):
    config = make_project(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace(f'base_url = "{BASE}"', ""),
                      encoding="utf-8")
    invoke("run", "--config", config, "--date", DAY1)
    assert (config.parent / "archive" / "daily" / f"{DAY1}.html").is_file()
    text = (config.parent / "out" / DAY1 / "daily.txt").read_text(encoding="utf-8")
    assert "View in browser" not in text
    feed = feedparser.parse((config.parent / "archive" / "daily" / "feed.xml").read_bytes())
    assert not feed.bozo and feed.entries[0].link == f"{DAY1}.html"  # relative to the feed


def test_archive_needs_no_smtp_and_names_an_unknown_audience(tmp_path):
    config = make_project(tmp_path)
    result = CliRunner().invoke(cli, ["archive", "--config", str(config), "--audience", "nope"])
    assert result.exit_code == 2
    assert "unknown audience 'nope'" in result.output


def test_archive_settings_are_checked_and_named(tmp_path):
    from digest.errors import ConfigError
    from digest.settings import load_settings

    config = make_project(tmp_path)
    body = config.read_text(encoding="utf-8")
    for bad, key in (('base_url = "ftp://x"', "archive.base_url"),
                     ("feed_entries = 0", "archive.feed_entries"),
                     ("feed_max_bytes = 100", "archive.feed_max_bytes"),
                     ("colour = 1", "archive.colour")):
        config.write_text(body.replace(f'base_url = "{BASE}"', bad), encoding="utf-8")
        with pytest.raises(ConfigError, match=re.escape(f"'{key}'")):
            load_settings(config)
    config.write_text(body.replace("archive = true", 'archive = "yes"'), encoding="utf-8")
    with pytest.raises(ConfigError, match="audiences.daily.archive' must be true or false"):
        load_settings(config)


def test_base_url_defaults_to_the_service_address():
    from digest.settings.archive import parse_archive
    from digest.settings.values import Table

    origin = Path("/srv/digest/digest.toml")
    archive = parse_archive(Table({}, "archive", origin), {"base_url": "https://ex.org/d/"})
    assert archive.base_url == "https://ex.org/d/archive"
    assert archive.path == Path("/srv/digest/archive")
    assert parse_archive(Table({}, "archive", origin), None).base_url == ""


def test_the_state_keeps_each_issues_articles_for_every_audience(tmp_path):
    config = make_project(tmp_path)
    invoke("run", "--config", config, "--date", DAY1)
    db = sqlite3.connect(config.parent / "state.sqlite3")
    rows = dict(db.execute("SELECT audience, articles FROM issue_contents"))
    version = db.execute("PRAGMA user_version").fetchone()[0]
    db.close()
    assert set(rows) == {"daily", "private"}
    assert '"Council approves bridge"' in rows["daily"]
    from digest.state import MIGRATIONS

    assert version == len(MIGRATIONS)


def test_an_archive_that_cannot_be_written_warns_and_the_run_goes_on(tmp_path):
    config = make_project(tmp_path)
    (config.parent / "archive").write_text("a file where the folder should be",
                                           encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", "--config", str(config), "--date", DAY1])
    assert result.exit_code == 0, result.output
    assert "Warning: archive: cannot write" in result.output
    assert "Traceback" not in result.output
    assert (config.parent / "out" / DAY1 / "daily.html").is_file()  # the issue is out
    result = CliRunner().invoke(cli, ["archive", "--config", str(config)])
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if x.startswith("Error:")]
    assert "archive: cannot write" in line and str(config.parent / "archive") in line
    (config.parent / "archive").unlink()
    invoke("archive", "--config", config)  # it catches up from the state
    assert (config.parent / "archive" / "daily" / f"{DAY1}.html").is_file()


def test_an_audience_archived_later_gets_its_earlier_issues_at_the_next_run(tmp_path):
    config = make_project(tmp_path)
    body = config.read_text(encoding="utf-8")
    config.write_text(body.replace("archive = true\n", ""), encoding="utf-8")
    invoke("run", "--config", config, "--date", DAY1)
    assert not (config.parent / "archive" / "daily").exists()  # private so far
    config.write_text(body, encoding="utf-8")
    invoke("run", "--config", config, "--date", DAY2)
    folder = config.parent / "archive" / "daily"
    assert sorted(p.name for p in folder.glob("2024-*.html")) == [f"{DAY1}.html", f"{DAY2}.html"]
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "Council approves bridge" in index  # its headlines were kept in the state
