"""Bounces, complaints and mailed unsubscribes read from a Maildir and from a real IMAP
server (Debian's dovecot on 127.0.0.1), after a real send through aiosmtpd."""

from __future__ import annotations

import json
import re

import pytest
from bounce_messages import arf, deliver, dsn, out_of_office, plain
from imap_server import PASSWORD as IMAP_PASSWORD
from imap_server import ImapTestServer
from test_subscribers_flow import DAY1, invoke, project, smtp  # noqa: F401 (a fixture)

PEOPLE = [f"reader{i:02d}@example.org" for i in range(1, 9)]


def sent_project(tmp_path, smtp, **options):  # noqa: F811
    config = project(tmp_path, smtp, PEOPLE, **options)
    result = invoke("run", "--config", str(config), "--date", DAY1, "--send")
    assert result.exit_code == 0, result.output
    return config


def suppressed(config) -> dict[str, tuple]:
    result = invoke("subscribers", "suppressed", "--config", str(config), "--json")
    assert result.exit_code == 0, result.output
    return {r["email"]: (r["audience"], r["reason"])
            for r in map(json.loads, result.output.splitlines())}


def unsubscribe_subject(message: bytes) -> str:
    """The subject that the List-Unsubscribe mailto gives a mail client."""
    import email
    import re
    from email import policy
    from urllib.parse import unquote

    header = email.message_from_bytes(message, policy=policy.default)["List-Unsubscribe"]
    (mailto,) = re.findall(r"<mailto:([^>]+)>", str(header))
    return unquote(mailto.split("?subject=", 1)[1])


