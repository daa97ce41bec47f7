"""`digest serve` as hostile ground: waitress on 127.0.0.1 port 0 and a real HTTP client.

One test per rule: signed tokens (tampered, foreign, too long, for a gone audience), no
state change on GET or HEAD, the RFC 8058 body required, escaped output, size caps,
nothing learnt about who is on the list, security headers, the double opt-in sign-up."""

from __future__ import annotations

import dataclasses
import re

import pytest
from conftest import write_config
from service_helpers import Served

from digest.delivery.sending import state_path
from digest.settings import load_settings
from digest.state import State
from digest.subscribers import manage, signups, suppression, tokens
from digest.subscribers.secret import link_secret

BASE = "https://news.example.test/digest"
ANA = "ana@example.org"


@pytest.fixture
def smtp(smtp_server):
    return smtp_server


@pytest.fixture
def settings(tmp_path, smtp):
    config = write_config(tmp_path / "proj", f"""
state = "state.sqlite3"

[audiences.daily]
from = "Daily <digest@example.org>"
recipients = ["{ANA}", "bo@example.org"]
signup = true

[audiences.daily.branding]
name = "Daily <i>news</i>"

[audiences.quiet]
recipients = ["{ANA}"]

[service]
base_url = "{BASE}"
max_body_bytes = 2048
""" + smtp.smtp_config())
    return load_settings(config)


def link(settings, email=ANA, audience="daily", purpose=tokens.UNSUBSCRIBE) -> str:
    with State(state_path(settings)) as state:
        secret = link_secret(state)
        tokens.remember(state, secret, [email])
    path = "/unsubscribe/" if purpose == tokens.UNSUBSCRIBE else "/confirm/"
    return BASE + path + tokens.make_token(secret, purpose, audience, email)


def suppressions(settings):
    with State(state_path(settings)) as state:
        return [(s.email, s.audience, s.reason) for s in suppression.listing(state)]


def test_get_and_head_never_unsubscribe(settings):
    url = link(settings)
    with Served(settings) as served:
        for _ in range(3):
            assert served.get(url).status == 200
            assert served.http.request("HEAD", served.local(url)).status == 200
        assert suppressions(settings) == []
        # a POST without the RFC 8058 body is not an unsubscribe either
        assert served.post(url, body=b"").status == 400
        assert served.post(url, body=b"List-Unsubscribe=Yes").status == 400
        assert suppressions(settings) == []


def test_one_click_post_acts_at_once_with_either_form_encoding(settings):
    with Served(settings) as served:
        response = served.post(link(settings))
        assert response.status == 200
        assert suppressions(settings) == [(ANA, "daily", "unsubscribed")]
        # multipart/form-data, as some mail providers send it
        body = (b"--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\n"
                b"One-Click\r\n--XyZ--\r\n")
        other = served.post(link(settings, "bo@example.org"), body=body,
                            content_type="multipart/form-data; boundary=XyZ")
        assert other.status == 200
        assert ("bo@example.org", "daily", "unsubscribed") in suppressions(settings)
        # only that audience: the other one still mails ana
        with State(state_path(settings)) as state:
            assert ANA not in suppression.suppressed_for(state, "quiet")


def test_a_bad_token_gets_the_same_400_whatever_is_wrong_and_changes_nothing(settings):
    url = link(settings)
    token = url.rsplit("/", 1)[1]
    audience, purpose, ref, mac = token.split(".")
    unknown = link(settings, "nobody-we-mail@example.org")
    with State(state_path(settings)) as state:  # a valid token whose address we never kept
        state.db.execute("DELETE FROM subscriber_refs WHERE email = ?",
                         ("nobody-we-mail@example.org",))
    bad = [
        f"{audience}.{purpose}.{ref}.{mac[:-1]}{'A' if mac[-1] != 'A' else 'B'}",  # tampered
        f"quiet.{purpose}.{ref}.{mac}",  # another audience under this mac
        f"{audience}.c.{ref}.{mac}",  # another purpose
        "x" * 150,
        "daily.u.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA",
        "%3Cscript%3E",
    ]
    with Served(settings) as served:
        pages = set()
        for token in bad:
            for method in (served.get, served.post):
                response = method(f"{BASE}/unsubscribe/{token}")
                assert response.status == 400, token
                pages.add(response.data)
        response = served.post(unknown)
        assert response.status == 400
        pages.add(response.data)
        assert len(pages) == 1  # nothing to tell the cases apart
        assert b"<script>" not in next(iter(pages))
        too_long = served.get(f"{BASE}/unsubscribe/{'a' * 600}")
        assert too_long.status == 414
    assert suppressions(settings) == []


