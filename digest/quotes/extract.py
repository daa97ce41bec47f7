"""Direct quotations in news text, who said them, and which ones are worth showing.

Pure rules, no models: quotation marks are paired per paragraph (straight, curly, single,
angle), parts of a quote split by its attribution are joined, a quote left open at a
paragraph's end continues when the next paragraph opens with a mark (the usual convention
for multi-paragraph quotes). Speakers come from reporting-verb patterns next to the quote
("X said", "said X", "according to X", "X: ..."), then short mentions and pronouns are
resolved to the full name introduced earlier in the article, by surname and by recency of
speakers of compatible gender.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from digest.models import Quote

# --- lexicons -------------------------------------------------------------------------------

# Verbs that report speech or writing ("said", "warned", "tweeted"); inflected below.
_VERB_BASES = sorted(set("""
say tell add warn write tweet post explain note state declare claim argue insist ask reply
respond answer continue recall acknowledge admit announce assert observe remark suggest comment
concede contend maintain predict promise quip joke boast complain lament scoff shout yell
exclaim cry whisper mutter urge emphasize emphasise stress testify agree counter charge recount
caution vow pledge proclaim reiterate repeat confirm deny thunder fume snap muse wonder beg plead
demand offer chant read begin conclude report inform interject interrupt retort tout describe
reveal allege concur sneer gush marvel mock rail chime affirm elaborate confide disclose
estimate figure groan grumble guess hint imply implore instruct lecture opine preach protest
question reason reassure recite reckon recommend reflect rejoin relate remind riposte roar
scream sigh speculate stammer summarize summarise echo assure bark sing swear taunt tease
theorize threaten vent wail whine
""".split()))

_IRREGULAR = {
    "say": ["said", "says", "saying"],
    "tell": ["told", "tells", "telling"],
    "write": ["wrote", "writes", "writing", "written"],
    "begin": ["began", "begins", "beginning", "begun"],
    "swear": ["swore", "swears", "swearing", "sworn"],
    "read": ["read", "reads", "reading"],
    "cry": ["cried", "cries", "crying"],
    "deny": ["denied", "denies", "denying"],
    "reply": ["replied", "replies", "replying"],
    "testify": ["testified", "testifies", "testifying"],
    "figure": ["figured", "figures"],
    "guess": ["guessed", "guesses"],
    "imply": ["implied", "implies", "implying"],
    "summarize": ["summarized", "summarizes", "summarizing"],
    "summarise": ["summarised", "summarises", "summarising"],
    "quip": ["quipped", "quips", "quipping"],
    "echo": ["echoed", "echoes", "echoing"],
    "sing": ["sang", "sings", "singing", "sung"],
}


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


REPORTING_VERBS: frozenset[str] = frozenset(
    form for base in _VERB_BASES for form in _inflect(base)
) | frozenset({"posted", "wrote", "put", "went", "according"}) | frozenset(
    # base forms only where they are rarely nouns ("went on to say", "would add")
    "say tell add ask write tweet warn explain argue insist declare".split()
)
# "went on", "put it" and "according to" are handled by patterns; the bare words are
# only there so that a clause with them counts as an attribution.

_PRONOUNS = {
    "he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f",
    "they": "p", "i": "", "we": "p", "it": "n", "you": "",
}
_SUBJECT_PRONOUNS = {"he", "she", "they", "i", "we", "it", "you"}

# Words that start a role rather than a name inside a capitalised run
# ("Chinese President Xi Jinping", "Sen. Ted Cruz").
_TITLES = {w.lower() for w in """
President Vice Prime Minister Sen. Senator Rep. Representative Gov. Governor Secretary
Gen. General Lt. Col. Colonel Sgt. Sergeant Adm. Admiral Judge Justice Mayor Chancellor Speaker
Chairman Chairwoman Chair Chairperson Director Dr. Doctor Mr. Mrs. Ms. Miss Mx. Prof.
Professor Rev. Reverend Pastor Father Sister Brother Sir Dame Lord Lady King Queen Prince
Princess Pope Cardinal Bishop Archbishop Rabbi Imam Sheikh Ambassador Attorney Commissioner
Chief Officer Sheriff Detective Det. Coach Captain Capt. Pres. Sec. Supt. Superintendent
CEO CFO COO Leader Former Spokesman Spokeswoman Spokesperson Editor Editor-in-Chief
Founder Co-founder Host Anchor Correspondent Congressman Congresswoman Councilman
Councilwoman Councillor Councilor Assemblyman Assemblywoman Delegate Deputy Assistant
Acting Interim Agent Inspector Constable Superintendent Marshal Corporal Cpl. Pvt. Private
Major Maj. Lieutenant Commander Cmdr. Premier Emir Crown Candidate Nominee Executive
Manager Administrator Analyst Economist Strategist Adviser Advisor Pollster Commentator
Columnist Author Legislator Lawmaker MP MEP Mayor-elect President-elect Activist
Historian Scientist Researcher Professor Counsel Lawyer Diplomat Envoy Minister Foreign
Defense Defence Finance Interior State Trade Health Justice House Senate White Majority
Minority Whip National Security Press Communications Campaign Party Republican Democratic
Democrat Independent GOP Labour Labor Conservative Liberal Green Federal Presidential
Senior Junior Top Supreme High Deputy Associate Regional Global Special Police Fire Army Navy
Air Force Marine Marines Coast Guard
""".split()}

_HONORIFIC_GENDER = {"mr.": "m", "mr": "m", "mrs.": "f", "mrs": "f", "ms.": "f", "ms": "f",
                     "miss": "f", "sir": "m", "dame": "f", "lady": "f", "lord": "m",
                     "king": "m", "queen": "f", "prince": "m", "princess": "f",
                     "congressman": "m", "congresswoman": "f", "spokesman": "m",
                     "spokeswoman": "f", "chairman": "m", "chairwoman": "f",
                     "councilman": "m", "councilwoman": "f", "assemblyman": "m",
                     "assemblywoman": "f", "father": "m", "sister": "f", "brother": "m",
                     "businessman": "m", "businesswoman": "f", "actor": "m", "actress": "f",
                     "husband": "m", "wife": "f", "son": "m", "daughter": "f",
                     "mother": "f", "grandmother": "f", "grandfather": "m", "widow": "f",
                     "widower": "m", "man": "m", "woman": "f", "boy": "m", "girl": "f"}

# Capitalised words that mark a place or an organisation rather than a person.
_NOT_PERSON = {w.lower() for w in """
House Court Courts Senate Congress Committee Commission Council Department Ministry Office
Agency Administration Party University College School Institute Foundation Center Centre
Association Union Council Bank Fund Network News Times Post Journal Press Street Daily
Magazine Review Tribune Herald Gazette Radio Television TV Channel Group Company Corp.
Corp Corporation Inc. Inc Ltd. LLC Co. Campaign Department Church Hospital Board Bureau
Service Services Army Navy Force Forces Police Guard Government States Kingdom Republic
Union Nations Federation City County State Province Island Islands Valley River Mountain
Airport Station Park Square Hall Palace Kremlin Pentagon Hill Coast North South East West
Northern Southern Eastern Western Twitter Facebook Instagram YouTube Google Microsoft
Apple Amazon Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
March April May June July August September October November December Democrats
Republicans Americans Christmas PAC Project Council Summit Debate Convention Caucus
Caucuses Primary Organization Organisation Authority Team Club League
""".split()}

_FUNCTION_WORDS = {w.lower() for w in """
The A An This That These Those It Its In On At For From By With As And But Or If When While
After Before Since Because Although Though So Yet Then There Here What Who Whom Whose Which
Why How Where We I You He She They Our My Your His Her Their Not No Yes All Some Many Most
Both Each Every Any One Two Three Also Still Even Just Only Now Today Yesterday Tomorrow
Meanwhile However Instead Indeed Asked Speaking Later Earlier Last Next First Finally
Likewise Similarly Moreover Furthermore Additionally Separately Nevertheless Thus Hence
Therefore Otherwise Afterward Afterwards Again Well Oh Sure Perhaps Maybe
According Said Says Told Of To Over Under During Into Like Unlike Among Between About Against
""".split()}

_NAME_PARTICLES = {"de", "da", "di", "del", "della", "van", "von", "der", "den", "bin", "ibn",
                   "al", "el", "la", "le", "du", "dos", "das", "ter", "st."}

_MEDIA_CUE = re.compile(r"(?:\b[A-Z][\w\-]*(?:’s|'s)|\b(?:on|of|in|from|watching|watched|"
                        r"starring|star of|host of|hosts|hosted|hosting|leads|anchors))\s*,?\s*$")
_TITLE_CUES = re.compile(
    r"(?:\b(?:film|movie|book|novel|song|album|single|show|series|episode|play|musical|"
    r"poem|article|essay|column|op-ed|headline|report|documentary|program|programme|"
    r"podcast|memoir|titled|entitled|called|named|dubbed|hashtag|slogan|banner|sign|"
    r"magazine|newspaper|study|paper|speech|bill|act|law|track|painting|exhibition|game|"
    r"campaign|initiative|operation|app|website|blog|site)\s*,?\s*)$",
    re.IGNORECASE,
)

# --- marks ----------------------------------------------------------------------------------

# Typed text mixes curly and straight marks ("...” is common), so either closes.
_DOUBLE_OPEN = {"“": "”\"“", "„": "“”\"", '"': '"”', "«": "»", "»": "«"}
_SINGLE_OPEN = {"‘": "’", "'": "'", "‹": "›", "‚": "‘’"}
_OPEN_BEFORE = set(" \t\n([{—–-/:;,") | {"\u00a0", "\u2009", "\u202f"}
_WORD = re.compile(r"[\w’'\-\.]+|[^\w\s]", re.UNICODE)


@dataclass
class _Part:
    start: int  # index of the opening mark
    end: int  # index after the closing mark (or the paragraph's end when left open)
    closed: bool = True


@dataclass
class _Found:
    parts: list[_Part]
    speaker: str = ""
    role: str = ""
    mention: str = ""  # the words that named the speaker next to the quote
    cue: str = ""
    kind: str = ""  # how the speaker was found
    is_quote: bool = True
    extra: dict = field(default_factory=dict)

    @property
    def start(self) -> int:
        return self.parts[0].start

    @property
    def end(self) -> int:
        return self.parts[-1].end


def _paragraph_bounds(text: str) -> list[tuple[int, int]]:
    bounds = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            bounds.append((m.start(), m.end()))
    return bounds


def _is_opening(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if nxt.isspace():
        return False
    return prev in _OPEN_BEFORE or prev in _DOUBLE_OPEN or prev in _SINGLE_OPEN or i == 0


_CLOSERS: dict[str, re.Pattern] = {}
# '' (two apostrophes) stands for a double mark in some newswire text
_TWO_APOSTROPHES_CLOSE = re.compile(r"''(?!')")
_OPENERS = {id(_DOUBLE_OPEN): re.compile("''|[" + re.escape("".join(_DOUBLE_OPEN)) + "]"),
            id(_SINGLE_OPEN): re.compile("[" + re.escape("".join(_SINGLE_OPEN)) + "]")}


def _find_close(text: str, i: int, end: int, closers: str, single: bool) -> int | None:
    """Index of the mark closing the quote opened at i, inside [i, end)."""
    pattern = _CLOSERS.get(closers)
    if pattern is None:
        pattern = _CLOSERS[closers] = re.compile("[" + re.escape(closers) + "]")
    j = i + 1
    while True:
        m = pattern.search(text, j, end)
        if m is None:
            return None
        j = m.start()
        c = text[j]
        prev = text[j - 1]
        nxt = text[j + 1] if j + 1 < len(text) else " "
        if single:
            # an apostrophe inside a word (don't, O'Brien) is not a closing mark
            if nxt.isalnum() or prev.isspace():
                j += 1
                continue
        elif c == '"' and prev.isspace() and nxt.isalnum():
            # a straight mark that opens: the previous quote was never closed
            return None
        elif c == "“" and (prev.isspace() or nxt.isalnum()):
            j += 1  # an opening mark inside the quote; “ closes only after a word (“It's,“)
            continue
        return j


def _scan(text: str, start: int, end: int, marks: dict[str, str], single: bool,
          skip: list[tuple[int, int]]) -> list[_Part]:
    parts = []
    i = start
    skip_iter = iter(sorted(skip))
    next_skip = next(skip_iter, None)
    while i < end:
        while next_skip is not None and next_skip[1] <= i:
            next_skip = next(skip_iter, None)
        if next_skip is not None and next_skip[0] <= i < next_skip[1]:
            i = next_skip[1]
            continue
        m = _OPENERS[id(marks)].search(text, i, end if next_skip is None else
                                       min(end, max(next_skip[0], i)))
        if m is None:
            if next_skip is None or next_skip[0] >= end:
                break
            i = max(i, next_skip[0])
            continue
        i = m.start()
        c = text[i]
        if m.group() == "''":
            if (i == 0 or text[i - 1] in _OPEN_BEFORE) and not text[i + 2:i + 3].isspace():
                limit = end if next_skip is None else min(end, next_skip[0])
                close = _TWO_APOSTROPHES_CLOSE.search(text, i + 2, limit)
                while close is not None and text[close.end():close.end() + 1].isalnum():
                    close = _TWO_APOSTROPHES_CLOSE.search(text, close.end(), limit)
                if close is None:
                    parts.append(_Part(i, limit, closed=False))
                    i = limit
                else:
                    parts.append(_Part(i, close.end()))
                    i = close.end()
                continue
            i += 2
            continue
        if _is_opening(text, i):
            if single and c in "'’" and i > 0 and text[i - 1].isalnum() or \
                    c == "'" and ("'" in text[i - 1:i] or "'" in text[i + 1:i + 2]):
                i += 1
                continue
            limit = end if next_skip is None else min(end, next_skip[0])
            j = _find_close(text, i, limit, marks[c], single)
            if j is None:
                if single:
                    i += 1
                    continue
                parts.append(_Part(i, limit, closed=False))
                i = limit
                continue
            parts.append(_Part(i, j + 1))
            i = j + 1
            continue
        i += 1
    return parts


def _find_parts(text: str) -> list[_Part]:
    """Quoted spans, one per paragraph part; open ones are continued later."""
    parts: list[_Part] = []
    for ps, pe in _paragraph_bounds(text):
        doubles = _scan(text, ps, pe, _DOUBLE_OPEN, False, [])
        singles = _scan(text, ps, pe, _SINGLE_OPEN, True, [(p.start, p.end) for p in doubles])
        parts.extend(sorted(doubles + singles, key=lambda p: p.start))
    return parts


# --- joining --------------------------------------------------------------------------------

_PARTY_STATE = re.compile(r"^[RDI]-[A-Z][\w.\-]*$")
_SENT_END = re.compile(r"[.!?…][”\"’')\]]*\s+(?=[“\"‘'(\[A-Z0-9])")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Adm|St|Jr|Sr|Prof|Rev|Capt|Cmdr|Maj|"
    r"Det|Sec|Pres|Supt|No|Vol|Inc|Co|Corp|Ltd|vs|etc|Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec"
    r"|U\.S|U\.K|U\.N|D\.C|[A-Z])\.)$"
)


_WORDS = re.compile(r"[\w’'\-\.]+")
_POSSESSIVE_END = re.compile(r"(’s|'s|’|')$")
_KEEP_DOT = re.compile(r"(?:[A-Z]\.)+|Mr\.|Mrs\.|Ms\.|Dr\.|Jr\.|Sr\.|St\.")
_PAST = re.compile(r"[a-z]+ed")
_PLAIN_WORD = re.compile(r"[\w’'\-]+")
_VERBISH = re.compile(r"[a-z]+(?:ed|s)")
_LOWER_WORD = re.compile(r"\b[a-z]+\b")


def _words(s: str) -> list[str]:
    return _WORDS.findall(s)


def _has_verb(s: str) -> bool:
    return any(w.lower().strip(".") in REPORTING_VERBS for w in _words(s))


_MARKS = "“”„\"«»‘’'‹›‚"


def _inner(text: str, start: int, end: int) -> str:
    """The words of a quoted span without its marks."""
    s = text[start:end]
    s = s[2:] if s.startswith("''") else s[1:] if s[:1] in _MARKS else s
    if s.endswith("''"):
        return s[:-2]
    return s[:-1] if s[-1:] in _MARKS else s


def _bridge_ok(text: str, a: _Part, b: _Part) -> bool:
    """True when the words between two parts are only their attribution."""
    between = text[a.end:b.start]
    if "\n" in between or len(between) > 160:
        return False
    inner = _inner(text, a.start, a.end).rstrip()
    words = _words(between)
    if not words or len(words) > 22:
        return False
    if not _has_verb(between):
        return False
    # "...,” he said. “..." or "...,” he said, “..."; a full new sentence in between
    # ("...” Smith said. Jones added: “...") means two quotes.
    verbs = [w for w in words if w.lower().rstrip(".") in REPORTING_VERBS]
    if len(verbs) > 1:
        return False
    body = between.strip()
    if body.endswith(".") and _inner(text, b.start, b.end).rstrip().endswith(","):
        # "“A,” said Collins. “B,” added Rodgers.": the second part has its own speaker
        return False
    if body[-1:] not in ",.:;—–-" and words[-1].lower() not in REPORTING_VERBS:
        # "...,” Trump said on ABC’s “Good Morning America.”": not a second part
        return False
    for m in _SENT_END.finditer(body):
        if not _ABBREV.search(body[max(0, m.start() - 12):m.start() + 1]):
            return False  # a second sentence: "...” Cruz said. Later he called it “..."
    if not (inner.endswith((",", "—", "–", "-", "…", "..."))
            or between.lstrip().startswith(",")
            or inner[-1:] in "?!" and between.strip()[:1].islower()):
        return False
    return True


def _join(text: str, parts: list[_Part]) -> list[_Found]:
    found: list[_Found] = []
    for part in parts:
        if found:
            last = found[-1]
            prev = last.parts[-1]
            if not prev.closed:
                # a paragraph left open continues if the next paragraph opens a quote
                gap = text[prev.end:part.start]
                if not gap.strip():
                    last.parts.append(part)
                    continue
            elif _bridge_ok(text, prev, part):
                last.parts.append(part)
                continue
        found.append(_Found([part]))
    for f in found:
        # a multi-paragraph quote is one span from its first mark to its last
        merged: list[_Part] = []
        for p in f.parts:
            if merged and not merged[-1].closed:
                merged[-1] = _Part(merged[-1].start, p.end, p.closed)
            else:
                merged.append(p)
        if not merged[-1].closed:
            # trim a quote that was never closed to its paragraph's last word
            last = merged[-1]
            while last.end > last.start and text[last.end - 1].isspace():
                last.end -= 1
        f.parts = merged
    return found


# --- names ----------------------------------------------------------------------------------

_CAP = re.compile(r"^(?:[A-Z][\w’'\-\.]*|[A-Z]\.|O’\w+|O'\w+|Mc\w+|[A-Z]{2,}\w*)$")


_PARTICLE_NAME = re.compile(r"(?:al|el|bin|ibn|abu|de|da|di|du|van|von|le|la|d’|d')[-’']?[A-Z]")


def _is_cap(w: str) -> bool:
    """A capitalised word ("Putin", "O’Malley", "el-Sisi")."""
    return bool(w) and (w[0].isupper() or bool(_PARTICLE_NAME.match(w))) and \
        any(ch.isalpha() for ch in w)


@dataclass
class _NP:
    speaker: str
    role: str
    mention: str
    start: int
    end: int
    pronoun: str = ""  # lower-case pronoun when the mention is one
    named: bool = False  # a person's or organisation's name, not a title or common noun


_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}|(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|St|Jr|Sr|Prof|Rev|Capt|Adm|"
    r"Maj|Det|Cmdr|Pres|Sec|Supt|Cpl|Pvt|Sens|Reps)\.|[A-Z]\.(?=\s+[A-Z])|[\w’'\-@#]+(?:\.\w+)*"
    r"|[^\w\s]"
)


def _tokens(s: str, offset: int = 0) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start() + offset, m.end() + offset) for m in _TOKEN.finditer(s)]


def _clean_tok(w: str) -> str:
    w = _POSSESSIVE_END.sub("", w)
    return w.rstrip(".") if not _KEEP_DOT.fullmatch(w) else w


def _is_title(w: str) -> bool:
    """President, Sen., Director-General, Co-founder: words that say what someone is."""
    lw = w.lower()
    if lw in _TITLES:
        return True
    if "-" in lw:
        parts = [p for p in lw.split("-") if p]
        return any(p in _TITLES for p in parts) or parts[:1] in (["co"], ["vice"], ["ex"])
    return False


def _split_name(run: list[str]) -> tuple[list[str], list[str]]:
    """(role words, name words) of a capitalised run such as "Chinese President Xi Jinping"."""
    i = len(run)
    while i > 0:
        w = run[i - 1]
        lw = w.lower()
        if _is_title(w):
            break
        if lw.rstrip(".") in _NOT_PERSON or sum(c.isalpha() for c in w) > 1 and w.isupper() \
                and i < len(run):
            # "NASA Administrator Jim Bridenstine", "Fox News host": not part of the name
            break
        i -= 1
    name = run[i:]
    role = run[:i]
    return role, name


_TIME_WORDS = set("""Monday Tuesday Wednesday Thursday Friday Saturday Sunday today yesterday
tonight earlier later again""".split())
_OF_TAIL = re.compile(r"(?:^|\s)(?:of|at|from|for)\s+(?:the\s+)?$")


def _np_before(text: str, lo: int, hi: int) -> _NP | None:
    """The noun phrase ending at `hi` (just before a reporting verb)."""
    lo = max(lo, hi - _NP_REACH)
    np = _np_before_core(text, lo, hi)
    if np is None or np.pronoun:
        return np
    # "Sam Wilson of UH Mānoa's Center said", "the mayor of Paris", "Jeffrey Lewis of the
    # James Martin Center for Nonproliferation Studies": the head comes first
    owner = None
    head_end = np.start
    for _ in range(3):
        m = _OF_TAIL.search(text, lo, head_end)
        if m is None:
            break
        candidate = _np_before_core(text, lo, m.start())
        if candidate is None or candidate.pronoun:
            break
        owner, head_end = candidate, candidate.start
        if owner.named and _looks_personal(owner.speaker):
            break
    if owner is None:
        return np
    tail = text[owner.end:np.end].strip()
    if owner.named:
        role = (owner.role + " " if owner.role else "") + tail
        return _NP(owner.speaker, role, text[owner.start:np.end], owner.start, np.end,
                   named=True)
    whole = text[owner.start:np.end]
    return _NP(whole, "", whole, owner.start, np.end)


_MODALS_AUX = {"didn’t", "didn't", "won’t", "won't", "wouldn’t", "wouldn't", "couldn’t",
               "couldn't", "must", "shall"}
_BETWEEN_SUBJECT_AND_VERB = set("""also then later once again previously recently has had have
would will did does was is reportedly still even just never often could may might can should
further first herself himself themselves not only simply merely""".split()) | _MODALS_AUX
_NP_REACH = 300  # characters: no subject with its role and appositive is longer


def _np_before_core(text: str, lo: int, hi: int) -> _NP | None:
    chunk = text[lo:hi]
    toks = _tokens(chunk, lo)
    # drop adverbs between the subject and the verb ("he later said", "Trump also told")
    while toks and (toks[-1][0] in _TIME_WORDS or not _is_cap(toks[-1][0]) and (
            toks[-1][0].endswith("ly") or toks[-1][0] in _BETWEEN_SUBJECT_AND_VERB)):
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
                    first.endswith("’s") or first in _TITLES or _PARTY_STATE.match(appos_text):
                if not _PARTY_STATE.match(appos_text):
                    appos_role = appos_text
                toks = toks[:j]
            elif all(_is_cap(t[0]) or t[0].lower() in _NAME_PARTICLES for t in appos) and \
                    len(appos) <= 4:
                # "Carson’s business manager, Armstrong Williams,": the name is the
                # appositive, the words before it are the role
                named = _np_before(text, appos[0][1], appos[-1][2])
                lead = _np_before(text, lo, toks[j][1])
                if named is not None and named.speaker and lead is not None:
                    role = text[lead.start:toks[j][1]].strip()
                    return _NP(named.speaker, _strip_article(role), named.mention, lead.start,
                               named.end)
                return None
            else:
                return None
        else:
            return None
    if not toks:
        return None
    last, ls, le = toks[-1]
    lw = last.lower()
    if lw in _PRONOUNS and lw in _SUBJECT_PRONOUNS:
        return _NP("", "", last, ls, le, pronoun=lw)
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
        if _is_cap(w) and (w.lower() not in _FUNCTION_WORDS or run_idx and w.lower() in _TITLES):
            run_idx.append(k)
        elif w.lower() in _NAME_PARTICLES and run_idx and k > 0 and _is_cap(toks[k - 1][0]):
            run_idx.append(k)
        else:
            break
        k -= 1
    run_idx.reverse()
    if run_idx:
        run = [toks[x][0] for x in run_idx]
        role_w, name_w = _split_name(run)
        # lower-case role words before the run: "foreign ministry spokesperson Oleg Nikolenko"
        role_start = run_idx[0]
        if name_w:
            k = run_idx[0] - 1
            pre = []
            while k >= 0 and len(pre) < 8:
                w = toks[k][0]
                if not _PLAIN_WORD.fullmatch(w):
                    break
                if w.lower() in {"the", "a", "an", "his", "her", "their", "its"}:
                    pre.append(k)
                    break
                if w == "of" and k > 0 and _is_title(toks[k - 1][0]) and k + 1 in pre + run_idx:
                    pre.append(k)  # "Secretary of State Mike Pompeo"
                    k -= 1
                    continue
                if w.lower() in _FUNCTION_WORDS and w.lower() not in {"former"} or \
                        w.lower() in REPORTING_VERBS or w.lower() in _RELATIVE or \
                        w.lower() in _COMMON_VERBS or _PAST.fullmatch(w):
                    break
                pre.append(k)
                k -= 1
            if pre:
                role_start = min(pre)
                if toks[role_start][0].lower() == "the":
                    role_start += 1 if role_start + 1 <= run_idx[0] else 0
        role = ""
        first_i = min(run_idx[0], role_start if name_w else run_idx[0])
        if first_i > 0 and toks[first_i - 1][0] in _OBJECT_MARKERS:
            return None  # "speaking to Fox News said": an object, not the subject
        if len(name_w) == 1 and not role_w and _sentence_initial(text, toks[run_idx[0]][1]) \
                and name_w[0].lower() in _lower_words(text):
            return None  # "Aides say ...", "Signs of ...": a common word that opens a sentence
        if name_w:
            name_start = run_idx[len(role_w)]
            role = text[toks[role_start][1]:toks[name_start][1]].strip() if \
                role_start < name_start else ""
            role = _strip_article(role)
            speaker = " ".join(_clean_tok(w) for w in name_w)
            mention = text[toks[run_idx[0]][1]:toks[run_idx[-1]][2]]
            if appos_role:
                role = (role + ", " if role else "") + _strip_article(appos_role)
            return _NP(speaker, role, mention, toks[min(role_start, run_idx[0])][1],
                       toks[run_idx[-1]][2], named=True)
        # a title alone: "the President said"
        k = run_idx[0] - 1
        start = toks[run_idx[0]][1]
        if k >= 0 and toks[k][0].lower() in {"the", "a", "an"}:
            start = toks[k][1]
        mention = text[start:toks[run_idx[-1]][2]]
        return _NP(mention, "", mention, start, toks[run_idx[-1]][2])
    # a common-noun subject: "the spokesman said", "a senior official told"
    k = len(toks) - 1
    idx = []
    while k >= 0 and len(idx) < 6:
        w = toks[k][0]
        if not _PLAIN_WORD.fullmatch(w) or w.lower() in REPORTING_VERBS:
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
            if before_w.isalpha() and before_w.islower() and before_w not in _CLAUSE_OPENERS:
                return None  # "relaying the news to parliament said": an object
        if first in {"and", "or", "but", "nor"}:
            return None
        if first in {"the", "a", "an", "one", "another", "some", "many", "his", "her",
                     "their", "its", "our"} or len(idx) == 1 or \
                first.endswith(("’s", "'s")) and _is_cap(toks[idx[0]][0]):
            mention = text[toks[idx[0]][1]:toks[idx[-1]][2]]
            if len(idx) == 1 and first in _FUNCTION_WORDS:
                return None
            if toks[idx[-1]][0].lower() in _FUNCTION_WORDS | _RELATIVE:
                return None
            return _NP(mention, "", mention, toks[idx[0]][1], toks[idx[-1]][2])
    return None


_COMMON_VERBS = set("""
met saw took made gave became won beat born named called known left sent led held ran went
came hit let got put set
sat found felt kept brought thought lost paid is was are were be been has have had do does
did will would can could may might must shall should meets sees takes makes gives becomes
wins beats leads holds runs goes comes gets puts keeps brings thinks loses pays visits
""".split())
_OBJECT_MARKERS = {"to", "with", "by", "about", "into", "toward", "towards", "against", "on",
                   "in", "via", "through"}
_DETERMINERS = {"the", "a", "an", "one", "another", "some", "many", "his", "her", "their",
                "its", "our", "two", "three", "several"}
_CLAUSE_OPENERS = {"and", "but", "that", "while", "as", "because", "so", "then", "when", "where",
                   "after", "before", "since", "although", "though", "if", "or", "yet"}
_RELATIVE = {"which", "who", "that", "whom", "by", "of", "to", "for", "with", "from", "on",
             "in", "at", "and", "or", "but", "as", "than", "if", "when", "because"}


def _looks_personal(name: str) -> bool:
    """Two or more name words, none of them an organisation's or a place's."""
    words = name.split()
    return len(words) >= 2 and not any(w.lower().rstrip(".") in _NOT_PERSON for w in words)


@lru_cache(maxsize=4)
def _lower_words(text: str) -> frozenset[str]:
    return frozenset(_LOWER_WORD.findall(text))


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3):pos].rstrip(" \u00a0“\"‘'(")
    return not before or before[-1] in ".!?\n:" or pos < 3


def _strip_article(s: str) -> str:
    return re.sub(r"^(?:a|an|the)\s+", "", s.strip(), flags=re.IGNORECASE)


def _np_after(text: str, lo: int, hi: int) -> _NP | None:
    """The noun phrase starting at `lo` (just after "said")."""
    chunk = text[lo:hi]
    m = re.match(r"\s*", chunk)
    pos = lo + (m.end() if m else 0)
    toks = _tokens(text[pos:hi], pos)
    if not toks:
        return None
    w0 = toks[0][0].lower()
    if w0 in _SUBJECT_PRONOUNS:
        return _NP("", "", toks[0][0], toks[0][1], toks[0][2], pronoun=w0)
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
            if not (w.lower() in {"to", "with"} and toks[0][0].lower() in _DETERMINERS):
                break
        end_i += 1
    np_toks = toks[:end_i]
    if not np_toks:
        return None
    words = [t[0] for t in np_toks]
    of_role = ""
    for p_, w in enumerate(words):
        if p_ > 0 and w.lower() in {"of", "from"} and _is_cap(words[p_ - 1]) and \
                words[p_ - 1].lower() not in _TITLES:
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
    while k > 0 and (_is_cap(words[k - 1]) or words[k - 1].lower() in _NAME_PARTICLES):
        k -= 1
    if k > 0 and k < len(words) and not _looks_personal(" ".join(_split_name(words[k:])[1])):
        j = k - 1
        while j >= 0 and not _is_cap(words[j]):
            j -= 1
        if j >= 0:
            start_j = j
            while start_j > 0 and (_is_cap(words[start_j - 1]) or
                                   words[start_j - 1].lower() in _NAME_PARTICLES):
                start_j -= 1
            if _looks_personal(" ".join(_split_name(words[start_j:j + 1])[1])):
                np_toks = np_toks[:j + 1]
                words = words[:j + 1]
                k = start_j
    run = words[k:]
    role_w, name_w = _split_name(run) if run else ([], [])
    appos = ""
    after_end = np_toks[-1][2]
    if end_i < len(toks) and toks[end_i][0] == ",":
        # "said James Acton, a physicist who is co-director of ..." -> the role
        rest = text[toks[end_i][2]:hi]
        m2 = re.match(r"\s*((?:a|an|the|who|his|her|its|their)\b[^.;:“”\",]*)", rest,
                      re.IGNORECASE)
        if m2:
            appos = m2.group(1).strip().rstrip(",")
    elif end_i < len(toks) and toks[end_i][0] == "(":
        pass
    if name_w and words[0].lower() not in {"the", "a", "an"} | _FUNCTION_WORDS - {"former"} \
            or name_w and k > 0:
        name_start = np_toks[k + len(role_w)][1]
        role = text[np_toks[0][1]:name_start].strip()
        role = _strip_article(role) if role.lower() not in {"the", "a", "an"} else ""
        if of_role:
            role = (role + " " if role else "") + of_role
            after_end = after_of_end
        if appos:
            role = (role + ", " if role else "") + _strip_article(appos)
        speaker = " ".join(_clean_tok(w) for w in name_w)
        return _NP(speaker, role, text[np_toks[0][1]:after_end], np_toks[0][1], after_end,
                   named=True)
    if words[0].lower() in {"the", "a", "an", "one", "another", "some", "many", "his",
                            "her", "their", "its", "our"} and len(words) <= 8:
        mention = text[np_toks[0][1]:after_end]
        return _NP(mention, _strip_article(appos) if appos else "", mention, np_toks[0][1],
                   after_end)
    if name_w:
        mention = text[np_toks[0][1]:after_end]
        return _NP(" ".join(_clean_tok(w) for w in name_w), "", mention, np_toks[0][1],
                   after_end)
    return None


# --- attribution ----------------------------------------------------------------------------

_STOP_PUNCT = {".", "!", "?", ";", "“", "”", '"', "«", "»"}


@lru_cache(maxsize=4)
def _boundaries(text: str) -> list[int]:
    """Where sentences start, once per text (abbreviations such as "Sen." do not end one)."""
    out = []
    for m in _SENT_END.finditer(text):
        if not _ABBREV.search(text[max(0, m.start() - 12):m.start() + 1]):
            out.append(m.end())
    return out


_MAX_SENTENCE = 1000  # characters looked back for a sentence's start: keeps long texts linear


def _sentence_start(text: str, lo: int, pos: int) -> int:
    """Start of the sentence holding `pos`, not before `lo` (the paragraph's start)."""
    bounds = _boundaries(text)
    i = bisect.bisect_right(bounds, pos) - 1
    best = bounds[i] if i >= 0 else 0
    return max(lo, best, pos - _MAX_SENTENCE)


def _sentence_end(text: str, pos: int, hi: int) -> int:
    for m in re.finditer(r"[.!?…](?=[”\"’')\]]*(?:\s|$))", text[pos:hi]):
        head = text[max(0, pos + m.start() - 12):pos + m.start() + 1]
        if _ABBREV.search(head):
            continue
        return pos + m.end()
    return hi


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
_DASH_LINE = re.compile(r"\s*\n\s*[-–—―~]\s*(?=[A-Z])")
_ROLE_FIRST = re.compile(r"^(?:(?:a|an|the|another|one|his|her|their|its)\s+)?(?:[a-z][\w\-]*\s+)"
                         r"{0,3}[a-z][\w\-]*\s*,[\s\u00a0]*$")
_TAIL_STARTS = {"in", "on", "at", "to", "during", "of", "after", "before", "while", "when", "as",
                "from", "about", "with", "via", "through", "last", "this", "yesterday",
                "today", "tonight", "earlier", "later", "recently", "reporters", "him", "her",
                "them", "me", "us", "afterward", "afterwards", "then", "again", "later",
                "told", "adding", "noting", "explaining", "according"}


def _attrib_after(text: str, lo: int, hi: int,
                  comma_led: bool = False) -> tuple[_NP | None, str]:
    """Speaker named after a quote: ', he said', ', said X', ' ― X'."""
    chunk = text[lo:hi]
    if not chunk.strip():
        return None, ""
    m = re.match(r"\s*[―—–]\s*(?=[A-Z@])", chunk)
    if m:
        np = _np_after(text, lo + m.end(), hi)
        if np is not None:
            return np, "―"
    toks = _tokens(chunk, lo)
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
        np = _np_after(text, toks[1][2], hi)
        if np is not None:
            return np, "according to"
    vi = _first_verb(toks, min(limit, 26))
    if vi is None:
        if comma_led:
            # “...,” X assured the crowd: the comma inside the marks announces an
            # attribution even when its verb is not in the lexicon
            np = _subject(text, toks[0][1], hi)
            if np is not None and np.start == toks[0][1] and (np.pronoun or
                                                              _is_cap(np.speaker)):
                return np, "?"
            # “...,” exhorted Clinton's introducer: a verb the lexicon lacks, then its subject
            if _PAST.fullmatch(toks[0][0]) and len(toks) > 1 and toks[1][0].isalpha():
                np = _np_after(text, toks[0][2], hi)
                if np is not None and not np.pronoun and (
                        np.named or toks[1][0].lower() in _DETERMINERS):
                    return np, toks[0][0]
            # “...,” Trump shot back: a name, then a verb the lexicon lacks
            k = 0
            while k < min(len(toks), 6) and (_is_cap(toks[k][0]) or
                                            toks[k][0].lower() in _NAME_PARTICLES):
                k += 1
            if 0 < k < len(toks) and toks[k][0].isalpha() and toks[k][0].islower() and \
                    toks[k][0] not in _FUNCTION_WORDS | _RELATIVE:
                np = _np_before(text, toks[0][1], toks[k][1])
                if np is not None and np.start == toks[0][1] and _is_cap(np.speaker):
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
        if rest and len(rest) > 8 and not (rest[0].lower() in _TAIL_STARTS or
                                            rest[0].endswith("ly") or
                                            _is_cap(rest[0]) or rest[0] in {",", "."}):
            return None, ""
    if vi == 0:
        return _np_after(text, toks[0][2], hi), verb
    if vi + 1 < len(toks) and toks[vi + 1][0].lower() == "that":
        return None, ""
    np = _np_before(text, toks[0][1], toks[vi][1])
    if np is not None and (np.start == toks[0][1] or np.pronoun and np.start == toks[0][1]):
        return np, verb
    if np is not None and not np.pronoun and _OF_PHRASE.match(text[toks[0][1]:np.start]):
        # "a spokesman for committee Democrats said": the whole phrase is the speaker
        whole = text[toks[0][1]:np.end]
        return _NP(whole, "", whole, toks[0][1], np.end), verb
    if np is not None and np.named and _ROLE_FIRST.match(text[toks[0][1]:np.start]):
        # "another friend, Mariam Emara, told": the role comes first, then the name
        role = _strip_article(text[toks[0][1]:np.start].strip(" ,\u00a0"))
        return _NP(np.speaker, role + (", " + np.role if np.role else ""), np.mention,
                   toks[0][1], np.end, named=True), verb
    # "Blunt, after a long pause, said": the subject is what comes before the first comma
    commas = [t for t in toks[:vi] if t[0] == ","]
    if commas:
        np = _np_before(text, toks[0][1], commas[0][1])
        if np is not None and np.start == toks[0][1] and (np.pronoun or _is_cap(np.speaker)):
            return np, verb
    return None, ""


_QUOTED_AS = re.compile(r"\bquot(?:ed|es|ing)\s+(.+?),?\s+as\s+(?:saying|telling|writing|"
                        r"calling)\b[^“”\"]*$")


def _attrib_before(text: str, lo: int, hi: int) -> tuple[_NP | None, str]:
    """Speaker named before a quote: 'X said:', 'according to X,', 'X: '."""
    chunk = text[lo:hi]
    if not chunk.strip():
        return None, ""
    m = re.search(r"\baccording to\s+(.+?)[,:]?\s*$", chunk, re.IGNORECASE)
    if m:
        np = _np_after(text, lo + m.start(1), hi)
        if np is not None and (np.named or not text[np.end:hi].strip(" ,:\u00a0\n")):
            # "according to Anna Berg, “...”"; in "According to its release, the NBA was
            # “...”" the clause after it has its own subject
            return np, "according to"
    m = _QUOTED_AS.search(chunk)
    if m:
        # "Politico quoted Tim Manning, a former official, as saying “...”"
        np = _np_after(text, lo + m.start(1), lo + m.end(1))
        if np is not None:
            return np, "quoted"
    m = re.search(r"\b(?:put it|had this to say(?: about [^,:]+)?)\s*[,:]?\s*$", chunk)
    if m:
        np = _np_before(text, lo, lo + m.start())
        if np is not None:
            return np, m.group().strip(" ,:")
    m = re.search(r"([^\s:]+)\s*:\s*$", chunk)
    toks = _tokens(chunk, lo)
    if m and not _has_verb(chunk):
        np = _np_before(text, lo, lo + m.end(1))
        first = re.search(r"\S", chunk)
        if np is not None and (np.speaker and _is_cap(np.speaker) or np.pronoun) and \
                first is not None and (np.start <= lo + first.start() or
                                       re.search(r"[-–—:.]\s*$", text[lo:np.start]) or
                                       np.named and _looks_personal(np.speaker)):
            # "Anna Berg: “...”" -- the colon follows the name and nothing else
            return np, ":"
    # the last reporting verb with its subject
    tried = 0
    for vi in range(len(toks) - 1, -1, -1):
        lw = toks[vi][0].lower()
        if lw in _BASE_VERBS and vi > 0 and (toks[vi - 1][0].lower() in _MODALS or
                                              vi > 1 and toks[vi - 2][0].lower() in _MODALS):
            pass  # "a spokesman could only quip:"
        elif lw not in REPORTING_VERBS or lw in {"put", "went", "according", "state", "states",
                                               "note", "question", "figure", "guess",
                                               "charge", "report", "cry", "offer", "read"}:
            continue
        if vi > 0 and toks[vi - 1][0].lower() in _PASSIVE:
            # "Trump was asked, “...”": the subject did not say it
            tried += 1
            if tried >= 3:
                break
            continue
        if lw.endswith("ing") and vi > 0 and toks[vi - 1][0] == ",":
            # "Hurley, for his part, ..., commenting: “...”": the participle's subject is
            # the sentence's
            np = _subject(text, _sentence_start(text, lo, toks[vi][1]), toks[vi - 1][1])
            if np is not None:
                return np, toks[vi][0]
        np = _np_before(text, lo, toks[vi][1])
        if np is not None:
            return np, toks[vi][0]
        if tried == 0:
            # "Richard Ferrand, in relaying the news to parliament, said": the subject
            np = _subject(text, _sentence_start(text, lo, toks[vi][1]), toks[vi][1])
            if np is not None:
                return np, toks[vi][0]
        # "said Trump:"; but in "asked the crowd “...”" the crowd is spoken to
        tail = text[toks[vi][2]:hi]
        if (lw in _INVERTING or vi == 0) and len(_words(tail)) <= 6:
            np = _np_after(text, toks[vi][2], hi)
            if np is not None:
                return np, toks[vi][0]
        tried += 1
        if tried >= 3:
            break
    return None, ""


_BASE_VERBS = frozenset(_VERB_BASES)
_MODALS = {"could", "would", "will", "can", "may", "might", "must", "should", "did", "to",
           "didn’t", "didn't", "won’t", "won't", "wouldn’t", "wouldn't", "couldn’t", "couldn't"}
_INVERTING = {"said", "says", "added", "adds", "wrote", "writes", "continued", "explained",
              "replied", "responded", "declared", "recalled", "noted", "tweeted"}
_PASSIVE = {"was", "were", "been", "being", "be", "is", "are", "get", "got", "gets"}
# Words that open an adverbial before a sentence's subject ("In a statement, ...").
_LEAD_ADVERBIAL = set("""according in on at after before during when while since asked speaking
writing last earlier later following despite with without as from for about under over if though
although because once""".split())
_CONJ = {"and", "but", "so", "yet", "now", "still", "meanwhile", "instead", "then", "also",
         "indeed", "however", "separately", "later", "earlier"}
_AUX = {"has", "had", "have", "is", "was", "were", "are", "will", "would", "did", "does", "do",
        "can", "could", "may", "might", "should", "must", "shall", "also", "then", "later"} | {
    w + end for w in ("did", "does", "do", "was", "is", "were", "are", "has", "have", "had",
                      "could", "would", "should", "wo", "ca")
    for end in ("n’t", "n't")}


def _subject(text: str, lo: int, hi: int) -> _NP | None:
    """The subject of the sentence between lo and hi ("Weaver didn't seem ..., telling")."""
    toks = _tokens(text[lo:min(hi, lo + 2 * _NP_REACH)], lo)
    i = 0
    for _ in range(2):
        # "In June 2009, after Clinton suffered a concussion, Axelrod emailed ..."
        if i < len(toks) and (toks[i][0].lower() in _LEAD_ADVERBIAL or
                              toks[i][0].endswith("ing") and _is_cap(toks[i][0])):
            for k in range(i + 1, min(len(toks), i + 14)):
                if toks[k][0] == ",":
                    i = k + 1
                    break
            else:
                return None
    while i < len(toks) and (toks[i][0].lower() in _CONJ or toks[i][0] == "," or
                             toks[i][0].endswith("ly") and i + 1 < len(toks) and
                             toks[i + 1][0] == ","):
        i += 1  # "And", "Specifically,"
    if i >= len(toks) or toks[i][0] in _MARKS:
        return None
    if toks[i][0].lower() in _SUBJECT_PRONOUNS:
        w = toks[i][0]
        return _NP("", "", w, toks[i][1], toks[i][2], pronoun=w.lower())
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
        if j > i and (lw in _AUX or lw in REPORTING_VERBS or (not _is_cap(w) and seen_noun and
                      _VERBISH.fullmatch(w) and lw not in _FUNCTION_WORDS
                      and lw not in _RELATIVE)):
            np = _np_before(text, toks[i][1], toks[j][1])
            if np is not None and np.start == toks[i][1] and not np.pronoun:
                return np
            break
        if w in {",", ";", ":", ".", "“", "”", '"', "—", "–"}:
            if w == "," and j > i:
                np = _np_before(text, toks[i][1], toks[j][1])
                if np is not None and np.start == toks[i][1] and _is_cap(np.speaker):
                    # "Margaret Sullivan, in an attempt to ..., wrote"
                    rest = _subject(text, toks[j][2], hi)
                    return np if rest is None or rest.pronoun or not rest.speaker else rest
                continue
            return None
        if _WORDS.fullmatch(w):
            seen_noun = True
        if j - i > 16:
            break
    # "Hillary shot back, ...", "Assembly president Richard Ferrand in relaying ...": the
    # first lower-case word after a name that does not lead into another name ends it
    for k in range(i + 1, min(len(toks) - 1, i + 12)):
        w = toks[k][0]
        if not (w.isalpha() and w.islower()) or not _is_cap(toks[k - 1][0]):
            continue
        if _is_cap(toks[k + 1][0]) and w not in _RELATIVE:
            continue  # "president Richard", "of State"
        np = _np_before(text, toks[i][1], toks[k][1])
        if np is not None and np.start == toks[i][1] and np.named:
            return np
    return None


# --- entities and coreference ---------------------------------------------------------------

@dataclass
class _Entity:
    name: str
    role: str
    pos: int
    gender: str = ""
    end: int = 0  # end of the mention, for finding its role when it is needed
    role_done: bool = False


# Runs of capitalised words; only initials and abbreviations may end in a dot inside one.
_NAME_RUN = re.compile(
    r"(?:(?:[A-Z]\.|(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|St|Jr|Sr|Lt|Col|Prof|Rev)\."
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
        run = m.group().split()
        opening = _sentence_initial(text, m.start())
        # "Stated Roger Stone:", "Signs of ...": words that open a sentence, not a name
        while run and (run[0].lower().rstrip(".") in _FUNCTION_WORDS or
                       run[0].lower() in REPORTING_VERBS or
                       opening and run[0].lower() in _lower_words(text)):
            run = run[1:]
            opening = False
        for k, w in enumerate(run[:-1]):
            if w.endswith(("’s", "'s", "’", "'")):
                run = run[:k + 1]  # "Sanders’ Jewish faith": the name ends at the possessive
                break
        role_w, name_w = _split_name(run)
        name_w = [_clean_tok(w) for w in name_w]
        titled = bool(role_w) and any(w.lower() in _TITLES for w in role_w)
        # "Prime Minister Johnson", "Mr. Putin": a title makes one word a person too
        if not (2 <= len(name_w) <= 4 or len(name_w) == 1 and titled):
            continue
        if any(w.lower().rstrip(".") in _NOT_PERSON or w.isupper() and
               sum(c.isalpha() for c in w) > 1 for w in name_w):
            continue
        if any(w.lower() in _FUNCTION_WORDS for w in name_w):
            continue
        # role: the words before the name ("Russian president", "foreign ministry spokesperson")
        role = " ".join(role_w)
        start_name = m.start() + m.group().find(name_w[0]) if name_w[0] in m.group() else m.start()
        gender = ""
        # "spokeswoman Jane Ross", "Mrs. Jane Ross": the words right before the name
        for w in text[max(0, m.start() - 40):m.start()].split()[-2:] + role_w:
            gender = _HONORIFIC_GENDER.get(w.lower(), gender)
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
        np = _np_before(text, max(line_start, e.pos - 120), e.end)
        if np is not None and np.speaker and np.role:
            e.role = np.role
        e.role_done = True
    return e.role


_GENDERED = re.compile(r"\b(he|his|him|himself|she|her|hers|herself)\b", re.IGNORECASE)


def _gender_votes(text: str, groups: list[list[_Entity]],
                  blocked: list[tuple[int, int]]) -> None:
    """Guess people's gender from the first pronoun after each mention, outside quotes.

    Votes are pooled by name, so "Obama said ... He" tells about every mention of Obama.
    """
    starts = [a for a, _ in blocked]
    votes: dict[str, list[int]] = {}
    for items in groups:
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
    toks = [t for t in short.replace("’s", "").split() if t.lower() not in _TITLES]
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
    i = len(events)
    while i > 0 and events[i - 1].pos > ev.pos:
        i -= 1
    events.insert(i, ev)


_SPEECH_VERBS = frozenset(REPORTING_VERBS - {"put", "went", "according", "read", "reads",
                                             "reading", "post", "state", "note", "question",
                                             "figure", "guess", "charge", "report", "cry",
                                             "offer", "reported"})


def _speech_events(text: str, blocked: list[tuple[int, int]], para_of,
                   entities: list[_Entity]) -> list[_Entity]:
    """Named people who speak in the article ("Putin told Xi ..."), in order."""
    events: list[_Entity] = []
    genders = {e.name: e.gender for e in entities if e.gender}
    bi = 0
    for m in _LOWER_WORD.finditer(text):
        if m.group() not in _SPEECH_VERBS:
            continue
        while bi < len(blocked) and blocked[bi][1] <= m.start():
            bi += 1
        if bi < len(blocked) and blocked[bi][0] <= m.start():
            continue
        ps, _ = para_of(m.start())
        sent_lo = _sentence_start(text, ps, m.start())
        comma = text[sent_lo:m.start()].rstrip()
        if comma.rsplit(None, 1)[-1:] and comma.rsplit(None, 1)[-1].lower() in _PASSIVE:
            continue  # "he was told": not a speaker
        if m.group().endswith("ing") and comma.endswith(","):
            # "Ghebreyesus expressed a similar view, saying ...": the sentence's subject
            np = _subject(text, sent_lo, sent_lo + len(comma) - 1)
        else:
            np = _np_before(text, sent_lo, m.start())
        if np is None or np.pronoun or not _is_cap(np.speaker):
            continue
        name, role, gender = _full_name(text, np.speaker, np.role, np.start, entities)
        events.append(_Entity(name, role, np.start, gender or genders.get(name, ""),
                              m.end(), role_done=True))
    events.sort(key=lambda e: e.pos)
    _gender_votes(text, [events, entities], blocked)
    return events


_PRONOUN_REACH = 2500  # characters: a "he said" looks back this far for its person


_ROLE_SYNONYMS = {
    "senator": ("senator", "sen."), "governor": ("governor", "gov."),
    "representative": ("representative", "rep.", "congressman", "congresswoman"),
    "congressman": ("congressman", "rep.", "representative"),
    "congresswoman": ("congresswoman", "rep.", "representative"),
    "spokesman": ("spokes",), "spokeswoman": ("spokes",), "spokesperson": ("spokes",),
    "secretary": ("secretary", "sec."), "general": ("general", "gen."),
    "professor": ("professor", "prof."), "doctor": ("doctor", "dr."),
}


def _described(text: str, description: str, pos: int, events: list[_Entity],
               entities: list[_Entity]) -> _Entity | None:
    """The person a description such as "the spokesman" or "the Florida senator" names.

    The latest speaker or mention before `pos` whose role has the description's head noun.
    """
    words = description.lower().split()
    head = words[-1].strip(".,")
    if head not in _TITLES and head not in _HONORIFIC_GENDER and head not in _ROLE_SYNONYMS:
        return None
    keys = _ROLE_SYNONYMS.get(head, (head,))
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
                    w.lower().rstrip(".") in _NOT_PERSON for w in e.name.split()):
                return e
    return None


# --- the public API -------------------------------------------------------------------------

_PLAIN = re.compile(r"\s+")


# the marks that open or close a part of a quote (the reader sees the words alone)
_EDGE_MARKS = re.compile(
    r"(?:(?<=\s)|^)(?:''|[“„\"«»‘'‹‚])|(?:''|[”\"»«’'›])(?=\s|$)"
)


def _quote_text(text: str, parts: list[_Part]) -> str:
    pieces = []
    for i, p in enumerate(parts):
        s = text[p.start:p.end]
        nxt = text[parts[i + 1].start + 1:parts[i + 1].start + 2] if i + 1 < len(parts) else ""
        if nxt.isupper():
            # “We are ready,” she said. “The votes...” reads "We are ready. The votes..."
            s = re.sub(r",(?=[”\"’'»]$)", ".", s)
        pieces.append(s)
    joined = " ".join(pieces)
    # marks go: the reader sees the words; paragraph breaks inside a long quote become spaces
    joined = _EDGE_MARKS.sub("", joined)
    joined = _PLAIN.sub(" ", joined).strip()
    return re.sub(r"\s*[,;:—–-]+$", "", joined)


def _looks_like_title(inner: str, before: str) -> bool:
    """A work's or a show's name: “Meet the Press.”, the novel “The Long Road Home”."""
    words = [w for w in _words(inner.strip().rstrip(".,!?;:")) if w[:1].isalpha()]
    if not words:
        return False
    significant = [w for w in words if len(w) > 3 or words.index(w) == 0]
    title_case = all(w[0].isupper() for w in significant) and len(words) <= 10
    if _TITLE_CUES.search(before[-40:]) and (title_case or len(words) <= 4):
        return True
    if title_case and _MEDIA_CUE.search(before[-40:]):
        # "on NBC's “Meet the Press.”", "the co-author of “Going Viral,”"
        return True
    return title_case and not re.search(r"[.!?,]$", inner.strip())


def extract_quotes(text: str) -> list[Quote]:
    """Every quotation in `text` (words someone said or wrote), in order, with speakers."""
    parts = _find_parts(text)
    if not parts:
        return []
    found = _join(text, parts)
    paras = _paragraph_bounds(text)
    blocked = [(p.start, p.end) for f in found for p in f.parts]

    def para_of(pos: int) -> tuple[int, int]:
        lo, hi = 0, len(paras) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if paras[mid][0] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return paras[lo]

    entities = _person_runs(text, blocked)
    _gender_votes(text, [entities], blocked)

    # speakers first: what sits right next to each quote
    for idx, f in enumerate(found):
        np = None
        kind = ""
        cue = ""
        # between the parts of a split quote
        for a, b in zip(f.parts, f.parts[1:]):
            np, cue = _attrib_after(text, a.end, b.start, text[a.end - 2:a.end - 1] in ",?!—")
            if np is not None:
                kind = "between"
                break
        ps, pe = para_of(f.end - 1)
        nxt_start = found[idx + 1].start if idx + 1 < len(found) else pe
        qs, _ = para_of(f.start)
        comma_led = text[f.end - 2:f.end - 1] in ",?!—"
        if np is None and not comma_led and text[qs:f.start].strip():
            # “...” closing a sentence that named its speaker first: "X remarked, “...”"
            prev_end = found[idx - 1].end if idx > 0 and found[idx - 1].end > qs else qs
            lo = max(_sentence_start(text, qs, f.start), prev_end)
            np, cue = _attrib_before(text, lo, f.start)
            if np is not None:
                kind = "before"
        if np is None:
            hi = min(_sentence_end(text, f.end, min(pe, nxt_start)), nxt_start, pe)
            np, cue = _attrib_after(text, f.end, hi, comma_led)
            if np is not None:
                kind = "after"
        if np is None:
            prev_end = found[idx - 1].end if idx > 0 and found[idx - 1].end > qs else qs
            sent_lo = _sentence_start(text, qs, f.start)
            lo = max(sent_lo, prev_end)
            np, cue = _attrib_before(text, lo, f.start)
            if np is not None:
                kind = "before"
            elif lo < f.start and text[lo:f.start].strip():
                before = text[lo:f.start].rstrip()
                n_inner = len(_words(text[f.start:f.end]))
                if before.endswith(":") or _has_verb(before) or n_inner >= 4:
                    # "Weaver ..., telling reporters, “...”",
                    # "Clinton has apologized: “...”"
                    np = _subject(text, sent_lo, f.start)
                    if np is not None:
                        kind, cue = "subject", ""
        if np is None and text[qs:f.start].strip() and len(_words(text[f.start:f.end])) >= 4:
            # a quote that opens a sentence after one that introduces it: "McGurk also
            # criticized the decision via Twitter. “The statement ...”"
            sent_lo = _sentence_start(text, qs, f.start)
            prev_lo = _sentence_start(text, qs, max(qs, sent_lo - 2))
            prev_sentence = text[prev_lo:sent_lo]
            if sent_lo == f.start and prev_lo < sent_lo and not any(
                    c in prev_sentence for c in "“”\"«»"):
                np = _subject(text, prev_lo, sent_lo)
                if np is not None:
                    kind, cue = "subject", ""
        if np is None and text[qs:f.start].strip() == "" and qs >= 2:
            # a paragraph that opens with a quote: the paragraph before may introduce it
            prev_para = para_of(qs - 2)
            if prev_para[1] <= qs and text[prev_para[1] - 1] == ":":
                lo = _sentence_start(text, prev_para[0], prev_para[1] - 1)
                np, cue = _attrib_before(text, lo, prev_para[1] - 1)
                if np is None:
                    np, cue = _subject(text, lo, prev_para[1] - 1), ""
                if np is not None:
                    kind = "intro"
        if np is None and text[qs:f.start].strip() == "" and not text[f.end:pe].strip():
            # an epigraph: the quote alone, then "― Name" on the next line
            m = _DASH_LINE.match(text, pe)
            if m:
                line_end = text.find("\n", m.end())
                np = _np_after(text, m.end(), line_end if line_end >= 0 else len(text))
                if np is not None and _is_cap(np.speaker):
                    kind, cue = "after", "―"
                else:
                    np = None
        if np is not None:
            f.speaker, f.role, f.mention, f.cue, f.kind = np.speaker, np.role, np.mention, cue, kind
            f.extra["pronoun"] = np.pronoun
            f.extra["np_pos"] = np.start

    # continuation: a quote with no attribution of its own goes on from the quote before it
    last_attr: _Found | None = None
    for idx, f in enumerate(found):
        if f.kind:
            last_attr = f
            continue
        if last_attr is None:
            continue
        qs, qe = para_of(f.start)
        ps, pe = para_of(last_attr.end - 1)
        between = text[last_attr.end:f.start]
        same_para = ps == qs
        if same_para:
            ok = len(_words(between)) <= 40
        else:
            # the paragraph right after, opening with the quote
            gap = text[pe:qs]
            ok = text[qs:f.start].strip() == "" and "\n" in gap and \
                not any(ps < a < qs for a, _ in paras if pe <= a < qs) and \
                len(_words(text[last_attr.end:pe])) <= 25
        if ok:
            f.speaker, f.role, f.mention, f.kind = (last_attr.speaker, last_attr.role,
                                                    last_attr.mention, "cont")
            f.extra = {"cont_of": last_attr}
            last_attr = f

    # classify: quotations, not titles or scare quotes
    for f in found:
        inner = _inner(text, f.parts[0].start, f.parts[-1].end)
        n_words = len(_words(inner))
        ps, _ = para_of(f.start)
        before = text[max(ps, f.start - 60):f.start]
        if f.kind in ("between", "after", "before", "intro") and f.cue:
            f.is_quote = not _looks_like_title(inner, before) or n_words >= 6 and f.kind != "before"
        elif n_words >= 4 and f.kind == "cont":
            f.is_quote = True
        else:
            f.is_quote = n_words >= 4 and not _looks_like_title(inner, before)

    # names: short mentions and pronouns to the full name introduced earlier
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
            want = _PRONOUNS.get(f.extra["pronoun"], "")
            if events is None:
                events = _speech_events(text, blocked, para_of, entities)
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
                events = _speech_events(text, blocked, para_of, entities)
                for ev in pending:
                    _insort(events, ev)
            person = _described(text, f.speaker, pos, events, entities)
            if person is not None:
                f.speaker, f.role = person.name, _entity_role(text, person)
                continue
        if f.speaker and _is_cap(f.speaker):
            name, role, gender = _full_name(text, f.speaker, f.role, pos, entities)
            f.speaker, f.role = name, role
            # a quote's speaker is also seen at the quote, for the next "he said"
            if events is None:
                pending.append(_Entity(name, role, f.end, gender))
            else:
                _insort(events, _Entity(name, role, f.end, gender))
    # events are appended in text order per quote; keep them sorted for later lookups
    out = []
    for f in found:
        if not f.is_quote:
            continue
        out.append(Quote(text=_quote_text(text, f.parts), speaker=f.speaker, role=f.role,
                         start=f.start, end=f.end,
                         spans=[(p.start, p.end) for p in f.parts]))
    return out


# Fewer words than this are a phrase ("dear friend", "no limits"), never a key quote.
_KEY_MIN_WORDS = 5
_KEY_LONG_WORDS = 60  # past this a quote crowds the newsletter


def _score(q: Quote) -> float:
    """How much a quote is worth showing: a statement of substance by a named speaker."""
    n = len(q.text.split())
    if n < _KEY_MIN_WORDS or not q.speaker:
        return 0.0
    score = min(n, 40) / 40.0
    if n > _KEY_LONG_WORDS:
        score -= (n - _KEY_LONG_WORDS) / 100.0
    # a whole statement reads better than a fragment woven into the reporter's sentence
    score += 0.3 if q.text[:1].isupper() else -0.3
    if re.search(r"[.!?]$", q.text):
        score += 0.2
    if q.speaker[:1].isupper():
        score += 1.0
        if len(q.speaker.split()) >= 2:
            score += 0.3  # a person's full name
    else:
        score += 0.6  # "a spokesman for the ministry"
    if q.role:
        score += 0.1
    return max(score, 0.01)


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s.lower()).strip()


def key_quotes(text: str | list[Quote], count: int = 2, shown: str = "") -> list[Quote]:
    """The `count` quotes most worth showing: statements of substance by a known speaker.

    Repeats are dropped, and so are quotes already in `shown` (the story's summary).
    """
    quotes = extract_quotes(text) if isinstance(text, str) else list(text)
    ranked = sorted(((q, _score(q)) for q in quotes), key=lambda qs: (-qs[1], qs[0].start))
    chosen: list[Quote] = []
    seen: list[str] = []
    shown_norm = _norm(shown)
    for q, s in ranked:
        if s <= 0:
            continue
        norm = _norm(q.text)
        if any(norm in other or other in norm for other in seen) or norm in shown_norm:
            continue
        seen.append(norm)
        chosen.append(q)
        if len(chosen) >= count:
            break
    return sorted(chosen, key=lambda q: q.start)
