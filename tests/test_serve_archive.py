"""`digest serve` serves the public archive at /archive/ when an audience is archived."""

from __future__ import annotations

import pytest
from conftest import STORY, write_config, write_json_article
from service_helpers import Served

from digest.pipeline import run
from digest.settings import load_settings

BASE = "https://news.example.test/digest"


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.delenv("DIGEST_SECRET", raising=False)
    write_json_article(tmp_path / "articles", "a.json", title="Council approves <b>bridge</b>",
                       text=STORY, date="2024-05-01")
    config = write_config(tmp_path, f"""
state = "state.sqlite3"
outbox = "out"

[[sources]]
name = "Local"
type = "folder"
path = "articles"

[audiences.daily]
from = "Daily <digest@example.org>"
recipients = ["ana@example.org"]
archive = true

[archive]
path = "site"

[service]
base_url = "{BASE}"
""")
    return load_settings(config)


def test_the_archive_is_served_beside_the_links(settings):
    import datetime as dt

    (issue,) = run(settings, date=dt.date(2024, 5, 1))
    with Served(settings) as served:
        page = served.get(f"{BASE}/archive/daily/2024-05-01.html")
        assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
        assert b"Council approves &lt;b&gt;bridge&lt;/b&gt;" in page.data
        assert b"ana@example.org" not in page.data
        index = served.get(f"{BASE}/archive/daily/")
        assert index.status == 200 and b"2024-05-01.html" in index.data
        bare = served.get(f"{BASE}/archive")
        assert bare.status == 301 and bare.headers["Location"] == "/digest/archive/"
        assert served.get(f"{BASE}/archive/../state.sqlite3").status in (400, 404)
        assert served.get(f"{BASE}/health").data == b"ok\n"
    # the message's "view in browser" link is that page
    assert f"{BASE}/archive/daily/2024-05-01.html" in issue.text


def test_no_archive_no_mount(tmp_path):
    config = write_config(tmp_path, f"""
state = "state.sqlite3"

[audiences.daily]
recipients = ["ana@example.org"]

[service]
base_url = "{BASE}"
""")
    with Served(load_settings(config)) as served:
        assert served.get(f"{BASE}/archive/").status == 404
