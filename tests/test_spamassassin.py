"""SpamAssassin (Debian's package, local tests only) on messages of the default templates as
`digest send` delivers them: no rule of the structural families fires.

The messages are the bundled samples' issue (61 articles) and a one-article issue with a logo,
each sent through aiosmtpd on 127.0.0.1, DKIM-signed, with an unsubscribe URL that carries no
address. Skipped when spamassassin is not installed; under CI=true that is a failure.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import shutil
from pathlib import Path

import dkim
import pytest
from click.testing import CliRunner
from conftest import LOCAL_PROJECT, STORY, write_config, write_json_article
from smtp_server import PASSWORD, SmtpTestServer

from digest.check import spam
from digest.cli import cli
from digest.delivery import dkim as signing
from digest.rendering.message import build_message
from digest.resources import default_dir


@pytest.fixture(scope="module", autouse=True)
def spamassassin():
    if shutil.which("spamassassin") is None:
        reason = "spamassassin is not installed (Debian: apt install spamassassin)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; CI installs it")
        pytest.skip(reason)


def bundled_config(folder: Path, smtp: str) -> Path:
    """The bundled config, its sources absolute, with an unsubscribe URL and [dkim]."""
    text = (default_dir("config") / "digest.toml").read_text(encoding="utf-8")
    text = text.replace('"../samples', f'"{default_dir("samples")}')
    text = text.replace("[audiences.general.branding]",
                        'unsubscribe_url = "https://example.org/unsubscribe"\n\n'
                        "[audiences.general.branding]")
    return write_config(folder, 'outbox = "out"\nstate = "state.sqlite3"\n' + text +
                        dkim_table(folder) + smtp)


def dkim_table(folder: Path) -> str:
    signing.write_key(folder / "s1.pem", signing.new_key_pair()[0])
    return '\n[dkim]\ndomain = "example.org"\nselector = "s1"\nkey_file = "s1.pem"\n'



def small_config(folder: Path, smtp: str) -> Path:
    write_json_article(folder / "articles", "bridge.json", title="Council approves bridge",
                       text=STORY, date="2024-05-01", url="https://example.org/bridge")
    return write_config(folder, LOCAL_PROJECT + """
[audiences.general]
from = "Daily Digest <digest@example.org>"
recipients = ["reader@example.org"]
unsubscribe_url = "https://example.org/unsubscribe"

[audiences.general.branding]
logo_url = "https://example.org/logo.png"
""" + dkim_table(folder) + smtp)


@pytest.fixture(scope="module")
def sent(tmp_path_factory):
    """{case: (config, the bytes aiosmtpd received)} for the two issues."""
    tmp = tmp_path_factory.mktemp("sa")
    old = os.environ.get("DIGEST_SMTP_PASSWORD")
    os.environ["DIGEST_SMTP_PASSWORD"] = PASSWORD
    server = SmtpTestServer(tmp).start()
    out = {}
    try:
        for case, make, date in (("bundled", bundled_config, None),
                                 ("small", small_config, "2024-05-01")):
            config = make(tmp / case, server.smtp_config())
            when = ["--date", date] if date else []
            runner = CliRunner()
            result = runner.invoke(cli, ["run", "--config", str(config), *when])
            assert result.exit_code == 0, result.output
            result = runner.invoke(cli, ["send", "--config", str(config), *when])
            assert result.exit_code == 0, result.output
            out[case] = (config, server.handler.mailbox.pop("reader@example.org")[0])
    finally:
        server.stop()
        if old is None:
            os.environ.pop("DIGEST_SMTP_PASSWORD", None)
        else:
            os.environ["DIGEST_SMTP_PASSWORD"] = old
    return out


@pytest.mark.parametrize("case", ["bundled", "small"])
def test_no_structural_rule_fires_on_the_default_templates(sent, case):
    config, raw = sent[case]
    # signed, and the signature verifies with dkimpy against the key's public half
    public = signing.public_key_der((config.parent / "s1.pem").read_bytes())
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
    assert dkim.verify(raw, dnsfunc=lambda name, timeout=5: record
                       if name == b"s1._domainkey.example.org." else None)
    assert {"list-unsubscribe", "list-unsubscribe-post"} <= set(signing.signed_headers(raw))
    result = spam.score(raw)
    assert "HTML_MESSAGE" in result.rules  # it did read the HTML part
    assert result.structural == {}, f"{case}: {result.rules}"
    assert result.score < 5.0


def test_the_rules_do_catch_a_hidden_white_preheader():
    """The same scoring sees what the old template did: white text on the default white."""
    message = build_message(
        subject="News", sender="Digest <digest@example.org>", recipients=["r@example.org"],
        text="The council approved a bridge.\n", date=dt.date(2024, 5, 1), audience="a",
        html='<html><body><div style="display:none;color:#ffffff">1 story</div>'
             "<p>The council approved a bridge.</p></body></html>")
    result = spam.score(message.as_bytes())
    assert "HTML_FONT_LOW_CONTRAST" in result.structural


def test_digest_check_reports_the_spam_score(sent):
    config = sent["bundled"][0]
    result = CliRunner().invoke(cli, ["check", "--config", str(config), "--json"])
    assert result.exit_code == 0, result.output
    checks = {c["name"]: c for c in json.loads(result.stdout)["audiences"][0]["checks"]}
    assert checks["spamassassin"]["status"] == "pass"
    data = checks["spamassassin"]["data"]
    assert 0 <= data["score"] < data["threshold"] == 5.0
    assert data["structural"] == [] and "HTML_MESSAGE" in data["rules"]
    assert checks["dkim-verifies"]["status"] == "pass"


def test_a_threshold_under_the_score_fails(sent):
    config = sent["bundled"][0]
    text = config.read_text(encoding="utf-8") + "\n[check]\nspam_threshold = 0.5\n"
    config.with_name("strict.toml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--config", str(config.with_name("strict.toml")),
                                      "--json"])
    assert result.exit_code == 1
    checks = {c["name"]: c for c in json.loads(result.stdout)["audiences"][0]["checks"]}
    assert checks["spamassassin"]["status"] == "fail"
    assert "at or over the threshold 0.5" in checks["spamassassin"]["detail"]
