"""The issue's "done when", end to end with real parts: `digest serve` on waitress (127.0.0.1,
port 0) driven by a real HTTP client, a send to 20 recipients through aiosmtpd, a DSN and an
ARF complaint in a Maildir, a 550 at send time; the next day reaches exactly the other 16."""

from __future__ import annotations

import json
import re

import pytest
from bounce_messages import arf, deliver, dsn, make_maildir, out_of_office
from click.testing import CliRunner
from conftest import LOCAL_PROJECT, STORY, write_config, write_json_article
from service_helpers import Served

from digest.cli import cli
from digest.settings import load_settings

DAY1, DAY2 = "2024-05-01", "2024-05-02"
BASE = "https://news.example.test/digest"


@pytest.fixture
def smtp(smtp_server):
    return smtp_server


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def project(tmp_path, smtp, people, extra="", mailbox='[mailbox]\nmaildir = "bounces"\n'):
    folder = tmp_path / "proj"
    write_json_article(folder / "articles", "bridge.json", title="Council approves bridge",
                       text=STORY, date=DAY1, url="https://example.org/bridge")
    write_json_article(folder / "articles", "storm.json", title="Storm hits coast",
                       text="A storm hit the coast on Thursday. Thousands lost power. Crews "
                            "worked through the night to restore it.", date=DAY2,
                       url="https://example.org/storm")
    make_maildir(folder / "bounces")
    recipients = ", ".join(f'"{a}"' for a in people)
    return write_config(folder, LOCAL_PROJECT + f"""
[audiences.daily]
subject = "News for {{{{ date }}}}"
from = "Daily Digest <digest@example.org>"
recipients = [{recipients}]
unsubscribe_mailto = "unsubscribe@example.org"

[service]
base_url = "{BASE}"

{mailbox}{extra}
""" + smtp.smtp_config(retries=0))


def one_click_link(message) -> str:
    (url,) = re.findall(r"<(https://[^>]+)>", message["List-Unsubscribe"])
    return url


def test_done_when(tmp_path, smtp):
    people = [f"reader{i:02d}@example.org" for i in range(1, 21)]
    r1, r2, r3, r4, r5 = people[:5]
    config = project(tmp_path, smtp, people)
    smtp.handler.refuse.add(r4)  # a 550 for recipient 4 at send time

    first = invoke("run", "--config", str(config), "--date", DAY1, "--send")
    assert first.exit_code == 1, first.output  # the refused one is not sent
    assert "daily: sent 19 now; 19 sent, 1 failed-permanent" in first.output
    assert set(smtp.handler.copies()) == set(people) - {r4}

    # every message has its own signed one-click link, and no address in any URL
    links = {}
    for address in set(people) - {r4}:
        (msg,) = smtp.handler.messages(address)
        url = one_click_link(msg)
        assert url.startswith(f"{BASE}/unsubscribe/daily.u.")
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        local = address.split("@")[0]
        assert local not in msg["List-Unsubscribe"] and "%40" not in msg["List-Unsubscribe"]
        assert url in msg.get_body(("plain",)).get_content()
        links[address] = url
    assert len(set(links.values())) == 19

    settings = load_settings(config)
    with Served(settings) as served:
        # a GET (a link scanner, or the person opening it) changes nothing
        page = served.get(links[r1])
        assert page.status == 200
        assert b'name="List-Unsubscribe" value="One-Click"' in page.data
        assert r1.encode() not in page.data
        assert suppressed(config) == {r4: (None, "refused")}

        # a tampered token: 4xx, nothing changes
        tampered = links[r1][:-3] + ("AAA" if not links[r1].endswith("AAA") else "BBB")
        assert served.post(tampered).status == 400
        # another recipient's reference under recipient 1's mac
        ref1, ref2 = (links[a].rsplit("/", 1)[1].split(".")[2] for a in (r1, r2))
        assert served.post(links[r1].replace(ref1, ref2)).status == 400
        # another audience's name under the same mac
        assert served.post(links[r1].replace("/daily.u.", "/weekly.u.")).status == 400
        assert suppressed(config) == {r4: (None, "refused")}

        # the RFC 8058 POST: no cookie, acts at once, 2xx
        done = served.post(links[r1])
        assert done.status == 200
        assert b"You are unsubscribed" in done.data
        assert "set-cookie" not in {k.lower() for k in done.headers}

    # a DSN for recipient 2 and an ARF complaint for recipient 3, in the Maildir, and an
    # out-of-office reply from recipient 5, which must suppress nobody
    maildir = tmp_path / "proj" / "bounces"
    (m2,) = smtp.handler.mailbox[r2]
    (m3,) = smtp.handler.mailbox[r3]
    deliver(maildir, dsn(m2, r2))
    deliver(maildir, arf(m3))
    away = deliver(maildir, out_of_office(r5))

    smtp.handler.mailbox.clear()
    second = invoke("run", "--config", str(config), "--date", DAY2, "--send")
    assert second.exit_code == 0, second.output
    assert "4 suppressed (not mailed)" in second.output
    reached = set(smtp.handler.copies())
    assert reached == set(people) - {r1, r2, r3, r4}
    assert len(reached) == 16

    assert suppressed(config) == {r1: ("daily", "unsubscribed"), r2: (None, "bounced"),
                                  r3: (None, "complained"), r4: (None, "refused")}
    # the two reports are marked (moved to cur/ with the Seen flag), never deleted; the
    # out-of-office is left as it was
    assert sorted(p.name.split(":", 1)[1] for p in (maildir / "cur").iterdir()) == \
        ["2,S", "2,S"]
    assert away.exists()


def suppressed(config) -> dict[str, tuple[str | None, str]]:
    result = invoke("subscribers", "suppressed", "--config", str(config), "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    for row in rows:
        assert set(row) >= {"email", "audience", "reason", "since"}
    return {r["email"]: (r["audience"], r["reason"]) for r in rows}
