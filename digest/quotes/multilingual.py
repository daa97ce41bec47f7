"""Quotes and their speakers in French, German and Spanish articles.

The English rules (`extract.py` and the modules it runs) lean on English word order and word
lists; these are the same ideas, smaller, for the press conventions of three more languages:

- French: « ... », a déclaré Jean Dupont / « ... », a-t-il ajouté / X a déclaré : « ... » /
  selon X, « ... » / « ... » indique X / s'est réjoui le président X;
- German: „...“, sagte Merkel / „...“, sagte er / X sagte: „...“ / laut X „...“ / „...“, so X
  (and »...« as some papers print it);
- Spanish: «...», dijo Sánchez / «...», ha afirmado el ministro / X aseguró: «...» /
  según X, «...».

A quote's speaker is read in the words after its closing mark (a reporting verb, then a name,
a description or a pronoun) or, failing that, in its clause before the opening mark (the name
before a reporting verb, or the name after "selon", "laut", "según"). A pronoun is the
nearest person named before it. A short phrase without a speaker ("« détermination »") and a
work's title ("la sculpture « La Petite danseuse »") are not quotes. The word lists are in
`multilingual.txt`.
"""

from __future__ import annotations

import re
from pathlib import Path

from digest.models import Quote
from digest.quotes.lexicon import _read_sections

LANGUAGES = ("fr", "de", "es")
_SECTIONS = _read_sections(Path(__file__).with_name("multilingual.txt"))


def _set(lang: str, name: str, lower: bool = True) -> frozenset[str]:
    words = " ".join(_SECTIONS[f"{lang} {name}"]).split()
    return frozenset(w.lower() for w in words) if lower else frozenset(words)


_LEX = {lang: {name: _set(lang, name, lower=name != "stop")
               for name in ("reporting verbs", "auxiliaries", "according", "pronouns",
                            "determiners", "title cues", "stop")}
        for lang in LANGUAGES}

_NB = "\u00a0\u202f"
# quotation mark pairs each language's press uses; one level of nesting inside « »
_PAIRS = {
    "fr": [r"«([^«»]*(?:«[^«»]*»[^«»]*)*)»", r"“([^“”]*)”", r"\"([^\"\n]*)\""],
    "es": [r"«([^«»]*(?:«[^«»]*»[^«»]*)*)»", r"“([^“”]*)”", r"\"([^\"\n]*)\""],
    "de": [r"„([^„“”]*)[“”]", r"»([^»«]*)«", r"“([^“”]*)”", r"\"([^\"\n]*)\""],
}
_PAIR_RES = {lang: [re.compile(p) for p in pats] for lang, pats in _PAIRS.items()}
_TOKEN = re.compile(r"[\w’'\-]+|[,:;.!?()]")
_NAME_WORD = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w’'\-.]*$")
_ELISION = re.compile(r"^(?:[lLdD]|qu)['’]")
_PARTICLES = frozenset("de du des von van der den del la le di da y".split())
_ROLE_ARTICLES = frozenset("le la les un une der die das den dem ein eine el los las una".split())
_PREPOSITIONS = frozenset("de à a par pour sur avec dans von in durch por para con".split())
# a description ends where a phrase of place or time starts ("ein Anhänger | im Internet")
_PLACE_PREPOSITIONS = frozenset("im am in auf bei à dans en sur lors depuis con desde tras ante "
                                "durante".split())
_DEFINITE = frozenset("le la l les der die das den dem el los las".split())
_STOP_SPACE = re.compile(r"[.!?]\s")
_STOP_END = re.compile(r"[.!?]$")
_SENTENCE_END = re.compile(r"[.!?][»“”\"]?\s+(?=[«„“\"A-ZÀ-Þ])|\n\s*\n")
_GERMAN_ROLE = re.compile(
    r"(?:minister|präsident|chef|sprecher|direktor|kanzler|trainer|vorsitzende|leiter|rat|"
    r"rätin|meister|kurator|loge|wirt|politiker|experte|sekretär|berater|anwalt|richter|"
    r"professor|manager|gründer|autor|abgeordnete)(?:in|r)?$", re.I)
_MAX_CONTEXT = 220  # characters read on either side of a quote
_MIN_WORDS = 4  # fewer words and no speaker: a phrase, not a quote


