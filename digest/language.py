"""Which language an article is written in, offline.

py3langid (a maintained fork of langid.py) ships its trained model inside the package, so
nothing is downloaded; it classifies a paragraph in well under a millisecond, where
langdetect takes about 5 ms (measured on BBC articles), and it is deterministic.
"""

from __future__ import annotations

# The opening few hundred characters decide the language as well as the whole article.
_SAMPLE_CHARS = 500


def detect_language(text: str, fallback: str = "en") -> str:
    """ISO 639-1 code of `text` ("en", "fr", ...), or `fallback` when it cannot tell."""
    sample = text[:_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < 3:
        return fallback
    import py3langid

    code, _ = py3langid.classify(sample)
    return code or fallback
