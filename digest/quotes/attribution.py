"""Attribution: who a quote is attributed to, from the words around it.

The patterns: "..., X said", "said X", "according to X", "X: ...", "― X" after a quote;
"X said:", "X quoted Y as saying", "as X put it" before one; and, failing those, the subject
of the sentence the quote sits in ("Weaver ..., telling reporters, “...”").
"""

from __future__ import annotations

import re

from digest.quotes.lexicon import (
    AUXILIARIES,
    BASE_VERBS,
    CONJUNCTIONS,
    DETERMINERS,
    FUNCTION_WORDS,
    INVERTING,
    LEAD_ADVERBIAL,
    MODALS,
    NAME_PARTICLES,
    PASSIVE,
    RELATIVE,
    REPORTING_VERBS,
    SUBJECT_PRONOUNS,
    TAIL_STARTS,
)
from digest.quotes.marks import MARKS
from digest.quotes.names import (
    PAST,
    WORDS,
    has_reporting_verb,
    is_cap,
    looks_personal,
    strip_article,
    tokenize,
    words_of,
)
from digest.quotes.phrases import NP_REACH, NounPhrase, np_after, np_before
from digest.quotes.sentences import sentence_start

_STOP_PUNCT = {".", "!", "?", ";", "“", "”", '"', "«", "»"}
# Compiled once, not named as strings at each call: pysbd fills the `re` module's cache of
# compiled patterns with one per sentence it splits, which pushed these out again and again.
_DASH_LEAD = re.compile(r"\s*[―—–]\s*(?=[A-Z@])")
_ACCORDING_TO = re.compile(r"\baccording to\s+(.+?)[,:]?\s*$", re.IGNORECASE)
_PUT_IT = re.compile(r"\b(?:put it|had this to say(?: about [^,:]+)?)\s*[,:]?\s*$")
# "Anna Berg:" at the end; the lookbehind starts a try only where a word starts (a match
# found inside a word would also be found at its start, so the result is the same, and the
# search is no longer quadratic in the word's length)
_COLON_END = re.compile(r"(?<![^\s:])([^\s:]+)\s*:\s*$")
_NON_SPACE = re.compile(r"\S")
_DASH_OR_STOP = ("-", "–", "—", ":", ".")  # what may end the words before a "Name:"


def _first_verb(toks: list[tuple[str, int, int]], limit: int) -> int | None:
    for i, (w, _, _) in enumerate(toks[:limit]):
        lw = w.lower()
        if lw in REPORTING_VERBS and lw not in {"put", "went", "according", "read", "post",
                                                  "posted", "state", "states", "note", "notes",
                                                  "question", "figure", "figures", "guess",
                                                  "charge", "charges", "report", "reports",
                                                  "reading", "cry", "offer", "offers"} or \
                lw in {"posted", "read", "reads", "notes", "reports", "states", "reported"} \
                and i > 0:
            return i
    return None


_OF_PHRASE = re.compile(r"^(?:(?:a|an|the|one|two|another|some|several)\s+)?(?:[a-z][\w\-]*\s+)"
                        r"{1,3}(?:for|of|at|with|from|to)\s+(?:(?:the|a|an)\s+)?"
                        r"(?:[a-z][\w\-]*\s+){0,2}$")


_ROLE_FIRST = re.compile(r"^(?:(?:a|an|the|another|one|his|her|their|its)\s+)?(?:[a-z][\w\-]*\s+)"
                         r"{0,3}[a-z][\w\-]*\s*,[\s\u00a0]*$")


