"""`digest check`: the preflight on issues built from real templates, and `digest send`
refusing an issue that fails it. SpamAssassin's part is in test_spamassassin.py."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import STORY, write_config, write_json_article
from localserver import LocalServer, send
from smtp_server import PASSWORD, SmtpTestServer

from digest.cli import cli
from digest.delivery import dkim as signing

DATE = "2024-05-01"
IMAGE_ONLY = """<mjml><mj-body><mj-section><mj-column>
<mj-image src="https://example.org/today.png" alt="Today's news" />
{% if unsubscribe_url %}<mj-text><a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text>{% endif %}
</mj-column></mj-section></mj-body></mjml>"""
NO_UNSUBSCRIBE = ('{% extends "!default/newsletter.mjml" %}{% block footer %}'
                  '<mj-section><mj-column><mj-text>Bye.</mj-text></mj-column></mj-section>'
                  '{% endblock %}')
NO_UNSUBSCRIBE_TEXT = '{% extends "!default/newsletter.txt" %}{% block footer %}Bye.{% endblock %}'


def project(tmp_path, *, audience="", top="", templates=None, url="https://example.org/bridge",
            smtp="", dkim=True) -> str:
    folder = tmp_path / "proj"
    write_json_article(folder / "articles", "bridge.json", title="Council approves bridge",
                       text=STORY, date=DATE, url=url)
    if templates:
        (folder / "templates").mkdir(parents=True, exist_ok=True)
        for name, body in templates.items():
            (folder / "templates" / name).write_text(body, encoding="utf-8")
        top += '\ntemplates = "templates"\n'
    if dkim:
        key = folder / "s1.pem"
        if not key.exists():
            signing.write_key(key, signing.new_key_pair(1024)[0])  # 1024: a fast test key
        dkim_table = '[dkim]\ndomain = "example.org"\nselector = "s1"\nkey_file = "s1.pem"\n'
    else:
        dkim_table = ""
    config = write_config(folder, f"""
window = "day"
outbox = "out"
state = "state.sqlite3"
{top}

[[sources]]
name = "Local"
type = "folder"
path = "articles"

[audiences.daily]
from = "Daily Digest <digest@example.org>"
recipients = ["first@example.org", "second@example.org"]
unsubscribe_url = "https://example.org/unsubscribe"
{audience}

[check]
spamassassin = false   # test_spamassassin.py scores; here every run would take seconds

