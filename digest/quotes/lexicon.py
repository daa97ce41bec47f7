"""Word lists the quote rules look words up in: reporting verbs, titles, pronouns, stop words.

The words live in `lexicon.txt` beside this module (shipped in the wheel with the package),
read once at import; here they become frozensets and tables, and the reporting verbs get
their inflected forms.
"""

from __future__ import annotations

import re
from pathlib import Path


def _read_sections(path: Path) -> dict[str, list[str]]:
    """The lines of each "[name]" section, comments and blank lines left out."""
    sections: dict[str, list[str]] = {}
    lines: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            lines = sections.setdefault(line[1:-1], [])
        else:
            lines.append(line)
    return sections


_SECTIONS = _read_sections(Path(__file__).with_name("lexicon.txt"))


def _words(section: str) -> list[str]:
    return " ".join(_SECTIONS[section]).split()


def _table(section: str) -> dict[str, list[str]]:
    """A section of "key: words" lines; a key may take several lines."""
    table: dict[str, list[str]] = {}
    for line in _SECTIONS[section]:
        key, _, words = line.partition(":")
        table.setdefault(key.strip(), []).extend(words.split())
    return table


def _by_word(section: str) -> dict[str, str]:
    """A "key: words" section read the other way round: each word to its key."""
    return {word: key for key, words in _table(section).items() for word in words}


def _lower(section: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _words(section))


VERB_BASES: tuple[str, ...] = tuple(sorted(set(_words("reporting verbs"))))
_IRREGULAR = _table("irregular verbs")


def _inflect(base: str) -> list[str]:
    if base in _IRREGULAR:
        return _IRREGULAR[base]
    forms = []
    if base.endswith("e"):
        forms += [base + "d", base + "s", base[:-1] + "ing"]
    elif re.search(r"[^aeiou][aeiou][bdgmnpt]$", base) and base not in ("post", "state"):
        # snap -> snapped; a short stem doubles its last consonant
        forms += [base + base[-1] + "ed", base + "s", base + base[-1] + "ing"]
    elif base.endswith(("sh", "ch", "ss", "x")):
        forms += [base + "ed", base + "es", base + "ing"]
    else:
        forms += [base + "ed", base + "s", base + "ing"]
    if base in ("admit", "commit", "regret"):
        forms = [base + "ted", base + "s", base + "ting"]
    return forms


# Verbs that report speech or writing, every form ("said", "warned", "tweeting").
REPORTING_VERBS: frozenset[str] = frozenset(
    form for base in VERB_BASES for form in _inflect(base)
) | frozenset(_words("reporting words")) | frozenset(_words("reporting base forms"))
BASE_VERBS = frozenset(VERB_BASES)
# The reporting verbs that say someone spoke wherever they stand: "read", "report", "note"...
# are as often something else ("the report", "a note").
SPEECH_VERBS = frozenset(REPORTING_VERBS - {"put", "went", "according", "read", "reads",
                                            "reading", "post", "state", "note", "question",
                                            "figure", "guess", "charge", "report", "cry",
                                            "offer", "reported"})

PRONOUNS: dict[str, str] = _by_word("pronouns")  # pronoun -> gender ("m", "f", "p", "n", "")
SUBJECT_PRONOUNS = frozenset(_words("subject pronouns"))
TITLES = _lower("titles")
HONORIFIC_GENDER: dict[str, str] = _by_word("honorific gender")
NOT_PERSON = _lower("not a person")
FUNCTION_WORDS = _lower("function words")
NAME_PARTICLES = frozenset(_words("name particles"))
TIME_WORDS = frozenset(_words("time words"))
BETWEEN_SUBJECT_AND_VERB = frozenset(_words("between subject and verb"))
COMMON_VERBS = frozenset(_words("common verbs"))
OBJECT_MARKERS = frozenset(_words("object markers"))
DETERMINERS = frozenset(_words("determiners"))
CLAUSE_OPENERS = frozenset(_words("clause openers"))
RELATIVE = frozenset(_words("relative"))
TAIL_STARTS = frozenset(_words("tail starts"))
MODALS = frozenset(_words("modals"))
INVERTING = frozenset(_words("inverting"))
PASSIVE = frozenset(_words("passive"))
LEAD_ADVERBIAL = frozenset(_words("lead adverbial"))
CONJUNCTIONS = frozenset(_words("conjunctions"))
AUXILIARIES = frozenset(_words("auxiliaries"))
ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    head: tuple(words) for head, words in _table("role synonyms").items()}