def attribution_after(text: str, lo: int, hi: int,
                      comma_led: bool = False) -> tuple[NounPhrase | None, str]:
    """Speaker named after a quote: ', he said', ', said X', ' ― X'."""
    chunk = text[lo:hi]
    if not chunk.strip():
        return None, ""
    m = _DASH_LEAD.match(chunk)
    if m:
        np = np_after(text, lo + m.end(), hi)
        if np is not None:
            return np, "―"
    toks = tokenize(chunk, lo)
    if toks and toks[0][0] in {",", "—", "–", "-"}:
        toks = toks[1:]
    if not toks:
        return None, ""
    if toks[0][0] in _STOP_PUNCT | {":", ")"}:
        return None, ""
    # the verb comes before any sentence end or other quote
    limit = len(toks)
    depth = 0
    for i, t in enumerate(toks):
        if t[0] == "(":
            depth += 1
        elif t[0] == ")":
            depth = max(0, depth - 1)
        elif t[0] in _STOP_PUNCT and depth == 0:
            limit = i
            break
    if toks[0][0].lower() == "according" and len(toks) > 2 and toks[1][0].lower() == "to":
        np = np_after(text, toks[1][2], hi)
        if np is not None:
            return np, "according to"
    vi = _first_verb(toks, min(limit, 26))
    if vi is None:
        if comma_led:
            # “...,” X assured the crowd: the comma inside the marks announces an
            # attribution even when its verb is not in the lexicon
            np = sentence_subject(text, toks[0][1], hi)
            if np is not None and np.start == toks[0][1] and (np.pronoun or
                                                              is_cap(np.speaker)):
                return np, "?"
            # “...,” exhorted Clinton's introducer: a verb the lexicon lacks, then its subject
            if PAST.fullmatch(toks[0][0]) and len(toks) > 1 and toks[1][0].isalpha():
                np = np_after(text, toks[0][2], hi)
                if np is not None and not np.pronoun and (
                        np.named or toks[1][0].lower() in DETERMINERS):
                    return np, toks[0][0]
            # “...,” Trump shot back: a name, then a verb the lexicon lacks
            k = 0
            while k < min(len(toks), 6) and (is_cap(toks[k][0]) or
                                            toks[k][0].lower() in NAME_PARTICLES):
                k += 1
            if 0 < k < len(toks) and toks[k][0].isalpha() and toks[k][0].islower() and \
                    toks[k][0] not in FUNCTION_WORDS | RELATIVE:
                np = np_before(text, toks[0][1], toks[k][1])
                if np is not None and np.start == toks[0][1] and is_cap(np.speaker):
                    return np, "?"
        return None, ""
    verb = toks[vi][0]
    if vi == 0 and verb.lower().endswith("ing"):
        # “...,” saying ...: a participle belongs to the sentence's subject, not to a name
        # that follows it
        return None, ""
    if not comma_led and vi > 0:
        # after a quote that ended its sentence, "He says not enacting laws..." starts a new
        # statement; only a short tail ("Trump said to a crowd.") attributes the quote
        rest = [t[0] for t in toks[vi + 1:limit]]
        if rest and len(rest) > 8 and not (rest[0].lower() in TAIL_STARTS or
                                            rest[0].endswith("ly") or
                                            is_cap(rest[0]) or rest[0] in {",", "."}):
            return None, ""
    if vi == 0:
        return np_after(text, toks[0][2], hi), verb
    if vi + 1 < len(toks) and toks[vi + 1][0].lower() == "that":
        return None, ""
    np = np_before(text, toks[0][1], toks[vi][1])
    if np is not None and (np.start == toks[0][1] or np.pronoun and np.start == toks[0][1]):
        return np, verb
    if np is not None and not np.pronoun and _OF_PHRASE.match(text[toks[0][1]:np.start]):
        # "a spokesman for committee Democrats said": the whole phrase is the speaker
        whole = text[toks[0][1]:np.end]
        return NounPhrase(whole, "", whole, toks[0][1], np.end), verb
    if np is not None and np.named and _ROLE_FIRST.match(text[toks[0][1]:np.start]):
        # "another friend, Mariam Emara, told": the role comes first, then the name
        role = strip_article(text[toks[0][1]:np.start].strip(" ,\u00a0"))
        return NounPhrase(np.speaker, role + (", " + np.role if np.role else ""), np.mention,
                          toks[0][1], np.end, named=True), verb
    # "Blunt, after a long pause, said": the subject is what comes before the first comma
    commas = [t for t in toks[:vi] if t[0] == ","]
    if commas:
        np = np_before(text, toks[0][1], commas[0][1])
        if np is not None and np.start == toks[0][1] and (np.pronoun or is_cap(np.speaker)):
            return np, verb
    return None, ""


