"""People mentioned in an article, and a quote's speaker resolved to their full name.

A quote's attribution often names its speaker short ("Cruz said", "he said", "the senator
said"); the full name was introduced earlier ("Sen. Ted Cruz"). Mentions are resolved by
surname, descriptions by role, pronouns by the recency of speakers of the same gender
(guessed from the pronouns that follow each mention).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from digest.quotes.attribution import sentence_subject
from digest.quotes.lexicon import (
    HONORIFIC_GENDER,
    NOT_PERSON,
    PASSIVE,
    PRONOUNS,
    ROLE_SYNONYMS,
    SPEECH_VERBS,
    TITLES,
)
from digest.quotes.marks import Found, ParagraphOf
from digest.quotes.names import is_cap, lower_words, opening_person
from digest.quotes.phrases import np_before
from digest.quotes.sentences import sentence_initial, sentence_start


@dataclass
class _Entity:
    """A person at one place in the article: a mention of them, or them speaking."""

    name: str
    role: str
    pos: int
    gender: str = ""
    end: int = 0  # end of the mention, for finding its role when it is needed
    role_done: bool = False


# Runs of capitalised words; only initials and abbreviations may end in a dot inside one.
# (Every run starts with a capital: the lookahead says so first, which lets the scan skip
# the other positions at once; it halved the time of the scan.)
_NAME_RUN = re.compile(
    r"(?=[A-Z])(?:(?:[A-Z]\.|(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|St|Jr|Sr|Lt|Col|Prof|Rev)\."
    r"|[A-Z][\w’'\-]*)[ \u00a0]+(?:(?:de|van|von|da|di|del|bin|al|la|le)[ ]+)?)+"
    r"[A-Z][\w’'\-]*"
)


def _person_runs(text: str, blocked: list[tuple[int, int]]) -> list[_Entity]:
    """Full names (two or more name words) mentioned outside quotes, in order."""
    out = _People()
    bi = 0
    for m in _NAME_RUN.finditer(text):
        while bi < len(blocked) and blocked[bi][1] <= m.start():
            bi += 1
        if bi < len(blocked) and blocked[bi][0] <= m.start() < blocked[bi][1]:
            continue
        run = tuple(m.group().split())
        # a sentence's first word seen in lower case elsewhere is a common word ("Signs of")
        common_opening = sentence_initial(text, m.start()) and \
            run[0].lower() in lower_words(text)
        words = opening_person(run, common_opening)
        if words is None:
            continue
        role_w, name_w = words
        # role: the words before the name ("Russian president", "foreign ministry spokesperson")
        role = " ".join(role_w)
        start_name = m.start() + m.group().find(name_w[0]) if name_w[0] in m.group() else m.start()
        gender = ""
        # "spokeswoman Jane Ross", "Mrs. Jane Ross": the words right before the name
        for w in text[max(0, m.start() - 40):m.start()].split()[-2:] + list(role_w):
            gender = HONORIFIC_GENDER.get(w.lower(), gender)
        name = " ".join(name_w)
        if len(name_w) == 1:
            earlier = _resolve_name(name, start_name, out)
            if earlier is None or earlier.pos > start_name:
                continue  # no full name for it yet
            name = earlier.name
        out.add(_Entity(name, role, start_name, gender, m.end()))
    return out


def _entity_role(text: str, e: _Entity) -> str:
    """The words before a full name that say who the person is ("Russian president")."""
    if e.end and not e.role_done:
        line_start = text.rfind("\n", 0, e.pos) + 1
        np = np_before(text, max(line_start, e.pos - 120), e.end)
        if np is not None and np.speaker and np.role:
            e.role = np.role
        e.role_done = True
    return e.role


# (the lookahead, "an h or an s", lets the search skip the other positions: twice as fast)
_GENDERED = re.compile(r"(?=[hs])\b(he|his|him|himself|she|her|hers|herself)\b", re.IGNORECASE)


def _pronoun_votes(text: str, items: list[_Entity],
                   blocked: list[tuple[int, int]]) -> dict[str, list[int]]:
    """[he, she] counts by name: the first pronoun after each mention (in text order),
    outside quotes. The counts of one list of mentions never change, so they are made once
    and pooled with others' by `_pooled`."""
    starts = [a for a, _ in blocked]
    votes: dict[str, list[int]] = {}
    for i, e in enumerate(items):
        nxt = items[i + 1].pos if i + 1 < len(items) else len(text)
        start = e.end or e.pos
        m = _GENDERED.search(text, start, min(max(nxt, start), start + 250))
        if m is None:
            continue
        k = bisect.bisect_right(starts, m.start()) - 1
        if k >= 0 and blocked[k][0] <= m.start() < blocked[k][1]:
            continue  # a pronoun inside a quote speaks of someone else
        word = m.group(1).lower()
        votes.setdefault(e.name, [0, 0])[1 if word in ("she", "her", "hers", "herself")
                                         else 0] += 1
    return votes


