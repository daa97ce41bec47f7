"""Delivery against a real SMTP server (aiosmtpd on 127.0.0.1, STARTTLS, AUTH) with faults."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import LOCAL_PROJECT, STORY, write_config, write_json_article
from smtp_server import PASSWORD, SmtpTestServer, free_port

from digest.cli import cli
from digest.delivery.sending import send_lock
from digest.pipeline import run
from digest.settings import load_settings

DATE = "2024-05-01"


@pytest.fixture
def server(smtp_server):
    return smtp_server


def addresses(n: int) -> list[str]:
    return [f"reader{i:03d}@example.org" for i in range(n)]


def make_project(tmp_path: Path, server: SmtpTestServer, people: list[str] | None = None,
                 csv: str | None = None, smtp: dict | None = None, audience: str = "") -> Path:
    folder = tmp_path / "proj"
    write_json_article(folder / "articles", "bridge.json", title="Council approves bridge",
                       text=STORY, date=DATE, url="https://example.org/bridge")
    if csv is not None:
        (folder / "people.csv").write_text(csv, encoding="utf-8")
        recipients = '"people.csv"'
    else:
        recipients = "[" + ", ".join(f'"{a}"' for a in people or []) + "]"
    return write_config(folder, LOCAL_PROJECT + f"""
