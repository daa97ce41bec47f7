"""printable: the template context's strings without control characters, shared parts once."""

from digest.rendering.issue import printable


def test_control_characters_dropped_and_page_breaks_become_spaces():
    context = {"title": "a\x00b\x1fc", "summary": ["one\x0btwo", "three\x0cfour"],
               "n": 3, "pair": ("x\x00",)}
    assert printable(context) == {"title": "abc", "summary": ["one two", "three four"],
                                  "n": 3, "pair": ("x\x00",)}  # tuples are not walked


def test_what_has_nothing_to_change_comes_back_uncopied():
    item = {"title": "Plain", "quotes": [{"text": "fine"}]}
    context = {"articles": [item], "sections": [{"articles": [item]}]}
    assert printable(context) is context


def test_a_dict_in_several_places_is_cleaned_once_and_the_input_kept():
    item = {"title": "bad\x07", "summary": ["ok"]}
    context = {"articles": [item], "sections": [{"name": "S", "articles": [item]}]}
    out = printable(context)
    assert out["articles"][0] == {"title": "bad", "summary": ["ok"]}
    assert out["sections"][0]["articles"][0] is out["articles"][0]
    assert out["articles"][0]["summary"] is item["summary"]  # unchanged parts are shared
    assert item["title"] == "bad\x07" and context["articles"] == [item]  # input untouched
