"""A wheel (not editable) install, run from another folder, finds templates, config and samples."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    pytest.importorskip("hatchling")
    build = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
         "-w", str(build), "-q"],
        check=True, capture_output=True,
    )
    wheel = next(build.glob("digest-*.whl"))
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target),
         str(wheel), "-q"],
        check=True, capture_output=True,
    )
    return target


def test_wheel_run_from_another_folder(installed, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(installed))
    env.pop("DIGEST_CONFIG", None)
    code = ("import digest, sys; print(digest.__file__); "
            "from digest.cli import main; sys.argv=['digest', 'run']; main()")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith(str(installed))
    day = next((tmp_path / "outbox").iterdir())
    assert sorted(p.name for p in day.iterdir()) == ["general.eml", "general.html",
                                                     "general.txt"]
    assert "Wikinews" in (day / "general.txt").read_text(encoding="utf-8")
    # nothing was written inside the installed package
    assert not (installed / "digest" / "_defaults" / "outbox").exists()


def test_wheel_carries_the_defaults(installed):
    defaults = installed / "digest" / "_defaults"
    assert (defaults / "templates" / "newsletter.mjml").is_file()
    assert (defaults / "templates" / "newsletter.txt").is_file()
    assert (defaults / "config" / "digest.toml").is_file()
    # the built-in news sections' vocabularies, read by digest.topics.builtin
    assert (installed / "digest" / "topics" / "builtin_sections.toml").is_file()
    assert len(list((defaults / "samples" / "articles").glob("*.json"))) == 60
    assert (installed / "digest" / "archive" / "templates" / "audience.html").is_file()
    # the compiled catalogs travel inside the package
    locales = installed / "digest" / "rendering" / "locales"
    assert {p.parent.parent.name for p in locales.glob("*/LC_MESSAGES/messages.mo")} >= {
        "en", "fr", "de", "es", "it", "pt", "nl"}


def test_wheel_finds_its_catalogs(installed, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(installed))
    code = ("import digest.rendering.i18n as i; print(i.LOCALES_DIR); "
            "print(i.translations('fr_FR').gettext('Links'))")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    where, word = result.stdout.splitlines()
    assert where.startswith(str(installed)) and word == "Liens"
