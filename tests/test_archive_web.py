"""The archive on the web: its static files over a real WSGI server, in `digest preview`, in
headless Chromium at phone width, and its feed's size cap."""

from __future__ import annotations

import datetime as dt
import http.client
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import feedparser
import pytest
from click.testing import CliRunner
from test_archive import BASE, DAY1, DAY2, make_project
from test_preview_browser import chromium

from digest.archive.feed import build_feed
from digest.archive.indexes import template
from digest.archive.serve import make_app, static_response
from digest.archive.store import StoredIssue
from digest.cli import cli
from digest.settings.schema import Archive, Audience


@pytest.fixture
def site(tmp_path):
    """Two runs' archive, plus a secret beside it that must never be served."""
    config = make_project(tmp_path, titles=("<script>document.title='pwned'</script>",
                                            "Storm hits coast"))
    for day in (DAY1, DAY2):
        assert CliRunner().invoke(cli, ["run", "--config", str(config), "--date", day]
                                  ).exit_code == 0
    archive = config.parent / "archive"
    (archive / "daily" / ".hidden.html").write_text("hidden", encoding="utf-8")
    (archive / "outside").symlink_to(config.parent)  # a link out of the folder
    return config, archive


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def wsgi(site):
    config, archive = site
    server = make_server("127.0.0.1", 0, make_app(archive, prefix="/archive"),
                         handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], config
    server.shutdown()
    server.server_close()


def get(port: int, path: str, method: str = "GET"):
    # http.client sends the path as given: no client-side clean-up of "..", unlike browsers
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


def test_the_wsgi_app_serves_the_archive_with_content_types(wsgi):
    port, _ = wsgi
    response, body = get(port, "/archive/")
    assert response.status == 200 and b"daily/index.html" in body
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    response, body = get(port, f"/archive/daily/{DAY1}.html")
    assert response.status == 200 and b"&lt;script&gt;document.title" in body
    assert "script-src" not in response.getheader("Content-Security-Policy")  # none allowed
    assert "default-src 'none'" in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    response, body = get(port, "/archive/daily/feed.xml")
    assert response.getheader("Content-Type") == "application/atom+xml; charset=utf-8"
    assert not feedparser.parse(body).bozo
    response, body = get(port, "/archive/daily/feed.xml", "HEAD")
    assert response.status == 200 and body == b"" and int(response.getheader("Content-Length"))
    # a folder without its slash is sent to it, so that the index's relative links work
    response, _ = get(port, "/archive/daily")
    assert response.status == 301 and response.getheader("Location") == "daily/"
    response, _ = get(port, "/archive")
    assert response.status == 301 and response.getheader("Location") == "archive/"


@pytest.mark.parametrize("path", [
    "/archive/../digest.toml",
    "/archive/daily/../../digest.toml",
    "/archive/%2e%2e/digest.toml",
    "/archive/daily/..%2f..%2fdigest.toml",
    "/archive/daily/%2E%2E%5C%2E%2E%5Cdigest.toml",
    "/archive//etc/passwd",
    "/archive/daily/.hidden.html",
    "/archive/outside/digest.toml",
    "/archive/outside/state.sqlite3",
    "/archive/daily/%00.html",
    "/digest.toml",
    "/archive/nothing-here.html",
])
def test_nothing_outside_the_archive_is_served(wsgi, path):
    port, _ = wsgi
    response, body = get(port, path)
    assert response.status == 404, (path, body[:80])
    assert b"[archive]" not in body and b"SQLite" not in body


def test_only_get_and_head(wsgi):
    port, _ = wsgi
    for method in ("POST", "PUT", "DELETE"):
        response, _ = get(port, "/archive/index.html", method)
        assert response.status == 405 and response.getheader("Allow") == "GET, HEAD"


