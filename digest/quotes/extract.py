"""The quotes of one article, with their speakers: the stage's rules run in order.

Pure rules, no models. Quotation marks are paired into parts and the parts of one quote
joined (`marks`); each quote's speaker is read from the words next to it ("X said", "said
X", "according to X", "X: ...", `attribution`); a quote with none of its own goes on from
the one before it; titles and scare quotes are set aside; short mentions and pronouns become
the full name introduced earlier in the article (`mentions`).
"""

from __future__ import annotations

import bisect
import re

from digest.models import Quote
from digest.quotes.attribution import attribution_after, attribution_before, sentence_subject
from digest.quotes.marks import (
    Found,
    ParagraphOf,
    Part,
    find_parts,
    join_parts,
    paragraph_bounds,
    unquoted,
)
from digest.quotes.mentions import resolve_speakers
from digest.quotes.multilingual import LANGUAGES, extract_quotes_in
from digest.quotes.names import has_reporting_verb, is_cap, words_of
from digest.quotes.phrases import np_after
from digest.quotes.sentences import sentence_end, sentence_start

# the marks that open or close a part of a quote (the reader sees the words alone); the
# lookahead (a mark of either kind) lets the substitution skip the other characters at once
_EDGE_MARKS = re.compile(
    r"(?=[“„\"«»‘'‹‚”’›])(?:(?:(?<=\s)|^)(?:''|[“„\"«»‘'‹‚])|(?:''|[”\"»«’'›])(?=\s|$))"
)
# before a title-cased quote, words that make it a show's or a work's name ("on NBC's")
_MEDIA_CUE = re.compile(r"(?:\b[A-Z][\w\-]*(?:’s|'s)|\b(?:on|of|in|from|watching|watched|"
                        r"starring|star of|host of|hosts|hosted|hosting|leads|anchors))\s*,?\s*$")
# the kind of work named just before a quote ("the film “...”", "a bill called “...”"); the
# lookahead (a word, then only spaces and a comma to the end) spares trying each cue word at
# every word of the 40 characters searched
_TITLE_CUES = re.compile(
    r"(?:\b(?=[\w\-]+\s*,?\s*$)"
    r"(?:film|movie|book|novel|song|album|single|show|series|episode|play|musical|"
    r"poem|article|essay|column|op-ed|headline|report|documentary|program|programme|"
    r"podcast|memoir|titled|entitled|called|named|dubbed|hashtag|slogan|banner|sign|"
    r"magazine|newspaper|study|paper|speech|bill|act|law|track|painting|exhibition|game|"
    r"campaign|initiative|operation|app|website|blog|site)\s*,?\s*)$",
    re.IGNORECASE,
)
# "― Name" on the line after an epigraph
_DASH_LINE = re.compile(r"\s*\n\s*[-–—―~]\s*(?=[A-Z])")
_SENTENCE_MARKS = (".", "!", "?", ",")  # a quote ending in one reads as a sentence
_COMMA_BEFORE_LAST_MARK = re.compile(r",(?=[”\"’'»]$)")
_TRAILING_PUNCT = re.compile(r"\s*[,;:—–-]+$")
_TRAILING_MARKS = frozenset(",;:—–-")


def extract_quotes(text: str, language: str = "en") -> list[Quote]:
    """Every quotation in `text` (words someone said or wrote), in order, with speakers.

    French, German and Spanish articles get their own press conventions (`multilingual`);
    every other language the English rules, which only need the quotation marks.
    """
    lang = (language or "en").split("-")[0].split("_")[0].lower()
    if lang in LANGUAGES:
        return extract_quotes_in(text, lang)
    parts = find_parts(text)
    if not parts:
        return []
    found = join_parts(text, parts)
    paras = paragraph_bounds(text)
    blocked = [(p.start, p.end) for f in found for p in f.parts]
    para_starts = [a for a, _ in paras]

    def para_of(pos: int) -> tuple[int, int]:
        # the last paragraph starting at or before pos (the first one for a pos before all)
        return paras[max(0, bisect.bisect_right(para_starts, pos) - 1)]

    _attribute(text, found, para_of)
    _continuations(text, found, paras, para_of)
    _classify(text, found, para_of)
    resolve_speakers(text, found, blocked, para_of)
    out = []
    for f in found:
        if not f.is_quote:
            continue
        out.append(Quote(text=_quote_text(text, f.parts), speaker=f.speaker, role=f.role,
                         start=f.start, end=f.end,
                         spans=[(p.start, p.end) for p in f.parts]))
    return out


