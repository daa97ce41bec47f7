"""The suppression list's rules, the [service] settings, and a dry run that reads no mail."""

from __future__ import annotations

import datetime as dt

from bounce_messages import deliver, dsn
from test_bounces import PEOPLE, sent_project, suppressed
from test_subscribers_flow import DAY1, invoke, smtp  # noqa: F401 (a fixture)

from digest.settings import parse_settings
from digest.state import State
from digest.subscribers import suppression


def test_soft_bounces_count_only_within_their_window(tmp_path):
    now = dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc)
    with State(tmp_path / "s.sqlite3") as state:
        old = now - dt.timedelta(days=45)
        assert not suppression.soft_bounce(state, "a@example.org", "4.2.2", 3, 30, now=old)
        assert not suppression.soft_bounce(state, "a@example.org", "4.2.2", 3, 30, now=old)
        assert not suppression.soft_bounce(state, "a@example.org", "4.4.7", 3, 30,
                                           now=now - dt.timedelta(days=2))
        assert not suppression.soft_bounce(state, "a@example.org", "4.4.7", 3, 30,
                                           now=now - dt.timedelta(days=1))
        assert suppression.suppressed_for(state, "daily") == {}
        assert suppression.soft_bounce(state, "a@example.org", "4.4.7", 3, 30, now=now)
        assert suppression.suppressed_for(state, "any") == {"a@example.org": "soft-bounces"}


def test_scopes_follow_the_reason(tmp_path):
    with State(tmp_path / "s.sqlite3") as state:
        suppression.suppress(state, "A@Example.org", suppression.UNSUBSCRIBED, audience="daily")
        suppression.suppress(state, "b@example.org", suppression.COMPLAINED, audience="daily")
        assert suppression.suppressed_for(state, "daily") == {
            "a@example.org": "unsubscribed", "b@example.org": "complained"}
        # an unsubscribe is for that audience only; a complaint for every one
        assert suppression.suppressed_for(state, "weekly") == {"b@example.org": "complained"}
        # the first reason stays: a second report does not move `since`
        assert not suppression.suppress(state, "b@example.org", suppression.BOUNCED)


def test_service_settings_give_every_audience_its_link_base(tmp_path):
    settings = parse_settings({
        "audiences": {"a": {"recipients": ["a@example.org"]}, "b": {"signup": True}},
        "service": {"base_url": "https://news.example.org/digest/", "port": 9000},
    }, tmp_path / "digest.toml")
    assert settings.service.base_url == "https://news.example.org/digest"
    assert settings.service.port == 9000 and settings.service.host == "127.0.0.1"
    assert {a.link_base for a in settings.audiences.values()} == {settings.service.base_url}
    assert settings.audiences["b"].signup and not settings.audiences["a"].signup
    assert settings.mailbox is None


def test_a_dry_run_reads_no_mail_and_suppresses_nobody(tmp_path, smtp):  # noqa: F811
    config = sent_project(tmp_path, smtp)
    box = tmp_path / "proj" / "bounces"
    report = deliver(box, dsn(smtp.handler.mailbox[PEOPLE[0]][0], PEOPLE[0]))
    dry = invoke("send", "--config", str(config), "--date", DAY1, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert suppressed(config) == {}
    assert report.exists()  # still new, still unread
    real = invoke("send", "--config", str(config), "--date", DAY1)
    assert real.exit_code == 0, real.output
    assert suppressed(config) == {PEOPLE[0]: (None, "bounced")}
    assert not report.exists()