[audiences.daily]
subject = "News for {{{{ date }}}}"
from = "Daily Digest <digest@example.org>"
recipients = {recipients}
unsubscribe_url = "https://example.org/unsubscribe?t={{token}}"
{audience}
""" + server.smtp_config(**(smtp or {})))


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def link_token(config: Path, address: str) -> str:
    """The signed unsubscribe token of an address, with the secret the state database keeps."""
    from digest.subscribers.tokens import UNSUBSCRIBE, make_token

    db = sqlite3.connect(config.parent / "state.sqlite3")
    (secret,) = db.execute("SELECT value FROM meta WHERE key = 'link_secret'").fetchone()
    db.close()
    return make_token(secret.encode(), UNSUBSCRIBE, "daily", address)


def ledger_rows(config: Path) -> dict[str, sqlite3.Row]:
    db = sqlite3.connect(config.parent / "state.sqlite3")
    db.row_factory = sqlite3.Row
    rows = db.execute("SELECT * FROM deliveries WHERE issue_date = ?", (DATE,)).fetchall()
    db.close()
    return {r["email"]: r for r in rows}


def test_run_send_delivers_one_copy_each_and_a_rerun_sends_nothing(tmp_path, server):
    people = addresses(300)
    config = make_project(tmp_path, server, people)
    result = invoke("run", "--config", str(config), "--date", DATE, "--send")
    assert result.exit_code == 0, result.output
    assert "daily: sent 300 now; 300 sent" in result.output
    copies = server.handler.copies()
    assert set(copies) == set(people)
    assert set(copies.values()) == {1}
    ids = set()
    for address in people:
        (msg,) = server.handler.messages(address)
        assert msg["To"] == address
        assert msg["From"] == "Daily Digest <digest@example.org>"
        assert msg["Date"]
        assert msg["List-Id"] == '"Daily digest" <daily.example.org>'
        url = f"https://example.org/unsubscribe?t={link_token(config, address)}"
        # folded before the value when long (RFC 5322 FWS), hence strip
        assert msg["List-Unsubscribe"].strip() == f"<{url}>"
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        text = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        assert f"Unsubscribe: {url}" in text
        assert f'href="{url}"' in html
        ids.add(msg["Message-ID"])
    assert len(ids) == 300
    # eight connections (the default), each reused for its share of the 300
    assert server.handler.auth_logins == ["digest"] * 8
    assert {r["status"] for r in ledger_rows(config).values()} == {"sent"}

    again = invoke("run", "--config", str(config), "--date", DATE, "--send")
    assert again.exit_code == 0, again.output
    assert "daily: sent 0 now; 300 sent" in again.output
    assert set(server.handler.copies().values()) == {1}
    assert server.handler.auth_logins == ["digest"] * 8  # nothing to send: no connection
    status = invoke("status", "--config", str(config), "--date", DATE)
    assert status.exit_code == 0
    assert status.output == "daily: 300 recipients: 300 sent\n"


def test_faults_then_reruns_end_with_one_copy_each_and_the_refusal_recorded(tmp_path, server):
    people = addresses(300)
    refused = people[7]
    # no retries inside a run: the temporary failures stay for the rerun to take
    config = make_project(tmp_path, server, people, smtp={"retries": 0})
    handler = server.handler
    handler.drop_after = 25  # each connection dies when it tries its 26th message
    handler.refuse.add(refused)
    handler.temporary[people[3]] = ["451 4.7.1 Greylisted, try again later"]
    handler.temporary[people[40]] = ["421 4.3.2 Service shutting down"]
    handler.temporary[people[90]] = ["451 4.3.0 Busy", "451 4.3.0 Still busy"]
    handler.temporary[people[299]] = ["452 4.2.2 Mailbox full"]
    assert invoke("run", "--config", str(config), "--date", DATE).exit_code == 0

    first = invoke("send", "--config", str(config), "--date", DATE)
    assert first.exit_code == 1, first.output
    assert handler.drops >= 3
    rows = ledger_rows(config)
    assert rows[refused]["status"] == "failed-permanent"
    assert rows[people[3]]["status"] == "failed-temporary"
    assert rows[people[3]]["last_reply"] == "451 4.7.1 Greylisted, try again later"
    last = first.output.splitlines()[-1]
    assert re.fullmatch(rf"Error: \d+ recipients not sent: see `digest status --config "
                        rf"{re.escape(str(config))} --date {DATE}`", last), last

    codes = []
    for _ in range(4):
        codes.append(invoke("send", "--config", str(config), "--date", DATE).exit_code)
    assert codes[-1] == 1  # the refused one stays failed: exit 1 every time
    copies = handler.copies()
    assert refused not in copies
    assert {a: n for a, n in copies.items()} == {a: 1 for a in people if a != refused}
    rows = ledger_rows(config)
    assert rows[refused]["status"] == "failed-permanent"
    assert rows[refused]["attempts"] == 1  # never retried
    assert "550 5.1.1" in rows[refused]["last_reply"]
    assert rows[people[90]]["attempts"] == 3
    status = invoke("status", "--config", str(config), "--date", DATE)
    assert status.output.splitlines() == [
        "daily: 300 recipients: 299 sent, 1 failed-permanent",
        f"  {refused} failed-permanent, 1 attempt: 550 5.1.1 <{refused}>: Recipient address "
        "rejected: User unknown",
    ]


def test_temporary_failures_are_retried_within_the_run(tmp_path, server):
    people = addresses(6)
    config = make_project(tmp_path, server, people, smtp={"retries": 3})
    server.handler.temporary[people[1]] = ["451 4.7.1 Greylisted", "421 4.3.2 Closing"]
    server.handler.drop_after = 2
    result = invoke("run", "--config", str(config), "--date", DATE, "--send")
    assert result.exit_code == 0, result.output
    assert set(server.handler.copies().values()) == {1}
    assert len(server.handler.copies()) == 6
    rows = ledger_rows(config)
    assert rows[people[1]]["attempts"] == 3
    assert rows[people[1]]["status"] == "sent"
    assert rows[people[1]]["last_reply"].startswith("250")


@pytest.mark.parametrize("connections", [1, 8])
def test_sigkill_mid_list_then_rerun_loses_nobody(tmp_path, server, connections):
    people = addresses(80 * connections)
    config = make_project(tmp_path, server, people, smtp={"connections": connections})
    run(load_settings(config), date=dt.date(2024, 5, 1))
    server.handler.delay = 0.03
    env = dict(os.environ, DIGEST_SMTP_PASSWORD=PASSWORD)
    proc = subprocess.Popen([sys.executable, "-m", "digest", "send", "--config", str(config),
                             "--date", DATE], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while sum(server.handler.copies().values()) < 20 * connections and \
            time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    delivered = sum(server.handler.copies().values())
    assert 20 * connections <= delivered < len(people), "the kill must land mid-list"
    statuses = [r["status"] for r in ledger_rows(config).values()]
    assert statuses.count("sending") <= connections  # one unknown per connection at most

    server.handler.delay = 0
    result = invoke("send", "--config", str(config), "--date", DATE)
    assert result.exit_code == 0, result.output
    copies = server.handler.copies()
    assert set(copies) == set(people)  # nobody lost
    # at most the ones in flight twice: one per connection
    assert sum(n - 1 for n in copies.values()) <= connections
    assert {r["status"] for r in ledger_rows(config).values()} == {"sent"}


def test_a_second_run_cannot_send_at_the_same_time(tmp_path, server):
    config = make_project(tmp_path, server, addresses(3))
    assert invoke("run", "--config", str(config), "--date", DATE).exit_code == 0
    with send_lock(config.parent / "state.sqlite3"):
        result = invoke("send", "--config", str(config), "--date", DATE)
        status = invoke("status", "--config", str(config), "--date", DATE)
    assert status.output.splitlines()[0] == (f"A digest send is running now (pid {os.getpid()}):"
                                             " these figures are moving.")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: another digest send is running (pid {os.getpid()}")
    assert server.handler.copies() == {}
    assert invoke("send", "--config", str(config), "--date", DATE).exit_code == 0


def test_dry_run_builds_everything_and_sends_nothing(tmp_path, server):
    config = make_project(tmp_path, server, addresses(5))
    assert invoke("run", "--config", str(config), "--date", DATE).exit_code == 0
    result = invoke("send", "--config", str(config), "--date", DATE, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output == "daily: would send 5 of 5 recipients (0 already sent); nothing sent\n"
    assert server.handler.copies() == {}
    assert ledger_rows(config) == {}


def test_force_sends_again_on_purpose(tmp_path, server):
    people = addresses(4)
    config = make_project(tmp_path, server, people)
    assert invoke("run", "--config", str(config), "--date", DATE, "--send").exit_code == 0
    result = invoke("send", "--config", str(config), "--date", DATE, "--force")
    assert result.exit_code == 0, result.output
    assert server.handler.copies() == {a: 2 for a in people}
    first, second = server.handler.messages(people[0])
    assert first["Message-ID"] == second["Message-ID"]  # the same message, sent again
    assert ledger_rows(config)[people[0]]["attempts"] == 2
    # someone who left the list is not forced back in
    config.write_text(config.read_text().replace(f', "{people[3]}"', ""))
    result = invoke("send", "--config", str(config), "--date", DATE, "--force")
    assert result.exit_code == 0, result.output
    assert server.handler.copies()[people[3]] == 2
    assert server.handler.copies()[people[0]] == 3
    assert ledger_rows(config)[people[3]]["status"] == "sent"


def test_csv_recipients_are_personalised_and_escaped(tmp_path, server):
    csv = ("\ufeffEmail,Name,city\n"
           "ann@example.org,Ann <b>O'Neil</b>,Paris & Co\n"
           "bob+news@example.org,,Rome\n"
           "not-an-address,Nobody,Oslo\n"
           "ANN@example.org,Ann again,Paris\n")
    config = make_project(tmp_path, server, csv=csv, audience='greeting = "Dear {name},"')
    template_dir = config.parent / "templates"
    template_dir.mkdir()
    (template_dir / "newsletter.txt").write_text(
        '{% extends "!default/newsletter.txt" %}{% block greeting %}{{ greeting }} '
        "from {{ recipient.city }}\n{% endblock %}", encoding="utf-8")
    text = config.read_text(encoding="utf-8").replace('state = "state.sqlite3"',
                                                      'state = "state.sqlite3"\n'
                                                      'templates = "templates"')
    config.write_text(text, encoding="utf-8")
    result = invoke("run", "--config", str(config), "--date", DATE, "--send")
    assert result.exit_code == 0, result.output
    assert "people.csv, line 4: not a usable e-mail address: 'not-an-address'; skipped" \
        in result.output
    assert "ANN@example.org is listed more than once" in result.output
    assert server.handler.copies() == {"ann@example.org": 1, "bob+news@example.org": 1}
    (ann,) = server.handler.messages("ann@example.org")
    assert ann["To"] == "\"Ann <b>O'Neil</b>\" <ann@example.org>"
    assert ann["To"].addresses[0].display_name == "Ann <b>O'Neil</b>"
    text = ann.get_body(("plain",)).get_content()
    html = ann.get_body(("html",)).get_content()
    assert "Dear Ann <b>O'Neil</b>, from Paris & Co" in text
    assert "Dear Ann &lt;b&gt;O&#x27;Neil&lt;/b&gt;," in html
    assert "<b>O'Neil" not in html
    (bob,) = server.handler.messages("bob+news@example.org")
    assert "\nDear, from Rome\n" in bob.get_body(("plain",)).get_content().replace("\r\n", "\n")
    # the link carries bob's signed token, never his address
    assert f"t={link_token(config, 'bob+news@example.org')}>" in bob["List-Unsubscribe"]
    assert "bob" not in bob["List-Unsubscribe"]


def test_article_text_cannot_forge_a_placeholder(tmp_path, server):
    config = make_project(tmp_path, server, ["ann@example.org"])
    write_json_article(config.parent / "articles", "forged.json", title="~dg0~recipient.email~",
                       text="Plain words. ~dg0~recipient.email~ more words.", date=DATE,
                       url="https://example.org/forged")
    assert invoke("run", "--config", str(config), "--date", DATE, "--send").exit_code == 0
    (msg,) = server.handler.messages("ann@example.org")
    assert "~dg0~recipient.email~" in msg.get_body(("plain",)).get_content()


def test_the_password_never_reaches_output_or_disk(tmp_path, server, monkeypatch):
    people = addresses(2)
    config = make_project(tmp_path, server, people)
    result = invoke("run", "--config", str(config), "--date", DATE, "--send", "--debug")
    assert result.exit_code == 0
    assert server.handler.auth_logins == ["digest"] * 2
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", "wrong-" + PASSWORD)
    bad = invoke("-v", "send", "--config", str(config), "--date", DATE, "--force")
    assert bad.exit_code == 2, bad.output
    assert bad.output.startswith(f"Error: 127.0.0.1:{server.port} refused the login of 'digest'")
    for output in (result.output, bad.output):
        assert PASSWORD not in output
    for path in config.parent.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_certificates_are_verified_by_default(tmp_path, server):
    config = make_project(tmp_path, server, addresses(1))
    config.write_text(config.read_text().replace(f'ca_file = "{server.ca_file}"\n', ""))
    assert invoke("run", "--config", str(config), "--date", DATE).exit_code == 0
    result = invoke("send", "--config", str(config), "--date", DATE)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: TLS certificate of 127.0.0.1:{server.port} not "
                                    "trusted")
    assert server.handler.copies() == {}
    assert ledger_rows(config)["reader000@example.org"]["status"] == "pending"


def test_unreachable_server_leaves_everyone_pending(tmp_path, server):
    config = make_project(tmp_path, server, addresses(3), smtp={"retries": 1})
    assert invoke("run", "--config", str(config), "--date", DATE).exit_code == 0
    good = config.read_text()
    nobody = free_port()  # nothing listens there
    config.write_text(good.replace(f"port = {server.port}", f"port = {nobody}"))
    result = invoke("send", "--config", str(config), "--date", DATE)
    assert result.exit_code == 1
    assert f"Error: cannot connect to 127.0.0.1:{nobody}" in result.output
    assert "3 recipients of 'daily' not sent" in result.output
    assert {r["status"] for r in ledger_rows(config).values()} == {"pending"}
    config.write_text(good)
    assert invoke("send", "--config", str(config), "--date", DATE).exit_code == 0
    assert len(server.handler.copies()) == 3


def test_someone_who_left_the_list_is_not_sent_after_a_crash(tmp_path, server):
    people = addresses(3)
    config = make_project(tmp_path, server, people)
    assert invoke("run", "--config", str(config), "--date", DATE).exit_code == 0
    server.handler.refuse.update(people)  # nobody gets it on the first run...
    server.handler.refuse.discard(people[0])
    server.handler.temporary[people[2]] = ["451 busy"] * 10
    server.handler.refuse.discard(people[2])
    assert invoke("send", "--config", str(config), "--date", DATE).exit_code == 1
    # ...then people[2] unsubscribes before the rerun
    config.write_text(config.read_text().replace(f', "{people[2]}"', ""))
    assert invoke("send", "--config", str(config), "--date", DATE).exit_code == 1
    assert people[2] not in server.handler.copies()
    assert people[2] not in ledger_rows(config)


def test_send_needs_a_rendered_issue_and_smtp_settings(tmp_path, server):
    config = make_project(tmp_path, server, addresses(1))
    result = invoke("send", "--config", str(config), "--date", DATE)
    assert result.exit_code == 1
    assert result.output == (f"Error: no rendered issue for audience 'daily' on {DATE}: run "
                             f"`digest run --date {DATE}` first\n")
    config.write_text(config.read_text().split("[smtp]")[0])
    for args in (("send",), ("run", "--send")):
        result = invoke(*args, "--config", str(config), "--date", DATE)
        assert result.exit_code == 2
        assert "no [smtp] table" in result.output


def test_a_username_needs_the_password_variable(tmp_path, server, monkeypatch):
    config = make_project(tmp_path, server, addresses(1))
    assert invoke("run", "--config", str(config), "--date", DATE).exit_code == 0
    monkeypatch.delenv("DIGEST_SMTP_PASSWORD")
    result = invoke("send", "--config", str(config), "--date", DATE)
    assert result.exit_code == 2
    assert result.output == ("Error: 'smtp.username' is set but $DIGEST_SMTP_PASSWORD is "
                             "empty\n")


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("mode", ["ssl", "plain"])
def test_implicit_tls_and_plain_connections(tmp_path, monkeypatch, mode):
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", PASSWORD)
    srv = SmtpTestServer(tmp_path, mode=mode).start()
    try:
        config = make_project(tmp_path, srv, addresses(3))
        result = invoke("run", "--config", str(config), "--date", DATE, "--send")
        assert result.exit_code == 0, result.output
        assert srv.handler.copies() == {a: 1 for a in addresses(3)}
        assert srv.handler.auth_logins == ["digest"] * 3  # one connection each
        # a password in clear is allowed but said
        assert ("cross the network in clear" in result.output) == (mode == "plain")
    finally:
        srv.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_starttls_is_never_skipped(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", PASSWORD)
    srv = SmtpTestServer(tmp_path, mode="plain").start()
    try:
        config = make_project(tmp_path, srv, addresses(1))
        config.write_text(config.read_text().replace('security = "none"',
                                                     'security = "starttls"'))
        result = invoke("run", "--config", str(config), "--date", DATE, "--send")
        assert result.exit_code == 1
        assert result.output.splitlines()[-1] == (
            f"Error: 127.0.0.1:{srv.port} does not offer STARTTLS (set [smtp] security to match "
            "the server)")
        assert srv.handler.copies() == {}
    finally:
        srv.stop()


def test_an_unusable_from_address_is_a_config_error(tmp_path, server):
    config = make_project(tmp_path, server, addresses(1))
    config.write_text(config.read_text().replace('from = "Daily Digest <digest@example.org>"',
                                                 'from = "Daily Digest"'))
    result = invoke("run", "--config", str(config), "--date", DATE, "--send")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == ("Error: 'audiences.daily.from' needs an address "
                                              "to send from, got 'Daily Digest'")


def test_backoff_doubles_between_retries(tmp_path, server):
    from digest.delivery.sending import send

    people = addresses(2)
    config = make_project(tmp_path, server, people, smtp={"retries": 3, "retry_delay": 0.5})
    settings = load_settings(config)
    run(settings, date=dt.date(2024, 5, 1))
    server.handler.temporary[people[0]] = ["451 busy", "451 busy", "451 busy"]
    slept = []
    (report,) = send(settings, date=dt.date(2024, 5, 1), sleep=slept.append)
    assert slept == [0.5, 1.0, 2.0]
    assert report.sent_now == 2
    assert ledger_rows(config)[people[0]]["attempts"] == 4


def test_an_interrupted_transaction_is_shown_and_sent_again(tmp_path, server):
    people = addresses(3)
    config = make_project(tmp_path, server, people)
    assert invoke("run", "--config", str(config), "--date", DATE, "--send").exit_code == 0
    # as a process killed between the 'sending' mark and the server's reply leaves it
    db = sqlite3.connect(config.parent / "state.sqlite3")
    db.execute("UPDATE deliveries SET status = 'sending', attempts = 2 WHERE email = ?",
               (people[1],))
    db.commit()
    db.close()
    status = invoke("status", "--config", str(config), "--date", DATE)
    assert status.output.splitlines() == [
        "daily: 3 recipients: 2 sent, 1 sending",
        f"  {people[1]} sending, 2 attempts: interrupted during the transaction (it may have "
        "arrived)",
    ]
    result = invoke("send", "--config", str(config), "--date", DATE)
    assert result.exit_code == 0, result.output
    assert f"the send to {people[1]} was interrupted; sending it again" in result.output
    assert server.handler.copies() == {people[0]: 1, people[1]: 2, people[2]: 1}
    assert ledger_rows(config)[people[1]]["attempts"] == 3


def test_mjml_is_compiled_once_per_audience_and_issue(tmp_path, server, monkeypatch):
    import digest.rendering.issue

    calls = []
    real = digest.rendering.issue.mjml_to_html
    monkeypatch.setattr(digest.rendering.issue, "mjml_to_html",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    people = addresses(40)
    config = make_project(tmp_path, server, people)
    result = invoke("run", "--config", str(config), "--date", DATE, "--send")
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    # each copy carries its own signed token, in its unsubscribe link
    found = {m.get_body(("plain",)).get_content().count(link_token(config, a))
             for a in people for m in server.handler.messages(a)}
    assert found == {1}
