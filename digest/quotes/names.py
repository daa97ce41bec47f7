"""Words and names: tokens, capitalised words, titles, and where a name's role ends.

"Chinese President Xi Jinping" is a role ("Chinese President") and a name ("Xi Jinping");
the helpers here tell them apart for the noun-phrase and mention rules.
"""

from __future__ import annotations

import re
from functools import lru_cache

from digest.quotes.lexicon import FUNCTION_WORDS, NOT_PERSON, REPORTING_VERBS, TITLES

# A token is a word, an abbreviation with its dot ("Sen.", "U.S."), an initial before a
# name ("T. Cullen") or one punctuation mark.
_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}|(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|St|Jr|Sr|Prof|Rev|Capt|Adm|"
    r"Maj|Det|Cmdr|Pres|Sec|Supt|Cpl|Pvt|Sens|Reps)\.|[A-Z]\.(?=\s+[A-Z])|[\w’'\-@#]+(?:\.\w+)*"
    r"|[^\w\s]"
)
WORDS = re.compile(r"[\w’'\-\.]+")
PAST = re.compile(r"[a-z]+ed")
PLAIN_WORD = re.compile(r"[\w’'\-]+")
LOWER_WORD = re.compile(r"\b[a-z]+\b")
_POSSESSIVE_END = re.compile(r"(’s|'s|’|')$")
_KEEP_DOT = re.compile(r"(?:[A-Z]\.)+|Mr\.|Mrs\.|Ms\.|Dr\.|Jr\.|Sr\.|St\.")
_PARTICLE_NAME = re.compile(r"(?:al|el|bin|ibn|abu|de|da|di|du|van|von|le|la|d’|d')[-’']?[A-Z]")
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)

# The word helpers below are pure functions of one word (or one run of words) and are asked
# about the same few thousand words again and again: every noun phrase re-reads the names
# near it (split_name alone was 7% of `extract_quotes`, mostly from `_person_runs`).
# Most repeats are within an article: 4,096 entries hit as often as 16,384 did over the BBC
# and PolNeAR sets, and the five caches hold about 4 MB in a process (16,384: 14 MB).
_WORD_CACHE = 4096


def tokenize(s: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """(token, start, end) of each token of `s`, positions shifted by `offset`."""
    # (m[0] is m.group() without the method call: this list is the most built one here)
    return [(m[0], m.start() + offset, m.end() + offset) for m in _TOKEN.finditer(s)]


def words_of(s: str) -> list[str]:
    return WORDS.findall(s)


def has_reporting_verb(s: str) -> bool:
    return any(w.lower().strip(".") in REPORTING_VERBS for w in words_of(s))


@lru_cache(maxsize=_WORD_CACHE)
def is_cap(w: str) -> bool:
    """A capitalised word ("Putin", "O’Malley", "el-Sisi")."""
    return bool(w) and (w[0].isupper() or bool(_PARTICLE_NAME.match(w))) and \
        any(ch.isalpha() for ch in w)


@lru_cache(maxsize=_WORD_CACHE)
def clean_token(w: str) -> str:
    """A name word without its possessive, and without a dot unless it is an initial."""
    w = _POSSESSIVE_END.sub("", w)
    return w.rstrip(".") if not _KEEP_DOT.fullmatch(w) else w


@lru_cache(maxsize=_WORD_CACHE)
def is_title(w: str) -> bool:
    """President, Sen., Director-General, Co-founder: words that say what someone is."""
    lw = w.lower()
    if lw in TITLES:
        return True
    if "-" in lw:
        parts = [p for p in lw.split("-") if p]
        return any(p in TITLES for p in parts) or parts[:1] in (["co"], ["vice"], ["ex"])
    return False


def split_name(run: list[str]) -> tuple[list[str], list[str]]:
    """(role words, name words) of a capitalised run such as "Chinese President Xi Jinping"."""
    i = _name_start(tuple(run))
    # fresh lists each time: callers may change theirs, the cache must not see it
    return run[:i], run[i:]


@lru_cache(maxsize=_WORD_CACHE)
def _name_start(run: tuple[str, ...]) -> int:
    """Where the name words of `run` begin (the words before it are the role)."""
    i = len(run)
    while i > 0:
        w = run[i - 1]
        lw = w.lower()
        if is_title(w):
            break
        if lw.rstrip(".") in NOT_PERSON or w.isupper() and sum(c.isalpha() for c in w) > 1 \
                and i < len(run):
            # "NASA Administrator Jim Bridenstine", "Fox News host": not part of the name
            break
        i -= 1
    return i


@lru_cache(maxsize=_WORD_CACHE)
def person_words(run: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(role words, name words) of a run of capitalised words that names a person, else None.

    A pure function of the words, cached: the same names recur through an article and across
    articles, and this was over a third of the time of `mentions._person_runs`.
    """
    for k, w in enumerate(run[:-1]):
        if w.endswith(("’s", "'s", "’", "'")):
            run = run[:k + 1]  # "Sanders’ Jewish faith": the name ends at the possessive
            break
    role_w, name_w = split_name(list(run))
    name_w = [clean_token(w) for w in name_w]
    titled = bool(role_w) and any(w.lower() in TITLES for w in role_w)
    # "Prime Minister Johnson", "Mr. Putin": a title makes one word a person too
    if not (2 <= len(name_w) <= 4 or len(name_w) == 1 and titled):
        return None
    if any(w.lower().rstrip(".") in NOT_PERSON or w.isupper() and
           sum(c.isalpha() for c in w) > 1 for w in name_w):
        return None
    if any(w.lower() in FUNCTION_WORDS for w in name_w):
        return None
    return tuple(role_w), tuple(name_w)


@lru_cache(maxsize=_WORD_CACHE)
def opening_person(run: tuple[str, ...], common_opening: bool
                   ) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """`person_words` of a capitalised run without the words that open its sentence.

    A pure function of the words (and of whether the first is a common word opening a
    sentence), cached: the same runs recur through an article, and the stripping was most
    of `mentions._person_runs`' own time.
    """
    k = 0
    # "Stated Roger Stone:", "Signs of ...": words that open a sentence, not a name
    while k < len(run) and (run[k].lower().rstrip(".") in FUNCTION_WORDS or
                            run[k].lower() in REPORTING_VERBS or common_opening and k == 0):
        k += 1
    return person_words(run[k:])


def looks_personal(name: str) -> bool:
    """Two or more name words, none of them an organisation's or a place's."""
    words = name.split()
    return len(words) >= 2 and not any(w.lower().rstrip(".") in NOT_PERSON for w in words)


@lru_cache(maxsize=4)
def lower_words(text: str) -> frozenset[str]:
    """The lower-case words of a text (a word seen in lower case is a common word there)."""
    return frozenset(LOWER_WORD.findall(text))


def strip_article(s: str) -> str:
    return _ARTICLE.sub("", s.strip())
