"""Quote extraction, attribution, key quotes, their CLI, settings and newsletter output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import cli
from digest.errors import ConfigError
from digest.quotes import extract_quotes, key_quotes
from digest.quotes.evaluate import evaluate, name_tokens
from digest.resources import default_dir
from digest.settings import parse_settings

SAMPLE = default_dir("samples") / "blog" / "xi-jinping-visits-moscow.txt"


def one(text: str):
    quotes = extract_quotes(text)
    assert len(quotes) == 1, [q.text for q in quotes]
    return quotes[0]


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


# --- the sample article ---------------------------------------------------------------------

def test_sample_spokesperson_with_role():
    quotes = extract_quotes(sample_text())
    q = next(q for q in quotes if q.text.startswith("We expect Beijing"))
    assert q.speaker == "Oleg Nikolenko"
    assert q.role == "Ukrainian foreign ministry spokesperson"


def test_sample_two_sentence_quote_is_one_quote_by_putin():
    text = sample_text()
    quotes = extract_quotes(text)
    q = next(q for q in quotes if q.text.startswith("China has created"))
    assert "than in many other countries" in q.text
    assert q.speaker == "Vladimir Putin"  # "he said", after "Putin told Xi ..."
    assert text[q.start] == "“" and text[q.end - 1] == "”"
    assert not any(o is not q and "many other countries" in o.text for o in quotes)


def test_sample_dear_friend_is_not_a_key_quote():
    keys = key_quotes(sample_text(), 5)
    assert keys, "the sample has key quotes"
    assert not any("dear friend" in q.text for q in keys)
    assert not any("no limits" in q.text for q in keys)
    assert {q.speaker for q in keys} == {"Vladimir Putin", "Oleg Nikolenko"}


def test_key_quotes_skip_what_the_summary_shows():
    text = sample_text()
    summary = ("“We expect Beijing to use its influence on Moscow to make it put an end to the "
               "aggressive war against Ukraine,” Ukrainian foreign ministry spokesperson Oleg "
               "Nikolenko said.")
    keys = key_quotes(text, 2, shown=summary)
    assert [q.speaker for q in keys] == ["Vladimir Putin"]


def test_key_quotes_count_and_no_duplicates():
    text = sample_text()
    assert len(key_quotes(text, 1)) == 1
    doubled = text + "\n\n" + text  # the same quotes twice: shown once
    assert len(key_quotes(doubled, 5)) == 2


# --- marks ----------------------------------------------------------------------------------

@pytest.mark.parametrize("open_, close", [("“", "”"), ('"', '"'), ("‘", "’"), ("'", "'"),
                                           ("«", "»")])
def test_each_kind_of_mark(open_, close):
    text = f"{open_}We will rebuild the bridge by spring,{close} Mayor Ann Lee said."
    q = one(text)
    assert q.text == "We will rebuild the bridge by spring"
    assert q.speaker == "Ann Lee"
    assert (q.start, q.end) == (0, text.index(close, 1) + 1)


def test_apostrophes_are_not_quote_marks():
    text = "O’Brien’s team didn’t play on the Smiths’ ground until ’98, and 'tis rare."
    assert extract_quotes(text) == []


def test_mixed_curly_and_straight_marks_pair():
    q = one("“The polls are wrong about this race,\" Senator Tom Hale told reporters.")
    assert q.speaker == "Tom Hale" and q.text.startswith("The polls")


def test_quote_split_by_attribution_is_one_quote():
    text = "“We are ready,” she said. “The votes are there and we will pass it.”"
    q = one(text)
    assert q.start == 0 and q.end == len(text)
    assert q.text == "We are ready. The votes are there and we will pass it."
    assert len(q.spans) == 2


def test_two_speakers_are_not_joined():
    text = "“We are ready,” Smith said. Jones said: “We are not ready at all.”"
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Smith", "Jones"]


def test_quote_over_paragraphs_is_followed():
    text = ("Mary Jones, the mayor, said: “The river rose three metres in one night.\n\n"
            "“Nobody here has seen anything like it, and we need help now.”\n\n"
            "The council meets on Friday.")
    q = one(text)
    assert q.end == text.index("now.”") + len("now.”")
    assert "Nobody here" in q.text and q.speaker == "Mary Jones"


# --- attribution patterns -------------------------------------------------------------------

@pytest.mark.parametrize("text, speaker", [
    ("“The budget is balanced for the first time,” Anna Berg said.", "Anna Berg"),
    ("“The budget is balanced for the first time,” said Anna Berg.", "Anna Berg"),
    ("Anna Berg told reporters: “The budget is balanced for the first time.”", "Anna Berg"),
    ("According to Anna Berg, “the budget is balanced for the first time.”", "Anna Berg"),
    ("Anna Berg: “The budget is balanced for the first time.”", "Anna Berg"),
    ("“The budget is balanced for the first time,” Anna Berg added.", "Anna Berg"),
    ("“The budget is balanced for the first time,” Anna Berg warned.", "Anna Berg"),
    ("Anna Berg wrote on Monday, “The budget is balanced for the first time.”", "Anna Berg"),
    ("Anna Berg tweeted: “The budget is balanced for the first time.”", "Anna Berg"),
    ("“The budget is balanced for the first time.” ― Anna Berg", "Anna Berg"),
])
def test_attribution_patterns(text, speaker):
    assert one(text).speaker == speaker


def test_two_apostrophes_as_a_double_mark():
    text = "''We finally may be seeing some wage growth,'' said Jan Hatzius."
    q = one(text)
    assert q.text == "We finally may be seeing some wage growth"
    assert q.speaker == "Jan Hatzius" and q.end == text.index(",''") + 3


def test_verb_outside_the_lexicon_after_a_comma_inside_the_marks():
    assert one("“Jeb wants to be a tough guy tonight,” Trump shot back.").speaker == "Trump"


def test_participle_takes_the_sentence_subject():
    text = ("Hurley, for his part, quoted Alan Shepard, commenting before launch: "
            "“Let's light this candle tonight.”")
    assert one(text).speaker == "Hurley"


def test_a_new_statement_after_a_quote_is_not_its_attribution():
    text = ("Paula Ortiz spoke in Denver.\n\n“No one who works full time should be poor.” "
            "He says not enacting paid leave hurts single mothers and their children most.")
    assert one(text).speaker == ""


def test_common_noun_speaker_with_a_phrase():
    q = one("“The facts have not changed at all,” a spokesman for committee Democrats said.")
    assert q.speaker == "a spokesman for committee Democrats"


def test_epigraph_dash_line():
    text = "“He does not answer to anyone and respects no one.”\n― Christina Luis"
    assert one(text).speaker == "Christina Luis"


def test_role_before_and_after_the_name():
    q = one("“We have no comment on the report,” said Haley Morris, a spokeswoman for the "
            "campaign.")
    assert (q.speaker, q.role) == ("Haley Morris", "spokeswoman for the campaign")
    q = one("Former Florida governor Jeb Bush said: “We need a serious plan for the border.”")
    assert (q.speaker, q.role) == ("Jeb Bush", "Former Florida governor")
    q = one("Sen. Ted Cruz said: “We need a serious plan for the border.”")
    assert q.speaker == "Ted Cruz"


@pytest.mark.parametrize("text, speaker, role", [
    ("Dr. Steven Wolf of Saint Francis Hospital said, “We received a mass casualty alert.”",
     "Steven Wolf", "Dr. of Saint Francis Hospital"),
    ("“There is water in its atmosphere,” said Ryan Cloutier of the Harvard Center.",
     "Ryan Cloutier", "of the Harvard Center"),
    ("US Secretary of State Mike Pompeo said: “There is no evidence the attacks came from "
     "Yemen.”", "Mike Pompeo", "US Secretary of State"),
    ("United States Attorney Thomas T. Cullen said: “He fed the cycle of addiction for years.”",
     "Thomas T. Cullen", "United States Attorney"),
    ("AU chairperson Abdel Fattah el-Sisi said, “The success of the deal will be the test.”",
     "Abdel Fattah el-Sisi", "AU chairperson"),
    ("The mayor of Paris, Anne Hidalgo, wrote on Twitter: “Paris is mourning its family.”",
     "Anne Hidalgo", "mayor of Paris"),
])
def test_names_with_titles_and_organisations(text, speaker, role):
    q = one(text)
    assert (q.speaker, q.role) == (speaker, role)


def test_object_of_a_preposition_is_not_the_speaker():
    text = ("Assembly president Richard Ferrand in relaying the news to parliament said, "
            "“Jacques Chirac is part of the history of France.”")
    assert one(text).speaker == "Richard Ferrand"


def test_short_mention_and_pronoun_resolve_to_the_full_name():
    text = ("Health minister Sarah Olsen visited the hospital on Monday.\n\n"
            "“The new wing will open next year,” Olsen said.\n\n"
            "“We have hired two hundred nurses for it,” she added.")
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Sarah Olsen", "Sarah Olsen"]
    assert quotes[0].role == "Health minister"


def test_pronoun_takes_the_latest_speaker_of_its_gender():
    # Tilly spoke last, but "she" cannot be Mr. Tilly
    text = ("Mr. Mark Tilly and Mrs. Jane Ross spoke after the vote.\n\n"
            "“This was a fair result for the region,” Tilly said.\n\n"
            "“I disagree with every word of that,” she said.")
    quotes = extract_quotes(text)
    assert quotes[0].speaker == "Mark Tilly"
    assert quotes[1].speaker == "Jane Ross"


# --- not quotes -----------------------------------------------------------------------------

def test_titles_of_works_are_not_quotes():
    text = ("She appeared on “Saturday Night Live” and later read from her novel "
            "“The Long Road Home” at the festival.")
    assert extract_quotes(text) == []


def test_show_names_after_a_broadcaster_are_not_quotes():
    text = ("“She is a flawed candidate,” Trump said Wednesday on ABC’s "
            "“Good Morning America.” He repeated it on NBC's “Meet the Press,” too.")
    quotes = extract_quotes(text)
    assert [q.text for q in quotes] == ["She is a flawed candidate"]


def test_scare_quotes_are_not_quotes():
    text = ("Putin signed a “no limits” partnership with Xi, and the two leaders greeted one "
            "another as “dear friend” before the talks.")
    assert extract_quotes(text) == []


def test_short_quote_with_its_speaker_is_kept_but_not_key():
    text = "“Absolutely not,” the senator replied."
    q = one(text)
    assert q.speaker == "the senator"
    assert key_quotes(text, 3) == []


def test_unclosed_quote_in_the_last_paragraph_does_not_crash():
    quotes = extract_quotes("He said: “This never ends and nobody closes it")
    assert len(quotes) == 1 and quotes[0].text.startswith("This never ends")


def test_empty_and_quote_free_text():
    assert extract_quotes("") == []
    assert extract_quotes("No quotes here at all.") == []


# --- evaluation -----------------------------------------------------------------------------

def _row(text: str, attributions: list[dict]) -> dict:
    return {"id": "x", "text": text, "attributions": attributions}


def test_evaluate_figures_on_a_small_annotated_text():
    text = "“We will win this state,” Cruz said. Later he called it “fine.”"
    content = [0, text.index("”") + 1]
    rows = [_row(text, [{"source": "Cruz", "content_spans": [content],
                         "is_direct_quote": True}])]
    figures = evaluate(rows)
    assert figures["found"] == 1.0 and figures["recall"] == 1.0
    assert figures["speaker_accuracy"] == 1.0
    assert figures["precision"] == 1.0  # "fine." is a scare quote, not extracted


def test_evaluate_counts_a_missed_speaker():
    text = "“We will win this state,” Cruz said."
    rows = [_row(text, [{"source": "Rubio", "content_spans": [[0, text.index("”") + 1]],
                         "is_direct_quote": True}])]
    assert evaluate(rows)["speaker_accuracy"] == 0.0


def test_name_tokens_skip_pronouns_titles_and_common_nouns():
    assert name_tokens("he") == set()
    assert name_tokens("The judge") == set()
    assert name_tokens("Sen. Ted Cruz") == {"ted", "cruz"}
    assert name_tokens("Hillary Clinton’s") == {"hillary", "clinton"}


# --- command line ---------------------------------------------------------------------------

def test_cli_quotes_key_and_all():
    runner = CliRunner()
    result = runner.invoke(cli, ["quotes", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "— Oleg Nikolenko, Ukrainian foreign ministry spokesperson" in result.output
    assert "dear friend" not in result.output
    result = runner.invoke(cli, ["quotes", str(SAMPLE), "--all", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["quotes"]) > 2
    assert set(data["quotes"][0]) == {"text", "speaker", "role", "start", "end"}


def test_cli_quotes_stdin_and_count():
    text = ("“The harbour will reopen on Monday morning,” port director Ian Kerr said. "
            "“Ships are already waiting outside for the signal,” Kerr added.")
    result = CliRunner().invoke(cli, ["quotes", "-", "--count", "1"], input=text)
    assert result.exit_code == 0, result.output
    assert result.output.count("— Ian Kerr") == 1


def test_cli_quotes_jsonl_offsets_index_the_input(tmp_path: Path):
    text = "Intro.\n\n“We will rebuild,” he said, “whatever it costs us.” Then he left."
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a1", "text": text}) + "\n\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["quotes", "--jsonl", str(path)])
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)
    assert row["id"] == "a1" and len(row["quotes"]) == 1
    q = row["quotes"][0]
    quoted = "“We will rebuild,” he said, “whatever it costs us.”"
    assert text[q["start"]:q["end"]] == quoted


def test_cli_quotes_errors(tmp_path: Path):
    runner = CliRunner()
    result = runner.invoke(cli, ["quotes"])
    assert result.exit_code == 2 and "Error: give exactly one" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "ok"}\nnot json\n', encoding="utf-8")
    result = runner.invoke(cli, ["quotes", "--jsonl", str(bad)])
    assert result.exit_code == 2 and "line 2: invalid JSON" in result.output
    result = runner.invoke(cli, ["quotes", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_cli_eval_quotes(tmp_path: Path):
    text = "“We will win this state,” Cruz said."
    data = tmp_path / "gold.jsonl"
    data.write_text(json.dumps(_row(text, [{"source": "Cruz", "content_spans": [[0, 25]],
                                            "is_direct_quote": True}])) + "\n",
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "quotes", "--dataset", str(data), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["found"] == 1.0 and figures["speaker_accuracy"] == 1.0
    result = CliRunner().invoke(cli, ["eval", "quotes", "--dataset", str(tmp_path / "no")])
    assert result.exit_code == 2 and result.output.startswith("Error: cannot read")


# --- settings and newsletter ----------------------------------------------------------------

def _config(tmp_path: Path, extra_top: str = "", extra_audience: str = "") -> dict:
    import tomllib

    return tomllib.loads(f"""
{extra_top}
[[sources]]
name = "Blog"
type = "folder"
path = "{tmp_path / 'articles'}"

