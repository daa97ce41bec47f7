"""Quotes: what was said in an article, who said it, and the few worth showing.

Takes an article's text and gives `Quote`s (text, speaker, role) with `extract_quotes`;
`key_quotes` chooses the ones an issue shows. `evaluate` scores extraction against annotated
quotes (`digest eval quotes`).

Inside, in the order `extract_quotes` runs them: `marks` pairs quotation marks into quotes,
`attribution` finds each quote's speaker in the words around it (with `phrases`, `names` and
`sentences`), `mentions` resolves short names and pronouns to full names; `choose` ranks them.
The word lists are in `lexicon` (read from `lexicon.txt`).
"""

from digest.quotes.choose import key_quotes
from digest.quotes.extract import extract_quotes

__all__ = ["extract_quotes", "key_quotes"]
