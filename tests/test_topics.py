"""Topics on small synthetic articles: sections, automatic groups, order and caps."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from digest.cli import cli
from digest.errors import ConfigError
from digest.models import Article
from digest.settings import parse_settings
from digest.topics import (
    MORE_NEWS,
    OTHER,
    SECTION_NAMES,
    CorpusBackground,
    Section,
    arrange,
    assign,
    group_articles,
    section_scores,
    terms,
)

VOCAB = {
    "sport": "match goal striker league coach season stadium referee penalty champions "
             "football midfielder keeper fixture",
    "money": "shares market investors profit earnings bank inflation interest dividend "
             "stock economy quarterly revenue",
    "space": "rocket orbit astronauts launch satellite spacecraft mission lunar telescope "
             "planet capsule booster gravity",
}
FILLER = "the a today people week country this after with from people many also year"


def make_articles(per_topic: int = 6, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for label, words in VOCAB.items():
        vocab = words.split()
        for i in range(per_topic):
            sentences = []
            for _ in range(6):
                chosen = rng.sample(vocab, 4) + rng.sample(FILLER.split(), 3)
                rng.shuffle(chosen)
                sentences.append(" ".join(chosen).capitalize() + ".")
            rows.append({"id": f"{label}-{i}", "title": " ".join(rng.sample(vocab, 3)).title(),
                         "text": " ".join(sentences), "label": label})
    rng.shuffle(rows)
    return rows


def as_items(rows):
    return [(r["id"], r["title"], r["text"]) for r in rows]


def test_automatic_grouping_finds_the_topics_without_being_told_how_many():
    rows = make_articles()
    names = assign(as_items(rows))
    groups: dict[str, set] = {}
    for row, name in zip(rows, names):
        groups.setdefault(name, set()).add(row["label"])
    assert len(groups) == 3
    assert all(len(labels) == 1 for labels in groups.values())


def test_automatic_grouping_is_deterministic_and_groups_get_built_in_section_names():
    rows = make_articles(seed=5)
    first = assign(as_items(rows))
    assert assign(as_items(rows)) == first
    named = {}
    for row, name in zip(rows, first):
        named.setdefault(row["label"], set()).add(name)
    # the sport and money articles clearly belong to IPTC sections; the space ones use
    # words of no section's vocabulary but "satellite"/"launch"... whatever they get, it
    # is a built-in name, a shared phrase of their text, or "More news"
    assert named["sport"] == {"Sport"}
    assert named["money"] == {"Business"}
    text = " ".join(r["title"] + " " + r["text"] for r in rows).casefold()
    for name in set(first) - set(SECTION_NAMES) - {MORE_NEWS}:
        assert all(part.casefold() in text for part in name.split(", "))


def test_background_history_is_accepted_and_grouping_still_works():
    rows = make_articles(seed=7)
    history = CorpusBackground.from_texts(r["text"] for r in make_articles(seed=99))
    assert history.documents == 18
    names = assign(as_items(rows), background=history)
    assert len(set(names)) == 3


def test_a_long_history_gives_a_semantic_space_for_small_days():
    from digest.topics.vectors import MIN_HISTORY, _Doc

    history = CorpusBackground.from_texts(r["text"] for r in make_articles(per_topic=70, seed=11))
    assert history.documents >= MIN_HISTORY
    day = make_articles(per_topic=4, seed=12)
    space = history.project([_Doc(r["id"], r["title"], r["text"]) for r in day])
    assert space is not None and space.shape[0] == len(day)
    names = assign(as_items(day), background=history)
    groups: dict[str, set] = {}
    for row, name in zip(day, names):
        groups.setdefault(name, set()).add(row["label"])
    assert all(len(labels) == 1 for labels in groups.values())
    # too short a history has no space: the day's own statistics are used
    short = CorpusBackground.from_texts(["rocket orbit"] * 5)
    assert short.project([_Doc("x", "", "rocket")]) is None


def test_tiny_inputs():
    assert assign([]) == []
    one = assign([("a", "Rocket launch", "The rocket launch went well.")])
    assert len(one) == 1 and one[0]


SECTIONS = [
    Section("Sport", ("football", "match", "coach")),
    Section("Business", ("market", "shares", "profit")),
    Section("Science", ("rocket", "orbit"), description="Space and research"),
]


def test_configured_sections_assign_by_keywords_and_unmatched_go_to_other():
    items = [
        ("1", "Coach sacked after match", "The football club lost the match again."),
        ("2", "Shares slide", "The market fell as profit warnings hit shares."),
        ("3", "Rocket reaches orbit", "The rocket reached orbit on Tuesday."),
        ("4", "Village fete", "Cakes and flowers were judged by the mayor on Sunday."),
    ]
    assert assign(items, SECTIONS) == ["Sport", "Business", "Science", OTHER]


def test_section_scores_count_title_and_plural_forms():
    scores = section_scores("Markets rally", "Investors bought.", SECTIONS)
    assert scores[1] > 0 and scores[0] == 0 and scores[2] == 0
    # a mention in the title weighs more than the same mention in the text
    assert (section_scores("Match report", "", SECTIONS)[0]
            > section_scores("Report", "match", SECTIONS)[0])


def test_sections_lend_their_vocabulary_to_articles_without_keywords():
    rows = [r for r in make_articles(per_topic=8, seed=3) if r["label"] != "space"]
    sections = [Section("Sport", ("football",)), Section("Money", ("stock",))]
    names = assign(as_items(rows), sections)
    right = sum((n == "Sport") == (r["label"] == "sport") for n, r in zip(names, rows))
    assert right >= len(rows) - 1


def article(title, text, source="A", day=1):
    import datetime as dt

    return Article(title=title, text=text, source=source, url=f"https://x/{source}/{title}",
                   published=dt.date(2024, 1, day))


def test_topics_ordered_by_weight_and_articles_by_importance():
    arts = [
        article("Rocket launch", "rocket launch orbit capsule crew", "A"),
        article("Launch of rocket", "rocket launch orbit capsule crew", "B"),
        article("Telescope", "telescope planet orbit mission", "A"),
        article("Shares fall", "shares market profit investors", "A"),
        article("Market slides", "market shares slide investors", "A"),
    ]
    sections = [Section("Business", ("shares", "market")), Section("Space", ("rocket", "orbit"))]
    topics = group_articles(arts, sections)
    assert [t.name for t in topics] == ["Space", "Business"]
    # told by two sources: ahead of the single-source telescope story
    assert topics[0].articles[-1].title == "Telescope"
    assert topics[0].weight > topics[1].weight
    assert all(t.configured for t in topics)


def test_other_comes_last_and_audiences_choose_order_and_caps():
    arts = [article(f"Match {i}", "football match coach", "A") for i in range(4)]
    arts += [article(f"Shares {i}", "market shares profit", "A") for i in range(2)]
    arts += [article("Fete", "cakes and flowers", "A")]
    topics = group_articles(arts, SECTIONS)
    assert [t.name for t in topics] == ["Sport", "Business", OTHER]
    chosen = arrange(topics, ["Business", OTHER], per_topic=1)
    assert [(t.name, len(t.articles)) for t in chosen] == [("Business", 1), (OTHER, 1)]
    capped = arrange(topics, None, per_topic=3, per_issue=4)
    # the issue cap goes round the topics, so every topic keeps its top story
    assert [(t.name, len(t.articles)) for t in capped] == [("Sport", 2), ("Business", 1),
                                                          (OTHER, 1)]


# --------------------------------------------------------------------------- settings


def settings_with(tmp_path, topics, audience=None):
    raw = {"topics": topics, "audiences": {"general": audience or {}}}
    return parse_settings(raw, tmp_path / "digest.toml")


def test_settings_read_topics_and_audience_sections(tmp_path):
    s = settings_with(tmp_path, [{"name": "Sport", "keywords": ["match"], "description": "x"},
                                 {"name": "Tech"}],
                      {"sections": ["tech", "Other"], "max_per_topic": 2})
    assert s.topics == (Section("Sport", ("match",), "x"), Section("Tech"))
    assert s.audiences["general"].sections == ("Tech", OTHER)
    assert s.audiences["general"].max_per_topic == 2


@pytest.mark.parametrize("topics, audience, message", [
    ([{"name": "A", "keywords": [f"k{i}" for i in range(11)]}], None, "at most 10"),
    ([{"name": "A"}, {"name": "a"}], None, "repeats the topic name"),
    ([{"name": "Other"}], None, "choose another name"),
    ([{"keywords": ["x"]}], None, "topics[0].name' is required"),
    ([{"name": "A", "keywords": [3]}], None, "topics[0].keywords[0]"),
    ([{"name": "A", "colour": "red"}], None, "topics[0].colour' is not a known setting"),
    ([{"name": "A"}], {"sections": ["B"]}, "is not a configured topic: 'B'"),
    ([], {"sections": ["A"]}, "needs [[topics]]"),
    ([{"name": "A"}], {"max_per_topic": 0}, "positive integer"),
])
def test_settings_reject_bad_topics(tmp_path, topics, audience, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace(".", r"\.")):
        settings_with(tmp_path, topics, audience)


# --------------------------------------------------------------------------- CLI


def write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_cli_topics_prints_one_line_per_article(tmp_path):
    rows = make_articles()
    for r in rows[:3]:
        r["article"] = r.pop("text")  # the BBC field name is read too
    path = write_jsonl(tmp_path / "a.jsonl", rows)
    result = CliRunner().invoke(cli, ["topics", "--jsonl", str(path)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["id"] for line in lines] == [r["id"] for r in rows]
    assert len({line["topic"] for line in lines}) == 3


def test_cli_topics_uses_configured_sections_and_json(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [
        {"id": 1, "title": "Coach sacked", "text": "The football match was lost."},
        {"id": 2, "title": "Fete", "text": "Cakes and flowers."},
    ])
    config = tmp_path / "c.toml"
    config.write_text('[[topics]]\nname = "Sport"\nkeywords = ["football", "match"]\n'
                      "[audiences.general]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["topics", "--jsonl", str(path), "--config", str(config),
                                      "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["articles"] == [{"id": 1, "topic": "Sport"}, {"id": 2, "topic": OTHER}]


def test_cli_topics_bad_line_is_a_one_line_error(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": 1, "text": "x"}\n{"id": 2}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["topics", "--jsonl", str(path)])
    assert result.exit_code == 2
    assert "line 2: no 'text' or 'article' string" in result.output


def test_cli_eval_topics_reports_nmi_and_ari(tmp_path):
    path = write_jsonl(tmp_path / "l.jsonl", make_articles(per_topic=8))
    result = CliRunner().invoke(cli, ["eval", "topics", "--dataset", str(path), "--sample", "12",
                                      "--repeats", "3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["whole"]["nmi"] > 0.9 and data["whole"]["ari"] > 0.9
    assert data["sample_size"] == 12 and data["repeats"] == 3
    assert 0 <= data["samples"]["nmi"] <= 1
    text = CliRunner().invoke(cli, ["eval", "topics", "--dataset", str(path), "--repeats", "2"])
    assert text.exit_code == 0 and "NMI" in text.output
    # labels named as built-in sections: the agreement is printed too
    rows = make_articles(per_topic=8)
    for row in rows:
        row["label"] = {"sport": "Sport", "money": "business", "space": "tech"}[row["label"]]
    named = write_jsonl(tmp_path / "named.jsonl", rows)
    text = CliRunner().invoke(cli, ["eval", "topics", "--dataset", str(named), "--repeats", "2"])
    assert text.exit_code == 0 and text.output.count("label agreement") == 2


def test_cli_eval_topics_needs_labels(tmp_path):
    path = write_jsonl(tmp_path / "l.jsonl", [{"id": 1, "text": "x"}])
    result = CliRunner().invoke(cli, ["eval", "topics", "--dataset", str(path)])
    assert result.exit_code == 2 and "no 'label' string" in result.output


# --------------------------------------------------------------------------- newsletter


def test_newsletter_shows_section_headings_in_audience_order(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    stories = {
        "match.txt": "Coach sacked after match\n\nThe football match was lost. The coach left.",
        "shares.txt": "Shares slide on profit warning\n\nThe market fell. Shares slid on profit.",
        "fete.txt": "Village fete\n\nCakes and flowers were judged on Sunday.",
        "goal.txt": "Late goal wins the match\n\nThe football coach praised the match winner.",
        "rates.txt": "Profit up at the bank\n\nThe market liked the profit. Shares rose.",
    }
    for name, body in stories.items():
        (folder / name).write_text(body, encoding="utf-8")
    config = tmp_path / "digest.toml"
    config.write_text(f'''window = "all"
outbox = "{tmp_path / 'out'}"
[[sources]]
name = "Local"
type = "folder"
path = "{folder}"
[[topics]]
name = "Sport"
keywords = ["football", "match", "coach"]
[[topics]]
name = "Business"
keywords = ["market", "shares", "profit"]
[audiences.general]
sections = ["Business", "Sport"]
list_under = 2
''', encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", "--config", str(config)])
    assert result.exit_code == 0, result.output
    txt = next((tmp_path / "out").rglob("general.txt")).read_text(encoding="utf-8")
    assert txt.index("BUSINESS") < txt.index("Shares slide") < txt.index("SPORT") \
        < txt.index("Coach sacked")
    assert "Village fete" not in txt  # "Other" was not chosen by this audience
    html = next((tmp_path / "out").rglob("general.html")).read_text(encoding="utf-8")
    assert html.index("Business") < html.index("Sport")


def test_small_days_weigh_only_words_that_link_articles():
    import numpy as np

    from digest.topics.grouping import _sharpened
    from digest.topics.vectors import _Doc, _vectors

    docs = [_Doc("a", "", "rocket orbit launch report"),
            _Doc("b", "", "rocket orbit report"),
            _Doc("c", "", "market shares report unique")]
    matrix, vocab, idf = _vectors(docs)
    sharp = _sharpened(matrix, idf).toarray()
    stem = {word: vocab[terms(word)[0][0]] for word in ("report", "unique", "rocket")}
    # a word in every article, or in one only, tells no two articles apart
    assert np.all(sharp[:, stem["report"]] == 0) and np.all(sharp[:, stem["unique"]] == 0)
    assert sharp[0, stem["rocket"]] > 0 and sharp[1, stem["rocket"]] > 0
    # an article that shares no word with the others is left to a group of its own
    assert np.allclose(np.linalg.norm(sharp, axis=1), [1, 1, 0])


def test_a_days_worth_of_five_topics_is_not_merged():
    rng = random.Random(3)
    vocab = dict(VOCAB)
    vocab["food"] = ("recipe chef kitchen restaurant menu flavour dessert baking cuisine "
                     "ingredients dinner tasting")
    vocab["health"] = ("hospital patients doctors vaccine disease nurses clinic treatment "
                       "virus surgery symptoms medicine")
    rows = []
    for label, words in vocab.items():
        for i in range(8):
            text = " ".join(" ".join(rng.sample(words.split(), 4) + rng.sample(FILLER.split(), 4))
                            .capitalize() + "." for _ in range(5))
            rows.append((f"{label}-{i}", " ".join(rng.sample(words.split(), 3)), text, label))
    rng.shuffle(rows)
    names = assign([r[:3] for r in rows])
    groups: dict[str, set] = {}
    for row, name in zip(rows, names):
        groups.setdefault(name, set()).add(row[3])
    assert len(groups) == 5 and all(len(labels) == 1 for labels in groups.values())


def test_eval_reports_label_agreement_through_the_documented_mapping():
    from digest.topics.evaluate import LABEL_SECTIONS, evaluate, label_section

    assert label_section("tech") == "Science and technology" == LABEL_SECTIONS["tech"]
    assert label_section("SPORT") == "Sport" and label_section("weather") == "Weather"
    assert label_section("no such label") is None
    rows = make_articles(seed=3)
    for row in rows:
        row["label"] = {"sport": "sport", "money": "business", "space": "tech"}[row["label"]]
    result = evaluate(rows, sample=12, repeats=3)
    names = assign(as_items(rows))
    expected = sum(n == LABEL_SECTIONS[r["label"]] for n, r in zip(names, rows)) / len(rows)
    assert result["whole"]["agreement"] == pytest.approx(expected)
    assert 0.0 <= result["samples"]["agreement"] <= 1.0
    # a label that maps to nothing: no agreement figure rather than a wrong one
    rows[0]["label"] = "no such label"
    assert "agreement" not in evaluate(rows, sample=12, repeats=1)["whole"]
