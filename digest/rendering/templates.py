"""The template loader: the audience's folder, the user's `templates/`, then the built-in ones.

The built-in templates are also reachable as `!default/<name>`, so a user template can extend
one and override only blocks. Autoescape is on for MJML and HTML: article text never becomes
markup. Errors name the template and the line. Each environment speaks one locale: the
templates' fixed words come from its catalog (`i18n.py`) and `number` writes numbers its way.
"""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache
from pathlib import Path

import jinja2

from digest.errors import TemplateError
from digest.rendering.i18n import format_number, install_translations
from digest.rendering.message import header_text
from digest.resources import default_dir

HTML_TEMPLATE = "newsletter.mjml"
TEXT_TEMPLATE = "newsletter.txt"
WIDTH = 72
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")
# the whitespace Python knows (str.split, str.strip, str.isspace) beyond ASCII's six
_OTHER_SPACE = re.compile("[\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def wrap(text: str, width: int = WIDTH, indent: str = "", first: str | None = None) -> str:
    """Fill a paragraph to `width` columns; URLs and long words are never broken."""
    # only ASCII whitespace is collapsed and broken at: the no-break spaces of « » and
    # "Aussi dans :" keep their words together
    text = str(text)
    plain = _OTHER_SPACE.search(text) is None
    if plain:
        # no whitespace but ASCII's (nearly every text): str.split breaks at the same
        # places as the expression, and at C speed
        words = " ".join(text.split())
    else:
        words = " ".join(_ASCII_SPACE.split(text.strip(" \t\n\r\f\v")))
    return _fill(words, width, indent if first is None else first, indent, plain)


@lru_cache(maxsize=8192)
def _fill(text: str, width: int, first: str, indent: str, plain: bool = False) -> str:
    """textwrap's fill of one paragraph, its words separated by single spaces (`plain`: and
    no whitespace but those spaces). Cached: the audiences of a day print the same
    headlines and quotes, and on a big day the text part's wrapping was two fifths of
    rendering."""
    if not text:
        return ""
    if plain and width > 0:
        return _fill_plain(text, width, first, indent)
    if len(first) + len(text) <= width and not text.rpartition(" ")[2].isspace():
        # what textwrap gives a paragraph that fits, without its work (unless its last word
        # is a space of another kind, which textwrap drops at a line's end)
        return first + text
    return _wrapper(width, first, indent).fill(text)


def _fill_plain(text: str, width: int, first: str, indent: str) -> str:
    """textwrap's fill (long words not broken) of words separated by single spaces, none of
    them whitespace of another kind (which textwrap would drop at a line's start or end):
    each line is the longest run of whole words that fits, or one word longer than that.
    Found with str.rfind rather than textwrap's chunk by chunk, 17,724 paragraphs were
    1.7 s of the 10,000-article day's rendering."""
    lines = []
    start, end = 0, len(text)
    # (an indent as wide as the line leaves no room: a word a line)
    prefix, room = first, max(width - len(first), 0)
    while end - start > room:
        # the last space that ends a line of at most `room` characters, else the first word
        cut = text.rfind(" ", start, start + room + 1)
        if cut == -1:
            cut = text.find(" ", start)
            if cut == -1:
                break
        lines.append(prefix + text[start:cut])
        start = cut + 1
        prefix, room = indent, max(width - len(indent), 0)
    lines.append(prefix + text[start:])
    return "\n".join(lines)


@lru_cache(maxsize=64)
def _wrapper(width: int, first: str, indent: str) -> textwrap.TextWrapper:
    """One TextWrapper per layout, kept. It neither expands tabs nor replaces whitespace:
    `wrap` left none but single spaces, so both passes (a lookup per character of a
    non-ASCII text) would change nothing."""
    return textwrap.TextWrapper(width=width, initial_indent=first, subsequent_indent=indent,
                                break_long_words=False, break_on_hyphens=False,
                                expand_tabs=False, replace_whitespace=False)


def make_environment(user_dirs: list[Path] | tuple[Path, ...] = (),
                     locale: str = "en") -> jinja2.Environment:
    """The Jinja environment of a template chain, in `locale` (its translations installed)."""
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
    env.filters["number"] = lambda value: format_number(value, locale)
    # the user's folders may carry catalogs of their own (`<dir>/locales/`), merged over ours
    install_translations(env, locale, [d for d in user_dirs if d is not None])
    return env


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
