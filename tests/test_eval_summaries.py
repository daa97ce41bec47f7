"""`digest eval summaries` on a tiny dataset written by the test."""

import json

from click.testing import CliRunner

from digest.cli import cli
from digest.summaries.evaluate import evaluate, read_dataset

ARTICLE = ("The town council approved the new bridge on Monday. The bridge will cost ten "
           "million pounds. Work starts in spring. Residents welcomed the bridge plan. "
           "The mayor said the bridge would ease traffic. Traffic has grown for years.")


def write_dataset(path, rows):
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def rows():
    return [
        {"id": "a", "article": ARTICLE,
         "reference": ["The town council approved the new bridge on Monday.",
                       "The bridge will cost ten million pounds."]},
        {"id": "b", "article": "Rain fell all day. Rivers rose. Roads closed at night.",
         "reference": ["Rain fell all day."]},
    ]


def test_lead_scores_100_when_reference_is_the_lead(tmp_path):
    path = write_dataset(tmp_path / "d.jsonl", rows())
    report = evaluate(read_dataset(path), ["news"])
    assert round(report.scores["lead"]["rouge1"], 6) == 100.0
    assert round(report.scores["lead"]["rougeLsum"], 6) == 100.0
    assert 0 < report.scores["news"]["rouge2"] <= 100


def test_cli_table_and_json(tmp_path):
    path = write_dataset(tmp_path / "d.jsonl", rows())
    runner = CliRunner()
    result = runner.invoke(cli, ["eval", "summaries", "--dataset", str(path), "--algorithm",
                                 "news", "--algorithm", "luhn", "--sentences", "1"])
    assert result.exit_code == 0, result.output
    assert "Lead-k" in result.stdout and "news" in result.stdout and "luhn" in result.stdout
    assert "k = 1" in result.stdout
    result = runner.invoke(cli, ["eval", "summaries", "--dataset", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["stories"] == 2 and data["sentences"] == "reference"
    assert set(data["scores"]) == {"lead", "news"}
    assert set(data["scores"]["news"]) == {"rouge1", "rouge2", "rougeLsum"}


def test_cli_all_algorithms(tmp_path):
    path = write_dataset(tmp_path / "d.jsonl", rows()[:1])
    result = CliRunner().invoke(cli, ["eval", "summaries", "--dataset", str(path),
                                      "--algorithm", "all", "--json"])
    assert result.exit_code == 0, result.output
    assert {"news", "lex-rank", "reduction", "lead"} <= set(json.loads(result.stdout)["scores"])


def test_bad_dataset_is_a_one_line_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "article": "x"}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "summaries", "--dataset", str(bad)])
    assert result.exit_code == 2
    assert "line 1" in result.output and "reference" in result.output
    result = CliRunner().invoke(cli, ["eval", "summaries", "--dataset", str(tmp_path / "no"),
                                      "--algorithm", "news"])
    assert result.exit_code == 2 and "cannot read dataset" in result.output
    path = write_dataset(tmp_path / "d.jsonl", rows())
    result = CliRunner().invoke(cli, ["eval", "summaries", "--dataset", str(path),
                                      "--algorithm", "magic"])
    assert result.exit_code == 2 and "unknown summary algorithm" in result.output


def test_summarize_command_defaults_to_news(tmp_path):
    path = write_dataset(tmp_path / "in.jsonl", [{"id": "a", "text": ARTICLE}])
    result = CliRunner().invoke(cli, ["summarize", "--jsonl", str(path), "--sentences", "2"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    from digest.summaries.registry import summarize
    assert out["summary"] == summarize(ARTICLE, "news", 2)


def test_summarize_command_word_budget(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["summarize", str(path), "--sentences", "3",
                                      "--max-words", "12", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["summary"]
    assert summary and sum(len(s.split()) for s in summary) <= 12
    assert all(s in ARTICLE for s in summary)