{dkim_table}
{smtp}
""")
    result = CliRunner().invoke(cli, ["run", "--config", str(config), "--date", DATE])
    assert result.exit_code == 0, result.output
    return str(config)


def check(config, *args):
    return CliRunner().invoke(cli, ["check", "--config", config, "--date", DATE, *args])


def checks_of(result) -> dict[str, dict]:
    data = json.loads(result.stdout)  # warnings go to stderr
    assert len(data["audiences"]) == 1
    return {c["name"]: c for c in data["audiences"][0]["checks"]}


def test_the_default_templates_pass(tmp_path):
    config = project(tmp_path)
    result = check(config, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True and data["audiences"][0]["recipient"] == "first@example.org"
    checks = checks_of(result)
    assert {name: c["status"] for name, c in checks.items()} == {
        "dkim-key": "pass", "html-size": "pass", "text-part": "pass", "message-id-date": "pass",
        "images": "pass", "links": "pass", "list-unsubscribe": "pass", "dkim-aligned": "pass",
        "dkim-verifies": "pass", "bulk-sender": "pass", "address-in-links": "pass"}
    lines = check(config)
    assert lines.exit_code == 0
    assert "ok   dkim-verifies: signature verifies (s1._domainkey.example.org)" in lines.output


def test_an_image_only_template_fails_and_says_why(tmp_path):
    config = project(tmp_path, templates={"newsletter.mjml": IMAGE_ONLY})
    result = check(config, "--json")
    assert result.exit_code == 1
    checks = checks_of(result)
    assert checks["images"]["status"] == "fail"
    assert "image-only" in checks["images"]["detail"]
    assert [n for n, c in checks.items() if c["status"] == "fail"] == ["images"]
    lines = check(config)
    assert lines.exit_code == 1
    assert "FAIL images: image-only: 1 image(s)" in lines.output
    assert "Error: checks failed: daily: images" in lines.output


def test_a_template_without_the_unsubscribe_link_fails(tmp_path):
    config = project(tmp_path, templates={"newsletter.mjml": NO_UNSUBSCRIBE,
                                          "newsletter.txt": NO_UNSUBSCRIBE_TEXT})
    result = check(config, "--json")
    assert result.exit_code == 1
    bulk = checks_of(result)["bulk-sender"]
    assert bulk["status"] == "fail" and "a visible unsubscribe link" in bulk["detail"]


def test_no_list_unsubscribe_or_one_click(tmp_path):
    config = project(tmp_path, audience='unsubscribe_mailto = "leave@example.org"')
    # the mailto is added beside the https URL: still one-click
    assert check(config).exit_code == 0
    bare = project(tmp_path / "b")
    text = open(bare).read().replace('unsubscribe_url = "https://example.org/unsubscribe"\n', "")
    open(bare, "w").write(text)
    CliRunner().invoke(cli, ["run", "--config", bare, "--date", DATE])
    checks = checks_of(check(bare, "--json"))
    assert checks["list-unsubscribe"]["status"] == "fail"
    assert "no List-Unsubscribe header" in checks["list-unsubscribe"]["detail"]
    mailto = open(bare).read().replace('[check]', 'unsubscribe_mailto = "leave@example.org"\n\n'
                                                  '[check]')
    open(bare, "w").write(mailto)
    CliRunner().invoke(cli, ["run", "--config", bare, "--date", DATE])
    checks = checks_of(check(bare, "--json"))
    assert checks["list-unsubscribe"]["status"] == "warning"
    assert "without one-click" in checks["list-unsubscribe"]["detail"]
    assert checks["bulk-sender"]["status"] == "warning"


def test_an_address_in_the_unsubscribe_url_is_a_warning(tmp_path):
    config = project(tmp_path, audience="")
    text = open(config).read().replace('"https://example.org/unsubscribe"',
                                       '"https://example.org/unsubscribe?email={email}"')
    open(config, "w").write(text)
    CliRunner().invoke(cli, ["run", "--config", config, "--date", DATE])
    result = check(config, "--json")
    assert result.exit_code == 0  # a warning, not a failure
    found = checks_of(result)["address-in-links"]
    # the footer link and the List-Unsubscribe header
    assert found["status"] == "warning" and found["data"]["count"] == 2
    assert "first%40example.org" in found["detail"]


def test_dkim_not_aligned_with_from_fails(tmp_path):
    config = project(tmp_path)
    text = open(config).read().replace('domain = "example.org"', 'domain = "other.example"')
    open(config, "w").write(text)
    checks = checks_of(check(config, "--json"))
    assert checks["dkim-aligned"]["status"] == "fail"
    assert "From is @example.org but [dkim] signs as other.example" in \
        checks["dkim-aligned"]["detail"]
    assert checks["dkim-verifies"]["status"] == "pass"  # signed fine, just not aligned


def test_unsigned_is_a_warning_and_a_missing_key_a_failure(tmp_path):
    checks = checks_of(check(project(tmp_path, dkim=False), "--json"))
    assert checks["dkim-aligned"]["status"] == "warning"
    assert checks["bulk-sender"]["status"] == "warning"
    assert "DKIM authentication" in checks["bulk-sender"]["detail"]
    config = project(tmp_path / "k")
    key = tmp_path / "k" / "proj" / "s1.pem"
    key.chmod(0o644)
    result = check(config, "--json")
    assert result.exit_code == 0
    assert checks_of(result)["dkim-key"]["status"] == "warning"
    assert "readable by others" in checks_of(result)["dkim-key"]["detail"]
    key.unlink()
    result = check(config, "--json")
    assert result.exit_code == 1
    assert checks_of(result)["dkim-key"]["status"] == "fail"


def test_html_past_gmails_clip_fails(tmp_path):
    padded = ('{% extends "!default/newsletter.mjml" %}{% block preheader %}'
              '{{ "padding " * 14000 }}{% endblock %}')
    checks = checks_of(check(project(tmp_path, templates={"newsletter.mjml": padded}), "--json"))
    assert checks["html-size"]["status"] == "fail"
    assert checks["html-size"]["data"]["bytes"] > 102 * 1024


def test_a_link_that_is_not_http_fails(tmp_path):
    bad = ('{% extends "!default/newsletter.mjml" %}{% block greeting %}'
           '<p><a href="javascript:alert(1)">Hi</a></p>{% endblock %}')
    checks = checks_of(check(project(tmp_path, templates={"newsletter.mjml": bad}), "--json"))
    assert checks["links"]["status"] == "fail" and "javascript:alert(1)" in \
        checks["links"]["detail"]


def test_links_that_do_not_answer_are_named(tmp_path):
    web = LocalServer()
    web.routes["/bridge"] = lambda handler, n: send(handler, 200, b"<html>ok</html>")
    try:
        config = project(tmp_path, url=web.url("/gone"))
        checks = checks_of(check(config, "--json", "--links"))
        assert checks["links-answer"]["status"] == "warning"
        assert "/gone: HTTP 404" in checks["links-answer"]["detail"]
        ok = project(tmp_path / "ok", url=web.url("/bridge"))
        text = open(ok).read().replace('unsubscribe_url = "https://example.org/unsubscribe"',
                                       f'unsubscribe_url = "{web.url("/bridge")}"')
        open(ok, "w").write(text)
        CliRunner().invoke(cli, ["run", "--config", ok, "--date", DATE])
        checks = checks_of(check(ok, "--json", "--links"))
        assert checks["links-answer"]["status"] == "pass", checks["links-answer"]
        assert web.hits["/bridge"] >= 1
        assert "links-answer" not in checks_of(check(ok, "--json"))  # only with --links
    finally:
        web.close()


@pytest.fixture
def smtp(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", PASSWORD)
    server = SmtpTestServer(tmp_path).start()
    yield server
    server.stop()


def test_send_refuses_an_issue_that_fails_the_check(tmp_path, smtp):
    config = project(tmp_path, templates={"newsletter.mjml": IMAGE_ONLY},
                     smtp=smtp.smtp_config())
    runner = CliRunner()
    refused = runner.invoke(cli, ["send", "--config", config, "--date", DATE])
    assert refused.exit_code == 1
    assert "the issue fails `digest check` (images: image-only" in refused.output
    assert "not sending (--force sends anyway)" in refused.output
    assert smtp.handler.copies() == {}
    sent = runner.invoke(cli, ["send", "--config", config, "--date", DATE, "--no-check"])
    assert sent.exit_code == 0, sent.output
    assert smtp.handler.copies() == {"first@example.org": 1, "second@example.org": 1}
    again = runner.invoke(cli, ["send", "--config", config, "--date", DATE, "--force"])
    assert again.exit_code == 0, again.output
    assert smtp.handler.copies() == {"first@example.org": 2, "second@example.org": 2}


def test_send_goes_ahead_when_the_check_passes(tmp_path, smtp):
    config = project(tmp_path, smtp=smtp.smtp_config())
    result = CliRunner().invoke(cli, ["send", "--config", config, "--date", DATE])
    assert result.exit_code == 0, result.output
    assert smtp.handler.copies() == {"first@example.org": 1, "second@example.org": 1}


def test_links_are_asked_with_head_a_few_at_a_time(tmp_path):
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen = {"methods": [], "in_flight": 0, "most": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_HEAD(self):
            with lock:
                seen["methods"].append((self.command, self.path))
                seen["in_flight"] += 1
                seen["most"] = max(seen["most"], seen["in_flight"])
            time.sleep(0.15)
            with lock:
                seen["in_flight"] -= 1
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        config = project(tmp_path, url=f"{base}/bridge")
        folder = tmp_path / "proj"
        topics = ["orchards", "railways", "glaciers", "libraries", "vaccines", "harbours",
                  "elections"]
        for i, topic in enumerate(topics):
            write_json_article(
                folder / "articles", f"more{i}.json", title=f"A report on {topic}",
                text=f"Experts met on Monday to discuss {topic} in region {i}. "
                     f"The {topic} study took {i + 3} years and cost {i + 2} thousand euros. "
                     f"Critics of the {topic} plan asked for a vote.", date=DATE,
                url=f"{base}/story/{i}")
        text = open(config).read()
        text = text.replace("[check]\n", "[check]\nlinks_concurrency = 2\n")
        text = text.replace('"https://example.org/unsubscribe"', f'"{base}/unsubscribe"')
        open(config, "w").write(text)
        assert CliRunner().invoke(cli, ["run", "--config", config, "--date", DATE]).exit_code == 0
        checks = checks_of(check(config, "--json", "--links"))
        assert checks["links-answer"]["status"] == "pass", checks["links-answer"]
        assert checks["links-answer"]["data"]["links"] == 9  # 8 stories and the unsubscribe
        assert {m for m, _ in seen["methods"]} == {"HEAD"}
        assert len({p for _, p in seen["methods"]}) == 9
        assert 1 <= seen["most"] <= 2
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_link_to_an_anchor_of_the_message_passes_and_a_dangling_one_fails(tmp_path):
    inside = ('{% extends "!default/newsletter.mjml" %}{% block greeting %}'
              '<p><a href="#here">Jump</a><a id="here" name="here"></a></p>{% endblock %}')
    checks = checks_of(check(project(tmp_path / "a", templates={"newsletter.mjml": inside}),
                             "--json"))
    assert checks["links"]["status"] == "pass"
    dangling = inside.replace('id="here" name="here"', 'id="elsewhere"')
    checks = checks_of(check(project(tmp_path / "b", templates={"newsletter.mjml": dangling}),
                             "--json"))
    assert checks["links"]["status"] == "fail" and "#here" in checks["links"]["detail"]
