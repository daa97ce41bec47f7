"""Where the built-in templates, config and samples are, in a checkout and in a wheel."""

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def default_dir(name: str) -> Path:
    """Folder `name` ("templates", "config" or "samples") of the built-in defaults.

    A wheel carries them inside the package (`digest/_defaults/`, see pyproject.toml); a
    checkout or an editable install has them at the top of the repository.
    """
    for candidate in (_PACKAGE / "_defaults" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"built-in {name} folder is missing from the installation")


def default_config_path() -> Path:
    return default_dir("config") / "digest.toml"