[audiences.general]
{extra_audience}
""")


def test_quotes_setting_default_top_and_audience(tmp_path: Path):
    origin = tmp_path / "digest.toml"
    assert parse_settings(_config(tmp_path), origin).audiences["general"].quotes == 2
    s = parse_settings(_config(tmp_path, "quotes = 1"), origin)
    assert s.quotes == 1 and s.audiences["general"].quotes == 1
    s = parse_settings(_config(tmp_path, "quotes = 1", "quotes = 0"), origin)
    assert s.audiences["general"].quotes == 0


@pytest.mark.parametrize("top, aud, key", [("quotes = -1", "", "'quotes'"),
                                           ('quotes = "two"', "", "'quotes'"),
                                           ("", "quotes = true", "'audiences.general.quotes'")])
def test_quotes_setting_is_validated(tmp_path: Path, top, aud, key):
    with pytest.raises(ConfigError, match=key):
        parse_settings(_config(tmp_path, top, aud), tmp_path / "digest.toml")


def test_newsletter_shows_key_quotes_escaped(tmp_path: Path):
    from digest.pipeline import run

    folder = tmp_path / "articles"
    folder.mkdir()
    text = sample_text() + "\n\n“Tags like <b>this</b> & that stay plain text in the mail,” " \
                           "editor Jo Park said.\n"
    (folder / "story.txt").write_text(text, encoding="utf-8")
    raw = _config(tmp_path, f'window = "all"\noutbox = "{tmp_path / "out"}"\nquotes = 3')
    settings = parse_settings(raw, tmp_path / "digest.toml")
    issue = run(settings)[0]
    assert "Oleg Nikolenko, Ukrainian foreign ministry spokesperson" in issue.text
    assert "We expect Beijing" in issue.text
    assert "Oleg Nikolenko" in issue.html and "We expect Beijing" in issue.html
    assert "&lt;b&gt;this&lt;/b&gt; &amp; that" in issue.html
    assert "<b>this</b>" not in issue.html
    assert "> “dear friend" not in issue.text


def test_pronoun_prefers_the_speaker_to_a_later_mention():
    text = ("“We will respond,” Obama said after meeting Russian President Vladimir Putin. "
            "He did not suggest retaliation. “Our goal is not to start a cyber war.”")
    assert [q.speaker for q in extract_quotes(text)] == ["Obama", "Obama"]


def test_newsletter_without_quotes_when_zero(tmp_path: Path):
    from digest.pipeline import run

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "story.txt").write_text(sample_text(), encoding="utf-8")
    raw = _config(tmp_path, f'window = "all"\noutbox = "{tmp_path / "out"}"', "quotes = 0")
    issue = run(parse_settings(raw, tmp_path / "digest.toml"))[0]
    assert "Oleg Nikolenko" not in issue.text


def test_definite_description_resolves_to_the_person_with_that_role():
    text = ("Ukrainian foreign ministry spokesperson Oleg Nikolenko spoke on Monday.\n\n"
            "“We expect Beijing to use its influence on Moscow,” the spokesperson said.")
    q = one(text)
    assert (q.speaker, q.role) == ("Oleg Nikolenko", "Ukrainian foreign ministry spokesperson")


@pytest.mark.parametrize("text, speaker", [
    ("Stated Roger Stone:\n\n“I think that the stakes are so high this year.”", "Roger Stone"),
    ("“It's about time we had a woman running this country,” exhorted actress Jamie Lee "
     "Curtis.", "Jamie Lee Curtis"),
    ("“France will always be France,” an angry Hollande retaliated.", "Hollande"),
    ("“I guess Christmas Eve was booked.” A spokesman for Ann Ray could only quip that.",
     ""),
    ("The scheduling was so odd that a spokesman for Ann Ray could only quip: "
     "“I guess Christmas Eve was booked.”", "a spokesman for Ann Ray"),
])
def test_verbs_outside_the_lexicon_and_inverted_order(text, speaker):
    assert one(text).speaker == speaker


def test_the_person_asked_is_not_the_speaker():
    text = "Smith, delivering the speech, asked the Cleveland crowd “Why should we trust her?”"
    assert one(text).speaker == "Smith"


def test_speech_verbs_are_the_lower_case_words_that_are_speech_verbs():
    # _speech_verbs_in finds only the verbs a text has, for speed: the same words at the
    # same places as visiting every lower-case word
    import random

    from digest.quotes.lexicon import SPEECH_VERBS
    from digest.quotes.mentions import _speech_verbs_in
    from digest.quotes.names import LOWER_WORD

    rnd = random.Random(5)
    pieces = ["said", "says", "told", "adding", "asked", "Said", "saidx", "é", "_", "1",
              "-", "’", " ", ".", "\n", "he", "x"]
    for _ in range(5000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 20)))
        assert _speech_verbs_in(text) == [(m.start(), m.end(), m.group())
                                          for m in LOWER_WORD.finditer(text)
                                          if m.group() in SPEECH_VERBS], text


def test_opening_person_drops_the_words_that_open_a_sentence():
    from digest.quotes.names import opening_person, person_words

    # "Stated Roger Stone": a reporting verb opens the run
    assert opening_person(("Stated", "Roger", "Stone"), False) == person_words(("Roger", "Stone"))
    # "Signs Roger Stone" with "signs" a common word of the text: the first word goes
    assert opening_person(("Signs", "Roger", "Stone"), True) == ((), ("Roger", "Stone"))
    # not a common word: it stays, part of the name
    assert opening_person(("Signs", "Roger", "Stone"), False) == ((), ("Signs", "Roger", "Stone"))
    assert opening_person(("The",), True) is None


def test_may_end_of_keeps_every_text_the_of_tail_pattern_matches():
    from digest.quotes.phrases import _OF_TAIL, _may_end_of

    for s in ["the mayor of ", "Lewis of the ", "head of\n", "spokesman for  ", "of ",
              "a man at the\n", "Sam Wilson from ", "the mayor of", "Paris ", "", "sofa ",
              "the theme ", "out of the room"]:
        if _OF_TAIL.search(s):
            assert _may_end_of(s), s
    assert not _may_end_of("the mayor of")  # no space after the word: no match to look for
    assert not _may_end_of("Paris ")


def test_according_to_guard_finds_every_case_of_the_words():
    import re

    from digest.quotes.attribution import _ACCORDING_TO

    for s in ["according to Anna Berg,", "ACCORDING TO the police:", "AcCoRdInG to him"]:
        assert _ACCORDING_TO.search(s) and "ccord" in s.lower()
    # the case-blind pattern takes no other character for these letters
    for letter in "cord":
        assert [chr(i) for i in range(0x3000) if re.fullmatch(letter, chr(i), re.I)] == \
            [letter.upper(), letter]
