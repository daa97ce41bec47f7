"""Rendering: one context feeds `newsletter.mjml` (compiled to HTML) and `newsletter.txt`.

Templates are looked up in the user's folder first, then in the built-in defaults; the
built-in ones are also reachable as `!default/<name>`, so a user template can extend one
and override only blocks. Autoescape is on for MJML and HTML: article text never becomes
markup.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import jinja2

import digest
from digest.errors import TemplateError
from digest.models import Article, Topic
from digest.resources import default_dir

HTML_TEMPLATE = "newsletter.mjml"
TEXT_TEMPLATE = "newsletter.txt"
WIDTH = 72
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def wrap(text: str, width: int = WIDTH, indent: str = "", first: str | None = None) -> str:
    """Fill a paragraph to `width` columns; URLs and long words are never broken."""
    return textwrap.fill(
        " ".join(str(text).split()),
        width=width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def header_text(text: str, limit: int = 250) -> str:
    """Text that goes into a mail header: one line, no control characters, capped."""
    line = " ".join(_CONTROL.sub(" ", str(text)).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def make_environment(user_dirs: list[Path] | tuple[Path, ...] = ()) -> jinja2.Environment:
    builtin = jinja2.FileSystemLoader(str(default_dir("templates")))
    loaders: list[jinja2.BaseLoader] = [
        jinja2.FileSystemLoader(str(d)) for d in user_dirs if d is not None and d.is_dir()
    ]
    loaders.append(jinja2.PrefixLoader({"!default": builtin}, delimiter="/"))
    loaders.append(builtin)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("mjml", "html", "htm", "xml"), default_for_string=False
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["wrap"] = wrap
    env.filters["header"] = header_text
    return env


def locale_info(locale: str) -> tuple[str, str]:
    """(lang, dir) for the HTML of a locale such as "fr_CA" or "ar"."""
    from babel import Locale

    parsed = Locale.parse(locale.replace("-", "_"))
    direction = "rtl" if parsed.character_order == "right-to-left" else "ltr"
    return str(parsed).replace("_", "-"), direction


def long_date(date: dt.date, locale: str) -> str:
    from babel.dates import format_date

    return format_date(date, format="full", locale=locale.replace("-", "_"))


def build_context(
    date: dt.date, audience, articles: list[Article], topics: list[Topic] | None = None,
) -> dict:
    """The one context both templates receive (documented in docs/templates.md).

    `sections` holds the topics in issue order, each with its articles (the same dicts as
    in `articles`); without topics, one unnamed section holds every article.
    """
    items = [
        {
            "number": i,
            "title": a.title,
            "source": a.source,
            "link": a.url,
            "author": a.author,
            "date": a.published.isoformat() if a.published else "",
            "summary": list(a.summary),
            "quotes": [{"text": q.text, "speaker": q.speaker, "role": q.role}
                       for q in a.quotes],
            "also_in": list(a.also_in),
        }
        for i, a in enumerate(articles, start=1)
    ]
    lang, direction = locale_info(audience.locale)
    brand = audience.branding
    by_id = {id(a): item for a, item in zip(articles, items)}
    if topics:
        sections = [{"name": t.name,
                     "articles": [by_id[id(a)] for a in t.articles if id(a) in by_id]}
                    for t in topics]
    else:
        sections = [{"name": "", "articles": items}] if items else []
    return {
        "date": date.isoformat(),
        "date_long": long_date(date, audience.locale),
        "lang": lang,
        "dir": direction,
        "audience": {"name": audience.name},
        "brand": {
            "name": brand.name,
            "color": brand.color,
            "accent_color": brand.accent_color,
            "background_color": brand.background_color,
            "logo_url": brand.logo_url,
            "footer": brand.footer,
            "unsubscribe_text": brand.unsubscribe_text,
        },
        "articles": items,
        "sections": [s for s in sections if s["articles"]],
        "article_count": len(items),
        "top_headline": items[0]["title"] if items else "",
        "generator": f"digest {digest.__version__}",
    }


def _location(exc: BaseException, fallback: str) -> tuple[str, int | None]:
    """Template name and line of an error raised while rendering."""
    name = getattr(exc, "name", None) or getattr(exc, "filename", None)
    line = getattr(exc, "lineno", None)
    if name and line:
        return name, line
    # Jinja rewrites the traceback so that template frames carry the template's file name
    # and line; the innermost such frame is where the error is.
    tb = exc.__traceback__
    found: tuple[str, int | None] = (fallback, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and not filename.startswith("<"):
            found = (Path(filename).name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_template(env: jinja2.Environment, name: str, context: dict) -> str:
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}") from None
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise TemplateError(f"template {where}, line {exc.lineno}: {exc.message}") from None
    except Exception as exc:  # an error inside a template: name the template and line
        where, line = _location(exc, name)
        at = f", line {line}" if line else ""
        raise TemplateError(f"template {where}{at}: {exc}") from None


def render_subject(env: jinja2.Environment, subject: str, context: dict) -> str:
    try:
        return header_text(env.from_string(subject).render(context))
    except jinja2.TemplateError as exc:
        raise TemplateError(f"subject template '{subject}': {exc}") from None


def mjml_to_html(source: str, name: str = HTML_TEMPLATE) -> str:
    from mjml import mjml2html

    try:
        return mjml2html(source)
    except Exception as exc:  # mjml-python raises ValueError with the parser's message
        raise TemplateError(f"template {name}: MJML error: {exc}") from None


def render_issue(env: jinja2.Environment, context: dict) -> tuple[str, str]:
    """(html, text) of one issue."""
    html = mjml_to_html(render_template(env, HTML_TEMPLATE, context))
    text = render_template(env, TEXT_TEMPLATE, context)
    return html, text

