"""The CLI's error cases: one `Error:` line, the right exit code, no traceback."""

import pytest
from click.testing import CliRunner
from conftest import write_config

from digest.cli import cli


def invoke(*args, **kw):
    return CliRunner().invoke(cli, list(args), **kw)


def test_every_command_has_help():
    def walk(group, path):
        for name, command in group.commands.items():
            yield path + [name]
            if hasattr(command, "commands"):
                yield from walk(command, path + [name])

    for path in [[]] + list(walk(cli, [])):
        result = invoke(*path, "--help")
        assert result.exit_code == 0, path
        assert "Usage:" in result.output


def test_missing_config(tmp_path):
    result = invoke("run", "--config", str(tmp_path / "nope.toml"))
    assert result.exit_code == 2
    assert result.output == f"Error: config file not found: {tmp_path / 'nope.toml'}\n"


def test_invalid_config_names_the_key(tmp_path):
    config = write_config(tmp_path, "[audiences.general]\nrecipients = 'one@example.org'\n")
    result = invoke("run", "--config", str(config))
    assert result.exit_code == 2
    assert result.output == (f"Error: {config.resolve()}: 'audiences.general.recipients' must be "
                             "a list of addresses (e.g. [\"one@example.org\"]) or a CSV file name, got the "
                             "single address 'one@example.org'\n")


def test_unknown_algorithm():
    result = invoke("summarize", "-", "--algorithm", "magic", input="Some text. More text.")
    assert result.exit_code == 2
    assert result.output == (
        "Error: unknown summary algorithm 'magic' (choose from: edmundson, kl, lex-rank, lsa, "
        "luhn, news, reduction, sum-basic, text-rank)\n")


def test_unknown_audience(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIGEST_CONFIG", raising=False)
    result = invoke("run", "--audience", "nobody")
    assert result.exit_code == 2
    assert result.output == "Error: unknown audience 'nobody' (configured: general)\n"


def test_unreadable_file(tmp_path):
    result = invoke("summarize", str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert result.output == f"Error: cannot read {tmp_path / 'missing.txt'}: no such file\n"


def test_bad_date():
    result = invoke("run", "--date", "2024-13-45")
    assert result.exit_code == 2
    assert result.output == "Error: --date must be YYYY-MM-DD, got '2024-13-45'\n"


@pytest.fixture
def broken_templates(project):
    config, _ = project
    templates = config.parent / "templates"
    templates.mkdir()
    (templates / "newsletter.txt").write_text("line one\n{% for a in articles %}\n{{ a.title }\n",
                                              encoding="utf-8")
    text = config.read_text(encoding="utf-8")
    config.write_text('templates = "templates"\n' + text, encoding="utf-8")
    return config


def test_template_error_names_template_and_line(broken_templates):
    result = invoke("run", "--config", str(broken_templates), "--date", "2024-05-01")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: template ")
    assert "newsletter.txt, line 3: " in lines[0]
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback(broken_templates):
    result = invoke("--debug", "run", "--config", str(broken_templates), "--date", "2024-05-01")
    assert result.exit_code == 1
    from digest.errors import TemplateError

    assert isinstance(result.exception, TemplateError)


def test_render_time_template_error_names_line(project):
    config, _ = project
    templates = config.parent / "templates"
    templates.mkdir()
    (templates / "newsletter.txt").write_text("ok\nok\n{{ no_such_variable }}\n",
                                              encoding="utf-8")
    config.write_text('templates = "templates"\n' + config.read_text(encoding="utf-8"),
                      encoding="utf-8")
    result = invoke("run", "--config", str(config), "--date", "2024-05-01")
    assert result.exit_code == 1
    assert "newsletter.txt, line 3: 'no_such_variable' is undefined" in result.output


def test_bad_file_in_folder_warns_and_run_goes_on(project):
    config, articles = project
    (articles / "broken.txt").write_bytes(b"\xff\xfe bad bytes")
    result = CliRunner().invoke(cli, ["run", "--config", str(config), "--date", "2024-05-01"])
    assert result.exit_code == 0
    assert f"Warning: {articles / 'broken.txt'}: skipped, not UTF-8 text" in result.stderr
    assert "general: 1 articles" in result.stdout


def test_mjml_error_names_the_template(project):
    config, _ = project
    templates = config.parent / "templates"
    templates.mkdir()
    (templates / "newsletter.mjml").write_text("<mjml><mj-body><mj-section>\n", encoding="utf-8")
    config.write_text('templates = "templates"\n' + config.read_text(encoding="utf-8"),
                      encoding="utf-8")
    result = invoke("run", "--config", str(config), "--date", "2024-05-01")
    assert result.exit_code == 1
    assert result.output.startswith("Error: template newsletter.mjml: MJML error: ")
    assert len(result.output.splitlines()) == 1


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output.startswith("digest, version ")


def test_a_reader_that_goes_away_is_not_an_error(tmp_path):
    import json
    import subprocess
    import sys

    rows = tmp_path / "many.jsonl"
    rows.write_text("\n".join(json.dumps({"id": i, "text": f"Short story number {i} is here."})
                              for i in range(3000)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "digest", "summarize", "--jsonl", str(rows)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Error" not in stderr and "Traceback" not in stderr
