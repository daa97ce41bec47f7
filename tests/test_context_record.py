"""The context's dicts read as attributes without Jinja first failing getattr."""

import jinja2
import pytest

from digest.rendering.context import Record
from digest.rendering.issue import printable


def test_keys_read_as_attributes_and_dict_methods_still_win():
    article = Record(title="T", items="not the method")
    assert article.title == "T" and article["title"] == "T"
    assert callable(article.items)  # as on a plain dict: the method, not the key
    with pytest.raises(AttributeError):
        article.missing  # noqa: B018
    assert article == {"title": "T", "items": "not the method"}


def test_templates_see_the_same_as_with_plain_dicts():
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    source = "{{ a.title }} {{ a['title'] }} {{ a.items is callable }} {{ a.missing is defined }}"
    template = env.from_string(source)
    assert template.render(a=Record(title="T")) == template.render(a={"title": "T"})
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ a.missing }}").render(a=Record(title="T"))


def test_printable_keeps_a_record_a_record():
    cleaned = printable({"articles": [Record(title="x\x00")]})
    assert type(cleaned["articles"][0]) is Record and cleaned["articles"][0].title == "x"
