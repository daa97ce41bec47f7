"""[smtp] and the delivery keys of an audience: validated in parse_settings, errors name keys."""

from pathlib import Path

import pytest
from conftest import write_config

from digest.errors import ConfigError
from digest.settings import Smtp, load_settings

BASE = """
[[sources]]
name = "s"
type = "folder"
path = "articles"

[audiences.general]
subject = "Daily"
{audience}
{smtp}
"""


def load(tmp_path, smtp="", audience=""):
    return load_settings(write_config(tmp_path, BASE.format(smtp=smtp, audience=audience)))


def error(tmp_path, smtp="", audience="") -> str:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, smtp, audience)
    prefix = f"{(tmp_path / 'digest.toml').resolve()}: "
    message = str(info.value)
    assert message.startswith(prefix)
    return message[len(prefix):]


def test_smtp_is_optional_and_has_safe_defaults(tmp_path):
    assert load(tmp_path).smtp is None
    smtp = load(tmp_path, '[smtp]\nhost = "mail.example.org"\n').smtp
    assert smtp == Smtp(host="mail.example.org")
    assert (smtp.port, smtp.security, smtp.verify_certificate) == (587, "starttls", True)
    ssl = load(tmp_path, '[smtp]\nhost = "mail.example.org"\nsecurity = "ssl"\n').smtp
    assert ssl.port == 465


def test_every_smtp_key(tmp_path):
    (tmp_path / "ca.pem").write_text("x")
    smtp = load(tmp_path, """[smtp]
host = "127.0.0.1"
port = 2525
security = "none"
username = "digest"
rate_per_minute = 600
timeout = 5
retries = 0
retry_delay = 0.5
ca_file = "ca.pem"
verify_certificate = false
""").smtp
    assert smtp == Smtp(host="127.0.0.1", port=2525, security="none", username="digest",
                        rate_per_minute=600, timeout=5.0, retries=0, retry_delay=0.5,
                        ca_file=(tmp_path / "ca.pem").resolve(), verify_certificate=False)


@pytest.mark.parametrize("body, message", [
    ('password = "hunter2"', "'smtp.password' is not allowed in the file: set "
                             "$DIGEST_SMTP_PASSWORD instead"),
    ('security = "tls"', "'smtp.security' must be one of ssl, starttls, none, got 'tls'"),
    ("port = '587'", "'smtp.port' must be an integer, got a string"),
    ("port = 70000", "'smtp.port' must be at most 65535, got 70000"),
    ("rate_per_minute = 0", "'smtp.rate_per_minute' must be a positive integer, got 0"),
    ("retries = -1", "'smtp.retries' must be 0 or more, got -1"),
    ("timeout = 0", "'smtp.timeout' must be a positive number, got 0"),
    ('ca_file = "nope.pem"', "'smtp.ca_file' is not a file: "),
    ("verify_certificate = 'no'", "'smtp.verify_certificate' must be true or false, got a string"),
    ("hots = 'x'", "'smtp.hots' is not a known setting"),
])
def test_smtp_errors_name_the_key(tmp_path, body, message):
    assert error(tmp_path, f'[smtp]\nhost = "mail.example.org"\n{body}\n').startswith(message)


def test_smtp_needs_a_host(tmp_path):
    assert error(tmp_path, "[smtp]\nport = 25\n") == "'smtp.host' is required"


def test_password_is_refused_even_when_otherwise_valid_and_not_echoed(tmp_path):
    message = error(tmp_path, '[smtp]\nhost = "h"\npassword = "hunter2"\n')
    assert "hunter2" not in message


def test_recipients_as_a_csv_file(tmp_path):
    audience = load(tmp_path, audience='recipients = "people.csv"').audiences["general"]
    assert audience.recipients == ()
    assert audience.recipients_file == (tmp_path / "people.csv").resolve()


@pytest.mark.parametrize("line, message", [
    ('recipients = ["ok@example.org", "not an address"]',
     "'audiences.general.recipients[1]' is not an e-mail address: 'not an address'"),
    ("recipients = 3", "'audiences.general.recipients' must be a list of addresses or a CSV "
                       "file name, got an integer"),
    ('unsubscribe_url = "example.org/u?e={email}"',
     "'audiences.general.unsubscribe_url' must be an http(s) URL, got 'example.org/u?e={email}'"),
    ('unsubscribe_mailto = "mailto:x@example.org"',
     "'audiences.general.unsubscribe_mailto' must be an e-mail address, got "
     "'mailto:x@example.org'"),
    ("greeting = 1", "'audiences.general.greeting' must be a string, got an integer"),
])
def test_audience_delivery_keys(tmp_path, line, message):
    assert error(tmp_path, audience=line) == message


def test_the_readme_example_is_valid(tmp_path):
    doc = Path(__file__).resolve().parent.parent / "docs" / "sending.md"
    readme = doc.read_text(encoding="utf-8")
    section = readme.split("## Sending", 1)[1]
    example = section.split("```toml", 1)[1].split("```", 1)[0]
    settings = load_settings(write_config(tmp_path, BASE.format(smtp="", audience="").replace(
        "[audiences.general]\nsubject = \"Daily\"\n", "") + example))
    assert settings.smtp.host == "smtp.example.org"
    assert settings.smtp.rate_per_minute == 600
    daily = settings.audiences["daily"]
    assert daily.recipients_file == (tmp_path / "recipients.csv").resolve()
    assert daily.unsubscribe_mailto == "unsubscribe@example.org"
