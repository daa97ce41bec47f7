"""digest: a daily news digest, from articles to newsletters.

The library is usable without the command line::

    from digest import load_settings, run
    issues = run(load_settings())

Names are imported on first use, so that `digest --help` starts fast.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DigestError",
    "SourceError",
    "TemplateError",
    "__version__",
    "load_settings",
    "run",
]

_LAZY = {
    "ConfigError": "digest.errors",
    "DigestError": "digest.errors",
    "SourceError": "digest.errors",
    "TemplateError": "digest.errors",
    "run": "digest.pipeline",
    "load_settings": "digest.settings",
}


def __getattr__(name: str):
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("digest")
        except PackageNotFoundError:  # a checkout that was never installed
            value = "0.0.0"
        globals()["__version__"] = value
        return value
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'digest' has no attribute {name!r}")
