"""The text part's `wrap` filter is textwrap's fill of the paragraph, its ASCII spaces one."""

import random
import re
import textwrap

from digest.rendering.templates import wrap


def _fill(text, width, indent, first):
    """What `wrap` must give: textwrap's fill of the text's words, one ASCII space apart."""
    words = " ".join(re.split(r"[ \t\n\r\f\v]+", text.strip(" \t\n\r\f\v")))
    return textwrap.fill(words, width=width, initial_indent=indent if first is None else first,
                         subsequent_indent=indent, break_long_words=False,
                         break_on_hyphens=False)


def test_wrap_is_textwraps_fill_with_every_ascii_space_and_others_kept():
    rng = random.Random(11)
    pieces = ["a", "bb", "hello", "x" * 30, "\t", "\x0b", "\x0c", "\r", "\n", " ", "tab\tin",
              "\u2003em", "\u3000", "«\u00a0oui\u00a0»", "naïve", "—", "word-with-hyphen"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(0, 40)))
        width = rng.choice([8, 20, 72])
        indent = rng.choice(["", "    ", "\t"])
        first = rng.choice([None, "", "1.  ", "    > "])
        assert wrap(text, width, indent, first) == _fill(text, width, indent, first), \
            (text, width, indent, first)


def test_wrap_of_plain_words_is_textwraps_fill_at_any_width():
    # the rfind path (no whitespace but ASCII's): words of every length about the width,
    # indents longer than it, URLs and non-ASCII letters
    rng = random.Random(12)
    pieces = ["a", "bb", "ccc", "naïve", "—", "https://example.org/" + "x" * 60, "y" * 7,
              "z" * 8, "w" * 9, "\t", "\n", "  "]
    for _ in range(5000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        width = rng.randint(1, 30)
        indent = rng.choice(["", " ", "    ", " " * 12])
        first = rng.choice([None, "", "1.  ", "    > ", " " * 40])
        assert wrap(text, width, indent, first) == _fill(text, width, indent, first), \
            (text, width, indent, first)
