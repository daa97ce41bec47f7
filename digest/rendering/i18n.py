"""Translations of the templates' fixed words, after MkDocs' `localization.py`.

The default templates mark their fixed strings with `{% trans %}` and `_()`; Jinja's i18n
extension looks them up in a Babel message catalog for the audience's locale. The catalogs
live in `digest/rendering/locales/<lang>/LC_MESSAGES/messages.po` (the source) and `.mo`
(compiled, committed beside it, so both an editable install and a wheel find them; see
docs/localisation.md to update them). A user's template folder may hold a `locales/` folder of
its own: its messages are merged over the built-in ones, so a user template can use
`{% trans %}` with its own words.

A missing catalog or a missing message falls back to the English source string, never to an
error: "fr_CA" looks in fr_CA, then fr, then gives English.

`translations(locale, dirs)` is the reusable part: any Jinja environment (the archive pages,
the service pages) can `install_translations(env, locale)` and use the same catalogs.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import jinja2
from babel import Locale
from babel.support import NullTranslations, Translations

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).with_name("locales")
DOMAIN = "messages"
EXTENSION = "jinja2.ext.i18n"

# Quotation marks by locale, then language (CLDR's delimiters, which Babel does not ship);
# French typography puts a narrow no-break space inside « ». Others get “ ”.
_NNBSP = "\u202f"
_QUOTE_MARKS = {
    "fr": ("«" + _NNBSP, _NNBSP + "»"),
    "de": ("„", "“"), "de_CH": ("«", "»"),
    "es": ("«", "»"), "it": ("«", "»"),
    "pt": ("“", "”"), "pt_PT": ("«", "»"),
    "nl": ("‘", "’"),
    "ru": ("«", "»"), "pl": ("„", "”"), "cs": ("„", "“"), "sv": ("”", "”"),
    "da": ("“", "”"), "ja": ("「", "」"),
}


def _parse(locale: str) -> Locale | None:
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (ValueError, TypeError):
        return None


def shipped_locales() -> list[str]:
    """The languages with a built-in catalog ("de", "en", "es", ...)."""
    return sorted(p.parent.parent.name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))


@lru_cache(maxsize=64)
def _load(locale: str, dirs: tuple[Path, ...]) -> NullTranslations:
    parsed = _parse(locale)
    if parsed is None:
        return NullTranslations()
    # gettext expands "fr_FR" to fr_FR then fr; English is the source language, so English
    # (or a language without a catalog) is the strings as written
    names = [str(parsed)]
    merged: NullTranslations | None = None
    for folder in (LOCALES_DIR, *dirs):
        found = Translations.load(str(folder), names, DOMAIN)
        if not isinstance(found, Translations):
            continue
        if merged is None:
            merged = found
        else:
            # a later folder (the user's) wins over the built-in messages
            merged.merge(found)
    if merged is None:
        if parsed.language != "en":
            log.info("no translations for locale %s: the templates' words stay English", locale)
        return NullTranslations()
    return merged


def translations(locale: str, dirs: list[Path] | tuple[Path, ...] = ()) -> NullTranslations:
    """The translations for `locale`, the user's `<dir>/locales` catalogs over the built-in.

    Never raises: an unknown locale or a missing catalog gives the English strings.
    """
    folders = (Path(d) / "locales" for d in dirs if d is not None)
    user = tuple(folder for folder in folders if folder.is_dir())
    return _load(locale, user)


def install_translations(env: jinja2.Environment, locale: str,
                         dirs: list[Path] | tuple[Path, ...] = ()) -> None:
    """Give `env` the i18n extension and the translations for `locale` (`_`, `gettext`,
    `ngettext` and `{% trans %}` in its templates)."""
    if EXTENSION not in env.extensions and "jinja2.ext.InternationalizationExtension" \
            not in env.extensions:
        env.add_extension(EXTENSION)
    # newstyle: `_("%(n)s stories", n=3)` formats, and a translation is autoescaped like
    # any other value in the HTML template
    env.install_gettext_translations(translations(locale, dirs), newstyle=True)


def gettext(locale: str, message: str) -> str:
    """One message in `locale`, outside a template (the subject and greeting defaults)."""
    return translations(locale).gettext(message)


def quote_marks(locale: str) -> tuple[str, str]:
    """The opening and closing quotation marks of `locale`: « » in French, „ “ in German."""
    parsed = _parse(locale)
    if parsed is None:
        return "“", "”"
    for key in (f"{parsed.language}_{parsed.territory}", parsed.language):
        if key in _QUOTE_MARKS:
            return _QUOTE_MARKS[key]
    return "“", "”"


def format_number(value, locale: str) -> str:
    """A number written the locale's way: 12,345 in English, 12 345 in French."""
    from babel.numbers import format_decimal

    parsed = _parse(locale)
    try:
        return format_decimal(value, locale=parsed or "en")
    except (ValueError, TypeError):
        return str(value)


def N_(message: str) -> str:
    """Marks a string for the catalog (`pybabel extract`) without translating it here."""
    return message


# The English defaults of settings that speak the audience's language while unchanged
# (schema.py; `tests/test_i18n.py` keeps the two equal): translated where they are used.
SETTING_DEFAULTS = (
    N_("Daily digest"),  # Branding.name
    N_("Unsubscribe"),  # Branding.unsubscribe_text
    N_("{{ brand.name }} for {{ date }}"),  # Audience.subject, a template itself
    N_("Hello {name},"),  # Audience.greeting; "{name}" is the recipient's name
)


# The names of the built-in news sections (digest/topics/builtin_sections.toml) and of the
# last one, in the audience's language where a catalog has them; `tests/test_i18n.py` keeps
# this list equal to `digest.topics.SECTION_NAMES` and `MORE_NEWS`.
SECTION_NAMES = (
    N_("Politics"), N_("Business"), N_("Science and technology"), N_("Sport"),
    N_("Arts and entertainment"), N_("Health"), N_("Environment"), N_("Crime and justice"),
    N_("Conflict"), N_("Disasters"), N_("Education"), N_("Religion"), N_("Lifestyle"),
    N_("Weather"), N_("Society"), N_("Work and jobs"), N_("Human interest"), N_("More news"),
)
_SECTION_NAMES = frozenset(SECTION_NAMES)


def section_name(name: str, locale: str) -> str:
    """A built-in section's name in the audience's language; any other name as it is."""
    return gettext(locale, name) if name in _SECTION_NAMES else name