def _attribute(text: str, found: list[Found], para_of: ParagraphOf) -> None:
    """Each quote's speaker from the words right next to it, when they name one."""
    for idx, f in enumerate(found):
        np = None
        kind = ""
        cue = ""
        # between the parts of a split quote
        for a, b in zip(f.parts, f.parts[1:]):
            np, cue = attribution_after(text, a.end, b.start, text[a.end - 2:a.end - 1] in ",?!—")
            if np is not None:
                kind = "between"
                break
        _, pe = para_of(f.end - 1)
        nxt_start = found[idx + 1].start if idx + 1 < len(found) else pe
        qs, _ = para_of(f.start)
        comma_led = text[f.end - 2:f.end - 1] in ",?!—"
        before_lo = -1  # where the words before the quote were read from, if they were
        if np is None and not comma_led and text[qs:f.start].strip():
            # “...” closing a sentence that named its speaker first: "X remarked, “...”"
            prev_end = found[idx - 1].end if idx > 0 and found[idx - 1].end > qs else qs
            lo = before_lo = max(sentence_start(text, qs, f.start), prev_end)
            np, cue = attribution_before(text, lo, f.start)
            if np is not None:
                kind = "before"
        if np is None:
            hi = min(sentence_end(text, f.end, min(pe, nxt_start)), nxt_start, pe)
            np, cue = attribution_after(text, f.end, hi, comma_led)
            if np is not None:
                kind = "after"
        if np is None:
            prev_end = found[idx - 1].end if idx > 0 and found[idx - 1].end > qs else qs
            sent_lo = sentence_start(text, qs, f.start)
            lo = max(sent_lo, prev_end)
            if lo != before_lo:  # the same words read again would name no one again
                np, cue = attribution_before(text, lo, f.start)
            if np is not None:
                kind = "before"
            elif lo < f.start and text[lo:f.start].strip():
                before = text[lo:f.start].rstrip()
                n_inner = len(words_of(text[f.start:f.end]))
                if before.endswith(":") or has_reporting_verb(before) or n_inner >= 4:
                    # "Weaver ..., telling reporters, “...”",
                    # "Clinton has apologized: “...”"
                    np = sentence_subject(text, sent_lo, f.start)
                    if np is not None:
                        kind, cue = "subject", ""
        if np is None and text[qs:f.start].strip() and len(words_of(text[f.start:f.end])) >= 4:
            # a quote that opens a sentence after one that introduces it: "McGurk also
            # criticized the decision via Twitter. “The statement ...”"
            sent_lo = sentence_start(text, qs, f.start)
            prev_lo = sentence_start(text, qs, max(qs, sent_lo - 2))
            prev_sentence = text[prev_lo:sent_lo]
            if sent_lo == f.start and prev_lo < sent_lo and not any(
                    c in prev_sentence for c in "“”\"«»"):
                np = sentence_subject(text, prev_lo, sent_lo)
                if np is not None:
                    kind, cue = "subject", ""
        if np is None and text[qs:f.start].strip() == "" and qs >= 2:
            # a paragraph that opens with a quote: the paragraph before may introduce it
            prev_para = para_of(qs - 2)
            if prev_para[1] <= qs and text[prev_para[1] - 1] == ":":
                lo = sentence_start(text, prev_para[0], prev_para[1] - 1)
                np, cue = attribution_before(text, lo, prev_para[1] - 1)
                if np is None:
                    np, cue = sentence_subject(text, lo, prev_para[1] - 1), ""
                if np is not None:
                    kind = "intro"
        if np is None and text[qs:f.start].strip() == "" and not text[f.end:pe].strip():
            # an epigraph: the quote alone, then "― Name" on the next line
            m = _DASH_LINE.match(text, pe)
            if m:
                line_end = text.find("\n", m.end())
                np = np_after(text, m.end(), line_end if line_end >= 0 else len(text))
                if np is not None and is_cap(np.speaker):
                    kind, cue = "after", "―"
                else:
                    np = None
        if np is not None:
            f.speaker, f.role, f.mention, f.cue, f.kind = np.speaker, np.role, np.mention, cue, kind
            f.extra["pronoun"] = np.pronoun
            f.extra["np_pos"] = np.start


