"""DKIM: key pairs, signatures verified by dkimpy through a DNS function that serves the
generated public key (no network), tampering caught, the list headers covered."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import stat

import dkim
import pytest
from click.testing import CliRunner
from conftest import LOCAL_PROJECT, STORY, write_config, write_json_article
from smtp_server import PASSWORD, SmtpTestServer

from digest.cli import cli
from digest.delivery import dkim as signing
from digest.delivery import dkim_fast
from digest.delivery.personalize import message_for
from digest.delivery.recipients import Recipient
from digest.errors import ConfigError
from digest.rendering.issue import RenderedIssue
from digest.settings import Audience, load_settings

DATE = "2024-05-01"


@pytest.fixture(scope="module")
def key_pair():
    return signing.new_key_pair()


def dns_for(selector: str, domain: str, public_der: bytes):
    """A dkimpy dnsfunc that knows one record and nothing else."""
    record = f"v=DKIM1; k=rsa; p={base64.b64encode(public_der).decode()}".encode()
    asked = []

    def lookup(name, timeout=5):
        asked.append(name)
        return record if name == f"{selector}._domainkey.{domain}.".encode() else None

    lookup.asked = asked
    return lookup


def a_message(unsubscribe="https://example.org/u/abc") -> bytes:
    issue = RenderedIssue(date=dt.date(2024, 5, 1), audience="daily", subject="News",
                          sender="Daily <digest@example.org>",
                          html="<p>The council approved a bridge.</p>",
                          text="The council approved a bridge.\n", token="tok")
    audience = Audience(name="daily", sender="Daily <digest@example.org>",
                        unsubscribe_url=unsubscribe)
    person = Recipient("reader@example.org", "Ann", {"email": "reader@example.org"})
    return message_for(issue, audience, person).as_bytes()


def test_a_signed_message_verifies_against_the_public_key(key_pair):
    pem, der = key_pair
    signed = signing.Signer("example.org", "sel1", pem).sign(a_message())
    dns = dns_for("sel1", "example.org", der)
    assert signed.startswith(b"DKIM-Signature: ")
    assert dkim.verify(signed, dnsfunc=dns)
    assert dns.asked == [b"sel1._domainkey.example.org."]
    header = signed.split(b"\r\n\r\n", 1)[0].decode()
    assert "c=relaxed/relaxed" in header and "d=example.org" in header and "s=sel1" in header


def test_the_signature_covers_the_headers_rfc_8058_asks_for(key_pair):
    signed = signing.Signer("example.org", "sel1", key_pair[0]).sign(a_message())
    covered = set(signing.signed_headers(signed))
    assert {"from", "to", "subject", "date", "message-id", "list-id", "list-unsubscribe",
            "list-unsubscribe-post"} <= covered
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in signed


def test_a_tampered_body_or_list_header_fails(key_pair):
    pem, der = key_pair
    dns = dns_for("sel1", "example.org", der)
    signed = signing.Signer("example.org", "sel1", pem).sign(a_message())
    assert dkim.verify(signed, dnsfunc=dns)
    body = signed.replace(b"approved", b"rejected", 1)
    assert body != signed and not dkim.verify(body, dnsfunc=dns)
    swapped = signed.replace(b"https://example.org/u/abc", b"https://evil.example/u/abc")
    assert swapped != signed and not dkim.verify(swapped, dnsfunc=dns)
    # a second List-Unsubscribe added on the way breaks it too (the header is oversigned)
    head, rest = signed.split(b"\r\n\r\n", 1)
    added = head + b"\r\nList-Unsubscribe: <https://evil.example/>\r\n\r\n" + rest
    assert not dkim.verify(added, dnsfunc=dns)
    # without an unsubscribe address, its absence is signed: one added on the way breaks it
    bare = signing.Signer("example.org", "sel1", pem).sign(a_message(unsubscribe=None))
    assert b"List-Unsubscribe" not in bare.split(b"\r\n\r\n", 1)[0].replace(
        b"list-unsubscribe", b"")
    assert dkim.verify(bare, dnsfunc=dns)
    head, rest = bare.split(b"\r\n\r\n", 1)
    assert not dkim.verify(head + b"\r\nList-Unsubscribe: <https://evil.example/>\r\n\r\n"
                           + rest, dnsfunc=dns)
    # and another key does not verify it
    other = dns_for("sel1", "example.org", signing.new_key_pair(1024)[1])
    assert not dkim.verify(signed, dnsfunc=other)


def test_openssl_gives_dkimpys_own_signature(key_pair):
    """The RSA step done by OpenSSL is byte for byte dkimpy's pure-Python one."""
    pem = key_pair[0]
    signing.Signer("example.org", "sel1", pem)  # registers the key with OpenSSL
    private = dkim.crypto.parse_pem_private_key(pem)
    digest = hashlib.sha256(b"the same bytes")
    fast = dkim_fast._rsa_sign(digest.copy(), private)
    pure = dkim_fast._PURE_RSA_SIGN(digest.copy(), private)
    assert fast == pure and len(fast) == 256