def extract_quotes_in(text: str, language: str) -> list[Quote]:
    """Every quotation in `text`, a French, German or Spanish article, with speakers."""
    lang = language if language in LANGUAGES else "fr"
    lex = _LEX[lang]
    spans = _spans(text, lang)
    out: list[Quote] = []
    for start, end in spans:
        # "il", "er", "él": the person named last in this sentence or the one before (or
        # who spoke there); further back a pronoun is more often a government or a team
        window = _recent(text, start)
        last_person = _last_person(text[window:start], lex)
        if out and out[-1].end > window and out[-1].speaker and \
                text.rfind(out[-1].speaker, window, start) < 0:
            last_person = out[-1].speaker if len(out[-1].speaker.split()) > 1 else last_person
        inner = text[start + 1:end - 1].strip(" " + _NB)
        before = _clause_before(text, start)
        if _is_title(inner, before, lex):
            continue
        speaker, role = _speaker_after(text[end:end + _MAX_CONTEXT], lex)
        if not speaker:
            speaker, role = _speaker_before(before, lex)
        if speaker.lower() in lex["pronouns"]:
            speaker, role = (last_person, "") if last_person else ("", "")
        elif speaker.startswith("="):  # a definite description: the person named before
            description = _strip_article(speaker[1:].split(), lex)
            speaker, role = (last_person, description) if last_person else (description, "")
        elif speaker == "-":
            # a reporting verb without its subject ("en ajoutant : « ...", "», añadió."):
            # the speaker of the quote just before, else the person last named
            if out and out[-1].speaker and start - out[-1].end < _MAX_CONTEXT:
                speaker, role = out[-1].speaker, out[-1].role
            else:
                speaker, role = last_person, ""
        between = text[out[-1].end:start] if out else ""
        if not speaker and out and out[-1].speaker and \
                not _STOP_SPACE.search(between) and "\n" not in between:
            # "un « triste rappel » du fait que l'économie est « au point mort »": a quote
            # in the same sentence as an attributed one is the same speaker's
            speaker, role = out[-1].speaker, out[-1].role
        if not speaker and len(inner.split()) < _MIN_WORDS:
            continue
        speaker, role = _german_role(speaker, role) if lang == "de" else (speaker, role)
        out.append(Quote(text=inner, speaker=speaker, role=role, start=start, end=end,
                         spans=[(start, end)]))
    return out


