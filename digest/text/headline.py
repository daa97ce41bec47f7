"""A short headline for an article without a title, made from its lead sentence.

A news lead names who did what where before it says when and why: "Chinese President Xi
Jinping met Russian president Vladimir Putin in Moscow | on Monday, March 20 | as both leaders
work to...". So the headline is the lead cut at a clause or phrase boundary (a comma, a dash,
a subordinating word like "as" or "while", or a preposition that opens a phrase of place,
time or manner) that keeps at most `max_words` words, never in the middle of a phrase and
never with "…". Before cutting, what a headline leaves out goes: a leading "On Monday," or
"Yesterday,", a bracketed aside "(ICC)" and an appositive ", the chief executive of X,".
Pure rules on words; a language without its own word lists uses English's.
"""

from __future__ import annotations

import re

MAX_WORDS = 12
_MIN_WORDS = 4

# Words that open a clause: the lead's main clause ends before them.
_CLAUSE = {
    "en": "as while after before because when whereas which who whose where although though "
          "since amid despite following until unless but so including saying whereby",
    "fr": "alors tandis après avant parce lorsque quand qui dont où bien malgré depuis mais "
          "afin selon",
    "de": "als während nachdem bevor weil wenn obwohl seit trotz aber denn sodass wobei",
    "es": "mientras después antes porque cuando que quien donde aunque desde tras pero "
          "según pese",
}
# Prepositions that open a phrase of its own (place, time, manner): cutting before one keeps
# the phrase before it whole. "of" (and "de") binds to the noun before it, so it is not one.
_PREPOSITIONS = {
    "en": "in on at for with from to by over against into during near under across "
          "through toward towards about within without amid outside inside between",
    "fr": "à au aux en dans sur pour avec par contre pendant lors sous vers chez entre",
    "de": "in im am an auf für mit von vom zum zur bei über gegen während nach unter",
    "es": "en a al con por para sobre contra durante desde hacia tras ante entre bajo",
}
# A headline never ends on these: articles, conjunctions, auxiliaries, possessives.
_NO_END = {
    "en": "a an the and or but of to that this these those its his her their our my your "
          "is are was were be been has have had will would can could very more most known "
          "such called named due",
    "fr": "le la les un une des du de et ou mais que qui son sa ses leur leurs est sont a "
          "ont sera ayant étant",
    "de": "der die das den dem des ein eine einen einem einer und oder aber dass ist sind "
          "hat haben wird sein seine ihr ihre",
    "es": "el la los las un una unos unas y o pero de del que su sus es son ha han será",
}
# A lead's opening adverbial of time or source ("On Monday,", "Late on Sunday,", "According
# to a report on Wednesday by X,"): the first word of a segment that ends at a comma.
_OPENERS = {
    "en": "on yesterday today tonight late early earlier last this very in at according per "
          "following after during monday tuesday wednesday thursday friday saturday sunday "
          "january february march april may june july august september october november "
          "december",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche hier aujourd'hui selon "
          "ce cette à après avant lors depuis afin suite en dans",
    "de": "am gestern heute montag dienstag mittwoch donnerstag freitag samstag sonntag laut "
          "nach vor seit in im",
    "es": "ayer hoy lunes martes miércoles jueves viernes sábado domingo según tras "
          "después antes en durante",
}
_WEEKDAY_LEAD = re.compile(
    r"^(?:(?:late|early) )?on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?: (?:morning|afternoon|evening|night))? (?=[A-Z])", re.I)
_BRACKETS = re.compile(r"\s*\([^()]{0,80}\)")
_APPOSITIVE = re.compile(
    r"(?<=[A-Za-z\)]), (?:the|a|an|former|who|which|le|la|l'|der|die|das|el|la) [^,]{1,70}, ")
_OPENER_WORDS = 16  # "À la suite des élections législatives de dimanche 17 juin,"
_SOURCE_OPENERS = frozenset("according per selon laut según".split())
_RELATIVE = frozenset("who which whose where whom qui dont où der die das que quien".split())
_ARTICLES = frozenset("a an the un une le la les l' ein eine el la los las".split())
_PUNCT_CUT = re.compile(r"[,;:]$")
_DASH = {"-", "–", "—", "―"}


def _words(table: dict[str, str], language: str) -> frozenset[str]:
    return frozenset(table.get(language, table["en"]).split())


def headline(sentence: str, language: str = "en", max_words: int = MAX_WORDS) -> str:
    """The lead `sentence` cut to at most `max_words` words at a clause or phrase boundary.

    A lead that fits is the headline as it stands (without its full stop).
    """
    lang = (language or "en").split("-")[0].split("_")[0].lower()
    sentence = " ".join(sentence.split()).rstrip(" .")
    shortened = _without_asides(sentence, lang)
    if len(shortened.split()) >= _MIN_WORDS:
        sentence = shortened
    tokens = sentence.split(" ")
    if len(tokens) <= max_words:
        return sentence
    clause, prepositions, no_end = (_words(_CLAUSE, lang), _words(_PREPOSITIONS, lang),
                                    _words(_NO_END, lang))
    best: tuple[int, int] | None = None  # (value, length)
    for n in range(_MIN_WORDS, max_words + 1):
        last, following = tokens[n - 1], tokens[n]
        bare_last = last.rstrip(",;:").lower()
        if bare_last in no_end or bare_last in prepositions or bare_last in clause:
            continue
        nxt = following.lower().strip("“\"'(,;:")
        if _PUNCT_CUT.search(last) or following in _DASH or nxt in clause:
            bonus = 2  # the end of a clause: worth two words more than a phrase's end
        elif nxt in prepositions:
            bonus = 0
        else:
            continue
        if best is None or n + bonus >= best[0]:
            best = (n + bonus, n)
        if nxt in clause:
            break  # the main clause ends here: what follows belongs to another
    if best is None:
        # no boundary within reach: the longest prefix that does not end on a word that
        # needs the next one (still never a "…")
        n = max_words
        while n > _MIN_WORDS and tokens[n - 1].rstrip(",;:").lower() in no_end | prepositions:
            n -= 1
        return " ".join(tokens[:n]).rstrip(",;:")
    return " ".join(tokens[:best[1]]).rstrip(",;:")


def _without_asides(sentence: str, lang: str) -> str:
    """The lead without its opening adverbial, bracketed asides and appositives."""
    text = _BRACKETS.sub("", sentence)
    openers = _words(_OPENERS, lang)
    head, sep, rest = text.partition(", ")
    first = rest.split(" ", 1)[0].lower()
    # a head with a clause word in it holds the main clause ("At least seven were killed
    # yesterday when ..."): only an adverbial without one goes
    clause = _words(_CLAUSE, lang)
    if sep and head.split()[0].lower() in openers and len(head.split()) <= _OPENER_WORDS \
            and rest[:1].isalpha() and first not in _RELATIVE \
            and (first not in clause or len(head.split()) <= 3) \
            and not any(w.lower() in clause for w in head.split()[1:]):
        text = rest
        # "According to a report by UpGuard, a cybersecurity firm, ...": the opener's own
        # appositive goes with it
        lead, sep, rest = text.partition(", ")
        if sep and head.split()[0].lower() in _SOURCE_OPENERS \
                and lead.split()[0].lower() in _ARTICLES and len(lead.split()) <= 6:
            text = rest
    elif lang == "en":
        text = _WEEKDAY_LEAD.sub("", text)
    text = _APPOSITIVE.sub(" ", text, count=1)
    return text[:1].upper() + text[1:]