_QUOTED_AS = re.compile(r"\bquot(?:ed|es|ing)\s+(.+?),?\s+as\s+(?:saying|telling|writing|"
                        r"calling)\b[^“”\"]*$")


def attribution_before(text: str, lo: int, hi: int) -> tuple[NounPhrase | None, str]:
    """Speaker named before a quote: 'X said:', 'according to X,', 'X: '."""
    chunk = text[lo:hi]
    if not chunk.strip():
        return None, ""
    # (no character but "C" is the case-blind pattern's "c", "o", "r" or "d": the lower-case
    # words hold "ccord" wherever the pattern matches)
    m = _ACCORDING_TO.search(chunk) if "ccord" in chunk.lower() else None
    if m:
        np = np_after(text, lo + m.start(1), hi)
        if np is not None and (np.named or not text[np.end:hi].strip(" ,:\u00a0\n")):
            # "according to Anna Berg, “...”"; in "According to its release, the NBA was
            # “...”" the clause after it has its own subject
            return np, "according to"
    m = _QUOTED_AS.search(chunk) if "quot" in chunk else None
    if m:
        # "Politico quoted Tim Manning, a former official, as saying “...”"
        np = np_after(text, lo + m.start(1), lo + m.end(1))
        if np is not None:
            return np, "quoted"
    # (the patterns below end the chunk; their searches try every position, so a look at
    # the words they need comes first)
    m = _PUT_IT.search(chunk) if "put it" in chunk or "had this to say" in chunk else None
    if m:
        np = np_before(text, lo, lo + m.start())
        if np is not None:
            return np, m.group().strip(" ,:")
    m = _COLON_END.search(chunk) if chunk.rstrip().endswith(":") else None
    toks = tokenize(chunk, lo)
    if m and not has_reporting_verb(chunk):
        np = np_before(text, lo, lo + m.end(1))
        first = _NON_SPACE.search(chunk)
        if np is not None and (np.speaker and is_cap(np.speaker) or np.pronoun) and \
                first is not None and (np.start <= lo + first.start() or
                                       text[lo:np.start].rstrip().endswith(_DASH_OR_STOP) or
                                       np.named and looks_personal(np.speaker)):
            # "Anna Berg: “...”" -- the colon follows the name and nothing else
            return np, ":"
    # the last reporting verb with its subject
    tried = 0
    for vi in range(len(toks) - 1, -1, -1):
        lw = toks[vi][0].lower()
        if lw in BASE_VERBS and vi > 0 and (toks[vi - 1][0].lower() in MODALS or
                                              vi > 1 and toks[vi - 2][0].lower() in MODALS):
            pass  # "a spokesman could only quip:"
        elif lw not in REPORTING_VERBS or lw in {"put", "went", "according", "state", "states",
                                               "note", "question", "figure", "guess",
                                               "charge", "report", "cry", "offer", "read"}:
            continue
        if vi > 0 and toks[vi - 1][0].lower() in PASSIVE:
            # "Trump was asked, “...”": the subject did not say it
            tried += 1
            if tried >= 3:
                break
            continue
        if lw.endswith("ing") and vi > 0 and toks[vi - 1][0] == ",":
            # "Hurley, for his part, ..., commenting: “...”": the participle's subject is
            # the sentence's
            np = sentence_subject(text, sentence_start(text, lo, toks[vi][1]), toks[vi - 1][1])
            if np is not None:
                return np, toks[vi][0]
        np = np_before(text, lo, toks[vi][1])
        if np is not None:
            return np, toks[vi][0]
        if tried == 0:
            # "Richard Ferrand, in relaying the news to parliament, said": the subject
            np = sentence_subject(text, sentence_start(text, lo, toks[vi][1]), toks[vi][1])
            if np is not None:
                return np, toks[vi][0]
        # "said Trump:"; but in "asked the crowd “...”" the crowd is spoken to
        tail = text[toks[vi][2]:hi]
        if (lw in INVERTING or vi == 0) and len(words_of(tail)) <= 6:
            np = np_after(text, toks[vi][2], hi)
            if np is not None:
                return np, toks[vi][0]
        tried += 1
        if tried >= 3:
            break
    return None, ""


