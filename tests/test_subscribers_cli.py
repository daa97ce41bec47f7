"""`digest subscribers ...`: list, add, remove, import, export, suppressed, unsuppress; and
a suppression outlives the recipient lists (re-adding an address does not undo it)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner
from conftest import write_config

from digest.cli import cli
from digest.delivery.sending import state_path
from digest.settings import load_settings
from digest.state import State
from digest.subscribers import suppression


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def config(tmp_path):
    (tmp_path / "people.csv").write_text("email,name\nana@example.org,Ana\nbo@example.org,Bo\n",
                                         encoding="utf-8")
    return write_config(tmp_path, """
state = "state.sqlite3"

[audiences.daily]
recipients = "people.csv"

[audiences.weekly]
recipients = ["ana@example.org"]
""")


def lines(result):
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_list_add_remove_import_export(config, tmp_path):
    c = ("--config", config)
    assert lines(invoke("subscribers", "list", *c, "--audience", "daily")) == [
        "daily\tana@example.org\tAna\tcsv", "daily\tbo@example.org\tBo\tcsv"]
    assert lines(invoke("subscribers", "add", *c, "--audience", "daily", "cy@example.net",
                        "--name", "Cy")) == ["cy@example.net: added to 'daily'"]
    assert invoke("subscribers", "add", *c, "not-an-address").exit_code == 2  # which audience?
    rows = [json.loads(line) for line in lines(invoke("subscribers", "list", *c, "--json"))]
    assert [(r["email"], r["audience"], r["source"]) for r in rows] == [
        ("ana@example.org", "daily", "csv"), ("bo@example.org", "daily", "csv"),
        ("cy@example.net", "daily", "signup"), ("ana@example.org", "weekly", "list")]

    # remove: a sign-up goes; an address in the CSV (which digest never edits) is suppressed
    assert lines(invoke("subscribers", "remove", *c, "--audience", "daily", "cy@example.net")) \
        == ["cy@example.net: removed from 'daily'"]
    assert lines(invoke("subscribers", "remove", *c, "--audience", "daily", "bo@example.org")) \
        == ["bo@example.org: in the audience's recipient list; suppressed for 'daily'"]
    gone = invoke("subscribers", "remove", *c, "--audience", "daily", "zed@example.org")
    assert gone.exit_code == 2 and "zed@example.org is not a recipient of 'daily'" in gone.output

    extra = tmp_path / "more.csv"
    extra.write_text("email,name\ndee@example.net,Dee\nbo@example.org,Bo\n", encoding="utf-8")
    assert lines(invoke("subscribers", "import", *c, "--audience", "daily", extra)) == [
        "daily: 2 imported; 1 of them stay suppressed"]
    assert lines(invoke("subscribers", "export", *c, "--audience", "daily")) == [
        "email,name", "ana@example.org,Ana", "dee@example.net,Dee"]


def test_a_complaint_survives_readding_and_unsuppress_needs_a_reason(config, tmp_path):
    settings = load_settings(config)
    with State(state_path(settings)) as state:
        suppression.suppress(state, "ana@example.org", suppression.COMPLAINED, detail="ARF")
        suppression.suppress(state, "bo@example.org", suppression.UNSUBSCRIBED,
                             audience="daily")
    c = ("--config", config)
    # the CSV lists both again, and an operator adds ana by hand: still not mailed
    add = invoke("subscribers", "add", *c, "--audience", "weekly", "ana@example.org")
    assert add.exit_code == 0
    assert "ana@example.org stays suppressed (complained)" in add.output
    assert lines(invoke("subscribers", "list", *c)) == []
    rows = [json.loads(line) for line in lines(invoke("subscribers", "suppressed", *c,
                                                      "--json"))]
    assert [(r["email"], r["audience"], r["reason"]) for r in rows] == [
        ("ana@example.org", None, "complained"), ("bo@example.org", "daily", "unsubscribed")]
    assert all(r["since"] for r in rows)
    weekly = lines(invoke("subscribers", "suppressed", *c, "--audience", "weekly", "--json"))
    assert [json.loads(line)["email"] for line in weekly] == ["ana@example.org"]

    missing = invoke("subscribers", "unsuppress", *c, "ana@example.org")
    assert missing.exit_code == 2 and "--reason" in missing.output
    assert lines(invoke("subscribers", "unsuppress", *c, "ana@example.org", "--reason",
                        "asked us by phone, 2024-05-03")) == [
        "ana@example.org: complained (all audiences) lifted"]
    db = sqlite3.connect(tmp_path / "state.sqlite3")
    log = db.execute("SELECT email, action, reason, note FROM suppression_log ORDER BY id"
                     ).fetchall()
    assert log[-1] == ("ana@example.org", "unsuppress", "complained",
                       "asked us by phone, 2024-05-03")
    assert invoke("subscribers", "unsuppress", *c, "ana@example.org", "--reason", "x"
                  ).exit_code == 2  # nothing left to lift
