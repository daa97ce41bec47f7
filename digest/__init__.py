"""digest: a daily news digest, from articles to newsletters.

The library is usable without the command line::

    from digest import load_settings, run
    result = run(load_settings())
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("digest")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0"

from digest.errors import ConfigError, DigestError, SourceError, TemplateError  # noqa: E402
from digest.pipeline import run  # noqa: E402
from digest.settings import load_settings  # noqa: E402

__all__ = [
    "ConfigError",
    "DigestError",
    "SourceError",
    "TemplateError",
    "__version__",
    "load_settings",
    "run",
]
