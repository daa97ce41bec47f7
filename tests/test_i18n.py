"""Localised issues: every shipped locale renders without an English fixed word, with its own
quotation marks; a missing translation falls back to English, never to an error."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from digest.delivery.personalize import greeting
from digest.models import Article, Quote
from digest.rendering import make_environment, render
from digest.rendering.i18n import (
    LOCALES_DIR,
    SETTING_DEFAULTS,
    format_number,
    quote_marks,
    shipped_locales,
    translations,
)
from digest.settings.schema import Audience, Branding

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ["en", "fr", "de", "es", "it", "pt", "nl"]
MARKS = {"fr": ("«\u202f", "\u202f»"), "de": ("„", "“"), "en": ("“", "”"), "es": ("«", "»")}


def _catalog(lang: str):
    with open(LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=lang)


def _key(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _english_fragments() -> set[str]:
    """The words of every English message, placeholders taken out ("Made with", "stories")."""
    fragments = set()
    for message in _catalog("en"):
        if not message.id:
            continue
        for msgid in (message.id if isinstance(message.id, tuple) else (message.id,)):
            for piece in re.split(r"%\(\w+\)s|\{\{.*?\}\}|\{\w+\}", msgid):
                piece = piece.strip(" .,:")
                if len(piece) >= 4:
                    fragments.add(piece)
    return fragments


def _issue(locale: str, **audience_fields):
    article = Article(
        title="Un titre", text="Texte.", source="Wikinews", url="https://example.org/a",
        published=dt.date(2024, 5, 1), summary=["Une phrase du résumé."],
        quotes=[Quote(text="Nous avons gagné", speaker="Marie Curie", role="physicienne")],
        also_in=["Le Monde"], follows=dt.date(2024, 4, 30),
    )
    second = replace(article, url="https://example.org/b", also_in=[], quotes=[], follows=None)
    audience = Audience(name="readers", locale=locale, unsubscribe_url="https://example.org/u",
                        **audience_fields)
    env = make_environment([], locale)
    return render(env, dt.date(2024, 5, 1), audience, [article, second]), audience


def test_every_language_asked_for_is_shipped():
    assert set(LOCALES) <= set(shipped_locales())


@pytest.mark.parametrize("lang", [lang for lang in LOCALES if lang != "en"])
def test_every_message_is_translated(lang):
    catalog = _catalog(lang)
    missing = [m.id for m in catalog if m.id and (not m.string or not all(m.string)
                                                  if isinstance(m.string, tuple)
                                                  else not m.string)]
    assert missing == []


@pytest.mark.parametrize("lang", LOCALES)
def test_compiled_catalog_matches_its_source(lang):
    """The committed .mo is the .po compiled (`pybabel compile`, docs/localisation.md)."""
    with open(LOCALES_DIR / lang / "LC_MESSAGES" / "messages.mo", "rb") as handle:
        # (an untranslated plural is compiled as its English forms: the same fallback)
        compiled = {_key(m.id): _key(m.string) for m in read_mo(handle)
                    if m.id and _key(m.string) != _key(m.id)}
    # a translation the same as its English ("Sport") reads the same compiled or not
    source = {_key(m.id): _key(m.string) for m in _catalog(lang) if m.id and m.string and (
        all(m.string) if isinstance(m.string, tuple) else True)
        and _key(m.string) != _key(m.id)}
    assert compiled == source


def test_catalog_holds_every_string_the_templates_mark():
    babel_extract = pytest.importorskip("babel.messages.extract")
    found = set()
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        from babel.messages.frontend import parse_mapping_cfg

        method_map, options_map = parse_mapping_cfg(handle)
    for _, _, message, _, _ in babel_extract.extract_from_dir(
            str(ROOT), method_map, options_map, keywords={
                **babel_extract.DEFAULT_KEYWORDS, "N_": None}):
        found.add(message if isinstance(message, str) else message[0])
    catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog("en") if m.id}
    assert found == catalog


@pytest.mark.parametrize("lang", [lang for lang in LOCALES if lang != "en"])
def test_a_localised_issue_has_no_english_fixed_string(lang):
    issue, _ = _issue(lang)
    subject, html, text = issue.filled({"greeting": greeting(_issue(lang)[1], ""),
                                        "unsubscribe_url": "https://example.org/u"})
    catalog = _catalog(lang)
    translated = " ".join(" ".join(m.string) if isinstance(m.string, tuple) else m.string
                          for m in catalog if m.id)
    for fragment in _english_fragments():
        if fragment in translated:  # the same word in this language ("Artikel"...)
            continue
        for part, content in (("subject", subject), ("html", html), ("text", text)):
            assert fragment not in content, f"{lang} {part}: English {fragment!r} left"
    opening, closing = quote_marks(lang)
    assert f"{opening}Nous avons gagné{closing}" in text
    assert "Nous avons gagné" in html and opening.strip() in html
    # a translated message is really there, in both parts
    assert translations(lang).gettext("Read the full story") in html.replace("&#39;", "'")
    assert translations(lang).ngettext("%(n)s story", "%(n)s stories", 2) % {"n": 2} in text


def test_english_issue_reads_as_before():
    issue, audience = _issue("en")
    subject, html, text = issue.filled({})
    assert subject == "Daily digest for 2024-05-01"
    assert "Read the full story" in html and "2 stories" in text
    assert "“Nous avons gagné”" in text and "Also in: Le Monde" in text
    assert "[Update] Follows the issue of Tuesday, April 30, 2024" in text
    assert html.count("Follows the issue of") == 1
    assert greeting(audience, "Ann") == "Hello Ann,"


@pytest.mark.parametrize("lang", sorted(MARKS))
def test_quotation_marks_follow_the_locale(lang):
    assert quote_marks(lang) == MARKS[lang]
    assert quote_marks(lang + "_" + {"fr": "CA", "de": "AT", "en": "GB", "es": "MX"}[lang])[0] \
        .strip() == MARKS[lang][0].strip()


def test_numbers_follow_the_locale():
    assert format_number(12345, "en") == "12,345"
    assert format_number(12345, "fr_FR") == "12\u202f345"
    assert format_number(12345, "de") == "12.345"


def test_a_locale_without_catalog_falls_back_to_english():
    issue, _ = _issue("ja")
    subject, html, text = issue.filled({})
    assert "Read the full story" in html and "2 stories" in text
    assert subject == "Daily digest for 2024-05-01"


def test_region_falls_back_to_its_language():
    issue, audience = _issue("fr_CA")
    subject, html, _ = issue.filled({})
    assert subject == "Revue du jour du 2024-05-01"
    assert greeting(audience, "Ann") == "Bonjour Ann,"


def test_a_configured_value_is_never_translated():
    issue, audience = _issue("fr", subject="Nouvelles du {{ date }}", greeting="Salut {name} !",
                             branding=Branding(name="Le Petit Journal", unsubscribe_text="Stop"))
    subject, html, _ = issue.filled({})
    assert subject == "Nouvelles du 2024-05-01"
    assert "Le Petit Journal" in html and "Revue du jour" not in html
    assert greeting(audience, "Ann") == "Salut Ann !"


def test_setting_defaults_are_the_schema_defaults():
    assert SETTING_DEFAULTS == (Branding.name, Branding.unsubscribe_text, Audience.subject,
                                Audience.greeting)


def _user_catalog(folder: Path, lang: str, messages: dict[str, str]) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale=lang)
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    target = folder / "locales" / lang / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "messages.mo", "wb") as handle:
        write_mo(handle, catalog)


def test_user_template_trans_with_its_own_catalog_and_fallback(tmp_path):
    (tmp_path / "box.txt").write_text(
        "{% trans %}Good morning{% endtrans %}|{% trans %}Not translated{% endtrans %}|"
        "{{ _('Read the full story') }}", encoding="utf-8")
    _user_catalog(tmp_path, "fr", {"Good morning": "Bonjour", "Read the full story": "Lire"})
    env = make_environment([tmp_path], "fr_FR")
    # the user's message, English for the one nobody translated, the user's over ours
    assert env.get_template("box.txt").render() == "Bonjour|Not translated|Lire"
    # another language without the user's catalog: ours, then English
    env = make_environment([tmp_path], "de")
    assert env.get_template("box.txt").render() == \
        "Good morning|Not translated|Ganzen Artikel lesen"


def test_a_broken_locale_never_raises():
    assert translations("xx_not_a_locale").gettext("Links") == "Links"
    assert quote_marks("??") == ("“", "”")


def test_the_built_in_section_names_are_in_the_catalogs():
    from digest.rendering.i18n import SECTION_NAMES, section_name
    from digest.topics import MORE_NEWS
    from digest.topics import SECTION_NAMES as TOPIC_NAMES

    assert set(SECTION_NAMES) == set(TOPIC_NAMES) | {MORE_NEWS}
    assert section_name("Politics", "fr_FR") == "Politique"
    assert section_name("More news", "de") == "Weitere Nachrichten"
    assert section_name("Brexit", "fr") == "Brexit"  # a found phrase stays as it is