def test_the_faster_relaxed_body_is_dkimpys_own():
    import random

    from dkim.canonicalization import Relaxed

    from digest.delivery.dkim_fast import _Relaxed

    pieces = [b"a", b"word", b" ", b"  ", b"\t", b" \t ", b"\r\n", b"\r\n\r\n", b"\r", b"\n",
              b"=20", "é".encode()]
    rng = random.Random(16)
    cases = [b"", b"\r\n", b"\r\n\r\n", b" ", b"a \r\n\r\n", b"a\t\tb  \r\n c \t\r\n"]
    cases += [b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
              for _ in range(3000)]
    cases.append(a_message().split(b"\r\n\r\n", 1)[1])
    for body in cases:
        assert _Relaxed.canonicalize_body(body) == Relaxed.canonicalize_body(body), body


def test_the_faster_message_split_is_dkimpys_own():
    import random

    from digest.delivery.dkim_fast import _PURE_RFC822_PARSE, _rfc822_parse

    message = a_message()
    cases = [message, message.replace(b"\r\n", b"\n"), b"", b"\r\n", b"A: b\r\n",
             b"A: b\r\n\r\n", b"A: b\r\n\r\nbody", b"A: b\n c\r\n\r\n\r\nx\r\r\n",
             b"From x\r\nA: b\r\n\r\nbody\n\nmore\r\n"]
    rng = random.Random(16)
    pieces = [b"A: b", b"C:d", b" folded", b"\r\n", b"\n", b"\r", b"text", b"\r\n\r\n"]
    cases += [b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
              for _ in range(3000)]
    for raw in cases:
        try:
            expected = _PURE_RFC822_PARSE(raw)
        except Exception as exc:  # bad headers: the same error
            with pytest.raises(type(exc)):
                _rfc822_parse(raw)
            continue
        assert _rfc822_parse(raw) == expected, raw


def test_offline_verify_helper(key_pair):
    pem, der = key_pair
    signer = signing.Signer("example.org", "sel1", pem)
    signed = signer.sign(a_message())
    records = {signer.record_name(): signer.public_record()}
    assert signing.verify(signed, records)
    assert not signing.verify(signed.replace(b"bridge", b"tunnel", 1), records)
    assert not signing.verify(a_message(), records)  # unsigned


def test_key_file_checks(tmp_path, key_pair, caplog):
    key = tmp_path / "k.pem"
    key.write_bytes(key_pair[0])
    key.chmod(0o600)
    with caplog.at_level(logging.WARNING, logger="digest"):
        assert signing.read_key(key) == key_pair[0]
    assert not caplog.records
    key.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="digest"):
        signing.read_key(key)
    assert "readable by others" in caplog.text and str(key) in caplog.text
    with pytest.raises(ConfigError, match="No such file"):
        signing.read_key(tmp_path / "missing.pem")
    (tmp_path / "bad.pem").write_text("not a key")
    with pytest.raises(ConfigError, match="not a PEM RSA private key"):
        signing.read_key(tmp_path / "bad.pem")


def test_dkim_settings(tmp_path):
    base = 'window = "day"\n[audiences.a]\nfrom = "A <a@example.org>"\n'
    config = write_config(tmp_path, base + '[dkim]\ndomain = "Example.ORG"\nselector = "s1"\n'
                                           'key_file = "keys/s1.pem"\n')
    settings = load_settings(config)
    assert settings.dkim.domain == "example.org" and settings.dkim.selector == "s1"
    assert settings.dkim.key_file == (tmp_path / "keys" / "s1.pem").resolve()
    for table, message in [
        ('[dkim]\ndomain = "example.org"\nselector = "s1"\nkey_file = "k"\nprivate_key = "x"\n',
         "'dkim.private_key' is not allowed in the file"),
        ('[dkim]\ndomain = "exa mple.org"\nselector = "s1"\nkey_file = "k"\n',
         "'dkim.domain' must be a DNS name"),
        ('[dkim]\ndomain = "example.org"\nkey_file = "k"\n', "'dkim.selector' is required"),
        ('[dkim]\ndomain = "example.org"\nselector = "s1"\n', "'dkim.key_file' is required"),
    ]:
        config = write_config(tmp_path, base + table)
        with pytest.raises(ConfigError, match=message):
            load_settings(config)


