"""digest.topics.vectors: the fast word split gives the regular expression's words."""

import random

from digest.topics.vectors import _TOKEN, _words, stem_sequence

TRICKY = ["don't", "'abc", "abc'", "a''b", "a'''b", "''''", "'", "x'don't'", "rock'n'roll",
          "O'Neill's", "’tis", "a’’b", "a'’b", "1'abc", "abc'1", "café’s menu", "²x", "a_b'c",
          "a' 'b", "'a'", "''a''", "a '' b", "Dinesh D’Souza’s ‘Stealing America,’ Part 3",
          "£5bn—a “record” year… 10am", "naïve résumé", "x\u00a0y\u2009z", "ｆｕｌｌ width",
          "tab\tnew\nline", "", "   ", "Ⅻ and ½ and ª", "it's 2024's best"]


def _expected(text):
    return [w.replace("’", "'") for w in _TOKEN.findall(text)]


def test_the_fast_split_gives_the_expressions_words():
    for text in TRICKY:
        assert [w.replace("’", "'") for w in _words(text)] == _expected(text), text


def test_the_fast_split_on_random_text():
    rng = random.Random(0)
    alphabet = "ab Z'’’-.,1_é\u00a0\n“”£"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert [w.replace("’", "'") for w in _words(text)] == _expected(text), repr(text)


def test_stems_are_the_same_whichever_apostrophe():
    assert stem_sequence("Britain’s voters") == stem_sequence("Britain's voters")
    assert stem_sequence("naïve voters’ choice") == ("naïv", "voter", "choic")
