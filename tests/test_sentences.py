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