def test_maildir_reports_are_matched_by_what_our_message_carried(tmp_path, smtp):  # noqa: F811
    config = sent_project(tmp_path, smtp, extra="soft_bounce_limit = 2\n")
    box = tmp_path / "proj" / "bounces"
    sent = {a: smtp.handler.mailbox[a][0] for a in PEOPLE}
    r1, r2, r3, r4, r5, r6, r7, r8 = PEOPLE
    # a vague DSN: it names a forwarding address, not ours; the returned Message-ID tells
    deliver(box, dsn(sent[r1], r1, final_recipient="old-alias@forward.example.net"))
    # a mailed unsubscribe with r2's token, sent from a forged From: the token decides
    deliver(box, plain(f"Someone <{r3}>", unsubscribe_subject(sent[r2]), ""))
    # "unsubscribe" from r4's address but without a token: suppresses nobody
    deliver(box, plain(f"<{r4}>", "unsubscribe", "please remove me"))
    # a person writing back, quoting the whole newsletter (its links too): nobody
    quoted = sent[r5].decode("utf-8", "replace")
    deliver(box, plain(f"<{r5}>", "Re: News for 2024-05-01", "Great issue!\n> " + quoted))
    deliver(box, out_of_office(r6))
    # delays (4.x.x) are soft: two of them (the configured limit) suppress
    deliver(box, dsn(sent[r7], r7, action="delayed", status="4.4.7",
                     diagnostic="451 4.4.7 delivery temporarily suspended"))
    junk = deliver(box, b"\xff\xfe not a message at all \x00")
    result = invoke("bounces", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert f"Warning: {junk}: cannot read it as a report (not a mail message (no headers)); " \
        "skipped" in result.output
    assert "7 new messages: 1 hard, 3 none, 1 soft, 1 unreadable, 1 unsubscribe" in result.output
    assert suppressed(config) == {r1: (None, "bounced"), r2: ("daily", "unsubscribed")}
    # the same report twice (a copy, another file) is not counted twice
    deliver(box, dsn(sent[r7], r7, action="delayed", status="4.4.7").replace(
        b"Message-Id: <dsn", b"Message-Id: <dsn-second"))
    again = invoke("bounces", "--config", str(config))
    assert again.exit_code == 0, again.output
    assert again.output.startswith("1 new messages: 1 soft")
    assert suppressed(config)[r7] == (None, "soft-bounces")
    assert invoke("bounces", "--config", str(config)).output == "0 new messages\n"
    assert r8 not in suppressed(config)


def test_imap_reports_are_flagged_and_never_counted_twice(tmp_path, smtp,  # noqa: F811
                                                         monkeypatch):
    server = ImapTestServer().start()
    try:
        monkeypatch.setenv("DIGEST_IMAP_PASSWORD", IMAP_PASSWORD)
        config = sent_project(tmp_path, smtp, mailbox=server.mailbox_config())
        sent = {a: smtp.handler.mailbox[a][0] for a in PEOPLE}
        r1, r2, r3 = PEOPLE[:3]
        conn = server.client()
        for raw in (dsn(sent[r1], r1), arf(sent[r2]), out_of_office(r3)):
            assert conn.append("INBOX", None, None, raw)[0] == "OK"
        first = invoke("bounces", "--config", str(config))
        assert first.exit_code == 0, first.output
        assert first.output == "3 new messages: 1 complaint, 1 hard, 1 none\n"
        assert suppressed(config) == {r1: (None, "bounced"), r2: (None, "complained")}
        conn.select("INBOX")
        status, data = conn.uid("FETCH", "1:*", "(FLAGS)")
        flags = [line.decode() for line in data]
        assert sum("$DigestProcessed" in f and "\\Seen" in f for f in flags) == 2
        # the out-of-office is left as it was: not read, not marked
        assert sum("\\Seen" not in f and "$DigestProcessed" not in f for f in flags) == 1
        status, data = conn.uid("SEARCH", None, "ALL")
        assert len(data[0].split()) == 3  # nothing deleted
        conn.logout()
        assert invoke("bounces", "--config", str(config)).output == "0 new messages\n"
    finally:
        server.stop()


def test_wrong_imap_password_is_one_clear_error(tmp_path, smtp, monkeypatch):  # noqa: F811
    server = ImapTestServer().start()
    try:
        monkeypatch.setenv("DIGEST_IMAP_PASSWORD", "wrong")
        config = project(tmp_path, smtp, PEOPLE, mailbox=server.mailbox_config())
        result = invoke("bounces", "--config", str(config))
        assert result.exit_code == 1
        assert result.output.startswith(f"Error: IMAP 127.0.0.1:{server.port}: ")
        assert "wrong" not in result.output.split(":", 3)[-1]
        monkeypatch.delenv("DIGEST_IMAP_PASSWORD")
        result = invoke("bounces", "--config", str(config))
        assert result.output == ("Error: [mailbox] host is set but $DIGEST_IMAP_PASSWORD is "
                                 "empty\n")
    finally:
        server.stop()


@pytest.mark.parametrize("body, message", [
    ('[mailbox]\nmaildir = "b"\nhost = "x"\n', "'mailbox' needs either 'maildir'"),
    ('[mailbox]\nhost = "imap.example.org"\npassword = "x"\n',
     "'mailbox.password' is not allowed in the file: set $DIGEST_IMAP_PASSWORD instead"),
    ('[service]\nbase_url = "https://x.example/?email={email}"\n',
     "'service.base_url' must be an http(s) address without query or fragment"),
])
def test_bad_mailbox_and_service_settings_name_the_key(tmp_path, body, message):
    from conftest import write_config

    config = write_config(tmp_path, '[audiences.a]\nrecipients = ["a@example.org"]\n' + body)
    result = invoke("bounces", "--config", str(config))
    assert result.exit_code == 2
    assert message in result.output


def test_verp_return_paths_match_a_dsn_that_returns_nothing(tmp_path, smtp):  # noqa: F811
    envelopes = {}
    real = smtp.handler.handle_DATA

    async def record(server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            envelopes[rcpt] = envelope.mail_from
        return await real(server, session, envelope)

    smtp.handler.handle_DATA = record
    config = sent_project(tmp_path, smtp, extra='return_path = "bounces@example.org"\n')
    r1, r2 = PEOPLE[:2]
    assert re.fullmatch(r"bounces\+daily\.b\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}@example\.org",
                        envelopes[r1])
    assert len(set(envelopes.values())) == len(PEOPLE)  # one per recipient
    assert r1.split("@")[0] not in envelopes[r1]
    # no returned headers, and an address that is not ours: only the VERP address tells
    deliver(tmp_path / "proj" / "bounces",
            dsn(b"", r1, final_recipient="someone@forward.example.net", to=envelopes[r1],
                returned=False))
    # the same, sent to a return path whose token was tampered with: nobody
    local, domain = envelopes[r2].split("@")
    forged = f"{local[:-1]}{'x' if local[-1] != 'x' else 'y'}@{domain}"  # the mac's last char
    deliver(tmp_path / "proj" / "bounces",
            dsn(b"", r2, final_recipient="other@forward.example.net", to=forged, returned=False))
    result = invoke("bounces", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert suppressed(config) == {r1: (None, "bounced")}


def test_tokens_are_found_in_a_subject_left_url_encoded():
    from digest.subscribers import tokens

    secret = b"s" * 32
    token = tokens.make_token(secret, tokens.UNSUBSCRIBE, "daily", "ana@example.org")
    for subject in (f"unsubscribe {token}", f"unsubscribe%20{token}", f"Re: unsubscribe-{token}"):
        (found,) = tokens.find_tokens(secret, subject, tokens.UNSUBSCRIBE)
        assert found.audience == "daily"
    tampered = token[:-1] + ("x" if token[-1] != "x" else "y")
    assert tokens.find_tokens(secret, f"unsubscribe {tampered}", tokens.UNSUBSCRIBE) == []
    assert tokens.find_tokens(b"another secret" * 3, f"unsubscribe {token}",
                              tokens.UNSUBSCRIBE) == []


def test_an_unreachable_mailbox_warns_and_the_send_goes_on(tmp_path, smtp,  # noqa: F811
                                                         monkeypatch):
    from smtp_server import free_port

    monkeypatch.setenv("DIGEST_IMAP_PASSWORD", "x")
    port = free_port()  # nothing listens there
    config = project(tmp_path, smtp, PEOPLE, mailbox=f'[mailbox]\nhost = "127.0.0.1"\n'
                     f'port = {port}\nsecurity = "none"\nusername = "u"\ntimeout = 2\n')
    result = invoke("run", "--config", str(config), "--date", DAY1, "--send")
    assert result.exit_code == 0, result.output
    assert f"Warning: IMAP 127.0.0.1:{port}: " in result.output
    assert "sending without reading the bounce mailbox" in result.output
    assert set(smtp.handler.copies()) == set(PEOPLE)


def test_a_non_standard_qmail_bounce_is_a_hard_bounce(tmp_path, smtp):  # noqa: F811
    from bounce_messages import qmail_bounce

    config = sent_project(tmp_path, smtp)
    r1 = PEOPLE[0]
    deliver(tmp_path / "proj" / "bounces", qmail_bounce(smtp.handler.mailbox[r1][0], r1))
    result = invoke("bounces", "--config", str(config))
    assert result.output == "1 new messages: 1 hard\n", result.output
    assert suppressed(config) == {r1: (None, "bounced")}