def test_dkim_key_command(tmp_path):
    key = tmp_path / "keys" / "s1.pem"
    result = CliRunner().invoke(cli, ["dkim-key", "--domain", "example.org", "--selector", "s1",
                                      "--key-file", str(key)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert "s1._domainkey.example.org. IN TXT (" in result.output
    value = [line for line in result.output.splitlines() if line.startswith("v=DKIM1")][0]
    # the printed record is the public half of the written key
    der = base64.b64decode(value.split("p=", 1)[1])
    signed = signing.Signer("example.org", "s1", key.read_bytes()).sign(a_message())
    assert dkim.verify(signed, dnsfunc=dns_for("s1", "example.org", der))
    assert key.read_bytes().decode() not in result.output  # the private key is never printed
    again = CliRunner().invoke(cli, ["dkim-key", "--domain", "example.org", "--selector", "s1",
                                     "--key-file", str(key)])
    assert again.exit_code == 2 and "exists: not overwriting" in again.output
    bad = CliRunner().invoke(cli, ["dkim-key", "--domain", "x;y", "--selector", "s1"])
    assert bad.exit_code == 2 and "--domain must be a DNS name" in bad.output


def test_digest_send_signs_every_message(tmp_path, monkeypatch, key_pair):
    pem, der = key_pair
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", PASSWORD)
    server = SmtpTestServer(tmp_path).start()
    try:
        folder = tmp_path / "proj"
        (folder / "s1.pem").parent.mkdir(parents=True, exist_ok=True)
        (folder / "s1.pem").write_bytes(pem)
        (folder / "s1.pem").chmod(0o600)
        write_json_article(folder / "articles", "bridge.json", title="Council approves bridge",
                           text=STORY, date=DATE, url="https://example.org/bridge")
        config = write_config(folder, LOCAL_PROJECT + """
[audiences.daily]
from = "Daily Digest <digest@example.org>"
recipients = ["a@example.org", "b@example.org"]
unsubscribe_url = "https://example.org/unsubscribe"

[dkim]
domain = "example.org"
selector = "s1"
key_file = "s1.pem"
""" + server.smtp_config())
        runner = CliRunner()
        assert runner.invoke(cli, ["run", "--config", str(config), "--date", DATE]).exit_code == 0
        result = runner.invoke(cli, ["send", "--config", str(config), "--date", DATE])
        assert result.exit_code == 0, result.output
        dns = dns_for("s1", "example.org", der)
        for address in ("a@example.org", "b@example.org"):
            raw = server.handler.mailbox[address][0]
            assert raw.startswith(b"DKIM-Signature:")
            assert dkim.verify(raw, dnsfunc=dns), address
            assert f"To: {address}".encode() in raw
    finally:
        server.stop()


VERIFY_ELSEWHERE = """
import base64, sys, dkim
message, public = sys.stdin.buffer.read().split(b"\\0SPLIT\\0")
record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
ok = dkim.verify(message, dnsfunc=lambda name, timeout=5:
                 record if name == b"sel1._domainkey.example.org." else None)
assert "digest" not in sys.modules  # dkimpy as shipped, none of our faster steps
print(ok)
"""


@pytest.mark.parametrize("tamper", [False, True])
def test_dkimpy_as_shipped_verifies_it_in_another_process(key_pair, tamper):
    """Signing and verifying in this process share the faster steps; a process that never
    imports digest checks the signature with dkimpy's own code."""
    import subprocess
    import sys

    pem, der = key_pair
    signed = signing.Signer("example.org", "sel1", pem).sign(a_message())
    if tamper:
        signed = signed.replace(b"approved", b"rejected", 1)
    result = subprocess.run([sys.executable, "-c", VERIFY_ELSEWHERE],
                            input=signed + b"\0SPLIT\0" + der, capture_output=True, check=True)
    assert result.stdout.strip() == (b"False" if tamper else b"True")


def test_dkimpy_waits_until_a_message_is_signed_or_a_key_read(key_pair, tmp_path):
    """`digest run` and the commands that never sign do not import dkimpy and dnspython."""
    import subprocess
    import sys

    pem, _ = key_pair
    key = tmp_path / "k.pem"
    key.write_bytes(pem)
    key.chmod(0o600)
    script = (
        "import sys\n"
        "import digest.pipeline, digest.delivery, digest.delivery.dkim as d\n"
        "assert 'dkim' not in sys.modules and 'dns.resolver' not in sys.modules\n"
        f"d.read_key(__import__('pathlib').Path({str(key)!r}))\n"
        "import dkim\n"
        "assert dkim.parse_pem_private_key.__module__ == 'digest.delivery.dkim_fast'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
