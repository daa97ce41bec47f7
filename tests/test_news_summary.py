"""The `news` summariser: lede for short summaries, coverage for long ones, hygiene."""

import logging

import pytest

from digest.summaries.news import lede_weight, quote_spans, select
from digest.summaries.registry import ALGORITHMS, DEFAULT_ALGORITHM, summarize


def story(n: int) -> list[str]:
    """n distinct sentences; 3-6 share the story's words (flood, town), the rest share none."""
    central = {3: "Flood water covered the town bridge and closed the northern road.",
               4: "The town school shut early because flood water reached its gates.",
               5: "Flood defences near the town market failed after heavy rain overnight.",
               6: "Town officials said the flood would recede slowly over the weekend."}
    fillers = ["Cricket scores from the county ground arrived late yesterday.",
               "A painter from Leeds exhibited portraits abroad this spring.",
               "Engineers in Derby tested quieter trains on the branch line.",
               "Bakers queued outside the mill before dawn on Tuesday.",
               "Tourists photographed ancient ruins despite the heavy clouds.",
               "Farmers sold pumpkins cheaply at the Saturday auction.",
               "Students debated poetry passionately in the old chapel.",
               "Chess players drew again after six hours of play.",
               "Sailors repaired torn nets on the quay by lamplight.",
               "Violinists rehearsed Mozart quartets for the summer festival.",
               "Cyclists raced uphill bravely through the autumn drizzle.",
               "Gardeners pruned apple trees along the southern wall."]
    return [central.get(i, fillers[i % len(fillers)]) for i in range(n)]


def test_news_is_registered_and_default():
    assert "news" in ALGORITHMS
    assert DEFAULT_ALGORITHM == "news"


def test_short_summary_is_the_lede():
    sents = story(12)
    assert select(sents, 3) == [0, 1, 2]


def test_long_summary_covers_the_story():
    sents = story(12)
    chosen = select(sents, 4)
    # the four sentences that share the story's words, not the first four
    assert chosen == [3, 4, 5, 6]


def test_lede_weight_switches_on_length():
    assert lede_weight(3, 30) == 1.0
    assert lede_weight(6, 12) == 0.0


def test_near_duplicates_are_not_repeated():
    sents = ["The mayor opened the new bridge on Monday morning.",
             "The mayor opened the new bridge on Monday morning!",
             "Traffic was diverted through the old town for hours.",
             "Shops reported more customers than usual."]
    chosen = select(sents, 3)
    assert not {0, 1} <= set(chosen)
    assert len(chosen) == 3


def test_dangling_opener_avoided_when_alternative_exists():
    sents = [f"Item {i} is about the flood and the river bank and the town." for i in range(6)]
    sents[4] = "However, it is about the flood and the river bank and the town."
    chosen = select(sents, 4)
    assert 4 not in chosen or 3 in chosen


def test_multi_sentence_quote_is_kept_whole():
    sents = ["The minister spoke on Monday.",
             "“We will build the bridge.",
             "It will open next year,” she said.",
             "Critics were not convinced."]
    assert quote_spans(sents) == [(0, 1), (1, 3), (3, 4)]
    for k in (1, 2, 3):
        chosen = set(select(sents, k))
        assert (1 in chosen) == (2 in chosen)


def test_apostrophes_do_not_open_spans():
    sents = ["The players’ union met on Monday.", "It didn’t agree.", "Talks go on."]
    assert quote_spans(sents) == [(0, 1), (1, 2), (2, 3)]


def test_word_budget_never_cuts_a_sentence():
    sents = story(12)
    chosen = select(sents, 3, max_words=12)
    words = sum(len(sents[i].split()) for i in chosen)
    assert chosen and words <= 12
    assert all(sents[i] in sents for i in chosen)


def test_summarize_news_keeps_document_order_and_text():
    text = "\n\n".join(story(10))
    summary = summarize(text, "news", 3)
    assert summary == story(10)[:3]


