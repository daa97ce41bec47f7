"""Who reads what: the `[audiences.<name>]` tables, their recipients and their branding.

An audience inherits the top-level summary and quote settings unless it sets its own.
"""

from __future__ import annotations

import re
from pathlib import Path

from digest.settings.checks import COLOR, EMAIL, is_email, locale
from digest.settings.schema import Audience, Branding
from digest.settings.topics import audience_sections
from digest.settings.values import Table, type_name
from digest.summaries import ALGORITHMS
from digest.topics import Section


def parse_audiences(top: Table, topics: tuple[Section, ...], *, algorithm: str, sentences: int,
                    quotes: int) -> dict[str, Audience]:
    """`[audiences.<name>]`, at least one; `algorithm`, `sentences` and `quotes` are the
    top-level values each audience starts from."""
    audiences_table = top.sub("audiences")
    audiences = {}
    for name in list(audiences_table.data):
        aud = audiences_table.sub(name)
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", name):
            # the name becomes a file name in the outbox
            raise aud.error(aud.where, "is not a valid audience name (letters, digits, - and _)")
        recipients, recipients_file = _recipients(aud)
        unsubscribe_url = aud.get("unsubscribe_url", str)
        if unsubscribe_url is not None and not re.match(r"https?://[^\s]+$", unsubscribe_url):
            raise aud.error(aud.key("unsubscribe_url"),
                            f"must be an http(s) URL, got '{unsubscribe_url}'")
        unsubscribe_mailto = aud.get("unsubscribe_mailto", str)
        if unsubscribe_mailto is not None and not is_email(unsubscribe_mailto):
            raise aud.error(aud.key("unsubscribe_mailto"),
                            f"must be an e-mail address, got '{unsubscribe_mailto}'")
        audiences[name] = Audience(
            name=name,
            subject=aud.get("subject", str, Audience.subject),
            sender=aud.get("from", str, Audience.sender),
            recipients=recipients,
            recipients_file=recipients_file,
            unsubscribe_url=unsubscribe_url,
            unsubscribe_mailto=unsubscribe_mailto,
            greeting=aud.get("greeting", str, "Hello {name},"),
            summary_sentences=aud.positive("summary_sentences", sentences),
            summary_algorithm=aud.choice("summary_algorithm", tuple(ALGORITHMS), algorithm),
            max_articles=aud.positive("max_articles"),
            locale=locale(aud),
            template_dir=aud.path("template_dir"),
            branding=_branding(aud.sub("branding")),
            quotes=aud.count("quotes", quotes),
            sections=audience_sections(aud, topics),
            max_per_topic=aud.positive("max_per_topic"),
            archive=aud.get("archive", bool, False),
            signup=aud.get("signup", bool, False),
            list_under=aud.count("list_under", Audience.list_under),
            contents_over=aud.count("contents_over", Audience.contents_over),
        )
        aud.done()
    if not audiences:
        raise top.error("audiences", "needs at least one audience, e.g. [audiences.general]")
    return audiences


def _branding(table: Table) -> Branding:
    values = {}
    for key in ("color", "accent_color", "background_color"):
        value = table.get(key, str, getattr(Branding, key))
        if not COLOR.fullmatch(value):
            raise table.error(table.key(key), f"must be a colour like #1f3a5f, got '{value}'")
        values[key] = value
    logo = table.get("logo_url", str, "")
    if logo and not re.fullmatch(r"https?://[^\s<>\"']+", logo):
        raise table.error(table.key("logo_url"), f"must be an http(s) URL, got '{logo}'")
    branding = Branding(
        name=table.get("name", str, Branding.name),
        logo_url=logo,
        footer=table.get("footer", str, ""),
        unsubscribe_text=table.get("unsubscribe_text", str, Branding.unsubscribe_text),
        **values,
    )
    table.done()
    return branding


def _recipients(aud: Table) -> tuple[tuple[str, ...], Path | None]:
    """`recipients` is a list of addresses or the path of a CSV file."""
    value = aud.data.get("recipients")
    if isinstance(value, str):
        if EMAIL.fullmatch(value) and not (aud.origin.parent / value).exists():
            raise aud.error(aud.key("recipients"),
                            f"must be a list of addresses (e.g. [\"{value}\"]) or a CSV file name, "
                            f"got the single address '{value}'")
        return (), aud.path("recipients")
    if value is not None and not isinstance(value, list):
        raise aud.error(aud.key("recipients"),
                        f"must be a list of addresses or a CSV file name, got {type_name(value)}")
    addresses = aud.strings("recipients")
    for i, address in enumerate(addresses):
        if not is_email(address):
            raise aud.error(f"{aud.key('recipients')}[{i}]",
                            f"is not an e-mail address: '{address}'")
    return addresses, None
