"""One config, several newsletters: subjects, lengths, branding, locales, template overrides."""

import datetime as dt
import email
from email import policy

import pytest

from digest.errors import ConfigError
from digest.pipeline import run
from digest.settings import load_settings

DAY = dt.date(2024, 5, 1)


def add_to_config(config, text):
    config.write_text(config.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_two_audiences_differ_in_subject_length_and_branding(project):
    config, _ = project
    issues = {i.audience: i for i in run(load_settings(config), date=DAY)}
    general, experts = issues["general"], issues["experts"]
    assert general.subject == "News for 2024-05-01"
    assert experts.subject == "Briefing 2024-05-01"
    assert len(general.articles[0].summary) == 2 and len(experts.articles[0].summary) == 3
    assert "Expert briefing" in experts.html and "Expert briefing" not in general.html
    assert "#5a1f3a" in experts.html and "#5a1f3a" not in general.html


def experts_templates(project, monkeypatch, pooled: bool, files: dict[str, str]):
    """The project's config, its experts audience given a template folder of `files`; with
    `pooled`, a day big enough for the process pool (the threshold lowered to one)."""
    if pooled:
        from digest import articlework

        monkeypatch.setattr(articlework, "POOL_THRESHOLD", 1)
    config, _ = project
    overrides = config.parent / "experts-templates"
    overrides.mkdir()
    for name, content in files.items():
        (overrides / name).write_text(content, encoding="utf-8")
    text = config.read_text(encoding="utf-8").replace(
        '[audiences.experts]\n', '[audiences.experts]\ntemplate_dir = "experts-templates"\n')
    config.write_text(text, encoding="utf-8")
    return config


@pytest.mark.parametrize("pooled", [False, True])
def test_template_dir_override_takes_effect_for_its_audience_only(project, monkeypatch, pooled):
    """Also on a big day, its summaries and quotes made in a process pool."""
    config = experts_templates(project, monkeypatch, pooled, {
        "newsletter.txt": '{% extends "!default/newsletter.txt" %}'
                          "{% block header %}EXPERTS ONLY {{ date }}\n{% endblock %}",
        "article.mjml": "<h3>{{ article.title }} (expert view)</h3>"})
    issues = {i.audience: i for i in run(load_settings(config), date=DAY)}
    assert issues["experts"].text.startswith("EXPERTS ONLY 2024-05-01")
    assert "Council approves bridge (expert view)" in issues["experts"].html
    # the rest of the default text template is still there
    assert "Links" in issues["experts"].text
    assert "EXPERTS ONLY" not in issues["general"].text
    assert "(expert view)" not in issues["general"].html


def test_subject_from_article_text_never_breaks_a_header(project):
    config, articles = project
    from conftest import write_json_article

    write_json_article(articles, "aaa.json", title="Hello\r\nBcc: victim@example.org\x07",
                       date="2024-05-01", url="https://example.org/h")
    text = config.read_text(encoding="utf-8").replace(
        'subject = "News for {{ date }}"', 'subject = "News: {{ top_headline }}"')
    config.write_text(text, encoding="utf-8")
    issues = {i.audience: i for i in run(load_settings(config), date=DAY)}
    msg = email.message_from_bytes(open(issues["general"].files[".eml"], "rb").read(),
                                   policy=policy.default)
    assert msg["Bcc"] is None
    assert msg["Subject"].startswith("News: ")
    assert "\n" not in msg["Subject"] and "\r" not in msg["Subject"] and "\x07" not in msg["Subject"]


def test_locale_sets_date_language_and_direction(project):
    config, _ = project
    text = config.read_text(encoding="utf-8")
    text = text.replace('[audiences.general]\n', '[audiences.general]\nlocale = "fr_FR"\n')
    text = text.replace('[audiences.experts]\n', '[audiences.experts]\nlocale = "ar"\n')
    config.write_text(text, encoding="utf-8")
    issues = {i.audience: i for i in run(load_settings(config), date=DAY)}
    assert '<html lang="fr-FR" dir="ltr"' in issues["general"].html
    assert "mercredi 1 mai 2024" in issues["general"].html
    assert '<html lang="ar" dir="rtl"' in issues["experts"].html


def test_logo_has_alt_text(project):
    config, _ = project
    add_to_config(config, 'logo_url = "https://example.org/logo.png"\n')  # experts.branding
    issues = {i.audience: i for i in run(load_settings(config), date=DAY)}
    html = issues["experts"].html
    assert 'src="https://example.org/logo.png"' in html
    assert 'alt="Expert briefing"' in html


@pytest.mark.parametrize("line, message", [
    ('accent_color = "red; background:url(x)"',
     "'audiences.experts.branding.accent_color' must be a colour"),
    ('logo_url = "javascript:alert(1)"', "'audiences.experts.branding.logo_url' must be an http"),
    ('unknown = 1', "'audiences.experts.branding.unknown' is not a known setting"),
])
def test_branding_is_validated(project, line, message):
    config, _ = project
    add_to_config(config, line + "\n")
    with pytest.raises(ConfigError, match=message):
        load_settings(config)


def test_unknown_locale(project):
    config, _ = project
    text = config.read_text(encoding="utf-8").replace(
        '[audiences.general]\n', '[audiences.general]\nlocale = "xx_YY"\n')
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="'audiences.general.locale' is not a known locale"):
        load_settings(config)


def test_sixty_samples_stay_under_gmail_clipping(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIGEST_CONFIG", raising=False)
    issues = run(load_settings(), write=False)
    assert len(issues[0].articles) >= 60
    assert len(issues[0].html.encode("utf-8")) < 102 * 1024


@pytest.mark.parametrize("pooled", [False, True])
def test_a_broken_audience_template_names_its_file_and_line(project, monkeypatch, pooled):
    """The same on a big day, its summaries and quotes made in a process pool."""
    from digest.errors import TemplateError

    config = experts_templates(project, monkeypatch, pooled,
                               {"newsletter.txt": "line one\n{{ no_such_name }}\n"})
    with pytest.raises(TemplateError) as info:
        run(load_settings(config), date=DAY)
    assert str(info.value) == "template newsletter.txt, line 2: 'no_such_name' is undefined"
