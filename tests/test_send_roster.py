"""A parallel send mails the list and the confirmed sign-ups, never the suppressed, and every
copy's signed link can be read back by `digest serve` (the list streamed, not loaded)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import STORY, write_config, write_json_article

from digest.cli import cli
from digest.delivery.sending import state_path
from digest.settings import load_settings
from digest.state import State
from digest.subscribers import signups, suppression, tokens
from digest.subscribers.secret import link_secret

BASE = "https://news.example.test/digest"
DATE = "2024-05-01"


@pytest.fixture
def server(smtp_server):
    return smtp_server


def test_list_plus_signups_minus_suppressed_over_parallel_connections(tmp_path, server):
    people = [f"reader{i}@example.org" for i in range(12)]
    (tmp_path / "people.csv").write_text("email,name\n" + "".join(
        f"{p},Reader {i}\n" for i, p in enumerate(people)), encoding="utf-8")
    write_json_article(tmp_path / "articles", "a.json", title="Council approves bridge",
                       text=STORY, date=DATE)
    config = write_config(tmp_path, f"""
state = "state.sqlite3"
outbox = "out"

[[sources]]
name = "Local"
type = "folder"
path = "articles"

[audiences.daily]
from = "Daily <digest@example.org>"
recipients = "people.csv"
signup = true

[service]
base_url = "{BASE}"
""" + server.smtp_config(connections=3))
    settings = load_settings(config)
    result = CliRunner().invoke(cli, ["run", "--config", str(config), "--date", DATE])
    assert result.exit_code == 0, result.output
    joined, listed_too = "new@example.net", people[5]
    with State(state_path(settings)) as state:
        for email in (joined, listed_too):  # a sign-up already on the list gets one copy
            signups.request(state, "daily", email)
            signups.confirm(state, "daily", email, settings.service.signup_days)
        suppression.suppress(state, people[0], "complained")
        suppression.suppress(state, people[1], "unsubscribed", audience="daily")
    result = CliRunner().invoke(cli, ["send", "--config", str(config), "--date", DATE,
                                      "--no-check"])
    assert result.exit_code == 0, result.output
    assert "2 suppressed (not mailed)" in result.output
    expected = {p: 1 for p in people[2:]} | {joined: 1}
    assert dict(server.handler.copies()) == expected
    with State(state_path(settings)) as state:
        secret = link_secret(state)
        for address in expected:
            (message,) = server.handler.messages(address)
            found = tokens.find_tokens(secret, message["List-Unsubscribe"], tokens.UNSUBSCRIBE)
            assert found and tokens.address_of(state, found[0]) == address
            assert address not in message["List-Unsubscribe"]
