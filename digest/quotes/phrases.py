"""Noun phrases next to a reporting verb: who "said", with their role.

`np_before` reads the phrase ending just before a verb ("Chinese President Xi Jinping said",
"a spokeswoman for the ministry said"), `np_after` the one starting just after it ("said Sen.
Ted Cruz, a Republican"). Each gives a `NounPhrase`: the speaker's name (or the whole
description when there is no name), the role, and where the mention sits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digest.quotes.lexicon import (
    BETWEEN_SUBJECT_AND_VERB,
    CLAUSE_OPENERS,
    COMMON_VERBS,
    DETERMINERS,
    FUNCTION_WORDS,
    NAME_PARTICLES,
    OBJECT_MARKERS,
    PRONOUNS,
    RELATIVE,
    REPORTING_VERBS,
    SUBJECT_PRONOUNS,
    TIME_WORDS,
    TITLES,
)
from digest.quotes.names import (
    PAST,
    PLAIN_WORD,
    clean_token,
    is_cap,
    is_title,
    looks_personal,
    lower_words,
    split_name,
    strip_article,
    tokenize,
)
from digest.quotes.sentences import sentence_initial


@dataclass
class NounPhrase:
    """Who a reporting verb names: the speaker, their role, and where the words sit."""

    speaker: str
    role: str
    mention: str
    start: int
    end: int
    pronoun: str = ""  # lower-case pronoun when the mention is one
    named: bool = False  # a person's or organisation's name, not a title or common noun


NP_REACH = 300  # characters: no subject with its role and appositive is longer
_PARTY_STATE = re.compile(r"^[RDI]-[A-Z][\w.\-]*$")  # ", R-Texas,": party and state, no role
_OF_TAIL = re.compile(r"(?:^|\s)(?:of|at|from|for)\s+(?:the\s+)?$")
_SPACES = re.compile(r"\s*")
# ", a physicist who is co-director of ...": the appositive after a name
_APPOSITIVE = re.compile(r"\s*((?:a|an|the|who|his|her|its|their)\b[^.;:“”\",]*)", re.IGNORECASE)


def np_before(text: str, lo: int, hi: int) -> NounPhrase | None:
    """The noun phrase ending at `hi` (just before a reporting verb)."""
    lo = max(lo, hi - NP_REACH)
    np = _np_before_core(text, lo, hi)
    if np is None or np.pronoun:
        return np
    # "Sam Wilson of UH Mānoa's Center said", "the mayor of Paris", "Jeffrey Lewis of the
    # James Martin Center for Nonproliferation Studies": the head comes first
    owner = None
    head_end = np.start
    for _ in range(3):
        m = _OF_TAIL.search(text, lo, head_end) if _may_end_of(text[lo:head_end]) else None
        if m is None:
            break
        candidate = _np_before_core(text, lo, m.start())
        if candidate is None or candidate.pronoun:
            break
        owner, head_end = candidate, candidate.start
        if owner.named and looks_personal(owner.speaker):
            break
    if owner is None:
        return np
    tail = text[owner.end:np.end].strip()
    if owner.named:
        role = (owner.role + " " if owner.role else "") + tail
        return NounPhrase(owner.speaker, role, text[owner.start:np.end], owner.start, np.end,
                          named=True)
    whole = text[owner.start:np.end]
    return NounPhrase(whole, "", whole, owner.start, np.end)


def _may_end_of(s: str) -> bool:
    """Whether `s` can end as `_OF_TAIL` wants (a space after "of", "at", "from", "for" or
    "the"): a check of the last characters that spares most searches of the whole reach."""
    words = s.rstrip()
    return len(words) < len(s) and words.endswith(("of", "at", "from", "for", "the"))


def _np_before_core(text: str, lo: int, hi: int) -> NounPhrase | None:
    chunk = text[lo:hi]
    toks = tokenize(chunk, lo)
    # drop adverbs between the subject and the verb ("he later said", "Trump also told")
    while toks and (toks[-1][0] in TIME_WORDS or not is_cap(toks[-1][0]) and (
            toks[-1][0].endswith("ly") or toks[-1][0] in BETWEEN_SUBJECT_AND_VERB)):
        toks.pop()
    if not toks:
        return None
    # "X, a spokeswoman for Y," -> the appositive is the role
    appos_role = ""
    if toks[-1][0] == ",":
        comma_i = len(toks) - 1
        j = comma_i - 1
        while j >= 0 and toks[j][0] not in {",", "(", ")", ".", ";", ":", "“", "”", '"'}:
            j -= 1
        if j >= 0 and toks[j][0] == "," and 1 <= comma_i - j - 1 <= 14:
            appos = toks[j + 1:comma_i]
            first = appos[0][0].lower()
            appos_text = text[appos[0][1]:appos[-1][2]]
            if first in {"a", "an", "the", "who", "which", "its", "his", "her", "their",
                         "whose", "one", "both", "now", "then", "formerly", "also"} or \
                    first.endswith("’s") or first in TITLES or _PARTY_STATE.match(appos_text):
                if not _PARTY_STATE.match(appos_text):
                    appos_role = appos_text
                toks = toks[:j]
            elif all(is_cap(t[0]) or t[0].lower() in NAME_PARTICLES for t in appos) and \
                    len(appos) <= 4:
                # "Carson’s business manager, Armstrong Williams,": the name is the
                # appositive, the words before it are the role
                named = np_before(text, appos[0][1], appos[-1][2])
                lead = np_before(text, lo, toks[j][1])
                if named is not None and named.speaker and lead is not None:
                    role = text[lead.start:toks[j][1]].strip()
                    return NounPhrase(named.speaker, strip_article(role), named.mention,
                                      lead.start, named.end)
                return None
            else:
                return None
        else:
            return None
    if not toks:
        return None
    last, ls, le = toks[-1]
    lw = last.lower()
    if lw in PRONOUNS and lw in SUBJECT_PRONOUNS:
        return NounPhrase("", "", last, ls, le, pronoun=lw)
    if lw == ")":
        # "Sen. Ted Cruz (R-Texas)"
        k = len(toks) - 1
        while k >= 0 and toks[k][0] != "(":
            k -= 1
        if k <= 0:
            return None
        toks = toks[:k]
        last, ls, le = toks[-1]
    # collect the capitalised run, allowing name particles inside it
    k = len(toks) - 1
    run_idx = []
    while k >= 0:
        w = toks[k][0]
        if is_cap(w) and (w.lower() not in FUNCTION_WORDS or run_idx and w.lower() in TITLES):
            run_idx.append(k)
        elif w.lower() in NAME_PARTICLES and run_idx and k > 0 and is_cap(toks[k - 1][0]):
            run_idx.append(k)
        else:
            break
        k -= 1
    run_idx.reverse()
    if run_idx:
        run = [toks[x][0] for x in run_idx]
        role_w, name_w = split_name(run)
        # lower-case role words before the run: "foreign ministry spokesperson Oleg Nikolenko"
        role_start = run_idx[0]
        if name_w:
            k = run_idx[0] - 1
            pre = []
            while k >= 0 and len(pre) < 8:
                w = toks[k][0]
                if not PLAIN_WORD.fullmatch(w):
                    break
                if w.lower() in {"the", "a", "an", "his", "her", "their", "its"}:
                    pre.append(k)
                    break
                if w == "of" and k > 0 and is_title(toks[k - 1][0]) and k + 1 in pre + run_idx:
                    pre.append(k)  # "Secretary of State Mike Pompeo"
                    k -= 1
                    continue
                if w.lower() in FUNCTION_WORDS and w.lower() not in {"former"} or \
                        w.lower() in REPORTING_VERBS or w.lower() in RELATIVE or \
                        w.lower() in COMMON_VERBS or PAST.fullmatch(w):
                    break
                pre.append(k)
                k -= 1
            if pre:
                role_start = min(pre)
                if toks[role_start][0].lower() == "the":
                    role_start += 1 if role_start + 1 <= run_idx[0] else 0
        role = ""
        first_i = min(run_idx[0], role_start if name_w else run_idx[0])
        if first_i > 0 and toks[first_i - 1][0] in OBJECT_MARKERS:
            return None  # "speaking to Fox News said": an object, not the subject
        if len(name_w) == 1 and not role_w and sentence_initial(text, toks[run_idx[0]][1]) \
                and name_w[0].lower() in lower_words(text):
            return None  # "Aides say ...", "Signs of ...": a common word that opens a sentence
        if name_w:
            name_start = run_idx[len(role_w)]
            role = text[toks[role_start][1]:toks[name_start][1]].strip() if \
                role_start < name_start else ""
            role = strip_article(role)
            speaker = " ".join(clean_token(w) for w in name_w)
            mention = text[toks[run_idx[0]][1]:toks[run_idx[-1]][2]]
            if appos_role:
                role = (role + ", " if role else "") + strip_article(appos_role)
            return NounPhrase(speaker, role, mention, toks[min(role_start, run_idx[0])][1],
                              toks[run_idx[-1]][2], named=True)
        # a title alone: "the President said"
        k = run_idx[0] - 1
        start = toks[run_idx[0]][1]
        if k >= 0 and toks[k][0].lower() in {"the", "a", "an"}:
            start = toks[k][1]
        mention = text[start:toks[run_idx[-1]][2]]
        return NounPhrase(mention, "", mention, start, toks[run_idx[-1]][2])
    # a common-noun subject: "the spokesman said", "a senior official told"
    k = len(toks) - 1
    idx = []
    while k >= 0 and len(idx) < 6:
        w = toks[k][0]
        if not PLAIN_WORD.fullmatch(w) or w.lower() in REPORTING_VERBS:
            break
        idx.append(k)
        if w.lower() in {"the", "a", "an", "one", "another", "some", "many", "his", "her",
                         "their", "its", "our"}:
            break
        k -= 1
    if idx:
        idx.reverse()
        first = toks[idx[0]][0].lower()
        if idx[0] > 0:
            before_w = toks[idx[0] - 1][0]
            if before_w.isalpha() and before_w.islower() and before_w not in CLAUSE_OPENERS:
                return None  # "relaying the news to parliament said": an object
        if first in {"and", "or", "but", "nor"}:
            return None
        if first in {"the", "a", "an", "one", "another", "some", "many", "his", "her",
                     "their", "its", "our"} or len(idx) == 1 or \
                first.endswith(("’s", "'s")) and is_cap(toks[idx[0]][0]):
            mention = text[toks[idx[0]][1]:toks[idx[-1]][2]]
            if len(idx) == 1 and first in FUNCTION_WORDS:
                return None
            if toks[idx[-1]][0].lower() in FUNCTION_WORDS | RELATIVE:
                return None
            return NounPhrase(mention, "", mention, toks[idx[0]][1], toks[idx[-1]][2])
    return None


def np_after(text: str, lo: int, hi: int) -> NounPhrase | None:
    """The noun phrase starting at `lo` (just after "said")."""
    chunk = text[lo:hi]
    m = _SPACES.match(chunk)
    pos = lo + (m.end() if m else 0)
    toks = tokenize(text[pos:hi], pos)
    if not toks:
        return None
    w0 = toks[0][0].lower()
    if w0 in SUBJECT_PRONOUNS:
        return NounPhrase("", "", toks[0][0], toks[0][1], toks[0][2], pronoun=w0)
    # stop at the first comma, "in", "on", "at"... : the NP is short
    end_i = 0
    while end_i < len(toks):
        w = toks[end_i][0]
        if w in {",", ".", ";", ":", "(", "“", "”", '"', "—", "–", "?", "!"}:
            break
        if end_i > 0 and w.lower() in {"in", "on", "at", "during", "after", "before", "when",
                                       "while", "about", "to", "that", "as", "last",
                                       "this", "on", "told", "who", "which", "and",
                                       "yesterday", "today", "monday", "tuesday",
                                       "wednesday", "thursday", "friday", "saturday",
                                       "sunday", "tonight", "earlier", "later", "recently"}:
            # "a longtime adviser to both Clintons": a common noun takes its complement
            if not (w.lower() in {"to", "with"} and toks[0][0].lower() in DETERMINERS):
                break
        end_i += 1
    np_toks = toks[:end_i]
    if not np_toks:
        return None
    words = [t[0] for t in np_toks]
    of_role = ""
    for p_, w in enumerate(words):
        if p_ > 0 and w.lower() in {"of", "from"} and is_cap(words[p_ - 1]) and \
                words[p_ - 1].lower() not in TITLES:
            # "said Ryan Cloutier of the Harvard-Smithsonian Center": the name comes first
            of_role = text[np_toks[p_][1]:np_toks[-1][2]]
            after_of_end = np_toks[-1][2]
            np_toks = np_toks[:p_]
            words = words[:p_]
            break
    # the capitalised run at the end is the name ("said Sen. Ted Cruz", "said former
    # governor Jeb Bush"); a run of title words alone is a role; an organisation's name
    # after the person's is not the speaker ("said Russell Zimmerman per ABC News")
    k = len(words)
    while k > 0 and (is_cap(words[k - 1]) or words[k - 1].lower() in NAME_PARTICLES):
        k -= 1
    if k > 0 and k < len(words) and not looks_personal(" ".join(split_name(words[k:])[1])):
        j = k - 1
        while j >= 0 and not is_cap(words[j]):
            j -= 1
        if j >= 0:
            start_j = j
            while start_j > 0 and (is_cap(words[start_j - 1]) or
                                   words[start_j - 1].lower() in NAME_PARTICLES):
                start_j -= 1
            if looks_personal(" ".join(split_name(words[start_j:j + 1])[1])):
                np_toks = np_toks[:j + 1]
                words = words[:j + 1]
                k = start_j
    run = words[k:]
    role_w, name_w = split_name(run) if run else ([], [])
    appos = ""
    after_end = np_toks[-1][2]
    if end_i < len(toks) and toks[end_i][0] == ",":
        # "said James Acton, a physicist who is co-director of ..." -> the role
        rest = text[toks[end_i][2]:hi]
        m2 = _APPOSITIVE.match(rest)
        if m2:
            appos = m2.group(1).strip().rstrip(",")
    elif end_i < len(toks) and toks[end_i][0] == "(":
        pass
    if name_w and words[0].lower() not in {"the", "a", "an"} | FUNCTION_WORDS - {"former"} \
            or name_w and k > 0:
        name_start = np_toks[k + len(role_w)][1]
        role = text[np_toks[0][1]:name_start].strip()
        role = strip_article(role) if role.lower() not in {"the", "a", "an"} else ""
        if of_role:
            role = (role + " " if role else "") + of_role
            after_end = after_of_end
        if appos:
            role = (role + ", " if role else "") + strip_article(appos)
        speaker = " ".join(clean_token(w) for w in name_w)
        return NounPhrase(speaker, role, text[np_toks[0][1]:after_end], np_toks[0][1],
                          after_end, named=True)
    if words[0].lower() in {"the", "a", "an", "one", "another", "some", "many", "his",
                            "her", "their", "its", "our"} and len(words) <= 8:
        mention = text[np_toks[0][1]:after_end]
        return NounPhrase(mention, strip_article(appos) if appos else "", mention,
                          np_toks[0][1], after_end)
    if name_w:
        mention = text[np_toks[0][1]:after_end]
        return NounPhrase(" ".join(clean_token(w) for w in name_w), "", mention,
                          np_toks[0][1], after_end)
    return None
