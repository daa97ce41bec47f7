"""Quotes: what was said in an article, who said it, and the few worth showing.

Takes an article's text and gives `Quote`s (text, speaker) with `extract_quotes`; `key_quotes`
chooses the ones an issue shows. `evaluate` scores extraction against annotated quotes
(`digest eval quotes`).
"""

from digest.quotes.extract import extract_quotes, key_quotes

__all__ = ["extract_quotes", "key_quotes"]