def _spans(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation, marks included; an inner quote is part of its outer."""
    found: list[tuple[int, int]] = []
    for pattern in _PAIR_RES[lang]:
        for m in pattern.finditer(text):
            if "\n\n" in m.group(0) or not m.group(1).strip(" " + _NB):
                continue
            found.append((m.start(), m.end()))
    found.sort(key=lambda se: (se[0], -se[1]))
    kept: list[tuple[int, int]] = []
    for s, e in found:
        if kept and s < kept[-1][1]:
            continue  # inside (or across) one already kept
        kept.append((s, e))
    return kept


def _recent(text: str, start: int) -> int:
    """Where the sentence before the one holding `start` begins."""
    lo = max(0, start - _MAX_CONTEXT * 3)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
    return ends[-2] if len(ends) >= 2 else lo


def _clause_before(text: str, start: int) -> str:
    """The words before a quote back to its sentence's start (or the quote before it)."""
    lo = max(0, start - _MAX_CONTEXT)
    chunk = text[lo:start]
    cut = max(chunk.rfind("\n"), chunk.rfind(". "), chunk.rfind("! "), chunk.rfind("? "),
              chunk.rfind("»"), chunk.rfind("“"), chunk.rfind(";"))
    return chunk[cut + 1:] if cut >= 0 else chunk


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _is_title(inner: str, before: str, lex: dict) -> bool:
    """A work's or a campaign's name: "la sculpture « La Petite danseuse »"."""
    words = _tokens(before)[-2:]
    cue = any(w.lower() in lex["title cues"] or w in lex["title cues"] for w in words)
    return cue and inner[:1].isupper() and not _STOP_END.search(inner)


def _name_at(tokens: list[str], i: int, lex: dict) -> tuple[str, int]:
    """The capitalised name that starts at tokens[i] ("Jean-Marc Ayrault", "Ursula von der
    Leyen"), and the index after it; ("", i) when there is none."""
    words: list[str] = []
    j = i
    while j < len(tokens):
        token = _ELISION.sub("", tokens[j]) if not words else tokens[j]
        if _NAME_WORD.match(token) and (token not in lex["stop"] or words):
            words.append(token)
            j += 1
        elif words and tokens[j] in _PARTICLES:
            # "von der Leyen", "de la Fuente": particles, then the name goes on
            k = j
            while k < len(tokens) and tokens[k] in _PARTICLES:
                k += 1
            if k - j > 2 or k >= len(tokens) or not _NAME_WORD.match(tokens[k]):
                break
            words.extend(tokens[j:k])
            j = k
        else:
            break
    return " ".join(words).strip(".").rstrip("’'"), j


def _speaker_after(after: str, lex: dict) -> tuple[str, str]:
    """"», a déclaré Mitt Romney", "», a-t-il ajouté", "“, sagte der Minister", "», dijo"."""
    tokens = _tokens(after)[:14]
    i = 0
    while i < len(tokens) and tokens[i] in ",":
        i += 1
    # up to three auxiliaries or adverbs between the mark and the verb
    for j in range(i, min(i + 4, len(tokens))):
        word = tokens[j].lower()
        if word in (".", "!", "?", ";", "(") or tokens[j][:1].isupper() and j > i:
            return "", ""
        if word in lex["reporting verbs"]:
            return _subject_after_verb(tokens, j, lex)
        if word not in lex["auxiliaries"] and not word.endswith(("-t-il", "-t-elle")) \
                and j > i + 1:
            return "", ""
    return "", ""


def _subject_after_verb(tokens: list[str], j: int, lex: dict) -> tuple[str, str]:
    """Who spoke, in the words after a reporting verb ("indique Guido Tonelli", "sagte er",
    "s'est réjoui le président Obama"); a pronoun in the verb ("dit-il") counts too."""
    verb = tokens[j].lower()
    if verb.endswith(("-il", "-elle")) or any(t.lower() in ("t-il", "t-elle", "a-t-il",
                                                             "a-t-elle") for t in tokens[:j]):
        return "il", ""
    k = j + 1
    # "fügte ... hinzu", "teilte ... mit": German particles come after the subject anyway
    if k < len(tokens) and tokens[k].lower() in lex["pronouns"]:
        return tokens[k].lower(), ""
    if k >= len(tokens) or tokens[k] in ".;!?" or tokens[k].lower() in _PLACE_PREPOSITIONS \
            or tokens[k].lower() in ("entre", "avec", "mit", "sans", "sin", "ohne"):
        return "-", ""  # "», añadió.", "», dijo entre lágrimas": the subject is the one before
    role_words: list[str] = []
    while k < len(tokens) and len(role_words) < 8:
        token = tokens[k]
        name, after = _name_at(tokens, k, lex)
        if name:
            # "la ministra de Trabajo, Yolanda Díaz", "der Chefvolkswirt der Commerzbank,
            # Jörg Krämer": a full name after a comma is the person the words before describe
            if after + 1 < len(tokens) and tokens[after] == ",":
                person, _ = _name_at(tokens, after + 1, lex)
                if len(person.split()) > 1:
                    role_words += name.split()
                    return person, _strip_article(role_words, lex)
            if len(name.split()) > 1 or not role_words or \
                    role_words[-1].lower() not in lex["determiners"] | _PREPOSITIONS:
                return name, _strip_article(role_words, lex)
            # "der Bürgermeister": a German noun, or an institution after "de"
            role_words += name.split()
            k = after
            continue
        if token == "," and k + 1 < len(tokens):
            person, _ = _name_at(tokens, k + 1, lex)
            if len(person.split()) > 1:  # "el portavoz del sindicato, Jordi Puig"
                return person, _strip_article(role_words, lex)
        if token in ",.;:!?(" or token[:1].isdigit() or \
                (role_words and token.lower() in _PLACE_PREPOSITIONS):
            break
        role_words.append(_ELISION.sub("", token))
        k += 1
    if role_words and role_words[0].lower() in lex["determiners"] | {"l"}:
        # "sagte der Minister", "dijo el portavoz": a description is a speaker too; one with
        # a definite article ("ha declarado el ministro") is someone named before
        if role_words[0].lower() in _DEFINITE:
            return "=" + " ".join(role_words), ""
        return " ".join(role_words), ""
    return "", ""


def _strip_article(words: list[str], lex: dict) -> str:
    while words and words[0].lower() in lex["determiners"] | {"l"}:
        words = words[1:]
    return " ".join(words)


def _speaker_before(before: str, lex: dict) -> tuple[str, str]:
    """"John Womersley a déclaré : « ...", "Laut Merkel „...", "Según el ministro, «..."."""
    tokens = _tokens(before)
    verb_at = max((i for i, t in enumerate(tokens) if t.lower() in lex["reporting verbs"]),
                  default=-1)
    according = next((i for i, t in enumerate(tokens)
                      if _ELISION.sub("d'", t.lower()) in lex["according"]
                      or t.lower() in lex["according"]), -1)
    if verb_at < 0 and according < 0:
        return "", ""
    if verb_at >= 0:
        if verb_at + 1 < len(tokens) and tokens[verb_at + 1].lower() in lex["pronouns"]:
            return tokens[verb_at + 1].lower(), ""  # "sagte er: „..."
        names = _names(tokens[:verb_at], lex)
        if names:
            return _best(names, tokens, lex)
        pronoun = next((t.lower() for t in tokens[:verb_at]
                        if t.lower() in lex["pronouns"]), "")
        if pronoun:
            return pronoun, ""
        # "dijo el portavoz: «": the subject after the verb; else "en ajoutant : « ...",
        # "et pense que « ...": the speaker before goes on
        after = _subject_after_verb(tokens, verb_at, lex)
        return after if after[0] else ("-", "")
    if according + 1 < len(tokens) and tokens[according + 1].lower() in lex["pronouns"]:
        return tokens[according + 1].lower(), ""  # "Selon elle, « ..."
    names = _names(tokens, lex)
    names = [n for n in names if n[1] > according]
    return _best(names, tokens, lex, according=True) if names else ("", "")


def _names(tokens: list[str], lex: dict, offset: int = 0) -> list[tuple[str, int, int]]:
    """(name, start, end) of the capitalised names among `tokens`."""
    out = []
    i = 0
    while i < len(tokens):
        name, j = _name_at(tokens, i, lex)
        if name:
            words = name.split()
            if i > 0 and tokens[i - 1].lower() in lex["determiners"] and len(words) >= 3 \
                    and words[1][:1].isupper():
                # "die Landrätin Cornelia Weigand": a German noun, then the name
                out.append((" ".join(words[1:]), i + 1 + offset, j + offset))
            else:
                out.append((name, i + offset, j + offset))
            i = j
        else:
            i += 1
    return out


def _institution(name: tuple[str, int, int], tokens: list[str], lex: dict) -> bool:
    start = name[1]
    return (start > 0 and tokens[start - 1].lower() in lex["determiners"]) or \
        bool(_ELISION.match(tokens[start]))


def _best(names: list[tuple[str, int, int]], tokens: list[str], lex: dict,
          according: bool = False) -> tuple[str, str]:
    """The speaker among names in a clause: a person's full name before a single word (an
    institution, "l'État"), the last one first; with the description before it as role."""
    # a name after an article is an institution or a noun ("el Congreso", "l'État", "la
    # Quadrature du Net"), not the person speaking; after "selon", "pour" it may speak
    people = [n for n in names if according or not _institution(n, tokens, lex)]
    if not people:
        return "-", ""
    full = [n for n in people if len(n[0].split()) > 1]
    name, start, _ = (full or people)[-1]
    role = _role_before(tokens[:start], lex)
    return name, role


def _role_before(tokens: list[str], lex: dict) -> str:
    """"le ministre des finances, Pierre Moscovici" -> "ministre des finances"."""
    words = tokens[:]
    while words and words[-1] == ",":
        words.pop()
    role: list[str] = []
    for k in range(len(words) - 1, -1, -1):
        token = words[k]
        if token in ",.;:!?()" or len(role) >= 6:
            break
        # a description starts at its article; one inside a phrase ("de la particule")
        # describes something else
        inside = k > 0 and words[k - 1].lower() in _PREPOSITIONS
        if token.lower() in _ROLE_ARTICLES:
            return " ".join(reversed(role)) if role and not inside else ""
        if _ELISION.match(token) and token[:1] in "lL":
            role.append(_ELISION.sub("", token))
            return " ".join(reversed(role)) if not inside else ""
        role.append(token)
    return ""


def _last_person(text: str, lex: dict) -> str:
    """The last full name (two capitalised words or more) in `text`."""
    tokens = _tokens(text[-_MAX_CONTEXT * 3:])
    names = [n for n in _names(tokens, lex)
             if len(n[0].split()) > 1 and not _institution(n, tokens, lex)]
    return _german_role(names[-1][0], "")[0] if names else ""


def _german_role(name: str, role: str) -> tuple[str, str]:
    """"Ministerin Anna Schmidt" -> ("Anna Schmidt", "Ministerin"): German nouns are
    capitalised, so a title before a name looks like part of it."""
    words = name.split()
    if len(words) >= 2 and _GERMAN_ROLE.search(words[0]):
        return " ".join(words[1:]), " ".join(w for w in (role, words[0]) if w)
    return name, role
