from digest.text.sentences import paragraphs, split_sentences, words


def test_paragraph_breaks_end_sentences():
    text = "The vote was close\n\nLawmakers met on Monday. They argued."
    assert split_sentences(text) == ["The vote was close", "Lawmakers met on Monday.",
                                     "They argued."]


def test_header_line_is_not_glued_to_first_sentence():
    text = "Markets today\nShares rose on Monday. Bonds fell."
    assert split_sentences(text)[0] == "Markets today"


def test_soft_wrapped_lines_are_joined():
    text = ("The council voted on Monday to approve the new bridge over the river,\n"
            "officials said. It will open in 2027.")
    assert split_sentences(text) == [
        "The council voted on Monday to approve the new bridge over the river, officials said.",
        "It will open in 2027.",
    ]


def test_abbreviations_and_decimals():
    text = "Mr. Smith paid $3.50 for the U.S. edition. He left at 5 p.m. on Friday."
    assert split_sentences(text) == ["Mr. Smith paid $3.50 for the U.S. edition.",
                                     "He left at 5 p.m. on Friday."]


def test_paragraphs_and_words():
    assert paragraphs("a\n\n\n b \n\n") == ["a", "b"]
    assert words("It’s a well-known fact: 3.5 people.") == ["It’s", "a", "well-known", "fact",
                                                            "3.5", "people"]


def test_clear_boundaries_are_the_patterns_matches():
    # _clear_boundaries looks for _CLEAR_BOUNDARY only around stops, for speed: it must
    # find exactly what scanning every character finds, on text made to be awkward
    import random

    from digest.text.sentences import _CLEAR_BOUNDARY, _clear_boundaries

    rnd = random.Random(3)
    alphabet = list("aAbZz .!?…\"”’')]“‘([-_,;:0123456789%m\n\t") + [
        "\u00a0", "\u2009", "é", "bn", "Mr.", "U.S.", "3.5m", "ab", "Ab", "AB"]
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        assert [(m.group(1), m.span(), m.span(2)) for m in _clear_boundaries(text)] == \
            [(m.group(1), m.span(), m.span(2)) for m in _CLEAR_BOUNDARY.finditer(text)], text