def test_unsupported_language_gets_lead_and_a_note(caplog):
    text = "第一句。第二句。第三句。第四句。"
    with caplog.at_level(logging.WARNING, logger="digest"):
        summary = summarize("Один. Два. Три. Четыре.", "news", 2, language="ru", title="T")
    assert summary == ["Один.", "Два."]
    assert "ru" in caplog.text
    assert text  # the CJK text itself is not summarised here


def test_language_detected_when_not_given():
    from digest.text.language import detect_language

    fr = ("Le gouvernement a annoncé mardi une nouvelle loi sur les retraites. Les syndicats "
          "ont appelé à la grève dans toute la France.")
    assert detect_language(fr) == "fr"
    assert detect_language("12345 !!!", fallback="xx") == "xx"
    assert summarize(fr, "news", 1, language=None) == [
        "Le gouvernement a annoncé mardi une nouvelle loi sur les retraites."]


@pytest.mark.parametrize("algorithm", ["news", "lex-rank"])
def test_french_uses_french_stop_words(algorithm):
    fr = ("Le président a visité Paris. Il a rencontré le maire de Paris. "
          "Le maire de Paris a parlé du budget de Paris. La pluie tombait.")
    assert len(summarize(fr, algorithm, 2, language="fr")) == 2


def test_title_line_is_not_a_summary_sentence():
    text = "Bridge opens\n\nThe bridge opened on Monday. Crowds came. Traffic flowed."
    assert summarize(text, "news", 2, title="Bridge opens") == [
        "The bridge opened on Monday.", "Crowds came."]


def test_french_wikinews_articles_when_present():
    import json
    from pathlib import Path

    from digest.text.language import detect_language

    folder = Path(__file__).resolve().parents[2] / "shared" / "data" / "wikinews" / "other"
    files = sorted(folder.glob("fr_*.json")) if folder.is_dir() else []
    if not files:
        pytest.skip("no French Wikinews articles in ../shared/data")
    for path in files:
        article = json.loads(path.read_text(encoding="utf-8"))
        assert detect_language(article["text"]) == "fr", path.name
        summary = summarize(article["text"], "news", 3, language=None, title=article["title"])
        assert len(summary) == 3 and all(s in article["text"] for s in summary), path.name


def test_fragment_gives_way_in_the_lede():
    sents = story(10)
    sents[1] = "Nobody saw it coming."
    assert select(sents, 3) == [0, 2, 3]


def test_an_english_article_that_opens_with_a_list_is_english(monkeypatch):
    import sys

    from digest.text.language import detect_language

    monkeypatch.setitem(sys.modules, "py3langid", None)  # importing it would now fail
    squad = ", ".join(f"{name} ({club})" for name, club in [
        ("Coyle", "Dundee"), ("Hughes", "Wolves"), ("Price", "Wrexham"), ("Owen", "Leeds"),
        ("Morgan", "Cardiff"), ("Lloyd", "Swansea"), ("Rees", "Bristol"), ("Evans", "Hull"),
        ("Davies", "Derby"), ("Powell", "Stoke"), ("Griffiths", "Luton")] * 3)
    prose = ("The manager said that he was pleased with the way the players had trained, and "
             "that he would name the side for the match at the end of the week. " * 6)
    text = f"{squad}.\n\n{prose}"
    assert detect_language(text) == "en"
    # the opening alone is not clearly English: the classifier would have decided
    with pytest.raises(ImportError):
        detect_language(squad)


def test_clearly_english_text_skips_the_classifier(monkeypatch):
    import sys

    from digest.text.language import detect_language

    monkeypatch.setitem(sys.modules, "py3langid", None)  # importing it would now fail
    english = ("The government said on Tuesday that it would cut taxes for families, and the "
               "opposition said the plan was not enough for those who have been hit hardest.")
    assert detect_language(english) == "en"
    german = ("Die Regierung hat am Dienstag angekündigt, die Steuern für Familien zu senken, "
              "und die Opposition kritisierte den Plan als unzureichend für die Betroffenen.")
    with pytest.raises(ImportError):
        detect_language(german)  # not clearly English: the classifier decides