_VERBISH = re.compile(r"[a-z]+(?:ed|s)")


def sentence_subject(text: str, lo: int, hi: int) -> NounPhrase | None:
    """The subject of the sentence between lo and hi ("Weaver didn't seem ..., telling")."""
    toks = tokenize(text[lo:min(hi, lo + 2 * NP_REACH)], lo)
    i = 0
    for _ in range(2):
        # "In June 2009, after Clinton suffered a concussion, Axelrod emailed ..."
        if i < len(toks) and (toks[i][0].lower() in LEAD_ADVERBIAL or
                              toks[i][0].endswith("ing") and is_cap(toks[i][0])):
            for k in range(i + 1, min(len(toks), i + 14)):
                if toks[k][0] == ",":
                    i = k + 1
                    break
            else:
                return None
    while i < len(toks) and (toks[i][0].lower() in CONJUNCTIONS or toks[i][0] == "," or
                             toks[i][0].endswith("ly") and i + 1 < len(toks) and
                             toks[i + 1][0] == ","):
        i += 1  # "And", "Specifically,"
    if i >= len(toks) or toks[i][0] in MARKS:
        return None
    if toks[i][0].lower() in SUBJECT_PRONOUNS:
        w = toks[i][0]
        return NounPhrase("", "", w, toks[i][1], toks[i][2], pronoun=w.lower())
    depth = 0
    seen_noun = False
    for j in range(i, len(toks)):
        w = toks[j][0]
        lw = w.lower()
        if w == "(":
            depth += 1
            continue
        if w == ")":
            depth = max(0, depth - 1)
            continue
        if depth:
            continue
        if j > i and (lw in AUXILIARIES or lw in REPORTING_VERBS or (not is_cap(w) and seen_noun and
                      _VERBISH.fullmatch(w) and lw not in FUNCTION_WORDS
                      and lw not in RELATIVE)):
            np = np_before(text, toks[i][1], toks[j][1])
            if np is not None and np.start == toks[i][1] and not np.pronoun:
                return np
            break
        if w in {",", ";", ":", ".", "“", "”", '"', "—", "–"}:
            if w == "," and j > i:
                np = np_before(text, toks[i][1], toks[j][1])
                if np is not None and np.start == toks[i][1] and is_cap(np.speaker):
                    # "Margaret Sullivan, in an attempt to ..., wrote"
                    rest = sentence_subject(text, toks[j][2], hi)
                    return np if rest is None or rest.pronoun or not rest.speaker else rest
                continue
            return None
        if WORDS.fullmatch(w):
            seen_noun = True
        if j - i > 16:
            break
    # "Hillary shot back, ...", "Assembly president Richard Ferrand in relaying ...": the
    # first lower-case word after a name that does not lead into another name ends it
    for k in range(i + 1, min(len(toks) - 1, i + 12)):
        w = toks[k][0]
        if not (w.isalpha() and w.islower()) or not is_cap(toks[k - 1][0]):
            continue
        if is_cap(toks[k + 1][0]) and w not in RELATIVE:
            continue  # "president Richard", "of State"
        np = np_before(text, toks[i][1], toks[k][1])
        if np is not None and np.start == toks[i][1] and np.named:
            return np
    return None
