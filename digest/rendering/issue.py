"""An audience's issue rendered once, with a slot wherever a recipient's own field goes.

`render` is the one step from summarised sections to the issue: the template context, the
recipient slots, the subject, the MJML compiled to HTML and the text part. Delivery (and the
outbox copy) only fill the slots: `RenderedIssue.filled(values)`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import jinja2

from digest.models import Article, Topic
from digest.rendering.context import Record, build_context, translated_default
from digest.rendering.message import header_text
from digest.rendering.mjml import mjml_to_html
from digest.rendering.slots import Fillable, context_fields, new_token
from digest.rendering.templates import HTML_TEMPLATE, TEXT_TEMPLATE, render_subject, render_template

# characters no HTML, XML or mail part may carry (the MJML parser stops at them); vertical tab
# and form feed are spaces between words
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")
_SPACES = re.compile(r"[\x0b\x0c]")
_EITHER = re.compile(f"{_UNPRINTABLE.pattern}|{_SPACES.pattern}")


def printable(value):
    """`value` (a context: dicts, lists, strings) without control characters in its strings.

    A dict or list with nothing to change comes back as it is, not copied, and one the
    context holds in several places (an article's dict is in `articles`, in its section and
    in "In this issue") is looked at once: an issue of 1,700 stories has 70,000 strings.
    """
    done: dict[int, object] = {}  # id of a dict or list -> what it became

    def clean(value):
        if isinstance(value, str):
            # nearly every string has none: one search, and no copy, for those
            if _EITHER.search(value) is None:
                return value
            return _UNPRINTABLE.sub("", _SPACES.sub(" ", value))
        if not isinstance(value, (dict, list)):
            return value
        key = id(value)
        if key in done:
            return done[key]
        out = value
        for k, v in value.items() if isinstance(value, dict) else enumerate(value):
            new = v if isinstance(v, str) and _EITHER.search(v) is None else clean(v)
            if new is not v:
                if out is value:  # the first change: a copy of the same kind
                    out = (Record(value) if isinstance(value, Record) else
                           dict(value) if isinstance(value, dict) else list(value))
                out[k] = new
        done[key] = out
        return out

    return clean(value)


@dataclass
class RenderedIssue:
    """An audience's issue as stored for sending: slots still in."""

    date: dt.date
    audience: str
    subject: str
    sender: str
    html: str
    text: str
    token: str

    def __post_init__(self) -> None:
        self._subject = Fillable(self.subject, self.token, escape=False)
        self._html = Fillable(self.html, self.token, escape=True)
        self._text = Fillable(self.text, self.token, escape=False)

    @property
    def fields(self) -> set[str]:
        """The slots the templates used: `recipient.<column>`, `greeting`, ..."""
        return self._subject.fields | self._html.fields | self._text.fields

    def filled(self, values: Mapping[str, str]) -> tuple[str, str, str]:
        """(subject, html, text) with the slots filled from `values` (missing ones empty)."""
        return (header_text(self._subject.fill(values)), self._html.fill(values),
                self._text.fill(values))


def render_parts(env: jinja2.Environment, context: dict) -> tuple[str, str]:
    """(html, text) of one context: the MJML template compiled, and the text template."""
    html = mjml_to_html(render_template(env, HTML_TEMPLATE, context))
    text = render_template(env, TEXT_TEMPLATE, context)
    return html, text


def render(env: jinja2.Environment, date: dt.date, audience, articles: list[Article],
           topics: list[Topic] | None = None, web_url: str = "",
           page_of: Callable[[dt.date], str] | None = None) -> RenderedIssue:
    """The audience's issue for `date`, rendered (and its MJML compiled) once; `web_url` is
    its "view in browser" address, `page_of(date)` an earlier issue's (for follow-ups)."""
    # article text is untrusted: whatever it holds, the templates get printable strings
    context = printable(build_context(date, audience, articles, topics=topics,
                                      web_url=web_url, page_of=page_of))
    token = new_token()
    context.update(context_fields(token, audience))
    subject = render_subject(env, translated_default(audience, "subject", audience.locale),
                             context)
    context["subject"] = subject
    html, text = render_parts(env, context)
    return RenderedIssue(date=date, audience=audience.name, subject=subject,
                         sender=audience.sender, html=html, text=text, token=token)
