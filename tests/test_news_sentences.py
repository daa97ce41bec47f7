"""News-aware sentence splitting: hard boundaries, furniture out, datelines off."""

from digest.text.sentences import split_paragraph_sentences, split_sentences


def test_abbreviations_and_initials_do_not_split():
    text = "Mr. Smith met Dr. J. R. Jones in the U.S. on Jan. 5. They talked for 2.5 hours."
    assert split_sentences(text) == [
        "Mr. Smith met Dr. J. R. Jones in the U.S. on Jan. 5.",
        "They talked for 2.5 hours.",
    ]


def test_quote_ending_in_full_stop_then_new_sentence():
    text = "He said, “We will win.” She disagreed. ‘Never,’ she said."
    assert split_sentences(text) == ["He said, “We will win.”", "She disagreed.",
                                     "‘Never,’ she said."]


def test_sentences_inside_a_quote_are_split():
    text = "‘I had a taste of it. It was great. ‘But it is not about me.’ Locke smiled."
    assert split_sentences(text) == ["‘I had a taste of it.", "It was great.",
                                     "‘But it is not about me.’", "Locke smiled."]


def test_news_furniture_is_dropped():
    text = ("By Jane Doe\n\nPUBLISHED: 10:02 EST, 3 May 2015 | UPDATED: 11:00 EST, 3 May 2015"
            "\n\nThe council met on Monday.\n\nAdvertisement\n\nScroll down for video "
            "The vote was close.\n\nPhoto: Getty Images\n\nIt passed.")
    assert split_sentences(text) == ["The council met on Monday.", "The vote was close.",
                                     "It passed."]


def test_datelines_are_stripped():
    assert split_sentences("WASHINGTON (CNN) -- The Senate voted on Tuesday. It passed.") == [
        "The Senate voted on Tuesday.", "It passed."]
    assert split_sentences("(CNN)Blues legend B.B. King was ill. He recovered.") == [
        "Blues legend B.B. King was ill.", "He recovered."]


def test_ordinary_capitalised_opening_is_not_a_dateline():
    assert split_sentences("The Senate voted. It passed.") == ["The Senate voted.", "It passed."]


def test_paragraphs_end_sentences():
    assert split_paragraph_sentences("A heading\n\nFirst one. Second one.") == [
        ["A heading"], ["First one.", "Second one."]]


def test_list_items_and_ellipses_go_to_the_careful_rules():
    assert split_sentences("1) The first item 2) The second item") == [
        "1) The first item", "2) The second item"]
    assert split_sentences("I wasn't sure . . . what I meant.") == [
        "I wasn't sure . . . what I meant."]
