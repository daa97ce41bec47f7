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


def test_sentence_spans_are_pysbds():
    # pysbd compiled a pattern per sentence to find its span; ours searches for the string:
    # it must give pysbd's own result, repeats, misses, empty and blank sentences included
    import random

    import pysbd

    from digest.text.sentences import _segmenter, _sentence_spans

    def theirs(text, sentences):
        segmenter = pysbd.Segmenter(language="en", clean=False)
        segmenter.original_text = text
        return [(s.sent, s.start, s.end)
                for s in pysbd.Segmenter.sentences_with_char_spans(segmenter, sentences)]

    def ours(text, sentences):
        return [(s.sent, s.start, s.end) for s in _sentence_spans(text, sentences)]

    hard = [
        "Hello World. My name is Jonas.", "What is your name? My name is Jonas.",
        "There it is! I found it.", "My name is Jonas E. Smith.", "Please turn to p. 55.",
        "Were Jane and co. at the party?", "They closed the deal with Pitt, Briggs & Co. at noon.",
        "Let's ask Jane and co. They should know.", "I wrote it.  I wrote it.\n\nI wrote it.",
        "He left at 5 p.m. on Friday.\u00a0He came back.\u2009\u2009Again.", "a  a a\ta\n a",
        "(a+b)*? [x] {2} ^$ \\d. (a+b)*? [x] {2} ^$ \\d.", "", "   ", "No. 1. No. 1.",
    ]
    rnd = random.Random(7)
    alphabet = ["a", "A", "b", " ", "  ", ".", "?", "!", "\n", "\t", "\u00a0", "\u2009", "é",
                "(", "*", "+", "\\", "Mr.", "U.S.", "x y", "It is.", "It is. "]
    texts = hard + ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
                    for _ in range(4000)]
    checked = 0
    for text in texts:
        lists = [_segmenter("en").processor(text).process() if text else []]
        for _ in range(3):
            pieces = []
            for _ in range(rnd.randint(0, 6)):
                i = rnd.randint(0, len(text))
                j = rnd.randint(i, min(len(text), i + 12))
                pieces.append(rnd.choice([text[i:j], text[i:j], "", " ", "zz", text[i:j].strip()]))
            lists.append(pieces)
            lists.append(pieces + pieces)
        for sentences in lists:
            assert ours(text, sentences) == theirs(text, sentences), (text, sentences)
            checked += 1
    assert checked > 20000


def test_segmenter_gives_pysbds_sentences():
    import pysbd

    from digest.text.sentences import _segmenter

    texts = ["Mr. Smith went to Washington. He said so. He said so.",
             "Dr. A. B. Jones arrived at 5 p.m. today... Then he left!  'Really?' she asked.",
             "", " ", "U.S. officials met. U.S. officials met."]
    for language in ("en", "fr", "de"):
        theirs = pysbd.Segmenter(language=language, clean=False)
        for text in texts:
            assert _segmenter(language).segment(text) == theirs.segment(text)


def test_doubtful_needs_its_character():
    # _split_block looks for _DOUBTFUL only in a piece with one of the characters that
    # every match holds: no match may lack them
    import random

    from digest.text.sentences import _DOUBTFUL, _DOUBTFUL_CHARACTER

    rnd = random.Random(5)
    alphabet = list("aZ .!?…\"”’')]\n\t12•(,") + ["\u00a0", "12", "a)", "b.", "3."]
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 20)))
        if _DOUBTFUL.search(text):
            assert _DOUBTFUL_CHARACTER.search(text), text