def _pooled(*tallies: dict[str, list[int]]) -> dict[str, list[int]]:
    """The [he, she] counts of several lists of mentions, added up by name."""
    out: dict[str, list[int]] = {}
    for tally in tallies:
        for name, (he, she) in tally.items():
            both = out.setdefault(name, [0, 0])
            both[0] += he
            both[1] += she
    return out


def _gender_votes(groups: list[list[_Entity]], votes: dict[str, list[int]]) -> None:
    """Guess people's gender from the pronoun votes (`_pronoun_votes`) of their name.

    Votes are pooled by name, so "Obama said ... He" tells about every mention of Obama.
    """
    for items in groups:
        for e in items:
            if not e.gender and e.name in votes:
                he, she = votes[e.name]
                if he != she:
                    e.gender = "m" if he > she else "f"
    known = {e.name: e.gender for items in groups for e in items if e.gender}
    for items in groups:
        for e in items:
            if not e.gender:
                e.gender = known.get(e.name, "")


def _resolve_name(short: str, pos: int, entities: list[_Entity]) -> _Entity | None:
    toks = [t for t in short.replace("’s", "").split() if t.lower() not in TITLES]
    if not toks:
        return None
    key = toks[-1].lower()
    first = toks[0].lower()
    candidates = _name_index(entities).get(key, [])
    best = None
    for e in candidates:  # in text order: the latest before `pos`, else the first after
        if len(toks) > 1 and first not in e.name.lower().split():
            continue
        if e.pos <= pos:
            best = e
        else:
            if best is None:
                best = e
            break
    return best


def _name_index(entities: list[_Entity]) -> dict[str, list[_Entity]]:
    index = getattr(entities, "index_by_word", None)
    if index is None:
        index = {}
        for e in entities:
            for part in set(e.name.lower().split()):
                index.setdefault(part, []).append(e)
        try:
            entities.index_by_word = index  # type: ignore[attr-defined]
        except AttributeError:
            pass
    return index


class _People(list):
    """Person mentions in text order, with an index by name word built when first needed."""

    index_by_word: dict | None = None

    def add(self, e: _Entity) -> None:
        self.append(e)
        if self.index_by_word is not None:
            for part in set(e.name.lower().split()):
                self.index_by_word.setdefault(part, []).append(e)


def _full_name(text: str, speaker: str, role: str, pos: int,
               entities: list[_Entity]) -> tuple[str, str, str]:
    """(name, role, gender) of a mention, using the full name introduced for it."""
    ent = _resolve_name(speaker, pos, entities)
    if ent is None or len(ent.name.split()) < len(speaker.split()):
        return speaker, role, ""
    honorific = role.lower().rstrip(".") in {"mr", "mrs", "ms", "dr", "miss"}
    if not role or honorific:
        role = _entity_role(text, ent) or ("" if honorific else role)
    return ent.name, role, ent.gender


def _insort(events: list[_Entity], ev: _Entity) -> None:
    """Add an event in text order: events come quote by quote, lookups want them sorted."""
    i = len(events)
    while i > 0 and events[i - 1].pos > ev.pos:
        i -= 1
    events.insert(i, ev)


@cache  # one per speech verb: a few hundred at most
def _whole_word(word: str) -> re.Pattern:
    # the word first, its start checked after (a pattern that opens with the letters skips
    # straight to them; one opening with \b tries every position)
    return re.compile(rf"{word}(?<=\b{word})\b")


