"""Follow-ups: a story an earlier issue of the audience carried, continued by a new article,
is marked in both parts and summarised for what it adds."""

import datetime as dt
import json
import shutil

from conftest import write_config, write_json_article

from digest.models import Article
from digest.pipeline import run
from digest.resources import default_dir
from digest.settings import load_settings
from digest.state import State
from digest.summaries.novelty import novel_summary
from digest.topics.followups import find_followups, record_sent, similarities

SAMPLES = default_dir("samples") / "articles"
DORIAN_1 = "2019-09-01_hurricane-dorian-strengthens-to-category-5-makes-landfall-in.json"
DORIAN_2 = "2019-09-05_hurricane-dorian-leaves-trail-of-destruction-in-the-bahamas.json"
UNRELATED = "2019-09-06_hong-kong-leader-announces-withdrawal-of-extradition-bill.json"


def _sample(name):
    data = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    return Article(title=data["title"], text=data["text"], source="Wikinews", url=data["url"])


def _project(tmp_path, locale="en", extra=""):
    articles = tmp_path / "articles"
    articles.mkdir()
    for name in (DORIAN_1, DORIAN_2):
        shutil.copy(SAMPLES / name, articles / name)
    # an unrelated story on the second day
    write_json_article(articles, "bridge.json", title="Council approves new bridge",
                       date="2019-09-05", url="https://example.org/bridge",
                       text="The city council approved a new bridge over the river. "
                            "Engineers said the old crossing was no longer safe.")
    return write_config(tmp_path, f"""
        outbox = "out"
        state = "state.sqlite3"

        [[sources]]
        name = "Wikinews"
        type = "folder"
        path = "articles"

        [audiences.general]
        locale = "{locale}"
        recipients = ["reader@example.org"]
    """ + extra)


def test_a_follow_up_is_marked_in_both_parts(tmp_path):
    settings = load_settings(_project(tmp_path))
    (first,) = run(settings, date=dt.date(2019, 9, 1))
    assert "Update" not in first.text
    (second,) = run(settings, date=dt.date(2019, 9, 5))
    by_title = {a.title: a for a in second.articles}
    dorian = by_title["Hurricane Dorian leaves trail of destruction in the Bahamas"]
    assert dorian.follows == dt.date(2019, 9, 1)
    assert by_title["Council approves new bridge"].follows is None
    assert second.text.count("[Update] Follows the issue of Sunday, September 1, 2019") == 1
    assert second.html.count("<strong>Update</strong>") == 1
    # building the same day again finds the same earlier issue, not itself
    (again,) = run(settings, date=dt.date(2019, 9, 5), force=True)
    assert again.text.count("[Update]") == 1


def test_the_marker_speaks_the_audience_language(tmp_path):
    settings = load_settings(_project(tmp_path, locale="fr_FR"))
    run(settings, date=dt.date(2019, 9, 1))
    (second,) = run(settings, date=dt.date(2019, 9, 5))
    assert "[Mise à jour] Suite du numéro du dimanche 1 septembre 2019" in second.text
    assert "Update" not in second.text and "Update" not in second.html


def test_same_story_is_closer_than_another_story():
    earlier = _sample(DORIAN_1)
    later, other = _sample(DORIAN_2), _sample(UNRELATED)
    (same,), (different,) = similarities([(earlier.title, earlier.text)],
                                         [(later.title, later.text), (other.title, other.text)])
    assert same >= 0.2 > different


def test_find_followups_reads_what_was_sent(tmp_path):
    state = State(tmp_path / "s.sqlite3")
    with state.transaction() as db:
        db.execute("INSERT INTO seen (id, source, title, first_seen) VALUES (1, 'w', 't', '')")
    earlier = _sample(DORIAN_1)
    earlier.summary = ["Dorian strengthened to a Category 5 hurricane."]
    record_sent(state, "general", dt.date(2019, 9, 1), [earlier], [{1}])
    later, other = _sample(DORIAN_2), _sample(UNRELATED)
    found = find_followups(state, "general", dt.date(2019, 9, 5), [later, other])
    assert list(found) == [id(later)]
    assert found[id(later)].said == ["Dorian strengthened to a Category 5 hurricane."]
    # another audience never had it
    assert find_followups(state, "experts", dt.date(2019, 9, 5), [later]) == {}
    # nor is a story a follow-up of its own issue, nor, carried again, of itself
    assert find_followups(state, "general", dt.date(2019, 9, 1), [later]) == {}
    assert find_followups(state, "general", dt.date(2019, 9, 5), [earlier],
                          seen={id(earlier): {1}}) == {}
    state.close()


def test_novel_summary_leaves_out_what_was_said():
    text = ("A storm hit the coast of Florida on Monday, flooding many towns. "
            "Thousands of homes lost power across the state.\n\n"
            "Rescue teams reached the flooded towns on Wednesday. "
            "The governor asked for federal help to rebuild the bridges.")
    said = ["A storm hit the coast of Florida on Monday and flooded towns."]
    summary = novel_summary(text, said, 2)
    assert len(summary) == 2
    assert all("storm hit the coast" not in s for s in summary)
    # nothing new: the ordinary summary rather than nothing
    assert novel_summary("A storm hit the coast of Florida on Monday, flooding many towns.",
                         said, 2) == ["A storm hit the coast of Florida on Monday, flooding "
                                      "many towns."]


def test_a_follow_up_links_to_the_earlier_issue_in_the_archive(tmp_path):
    extra = ('        archive = true\n\n        [archive]\n        path = "site"\n'
             '        base_url = "https://news.example.org/archive"\n')
    settings = load_settings(_project(tmp_path, extra=extra))
    run(settings, date=dt.date(2019, 9, 1))
    (second,) = run(settings, date=dt.date(2019, 9, 5))
    earlier = "https://news.example.org/archive/general/2019-09-01.html"
    assert (tmp_path / "site" / "general" / "2019-09-01.html").is_file()
    assert second.text.count(earlier) == 1
    assert f'<a href="{earlier}">Follows the issue of' in second.html
