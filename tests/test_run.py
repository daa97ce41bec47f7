"""`digest run` end to end: files in the outbox, parseable mail, escaping, windows."""

import datetime as dt
import email
import os
from email import policy

from click.testing import CliRunner
from conftest import write_json_article

from digest.cli import cli
from digest.pipeline import run
from digest.settings import load_settings

PROMO = "Download our blog"
REPEATED = "On Monday, the Kremlin said Putin would provide Xi"


def parse_eml(path):
    with open(path, "rb") as handle:
        return email.message_from_binary_file(handle, policy=policy.default)


def test_bare_run_in_an_empty_folder_uses_the_bundled_samples(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIGEST_CONFIG", raising=False)
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == 0, result.output
    days = list((tmp_path / "outbox").iterdir())
    assert len(days) == 1
    files = sorted(p.name for p in days[0].iterdir())
    assert files == ["general.eml", "general.html", "general.txt"]
    html = (days[0] / "general.html").read_text(encoding="utf-8")
    text = (days[0] / "general.txt").read_text(encoding="utf-8")
    raw = (days[0] / "general.eml").read_bytes()
    msg = parse_eml(days[0] / "general.eml")
    # the whole sample set: 60 Wikinews articles and the blog post
    assert html.count("Read the full story") == 60
    for content in (html, text, msg.get_body(("plain",)).get_content(),
                    msg.get_body(("html",)).get_content()):
        assert PROMO not in content
        assert content.count(REPEATED) <= 1
    assert b"Download our blog" not in raw
    assert "Xi Jinping" in text
    # 72 columns, apart from a link that is longer on its own
    assert all(len(line) <= 72 for line in text.splitlines() if "http" not in line)


def test_eml_is_multipart_alternative_text_then_html(project):
    config, _ = project
    issues = run(load_settings(config), date=dt.date(2024, 5, 1))
    general = next(i for i in issues if i.audience == "general")
    msg = parse_eml(general.files[".eml"])
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    assert msg["Subject"] == "News for 2024-05-01"
    assert msg["From"] == "Digest <digest@example.org>"
    assert msg["To"] == "reader@example.org"
    assert msg["Date"] and msg["Message-ID"].endswith("@example.org>")
    assert parts[0].get_content() == open(general.files[".txt"], encoding="utf-8").read()
    assert "Council approves bridge" in parts[1].get_content()


def test_date_picks_the_day_and_audiences_differ(project):
    config, _ = project
    settings = load_settings(config)
    issues = {i.audience: i for i in run(settings, date=dt.date(2024, 5, 2))}
    assert [a.title for a in issues["general"].articles] == ["Storm hits coast"]
    assert issues["general"].subject == "News for 2024-05-02"
    assert issues["experts"].subject == "Briefing 2024-05-02"
    assert len(issues["general"].articles[0].summary) == 2
    assert len(issues["experts"].articles[0].summary) == 3
    assert "Expert briefing" in issues["experts"].html
    out = settings.outbox / "2024-05-02"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{a}{s}" for a in ("general", "experts") for s in (".html", ".txt", ".eml"))


def test_audience_option_selects_one(project):
    config, _ = project
    result = CliRunner().invoke(cli, ["run", "--config", str(config), "--date", "2024-05-01",
                                      "--audience", "experts"])
    assert result.exit_code == 0, result.output
    out = load_settings(config).outbox / "2024-05-01"
    assert sorted(p.name for p in out.iterdir()) == ["experts.eml", "experts.html",
                                                     "experts.txt"]


def test_article_text_never_becomes_markup(project):
    config, articles = project
    write_json_article(articles, "evil.json", title="<script>alert(1)</script>",
                       text='Text with <b>tags</b> & "quotes". Another <img src=x onerror=y> line.',
                       date="2024-05-01", url="https://example.org/x?a=1&b=<2>")
    issues = run(load_settings(config), date=dt.date(2024, 5, 1), audiences=["general"])
    html = issues[0].html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<b>tags</b>" not in html
    # the plain-text part shows the title as written
    assert "<script>alert(1)</script>" in issues[0].text


def test_rebuilding_the_same_day_gives_the_same_files(project):
    config, _ = project
    settings = load_settings(config)
    now = dt.datetime(2024, 5, 1, 6, 0, tzinfo=dt.timezone.utc)
    first = run(settings, date=dt.date(2024, 5, 1), now=now)
    blobs = {k: open(v, "rb").read() for i in first for k, v in i.files.items()}
    second = run(settings, date=dt.date(2024, 5, 1), now=now)
    assert blobs == {k: open(v, "rb").read() for i in second for k, v in i.files.items()}


def test_no_temporary_files_are_left(project):
    config, _ = project
    settings = load_settings(config)
    run(settings, date=dt.date(2024, 5, 1))
    leftovers = [n for _, _, names in os.walk(settings.outbox) for n in names
                 if n.endswith(".tmp")]
    assert leftovers == []


def test_the_text_parts_wrapping_is_textwraps_fill():
    """`wrap` skips textwrap for a paragraph that fits and caches the rest: what it gives must
    still be textwrap's fill, for short, long, empty, indented and unbreakable paragraphs."""
    import random
    import textwrap

    from digest.rendering.templates import wrap

    rng = random.Random(7)
    pieces = ["a", "bb", "ccc", "hello", "https://example.org/" + "x" * 80, "«\u00a0oui\u00a0»",
              "", "  ", "\t", "word-with-hyphen", "\n"]
    for _ in range(3000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        width = rng.choice([10, 20, 72])
        indent = rng.choice(["", "  ", "    "])
        first = rng.choice([None, "", "1. ", "   - "])
        expected = textwrap.fill(" ".join(text.split(None)) if "\u00a0" not in text else
                                 " ".join(t for t in text.replace("\u00a0", "\0").split()
                                          ).replace("\0", "\u00a0"),
                                 width=width, initial_indent=indent if first is None else first,
                                 subsequent_indent=indent, break_long_words=False,
                                 break_on_hyphens=False)
        assert wrap(text, width, indent, first) == expected, (text, width, indent, first)


def test_run_leaves_the_garbage_collector_as_it_found_it(project, monkeypatch):
    """run() freezes what it gathered for the collector's sake, and unfreezes it at the end,
    also when it fails: a program that calls it again and again keeps nothing frozen."""
    import gc

    config, _ = project
    frozen = []
    real_freeze = gc.freeze
    monkeypatch.setattr(gc, "freeze",
                        lambda: (real_freeze(), frozen.append(gc.get_freeze_count())))
    run(load_settings(config), date=dt.date(2024, 5, 1))
    assert frozen and frozen[0] > 0  # it did freeze the objects of the run
    assert gc.get_freeze_count() == 0

    from digest import pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("template trouble")

    monkeypatch.setattr(pipeline, "_render_all", broken)
    try:
        run(load_settings(config), date=dt.date(2024, 5, 1))
    except RuntimeError:
        pass
    assert gc.get_freeze_count() == 0