def test_a_token_of_an_audience_no_longer_configured_is_refused(settings):
    url = link(settings)
    without = dataclasses.replace(settings, audiences={"quiet": settings.audiences["quiet"]})
    with Served(without) as served:
        assert served.post(url).status == 400
    assert suppressions(settings) == []


def test_size_caps_and_methods(settings):
    url = link(settings)
    with Served(settings) as served:
        big = served.post(url, body=b"List-Unsubscribe=One-Click&pad=" + b"x" * 5000)
        assert big.status == 413
        assert served.http.request("PUT", served.local(url)).status == 405
        assert served.get(f"{BASE}/nothing/here").status == 404
        huge_header = served.http.request("GET", served.local(url),
                                          headers={"X-Big": "y" * 20_000})
        assert huge_header.status == 431 or huge_header.status == 400
    assert suppressions(settings) == []


def test_security_headers_and_escaped_branding(settings):
    with Served(settings) as served:
        response = served.get(link(settings))
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "form-action 'self'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"
        assert b"Daily &lt;i&gt;news&lt;/i&gt;" in response.data
        assert b"<i>news" not in response.data
        assert ANA.encode() not in response.data
        health = served.get(f"{BASE}/health")
        assert (health.status, health.data) == (200, b"ok\n")
        # the proxy may pass the path with or without base_url's /digest
        assert served.http.request("GET", f"http://127.0.0.1:{served.port}/health").status == 200


def test_double_opt_in_signup(settings, smtp):
    new = "carla@example.net"
    with Served(settings) as served:
        form = served.get(f"{BASE}/subscribe/daily")
        assert form.status == 200 and b'name="email"' in form.data
        assert served.get(f"{BASE}/subscribe/quiet").status == 404  # no signup there
        bad = served.post(f"{BASE}/subscribe/daily", body="email=%3Cb%3Enot-an-address")
        assert bad.status == 400 and b"<b>not-an-address" not in bad.data
        answer = served.post(f"{BASE}/subscribe/daily", body=f"email={new}&name=Carla")
        assert answer.status == 200
        # an address already on the list gets the very same page (and no mail)
        known = served.post(f"{BASE}/subscribe/daily", body=f"email={ANA}")
        assert (known.status, known.data) == (answer.status, answer.data)
        # asking again at once sends no second mail (the form cannot flood an inbox)
        served.post(f"{BASE}/subscribe/daily", body=f"email={new}")
        (mail,) = smtp.handler.messages(new)
        assert smtp.handler.messages(ANA) == []
        text = mail.get_body(("plain",)).get_content()
        (confirm,) = re.findall(rf"{re.escape(BASE)}/confirm/\S+", text)
        assert new not in confirm

        def members():
            with State(state_path(settings)) as state:
                return {m.email for m in manage.members(settings, state, ["daily"])}

        # pending: not mailed the digest; a GET of the link (a scanner) confirms nothing
        assert served.get(confirm).status == 200
        assert new not in members()
        done = served.post(confirm, body=b"")
        assert done.status == 200 and b"You are subscribed" in done.data
        assert new in members()