def _speech_verbs_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, verb) of each speech verb standing as a lower-case word, in text order.

    The words of LOWER_WORD that are speech verbs: only the verbs the text has (from its
    cached `lower_words`) are looked for, each with a pattern that skips to its letters,
    instead of visiting the text's every word.
    """
    found = [(m.start(), m.end(), verb) for verb in lower_words(text) & SPEECH_VERBS
             for m in _whole_word(verb).finditer(text)]
    found.sort()  # whole words do not overlap: the starts differ
    return found


def _speech_events(text: str, blocked: list[tuple[int, int]], para_of: ParagraphOf,
                   entities: list[_Entity], entity_votes: dict[str, list[int]]
                   ) -> list[_Entity]:
    """Named people who speak in the article ("Putin told Xi ..."), in order.

    `entity_votes` are the pronoun votes of `entities` (`_pronoun_votes`).
    """
    events: list[_Entity] = []
    genders = {e.name: e.gender for e in entities if e.gender}
    bi = 0
    for start, end, verb in _speech_verbs_in(text):
        while bi < len(blocked) and blocked[bi][1] <= start:
            bi += 1
        if bi < len(blocked) and blocked[bi][0] <= start:
            continue
        ps, _ = para_of(start)
        sent_lo = sentence_start(text, ps, start)
        comma = text[sent_lo:start].rstrip()
        if comma.rsplit(None, 1)[-1:] and comma.rsplit(None, 1)[-1].lower() in PASSIVE:
            continue  # "he was told": not a speaker
        if verb.endswith("ing") and comma.endswith(","):
            # "Ghebreyesus expressed a similar view, saying ...": the sentence's subject
            np = sentence_subject(text, sent_lo, sent_lo + len(comma) - 1)
        else:
            np = np_before(text, sent_lo, start)
        if np is None or np.pronoun or not is_cap(np.speaker):
            continue
        name, role, gender = _full_name(text, np.speaker, np.role, np.start, entities)
        events.append(_Entity(name, role, np.start, gender or genders.get(name, ""),
                              end, role_done=True))
    events.sort(key=lambda e: e.pos)
    _gender_votes([events, entities], _pooled(_pronoun_votes(text, events, blocked),
                                              entity_votes))
    return events


_PRONOUN_REACH = 2500  # characters: a "he said" looks back this far for its person


def _described(text: str, description: str, pos: int, events: list[_Entity],
               entities: list[_Entity]) -> _Entity | None:
    """The person a description such as "the spokesman" or "the Florida senator" names.

    The latest speaker or mention before `pos` whose role has the description's head noun.
    """
    words = description.lower().split()
    head = words[-1].strip(".,")
    if head not in TITLES and head not in HONORIFIC_GENDER and head not in ROLE_SYNONYMS:
        return None
    keys = ROLE_SYNONYMS.get(head, (head,))
    lo = pos - 3 * _PRONOUN_REACH
    pools = (_window(events, lo, pos), _window(entities, lo, pos))
    best = None
    for pool in pools:
        for e in reversed(pool):
            role = _entity_role(text, e).lower()
            if any(k in role.split() or k in role for k in keys) and \
                    (best is None or e.pos > best.pos):
                best = e
                break
    return best


def _window(items: list[_Entity], lo: int, hi: int) -> list[_Entity]:
    """The items (sorted by position) with lo <= pos < hi."""
    a = bisect.bisect_left(items, lo, key=lambda e: e.pos)
    b = bisect.bisect_left(items, hi, key=lambda e: e.pos)
    return items[a:b]


def _antecedent(want: str, pos: int, events: list[_Entity],
                entities: list[_Entity]) -> _Entity | None:
    """The person a "he"/"she" at `pos` most likely stands for.

    Speakers before mentions, a known gender before an unknown one, the latest first.
    """
    lo = pos - _PRONOUN_REACH
    recent_events = _window(events, lo, pos)
    recent_people = _window(entities, lo, pos)
    for pool, genders in ((recent_events, (want, "")), (recent_people, (want,)),
                          (recent_people, ("",))):
        for e in reversed(pool):
            if e.gender in genders and not any(
                    w.lower().rstrip(".") in NOT_PERSON for w in e.name.split()):
                return e
    return None


def resolve_speakers(text: str, found: list[Found], blocked: list[tuple[int, int]],
                     para_of: ParagraphOf) -> None:
    """Short mentions and pronouns of the quotes' speakers to the full name introduced earlier.

    `blocked` are the quoted spans (names inside them are not mentions); `para_of` gives the
    paragraph around a position.
    """
    entities = _person_runs(text, blocked)
    entity_votes = _pronoun_votes(text, entities, blocked)
    _gender_votes([entities], entity_votes)
    # who speaks where, found only when a "he said" needs it
    events: list[_Entity] | None = None
    pending: list[_Entity] = []
    for f in found:
        if not f.is_quote or not f.kind:
            continue
        if f.kind == "cont":
            src = f.extra["cont_of"]
            f.speaker, f.role = src.speaker, src.role
            continue
        pos = f.extra.get("np_pos", f.start)
        if f.extra.get("pronoun"):
            want = PRONOUNS.get(f.extra["pronoun"], "")
            if events is None:
                events = _speech_events(text, blocked, para_of, entities, entity_votes)
                for ev in pending:
                    _insort(events, ev)
            chosen = _antecedent(want, pos, events, entities) if want in ("m", "f") else None
            if chosen is not None:
                f.speaker, f.role = chosen.name, f.role or _entity_role(text, chosen)
                if len(chosen.name.split()) == 1:
                    f.speaker, f.role, _ = _full_name(text, chosen.name, f.role, chosen.pos,
                                                      entities)
                # "he said" about someone tells their gender
                _insort(events, _Entity(chosen.name, chosen.role, f.end, want))
            else:
                f.speaker = ""
            continue
        if f.speaker and f.speaker.lower().startswith("the "):
            # "the spokesman said": the person last introduced with that role
            if events is None:
                events = _speech_events(text, blocked, para_of, entities, entity_votes)
                for ev in pending:
                    _insort(events, ev)
            person = _described(text, f.speaker, pos, events, entities)
            if person is not None:
                f.speaker, f.role = person.name, _entity_role(text, person)
                continue
        if f.speaker and is_cap(f.speaker):
            name, role, gender = _full_name(text, f.speaker, f.role, pos, entities)
            f.speaker, f.role = name, role
            # a quote's speaker is also seen at the quote, for the next "he said"
            if events is None:
                pending.append(_Entity(name, role, f.end, gender))
            else:
                _insort(events, _Entity(name, role, f.end, gender))
