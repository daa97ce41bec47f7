from click.testing import CliRunner

from digest.cli import cli
from digest.settings import load_settings


def test_init_writes_a_working_starter_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "mine"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "templates" / "newsletter.mjml").is_file()
    assert (target / "templates" / "newsletter.txt").is_file()
    settings = load_settings(target / "config" / "digest.toml")
    assert settings.templates == (target / "templates").resolve()
    assert settings.sources[0].path == (target / "articles").resolve()

    result = CliRunner().invoke(cli, ["run", "--config", str(target / "config" / "digest.toml"),
                                      "--date", "2023-03-20"])
    assert result.exit_code == 0, result.output
    assert (target / "outbox" / "2023-03-20" / "general.html").is_file()

    before = (target / "config" / "digest.toml").read_text(encoding="utf-8")
    (target / "config" / "digest.toml").write_text(before + "# mine\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: refusing to overwrite existing files: ")
    assert (target / "config" / "digest.toml").read_text(encoding="utf-8").endswith("# mine\n")


def test_init_refuses_when_only_one_file_exists(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "newsletter.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert not (tmp_path / "config" / "digest.toml").exists()
    assert (tmp_path / "templates" / "newsletter.txt").read_text(encoding="utf-8") == "mine"
