"""[smtp] connections and [[smtp.relays]]: parsed, checked, errors naming the key."""

from pathlib import Path

import pytest
from test_delivery_settings import error, load

from digest.delivery.relays import check_passwords
from digest.errors import ConfigError


def test_connections_default_and_bounds(tmp_path):
    assert load(tmp_path, '[smtp]\nhost = "h"\n').smtp.connections == 8
    assert load(tmp_path, '[smtp]\nhost = "h"\nconnections = 32\n').smtp.connections == 32
    assert error(tmp_path, '[smtp]\nhost = "h"\nconnections = 0\n') == \
        "'smtp.connections' must be a positive integer, got 0"
    assert error(tmp_path, '[smtp]\nhost = "h"\nconnections = 300\n') == \
        "'smtp.connections' must be at most 256, got 300"


def test_the_relays_example_in_the_docs(tmp_path, monkeypatch):
    doc = (Path(__file__).resolve().parent.parent / "docs" / "sending.md").read_text()
    example = doc.split("## Speed", 1)[1].split("```toml", 1)[1].split("```", 1)[0]
    smtp = load(tmp_path, example).smtp
    main, backup = smtp.relays
    assert smtp.connections == 16 and main.connections == 16
    assert (main.name, main.host, main.port, main.weight, main.rate_per_minute,
            main.daily_cap) == ("main", "smtp.example.org", 587, 3, 3000, 100000)
    assert (backup.name, backup.port, backup.security, backup.weight) == ("backup", 465, "ssl", 1)
    with pytest.raises(ConfigError, match=r"\$DIGEST_SMTP_PASSWORD_MAIN is empty"):
        check_passwords(smtp)
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD_MAIN", "a")
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD_BACKUP", "b")
    assert check_passwords(smtp) == {"main": "a", "backup": "b"}


@pytest.mark.parametrize("body, message", [
    ('host = "h"\n[[smtp.relays]]\nname = "a"\nhost = "x"\n',
     "'smtp.host' belongs in each [[smtp.relays]] when relays are listed"),
    ('relays = []\n', "'smtp.relays' must list at least one relay"),
    ('[[smtp.relays]]\nhost = "x"\n', "'smtp.relays[0].name' is required"),
    ('[[smtp.relays]]\nname = "a b"\nhost = "x"\n',
     "'smtp.relays[0].name' must be letters, digits or _, got 'a b'"),
    ('[[smtp.relays]]\nname = "a"\nhost = "x"\n[[smtp.relays]]\nname = "A"\nhost = "y"\n',
     "'smtp.relays[1].name' 'A' names two relays"),
    ('[[smtp.relays]]\nname = "a"\nhost = "x"\npassword = "p"\n',
     "'smtp.relays[0].password' is not allowed in the file: set $DIGEST_SMTP_PASSWORD_A "
     "instead"),
    ('[[smtp.relays]]\nname = "a"\nhost = "x"\nweight = 0\n',
     "'smtp.relays[0].weight' must be a positive integer, got 0"),
    ('[[smtp.relays]]\nname = "a"\nhost = "x"\ntimeout = 3\n',
     "'smtp.relays[0].timeout' is not a known setting"),
    ('[[smtp.relays]]\nname = "a"\nhost = "x"\ndaily_cap = 0\n',
     "'smtp.relays[0].daily_cap' must be a positive integer, got 0"),
])
def test_relay_errors_name_the_key(tmp_path, body, message):
    assert error(tmp_path, "[smtp]\n" + body) == message