def test_static_response_inside_is_ok_and_outside_is_refused(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.html").write_text("ok", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("no", encoding="utf-8")
    root = tmp_path / "site"
    assert static_response(root, "/a.html").body == b"ok"
    for path in ("/../secret.txt", "/a.html/../../secret.txt", "/./a.html", str(tmp_path)):
        assert static_response(root, path).status == 404, path


def test_preview_shows_the_archive(site):
    from digest.pipeline import run
    from digest.rendering.preview import Preview
    from digest.rendering.preview import make_server as preview_server

    config, _ = site
    server = preview_server(Preview(str(config), dt.date(2024, 5, 2), build=run,
                                    archive=static_response), port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        _, body = get(port, "/")
        assert b'href="/archive/"' in body
        response, _ = get(port, "/archive")
        assert response.status == 301 and response.getheader("Location") == "/archive/"
        response, body = get(port, "/archive/daily/index.html")
        assert response.status == 200 and DAY1.encode() in body and DAY2.encode() in body
        response, _ = get(port, "/archive/../digest.toml")
        assert response.status == 404
    finally:
        server.shutdown()
        server.server_close()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_an_archive_page_in_chromium_at_phone_width(wsgi, tmp_path):
    from selenium.webdriver.common.by import By

    port, _ = wsgi
    browser = chromium(tmp_path)
    try:
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 375, "height": 812, "deviceScaleFactor": 1, "mobile": True})
        browser.get(f"http://127.0.0.1:{port}/archive/daily/{DAY1}.html")
        body = browser.find_element(By.TAG_NAME, "body").text
        assert "<script>document.title='pwned'</script>" in body  # shown as text
        assert browser.title != "pwned"
        assert "All issues" in body and "View in browser" not in body
        # the page fits a phone: no sideways scrolling
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 380
        shot = browser.get_screenshot_as_png()
        (tmp_path / "archive-phone.png").write_bytes(shot)
        assert png_size(shot)[0] == 375
        assert len(shot) > 5_000  # a page was drawn, not a blank frame
        # the bar's links work in the browser: next issue, then the index
        browser.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
        assert browser.current_url.endswith(f"/archive/daily/{DAY2}.html")
        browser.find_element(By.LINK_TEXT, "All issues").click()
        assert browser.current_url.endswith("/archive/daily/index.html")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 380
    finally:
        browser.quit()


def big_issue(day: dt.date, stories: int) -> StoredIssue:
    sentence = "A long sentence about the council's <budget> & the bridge, said the mayor. "
    return StoredIssue(date=day, audience="daily", subject=f"News for {day}",
                       rendered_at=f"{day}T06:30:00+00:00",
                       articles=[{"title": f"Story {i} <b>bold</b>", "link": f"https://e.org/{i}",
                                  "source": "Wire", "summary": [sentence * 6] * 3}
                                 for i in range(stories)])


def test_the_feed_stays_under_its_size_cap_with_the_last_n_issues(tmp_path):
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(40)]
    issues = [big_issue(day, 60) for day in reversed(days)]  # newest first
    archive = Archive(path=tmp_path, base_url=BASE)
    data = build_feed(archive, Audience(name="daily"), issues, template("entry.html"), "en")
    uncapped = sum(len(s) for i in issues[:30] for a in i.articles for s in a["summary"])
    assert uncapped > 2 * archive.feed_max_bytes  # the cap has work to do
    assert len(data) <= archive.feed_max_bytes
    feed = feedparser.parse(data)
    assert not feed.bozo
    assert len(feed.entries) == 30  # the last 30, each shortened rather than dropped
    assert feed.entries[0].link == f"{BASE}/daily/{days[-1]}.html"
    assert feed.entries[-1].link == f"{BASE}/daily/{days[10]}.html"
    assert "more stories in the issue" in feed.entries[0].content[0].value
    assert "Story 0 &lt;b&gt;bold&lt;/b&gt;" in feed.entries[0].content[0].value

    small = Archive(path=tmp_path, base_url=BASE, feed_entries=5, feed_max_bytes=20_000)
    data = build_feed(small, Audience(name="daily"), issues, template("entry.html"), "en")
    assert len(data) <= 20_000 and len(feedparser.parse(data).entries) == 5


def test_thirty_days_of_a_sample_sized_issue_fit_the_default_cap(tmp_path):
    """61 stories a day (the bundled samples' count) for 30 days: every entry is there."""
    issues = [StoredIssue(date=dt.date(2024, 1, 30) - dt.timedelta(days=i), audience="daily",
                          subject="News", rendered_at="",
                          articles=[{"title": f"Sample {n}", "link": "", "source": "Wikinews",
                                     "summary": [("A typical summary sentence, about twenty "
                                                  "words long, as the news summariser keeps "
                                                  "them.")] * 3} for n in range(61)])
              for i in range(30)]
    data = build_feed(Archive(path=tmp_path), Audience(name="daily"), issues,
                      template("entry.html"), "en")
    assert len(data) <= 400_000
    feed = feedparser.parse(data)
    assert not feed.bozo and len(feed.entries) == 30


def test_characters_xml_cannot_carry_are_left_out_of_the_feed(tmp_path):
    issue = StoredIssue(date=dt.date(2024, 1, 1), audience="daily", subject="News\x01 today",
                        rendered_at="", articles=[{"title": "Bad\x0b title\ufffe", "link": "",
                                                   "source": "Wire", "summary": ["A\x00b."]}])
    data = build_feed(Archive(path=tmp_path), Audience(name="daily"), [issue],
                      template("entry.html"), "en")
    feed = feedparser.parse(data)
    assert not feed.bozo
    assert feed.entries[0].title == "News today"
    assert "Bad title" in feed.entries[0].content[0].value
