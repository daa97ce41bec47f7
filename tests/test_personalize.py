"""Per-recipient filling, headers, recipients files and pacing, without a server."""

import datetime as dt
import logging

import pytest

from digest.delivery.personalize import greeting, list_headers, message_for, message_id
from digest.delivery.recipients import Recipient, load_recipients
from digest.errors import ConfigError
from digest.rendering.issue import RenderedIssue
from digest.rendering.slots import context_fields, placeholder
from digest.settings import Audience, Branding


def audience(**fields) -> Audience:
    base = dict(name="daily", branding=Branding(name="Daily news"), sender="Digest <d@example.org>",
                unsubscribe_url="https://example.org/u?e={email}")
    base.update(fields)
    return Audience(**base)


def issue(html: str, text: str, subject: str = "News") -> RenderedIssue:
    return RenderedIssue(date=dt.date(2024, 5, 1), audience="daily", subject=subject,
                         sender="Digest <d@example.org>", html=html, text=text, token="t0k")


def test_fill_escapes_html_but_not_text():
    a = audience()
    fields = context_fields("t0k", a)
    html = f'<p>{fields["greeting"]}</p><a href="{fields["unsubscribe_url"]}">x</a>'
    text = f'{fields["greeting"]}\n{fields["recipient"].city}\n{fields["unsubscribe_url"]}'
    person = Recipient("a&b@example.org", "Zoë <O'Hara>", {"email": "a&b@example.org",
                                                           "name": "Zoë <O'Hara>",
                                                           "city": "Aix & Co"})
    issued = issue(html, text, subject=f"For {fields['recipient'].name}")
    message = message_for(issued, a, person)
    assert message["Subject"] == "For Zoë <O'Hara>"
    body_html = message.get_body(("html",)).get_content()
    body_text = message.get_body(("plain",)).get_content()
    assert "<p>Hello Zoë &lt;O&#x27;Hara&gt;,</p>" in body_html
    assert 'href="https://example.org/u?e=a%26b%40example.org"' in body_html
    assert body_text.splitlines()[:3] == ["Hello Zoë <O'Hara>,", "Aix & Co",
                                          "https://example.org/u?e=a%26b%40example.org"]


def test_a_field_the_recipient_lacks_is_empty():
    fields = context_fields("t0k", audience())
    sendable = issue(f"[{fields['recipient'].missing}]", "x")
    assert "recipient.missing" in sendable.fields
    assert sendable.filled({})[1] == "[]"


def test_other_tokens_are_left_alone():
    assert issue(placeholder("other", "greeting"), "").filled({"greeting": "Hi"})[1] == \
        placeholder("other", "greeting")


def test_greeting_without_a_name_drops_the_placeholder():
    a = audience(greeting="Good morning {name}!")
    assert greeting(a, "Ann") == "Good morning Ann!"
    assert greeting(a, "") == "Good morning!"


def test_no_unsubscribe_link_makes_an_empty_field():
    assert context_fields("t", audience(unsubscribe_url=None))["unsubscribe_url"] == ""
    mailto = audience(unsubscribe_url=None, unsubscribe_mailto="stop@example.org")
    assert context_fields("t", mailto)["unsubscribe_url"]
    headers = dict(list_headers(mailto, "a@example.org", "d@example.org"))
    assert headers["List-Unsubscribe"] == "<mailto:stop@example.org?subject=unsubscribe>"
    assert "List-Unsubscribe-Post" not in headers  # one-click needs an https URL


def test_http_url_gets_no_one_click_header():
    headers = dict(list_headers(audience(unsubscribe_url="http://example.org/u?e={email}"),
                                "a@example.org", "d@example.org"))
    assert headers["List-Unsubscribe"] == "<http://example.org/u?e=a%40example.org>"
    assert "List-Unsubscribe-Post" not in headers


def test_message_id_is_stable_per_issue_audience_and_recipient():
    day = dt.date(2024, 5, 1)
    one = message_id(day, "daily", "A@example.org", "d@example.org")
    assert one == message_id(day, "daily", "a@example.org", "Digest <d@example.org>")
    assert one != message_id(day, "weekly", "a@example.org", "d@example.org")
    assert one != message_id(day, "daily", "b@example.org", "d@example.org")
    assert one != message_id(dt.date(2024, 5, 2), "daily", "a@example.org", "d@example.org")
    assert one.endswith("@example.org>")


def test_csv_recipients(tmp_path, caplog):
    path = tmp_path / "people.csv"
    path.write_text("email,name,team\n"
                    "ann@example.org,Ann,red\n"
                    "\n"
                    "bad,Bad,blue\n"
                    "cid@example.org,Cid\n"
                    "Ann@Example.org,Ann twice,red\n"
                    "dee@example.org,,green\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="digest"):
        people = load_recipients(audience(recipients_file=path))
    assert [(p.email, p.name, p.fields["team"]) for p in people] == [
        ("ann@example.org", "Ann", "red"), ("dee@example.org", "", "green")]
    messages = [r.getMessage() for r in caplog.records]
    assert f"{path}, line 4: not a usable e-mail address: 'bad'; skipped" in messages
    assert f"{path}, line 5: 2 columns where the header has 3; skipped" in messages
    assert any("Ann@Example.org is listed more than once" in m for m in messages)


@pytest.mark.parametrize("content, message", [
    ("name,address\nAnn,a@example.org\n", "the first line must name the columns, one of them "
                                          "'email'"),
    ("email,first name\n", "column name 'first name' is not usable in templates"),
    ("email,Email\n", "a column name is repeated"),
])
def test_csv_header_errors(tmp_path, content, message):
    path = tmp_path / "people.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_recipients(audience(recipients_file=path))
    assert str(info.value).startswith(f"{path}: {message}")


def test_missing_csv_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read recipients file"):
        load_recipients(audience(recipients_file=tmp_path / "none.csv"))


def test_rate_limit_spaces_transactions(tmp_path):
    from digest.delivery.rate import Limiter

    now = [100.0]
    limiter = Limiter(tmp_path / "relay.json", 600, None, clock=lambda: now[0])
    waits = [round(limiter.take(), 6) for _ in range(4)]
    assert waits == [0.0, 0.1, 0.2, 0.3]  # slots 0.1 s apart, whoever takes them
    now[0] += 5  # idle time is not saved up into a burst beyond one message
    assert [round(limiter.take(), 6) for _ in range(2)] == [0.0, 0.1]


def test_the_checks_sample_reader_is_the_first_row_read_alone(tmp_path):
    """`digest send` checks the issue as its first reader gets it: that reads one row, not the
    list (reading it all made the send's memory grow with the list's size)."""
    import tracemalloc

    from digest.check.preflight import SAMPLE_ADDRESS, sample_recipient

    path = tmp_path / "people.csv"
    rows = "".join(f"reader{i}@example.org,Reader {i}\n" for i in range(50_000))
    path.write_text("email,name\nnot-an-address,Bad\n" + rows, encoding="utf-8")
    tracemalloc.start()
    try:
        first = sample_recipient(audience(recipients_file=path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (first.email, first.name) == ("reader0@example.org", "Reader 0")
    assert peak < 1_000_000, peak  # reading the 50,000 rows held 28 MB
    empty = tmp_path / "empty.csv"
    empty.write_text("email,name\n", encoding="utf-8")
    assert sample_recipient(audience(recipients_file=empty)).email == SAMPLE_ADDRESS
