"""The one context both templates receive (documented in docs/templates.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import digest
from digest.models import Article, Topic
from digest.rendering.i18n import gettext, quote_marks, section_name


class Record(dict):
    """A dict of the context whose keys also read as attributes.

    Jinja's `article.title` asks for the attribute first and for the key only when that
    fails: on a plain dict every such lookup raised and caught an AttributeError (about
    160,000 in the two issues of a 1,700-story day). A dict's own attributes (`items`,
    `keys`) still win, as they do on a plain dict, and a missing key is still undefined.
    """

    __slots__ = ()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def locale_info(locale: str) -> tuple[str, str]:
    """(lang, dir) for the HTML of a locale such as "fr_CA" or "ar"."""
    from babel import Locale

    parsed = Locale.parse(locale.replace("-", "_"))
    direction = "rtl" if parsed.character_order == "right-to-left" else "ltr"
    return str(parsed).replace("_", "-"), direction


def long_date(date: dt.date, locale: str) -> str:
    from babel.dates import format_date

    return format_date(date, format="full", locale=locale.replace("-", "_"))


def translated_default(settings, key: str, locale: str) -> str:
    """A setting's value, translated when it is still the built-in English default.

    ("Daily digest", "Unsubscribe", the subject and the greeting: a value the user wrote is
    theirs and stays as written.)
    """
    value = getattr(settings, key)
    default = getattr(type(settings), key, None)
    return gettext(locale, value) if value == default else value


def _follow_up(article: Article, locale: str,
               page_of: Callable[[dt.date], str] | None = None) -> dict | None:
    """The earlier issue a follow-up continues: its date (ISO and written out) and the link
    to its archive page (`page_of(date)`; "" when the audience has no public archive)."""
    if article.follows is None:
        return None
    return Record(date=article.follows.isoformat(), date_long=long_date(article.follows, locale),
                  link=page_of(article.follows) if page_of else "")


def build_context(
    date: dt.date, audience, articles: list[Article], topics: list[Topic] | None = None,
    web_url: str = "", page_of: Callable[[dt.date], str] | None = None,
) -> dict:
    """The one context both templates receive (documented in docs/templates.md).

    `sections` holds the topics in issue order, each with its articles (the same dicts as
    in `articles`); without topics, one unnamed section holds every article. `web_url` is
    the issue's page in the public archive ("" when it has none).
    """
    items = [
        Record(
            number=i,
            title=a.title,
            source=a.source,
            link=a.url,
            author=a.author,
            date=a.published.isoformat() if a.published else "",
            summary=list(a.summary),
            quotes=[Record(text=q.text, speaker=q.speaker, role=q.role) for q in a.quotes],
            also_in=list(a.also_in),
            follow_up=_follow_up(a, audience.locale, page_of),
            # the target of the "In this issue" links: plain #id links to an element with
            # both id and name work in Gmail, Apple Mail and Outlook on the web
            anchor=f"n{i}",
        )
        for i, a in enumerate(articles, start=1)
    ]
    lang, direction = locale_info(audience.locale)
    brand = audience.branding
    quote_open, quote_close = quote_marks(audience.locale)
    by_id = {id(a): item for a, item in zip(articles, items)}
    if topics:
        sections = [Record(name=section_name(t.name, audience.locale),
                           articles=[by_id[id(a)] for a in t.articles if id(a) in by_id])
                    for t in topics]
    else:
        sections = [Record(name="", articles=items)] if items else []
    return {
        "date": date.isoformat(),
        "date_long": long_date(date, audience.locale),
        "lang": lang,
        "dir": direction,
        "audience": Record(name=audience.name),
        "brand": Record(
            name=translated_default(brand, "name", audience.locale),
            color=brand.color,
            accent_color=brand.accent_color,
            background_color=brand.background_color,
            logo_url=brand.logo_url,
            footer=brand.footer,
            unsubscribe_text=translated_default(brand, "unsubscribe_text", audience.locale),
        ),
        "articles": items,
        "sections": [s for s in sections if s["articles"]],
        "article_count": len(items),
        "contents": _contents(sections, len(items), getattr(audience, "contents_over", 10)),
        "top_headline": items[0]["title"] if items else "",
        "generator": f"digest {digest.__version__}",
        "web_url": web_url,
        "quote_open": quote_open,
        "quote_close": quote_close,
    }


def _contents(sections: list[dict], count: int, over: int) -> list[dict]:
    """"In this issue": the sections and their headlines, for an issue of more than `over`
    stories (none otherwise); a section without a name (an undivided issue) lists its
    headlines under no heading."""
    if count <= over:
        return []
    return [Record(name=s["name"], articles=s["articles"]) for s in sections if s["articles"]]
