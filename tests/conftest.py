"""Small builders for test data: write articles and configs into tmp_path."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from digest.resources import default_dir

SEED = default_dir("samples") / "blog" / "xi-jinping-visits-moscow.txt"


def write_json_article(folder: Path, name: str, **fields) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "title": "A title",
        "date": "2024-05-01",
        "url": "https://example.org/a",
        "text": "First sentence here. Second sentence follows.\n\nA third one ends it.",
    }
    data.update(fields)
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# How most test configs start: a day's window, outbox and state beside the config, and one
# folder source reading ./articles (write_json_article puts the stories there).
LOCAL_PROJECT = """
window = "day"
outbox = "out"
state = "state.sqlite3"

[[sources]]
name = "Local"
type = "folder"
path = "articles"
"""


def write_config(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "digest.toml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


STORY = (
    "The city council approved a new bridge over the river on Monday. "
    "The bridge will cost twelve million dollars and open in 2027. "
    "Engineers said the old crossing was no longer safe for heavy traffic.\n\n"
    "Residents have waited a decade for the project. "
    "Some shop owners worry about noise during construction. "
    "The mayor promised that work would stop at night."
)


@pytest.fixture
def project(tmp_path):
    """A config with one folder source and two audiences; returns (config_path, articles_dir)."""
    articles = tmp_path / "proj" / "articles"
    write_json_article(articles, "bridge.json", title="Council approves bridge", text=STORY,
                       date="2024-05-01", url="https://example.org/bridge")
    write_json_article(articles, "storm.json", title="Storm hits coast",
                       text="A storm hit the coast on Tuesday. Thousands lost power. "
                            "Crews worked through the night to restore it.\n\n"
                            "Forecasters expect calmer weather by Friday.",
                       date="2024-05-02", url="https://example.org/storm")
    config = write_config(tmp_path / "proj", """
        window = "day"
        outbox = "out"

        [[sources]]
        name = "Local"
        type = "folder"
        path = "articles"

        [audiences.general]
        subject = "News for {{ date }}"
        from = "Digest <digest@example.org>"
        recipients = ["reader@example.org"]
        summary_sentences = 2

        [audiences.experts]
        subject = "Briefing {{ date }}"
        from = "Briefing <brief@example.org>"
        recipients = ["a@example.org", "b@example.org"]
        summary_sentences = 3
        summary_algorithm = "luhn"

        [audiences.experts.branding]
        name = "Expert briefing"
        color = "#5a1f3a"
    """)
    return config, articles


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """No test may reach another machine: the HTTP client refuses every other host."""
    import digest.gathering.fetch

    monkeypatch.setattr(digest.gathering.fetch, "ALLOWED_HOSTS", frozenset({"127.0.0.1", "localhost"}))


@pytest.fixture
def server():
    from localserver import LocalServer

    srv = LocalServer()
    yield srv
    srv.close()


@pytest.fixture
def smtp_server(tmp_path, monkeypatch):
    """A real SMTP server (aiosmtpd with STARTTLS and a login) on 127.0.0.1, its password in
    the environment as `digest send` reads it, and no link secret from the environment."""
    from smtp_server import PASSWORD, SmtpTestServer

    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", PASSWORD)
    monkeypatch.delenv("DIGEST_SECRET", raising=False)
    server = SmtpTestServer(tmp_path).start()
    yield server
    server.stop()
