import json

import pytest
from click.testing import CliRunner
from conftest import SEED, STORY

from digest.cli import cli
from digest.errors import UsageError
from digest.summaries.registry import ALGORITHMS, summarize

PROMO = "Download our blog"


@pytest.mark.parametrize("algorithm", sorted(ALGORITHMS))
def test_every_algorithm_keeps_order_and_length(algorithm):
    from digest.text.sentences import split_sentences

    doc = split_sentences(STORY)
    summary = summarize(STORY, algorithm, 2, title="Council approves bridge")
    assert len(summary) == 2
    assert len(set(summary)) == 2
    positions = [doc.index(s) for s in summary]
    assert positions == sorted(positions)


def test_short_text_is_returned_whole():
    assert summarize("One sentence. Two sentences.", "lex-rank", 3) == [
        "One sentence.", "Two sentences."]


def test_no_sentence_twice():
    text = "Alpha beta gamma delta. Alpha beta gamma delta. Epsilon zeta eta. Theta iota kappa."
    summary = summarize(text, "lex-rank", 3)
    assert len(summary) == len(set(summary))


def test_unknown_algorithm():
    with pytest.raises(UsageError, match="unknown summary algorithm 'magic'"):
        summarize(STORY, "magic", 2)


def test_cli_summarize_file_never_shows_boilerplate():
    result = CliRunner().invoke(cli, ["summarize", str(SEED), "--sentences", "4", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["summary"]) == 4
    assert all(PROMO not in s for s in data["summary"])


def test_cli_summarize_stdin():
    result = CliRunner().invoke(cli, ["summarize", "-", "--sentences", "1"], input=STORY)
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_summarize_jsonl_in_input_order(tmp_path):
    path = tmp_path / "in.jsonl"
    rows = [
        {"id": "b", "text": STORY, "sentences": 1},
        {"id": "a", "article": STORY, "title": "Bridge"},
        {"id": 3, "text": "Only one sentence here."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["summarize", "--jsonl", str(path),
                                      "--algorithm", "text-rank"])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["id"] for o in out] == ["b", "a", 3]
    assert [len(o["summary"]) for o in out] == [1, 3, 1]