def _continuations(text: str, found: list[Found], paras: list[tuple[int, int]],
                   para_of: ParagraphOf) -> None:
    """A quote with no attribution of its own goes on from the quote before it."""
    last_attr: Found | None = None
    for idx, f in enumerate(found):
        if f.kind:
            last_attr = f
            continue
        if last_attr is None:
            continue
        qs, _ = para_of(f.start)
        ps, pe = para_of(last_attr.end - 1)
        between = text[last_attr.end:f.start]
        same_para = ps == qs
        if same_para:
            ok = len(words_of(between)) <= 40
        else:
            # the paragraph right after, opening with the quote
            gap = text[pe:qs]
            ok = text[qs:f.start].strip() == "" and "\n" in gap and \
                not any(ps < a < qs for a, _ in paras if pe <= a < qs) and \
                len(words_of(text[last_attr.end:pe])) <= 25
        if ok:
            f.speaker, f.role, f.mention, f.kind = (last_attr.speaker, last_attr.role,
                                                    last_attr.mention, "cont")
            f.extra = {"cont_of": last_attr}
            last_attr = f


def _classify(text: str, found: list[Found], para_of: ParagraphOf) -> None:
    """Quotations, not titles or scare quotes: sets each quote's `is_quote`."""
    for f in found:
        inner = unquoted(text, f.parts[0].start, f.parts[-1].end)
        n_words = len(words_of(inner))
        ps, _ = para_of(f.start)
        before = text[max(ps, f.start - 60):f.start]
        if f.kind in ("between", "after", "before", "intro") and f.cue:
            f.is_quote = not _looks_like_title(inner, before) or n_words >= 6 and f.kind != "before"
        elif n_words >= 4 and f.kind == "cont":
            f.is_quote = True
        else:
            f.is_quote = n_words >= 4 and not _looks_like_title(inner, before)


def _looks_like_title(inner: str, before: str) -> bool:
    """A work's or a show's name: “Meet the Press.”, the novel “The Long Road Home”."""
    words = [w for w in words_of(inner.strip().rstrip(".,!?;:")) if w[:1].isalpha()]
    if not words:
        return False
    # the first word counts whatever its length (and so does each repeat of it)
    significant = [w for w in words if len(w) > 3 or w == words[0]]
    title_case = all(w[0].isupper() for w in significant) and len(words) <= 10
    if _TITLE_CUES.search(before[-40:]) and (title_case or len(words) <= 4):
        return True
    if title_case and _MEDIA_CUE.search(before[-40:]):
        # "on NBC's “Meet the Press.”", "the co-author of “Going Viral,”"
        return True
    return title_case and not inner.strip().endswith(_SENTENCE_MARKS)


def _quote_text(text: str, parts: list[Part]) -> str:
    """The words a reader sees: the parts joined, their marks and line breaks gone."""
    pieces = []
    for i, p in enumerate(parts):
        s = text[p.start:p.end]
        nxt = text[parts[i + 1].start + 1:parts[i + 1].start + 2] if i + 1 < len(parts) else ""
        if nxt.isupper():
            # “We are ready,” she said. “The votes...” reads "We are ready. The votes..."
            s = _COMMA_BEFORE_LAST_MARK.sub(".", s)
        pieces.append(s)
    joined = " ".join(pieces)
    # marks go: the reader sees the words; paragraph breaks inside a long quote become spaces
    joined = _EDGE_MARKS.sub("", joined)
    # (str.split's whitespace is the pattern's \s: the same runs collapse, ends go)
    joined = " ".join(joined.split())
    # the trailing pattern can only match a text ending in one of its marks: most end in a
    # letter or a stop, and are spared a scan that tries every position
    return _TRAILING_PUNCT.sub("", joined) if joined[-1:] in _TRAILING_MARKS else joined