def test_an_unconfirmed_signup_expires_and_is_never_mailed(settings):
    import datetime as dt

    long_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=settings.service.signup_days
                                                                + 1)
    with State(state_path(settings)) as state:
        assert signups.request(state, "daily", "late@example.net", now=long_ago)
    url = link(settings, "late@example.net", purpose=tokens.CONFIRM)
    with Served(settings) as served:
        response = served.post(url, body=b"")
        assert response.status == 410
    with State(state_path(settings)) as state:
        assert "late@example.net" not in {m.email for m in manage.members(settings, state)}
        assert signups.pending_count(state, "daily") == 0


def test_digest_serve_runs_as_a_command(settings):
    """The command itself, in its own process, on a free port; stopped by its pid."""
    import os
    import subprocess
    import sys
    import time

    import urllib3

    env = {**os.environ, "DIGEST_SECRET": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "digest", "serve", "--config", str(settings.config_path),
         "--port", "0"], stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = process.stderr.readline()
        match = re.search(r"listening on http://127\.0\.0\.1:(\d+)/ \(public address: "
                          + re.escape(BASE) + r"\)", line)
        assert match, line
        deadline = time.monotonic() + 10
        while True:
            try:
                health = urllib3.request("GET", f"http://127.0.0.1:{match.group(1)}/digest/health",
                                         retries=False, timeout=5)
                break
            except urllib3.exceptions.HTTPError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert (health.status, health.data) == (200, b"ok\n")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_digest_serve_needs_a_base_url(tmp_path):
    from click.testing import CliRunner

    from digest.cli import cli

    config = write_config(tmp_path, '[audiences.a]\nrecipients = ["a@example.org"]\n')
    result = CliRunner().invoke(cli, ["serve", "--config", str(config), "--port", "0"])
    assert result.exit_code == 2
    assert result.output.endswith("[service] base_url is not set: the links in the messages "
                                  "need the public address of digest serve\n")


def test_a_mounted_application_gets_its_prefix(settings):
    """Where the static archive goes: another WSGI app under /archive/ of the same address."""
    seen = []

    def archive(environ, start_response):
        seen.append((environ["SCRIPT_NAME"], environ["PATH_INFO"]))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"archive"]

    with Served(settings, mounts={"/archive/": archive}) as served:
        response = served.get(f"{BASE}/archive/2024/05/01.html")
        assert (response.status, response.data) == (200, b"archive")
        assert served.get(f"{BASE}/health").data == b"ok\n"
    assert seen == [("/digest/archive", "/2024/05/01.html")]


def test_the_confirmation_goes_through_the_relays(tmp_path, smtp, monkeypatch):
    """[[smtp.relays]] as `digest send` uses them: the first cannot be reached, the next
    (its own password variable, a rate limit) takes the mail."""
    from smtp_server import PASSWORD, USER, free_port

    monkeypatch.setenv("DIGEST_RELAY_STATE", str(tmp_path / "relays"))
    monkeypatch.delenv("DIGEST_SMTP_PASSWORD", raising=False)
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD_BACKUP", PASSWORD)
    config = write_config(tmp_path / "relayed", f"""
state = "state.sqlite3"

[audiences.daily]
from = "Daily <digest@example.org>"
recipients = ["{ANA}"]
signup = true

[service]
base_url = "{BASE}"

[smtp]
ca_file = "{smtp.ca_file}"
retry_delay = 0.01
timeout = 5

[[smtp.relays]]
name = "down"
host = "127.0.0.1"
port = {free_port()}
security = "none"

[[smtp.relays]]
name = "backup"
host = "127.0.0.1"
port = {smtp.port}
security = "starttls"
username = "{USER}"
rate_per_minute = 600
""")
    new = "dora@example.net"
    with Served(load_settings(config)) as served:
        answer = served.post(f"{BASE}/subscribe/daily", body=f"email={new}")
        assert answer.status == 200
    (mail,) = smtp.handler.messages(new)
    assert f"{BASE}/confirm/" in mail.get_body(("plain",)).get_content()
