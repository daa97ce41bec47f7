"""Headlines for untitled articles: the lead cut at a phrase boundary, at most 12 words."""

import json

import pytest
from conftest import SEED

from digest.gathering.files import make_article, read_article
from digest.resources import default_dir
from digest.text.headline import _NO_END, _PREPOSITIONS, MAX_WORDS, headline
from digest.text.sentences import split_sentences

# words a headline may not end on: it would stop in the middle of a phrase
DANGLING = set(_NO_END["en"].split()) | set(_PREPOSITIONS["en"].split())


def test_seed_post_headline_is_short_and_ends_on_a_whole_phrase():
    article = read_article(SEED, "blog", max_bytes=1_000_000)
    assert article.title == ("Chinese President Xi Jinping met Russian president Vladimir "
                             "Putin in Moscow")
    assert len(article.title.split()) <= 12 and "…" not in article.title


def test_a_lead_that_fits_is_kept_whole():
    assert headline("The council approved the bridge.") == "The council approved the bridge"


@pytest.mark.parametrize("lead, expected", [
    ("On Sunday, the SpaceX Crew Dragon capsule successfully docked with the International "
     "Space Station, the first time a commercial craft did so.",
     "The SpaceX Crew Dragon capsule successfully docked with the International Space Station"),
    ("On Wednesday, Carrie Lam, the chief executive of Hong Kong, announced that her "
     "government will officially withdraw a proposed bill.",
     "Carrie Lam announced that her government will officially withdraw a proposed bill"),
    ("Yesterday, oil facilities belonging to Saudi Arabia's state-owned Saudi Aramco were hit "
     "by drone attacks.",
     "Oil facilities belonging to Saudi Arabia's state-owned Saudi Aramco were hit"),
    ("This morning Jacques Chirac, who served as President of France for twelve years, died "
     "at home in Paris, France, aged 86.",
     "This morning Jacques Chirac died at home in Paris, France, aged 86"),
])
def test_leads_are_cut_before_time_asides_and_clauses(lead, expected):
    assert headline(lead) == expected


def test_no_boundary_still_gives_whole_words_without_ellipsis():
    lead = " ".join(["word"] * 30) + "."
    result = headline(lead)
    assert len(result.split()) == MAX_WORDS and "…" not in result


def test_an_entry_title_always_wins():
    article = make_article({"title": "Own title", "text": "A very long first sentence " * 5},
                           "feed", "x")
    assert article.title == "Own title"


def test_every_sample_lead_gives_a_short_headline_that_ends_on_a_whole_phrase():
    """The 60 bundled Wikinews articles, their titles hidden."""
    for path in sorted((default_dir("samples") / "articles").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        article = make_article({"text": data["text"]}, "Wikinews", str(path))
        title = article.title
        assert 3 <= len(title.split()) <= MAX_WORDS, (path.name, title)
        assert "…" not in title
        last = title.split()[-1].lower().strip(",;:")
        assert last not in DANGLING, (path.name, title)
        # it is the lead's own words, in order
        lead = split_sentences(article.text.split("\n\n")[0])[0]
        assert all(word.strip(",;:").lower() in lead.lower() for word in title.split()), \
            (path.name, title)
