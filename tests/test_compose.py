"""Messages built once and filled per recipient, checked part by part against the email package."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest

from digest.delivery.compose import Composer
from digest.delivery.personalize import message_for
from digest.delivery.recipients import Recipient
from digest.rendering.issue import RenderedIssue
from digest.rendering.slots import context_fields
from digest.settings import Audience, Branding

NOW = dt.datetime(2024, 5, 1, 6, 30, tzinfo=dt.timezone.utc)
TOKEN = "5eed"


def audience(**fields) -> Audience:
    base = dict(name="daily", branding=Branding(name="Daily news"),
                sender="Daily Digest <digest@example.org>",
                unsubscribe_url="https://example.org/u?e={email}",
                unsubscribe_mailto="leave@example.org")
    base.update(fields)
    return Audience(**base)


def rendered(subject: str = "News") -> RenderedIssue:
    f = context_fields(TOKEN, audience())
    who, city = f["recipient"].name, f["recipient"].city
    long_line = "word " * 60  # a line longer than quoted-printable's 76 characters
    html = (f"<html><body>\n<p>{f['greeting']}</p>\n"
            f"<p>{long_line}{who} in {city} {long_line}</p>\n"
            f'<a href="{f["unsubscribe_url"]}">Unsubscribe</a> {who}{who}\n'
            "<p>Caf\u00e9 = 3 \u20ac, tabs\there, trailing spaces   \n"
            ".a line that starts with a dot\n"
            + "." + "dots." * 40 + "\n" + "x" * 74 + ".." * 20 + "\n"
            "--=_digest_not_a_boundary\n"
            f"{city}\n"
            "</body></html>\n")
    text = (f"{f['greeting']}\n\n{long_line}\n{who} from {city}\n"
            "Caf\u00e9 = 3 \u20ac   \n.\n"
            f"Unsubscribe: {f['unsubscribe_url']}\n"
            f"{city}")
    return RenderedIssue(date=dt.date(2024, 5, 1), audience="daily", subject=subject,
                         sender="Daily Digest <digest@example.org>", html=html, text=text,
                         token=TOKEN)


HOSTILE = [
    Recipient("ann@example.org", "Ann", {"city": "Paris"}),
    Recipient("bob+x@example.org", "", {"city": ""}),
    Recipient("cr@example.org", "Line\r\nBcc: evil@example.org",
              {"city": "two\r\nlines\rand\nmore\n"}),
    Recipient("eq@example.org", "=?utf-8?q?x?= =3D", {"city": "a=b==c =\n=20"}),
    Recipient("zoe@example.org", "Zo\u00eb \u00c5str\u00f6m \u6771\u4eac",
              {"city": "\u00c5rhus \U0001f600 <b>&amp;</b>"}),
    Recipient("long@example.org", "N" * 10_000, {"city": "x" * 10_000}),
    Recipient("quote@example.org", 'He said "hi" \\ there, (ok); <x>', {"city": "--"}),
    Recipient("dash@example.org", "--=_digest_", {"city": "\n--=_digest_ab\n--=_digest_ab--\n"}),
    Recipient("dot@example.org", ".", {"city": ".\n.\r\n..x\n" + "." * 300 + "\n.=."}),
]


def parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=policy.default)


def compare(ours: email.message.EmailMessage, theirs: email.message.EmailMessage) -> None:
    assert not ours.defects
    assert ours.keys() == theirs.keys()
    for name in theirs.keys():
        if name != "Content-Type":  # the boundary differs; the rest is compared below
            assert str(ours[name]).strip() == str(theirs[name]).strip(), name
    assert ours.get_content_type() == theirs.get_content_type() == "multipart/alternative"
    mine, reference = list(ours.iter_parts()), list(theirs.iter_parts())
    assert [p.get_content_type() for p in mine] == ["text/plain", "text/html"]
    assert [p.get_content_type() for p in reference] == ["text/plain", "text/html"]
    for a, b in zip(mine, reference):
        assert not a.defects
        assert a.get_content_charset() == "utf-8"
        assert a.get_content() == b.get_content()


@pytest.mark.parametrize("person", HOSTILE, ids=lambda p: p.email)
def test_each_message_matches_what_the_email_package_builds(person):
    a = audience()
    f = context_fields(TOKEN, a)
    for subject in ("News of the day", f"News for {f['recipient'].name}!"):
        issue = rendered(subject)
        data = Composer(issue, a, now=NOW).message(person)
        reference = parse(message_for(issue, a, person, now=NOW).as_bytes())
        compare(parse(data), reference)
        assert data.isascii()
        lines = data.split(b"\r\n")
        assert b"\n" not in data.replace(b"\r\n", b"")
        assert max(len(line) for line in lines) <= 998
        boundary = parse(data).get_boundary()
        # only the three delimiters the structure needs
        assert sum(line.startswith(f"--{boundary}".encode()) for line in lines) == 3
        body_lines = data.split(b"\r\n\r\n", 1)[1].split(b"\r\n")
        assert max(len(line) for line in body_lines) <= 76  # quoted-printable's limit
        # what Mailer.send(crlf=True) relies on: no line to dot-stuff, every line end CRLF
        assert not data.startswith(b".") and b"\n." not in data
        assert data.count(b"\n") == data.count(b"\r\n") == data.count(b"\r")


def test_no_quoted_printable_line_starts_with_a_dot():
    import binascii
    import random

    from digest.delivery.compose import _qp

    rnd = random.Random(7)
    alphabet = [".", ".", "=", " ", "\t", "a", "\u00e9", "\u20ac", "x" * 70, "." * 80]
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 40)))
        encoded = _qp(text.encode("utf-8"))
        lines = encoded.split(b"\r\n")
        assert all(not line.startswith(b".") for line in lines), encoded
        assert all(len(line) <= 76 for line in lines), encoded
        assert all(line.endswith(b"=") for line in lines[:-1])  # soft breaks only
        assert binascii.a2b_qp(encoded.replace(b"\r\n", b"\n")).decode("utf-8") == text


def test_the_fields_are_where_the_slots_were():
    a = audience()
    person = HOSTILE[4]
    msg = parse(Composer(rendered(), a, now=NOW).message(person))
    html = msg.get_body(("html",)).get_content()
    text = msg.get_body(("plain",)).get_content()
    assert "<p>Hello Zo\u00eb \u00c5str\u00f6m \u6771\u4eac,</p>" in html
    assert "\u00c5rhus \U0001f600 &lt;b&gt;&amp;amp;&lt;/b&gt;" in html
    assert "\u00c5rhus \U0001f600 <b>&amp;</b>" in text
    assert msg["To"].addresses[0].display_name == "Zo\u00eb \u00c5str\u00f6m \u6771\u4eac"
    assert msg["To"].addresses[0].addr_spec == "zoe@example.org"
    assert "Unsubscribe: https://example.org/u?e=zoe%40example.org" in text
    assert msg["List-Unsubscribe"].strip() == ("<https://example.org/u?e=zoe%40example.org>, "
                                               "<mailto:leave@example.org?subject=unsubscribe>")


def test_a_field_with_line_breaks_cannot_add_a_header():
    msg = parse(Composer(rendered(), audience(), now=NOW).message(HOSTILE[2]))
    assert msg["Bcc"] is None
    assert len(msg.get_all("To")) == 1
    assert msg["To"].addresses[0].addr_spec == "cr@example.org"


def test_the_same_composer_gives_each_recipient_their_own_copy():
    composer = Composer(rendered(), audience(), now=NOW)
    first = composer.message(HOSTILE[0])
    composer.message(HOSTILE[5])
    assert composer.message(HOSTILE[0]) == first  # nothing of one recipient stays behind
    ids = {parse(composer.message(p))["Message-ID"] for p in HOSTILE}
    assert len(ids) == len(HOSTILE)


def test_the_message_id_is_personalize_s():
    from digest.delivery.personalize import message_id

    issue = rendered()
    composer = Composer(issue, audience(), now=NOW)
    for person in HOSTILE:
        expected = message_id(issue.date, issue.audience, person.email, issue.sender)
        assert composer.message_id(person) == expected
        assert parse(composer.message(person))["Message-ID"] == expected
