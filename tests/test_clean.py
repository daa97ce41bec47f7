import re

from conftest import SEED

from digest.gathering.files import read_article
from digest.text.clean import clean_text, is_boilerplate, paragraph_key, text_key

PROMO = "Download our blog’s APP from Google Playstore"
REPEATED = "the Kremlin said Putin would provide Xi with detailed"


def test_seed_promotional_line_and_repeated_paragraph_are_gone():
    article = read_article(SEED, "blog", max_bytes=1_000_000)
    assert PROMO not in article.text
    assert ">>>" not in article.text
    assert article.text.count(REPEATED) == 1
    # the original typography is kept for display
    assert "“clarifications”" in article.text
    assert article.published.isoformat() == "2023-03-20"


def test_seed_title_is_not_the_promotion():
    article = read_article(SEED, "blog", max_bytes=1_000_000)
    assert "Download" not in article.title
    assert article.title.startswith("Chinese President Xi Jinping met")


def test_dateline_is_removed_from_the_first_paragraph():
    article = read_article(SEED, "blog", max_bytes=1_000_000)
    assert not article.text.startswith("Monday March 20, 2023")
    assert article.text.startswith("Chinese President Xi Jinping")


def test_repeats_differing_only_in_quote_marks_and_spacing_collapse():
    said = "The mayor told reporters on Monday that the state of the bridge was {}."
    again = said.format('"fine"').replace(" ", "  ")
    text = said.format("“fine”") + "\n\nOther news.\n\n" + again
    assert clean_text(text) == said.format("“fine”") + "\n\nOther news."


def test_short_lines_that_repeat_by_design_stay():
    # list items and table cells repeat in a story (a meal plan, a gift guide)
    text = ("Meal 1\n\nEat every 2–3 hours\n\nMeal 2\n\nEat every 2–3 hours\n\n"
            "See it now: Amazon\n\nSee it now: Amazon")
    assert clean_text(text) == text


def test_related_links_and_newsletter_promotions_are_boilerplate():
    for line in ("SEE MORE: Hong Kong protests: 800 students under siege in university",
                 "DON'T MISS", "Pick Six Newsletter",
                 "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
                 "China furious at Macron for Hong Kong protest jibe [INSIGHT]",
                 '[button link="http://example.org/x" type="big"] Send us YOUR review[/button]'):
        assert is_boilerplate(line), line
    for line in ("Recommended doses were cut in half after the trial.",
                 "The newsletter, founded in 1998, has 40,000 readers."):
        assert not is_boilerplate(line), line


def test_paragraph_key_ignores_quotes_case_and_spaces():
    assert paragraph_key("It’s  “Done”") == paragraph_key("it's \"done\"")
    assert paragraph_key("One") != paragraph_key("Two")


def test_boilerplate_lines():
    for line in [
        "Subscribe to our newsletter",
        "Click here to read more",
        "Share this article",
        "Share on Facebook Twitter Email",
        "Read the full story here >>>",
        "Download the app now",
        "Follow us on Twitter",
        "Advertisement",
    ]:
        assert is_boilerplate(line), line
    for line in [
        "The minister said the plan would help farmers.",
        "Analysts expect subscribers to the service to double, the company said.",
    ]:
        assert not is_boilerplate(line), line


def test_long_paragraph_mentioning_subscribe_is_kept():
    para = ("The streaming company said on Tuesday that it expects millions of people to "
            "subscribe to its new service over the next year, after a price cut that analysts "
            "described as aggressive, and shares rose four percent in early trading in New York "
            "as investors welcomed the plan.")
    assert clean_text(para) == para


def test_paragraph_key_is_its_words_lowercased_with_plain_apostrophes():
    # every quote mark becomes an apostrophe, which stays inside a word; anything else that
    # is not a word character separates words; compatibility forms are unfolded first
    assert paragraph_key("«Ｈéllo»—‘wörld’  ﬁne_1 `x`") == "'héllo' 'wörld' fine_1 'x'"
    assert paragraph_key(" \t…!? ") == ""
    assert paragraph_key("ΣΑΣ\u00a0Straße") == "σασ strasse"


def test_boilerplate_check_in_parts_agrees_with_one_search_of_every_pattern():
    # is_boilerplate matches the patterns of a line's start there only, and searches the
    # others only in lines with their words: the same answers as one search of them all
    from digest.text import clean

    every = re.compile("|".join(f"(?:{p})" for p in clean._BOILERPLATE), re.IGNORECASE)
    words = ("download the app", "Google Play", "APP STORE", "subscribe to", "click here",
             "tap here", "follow us on", ">>", "»»", "→", "All rights reserved", "ad blocker",
             "follow Jane Doe on Instagram", "sign up for our newsletter", "[VIDEO]",
             "Share this", "Read more", "See also:", "[button x]", "said the minister", "play",
             "store", "newsletter", "follow", "[", "ſubscribe now", "Subscribe")
    for first in words:
        for second in words:
            for line in (f"{first} {second}", f"- {first}: {second} ", f"{first}{second}"):
                assert is_boilerplate(line) == bool(every.search(line)), line


def test_a_cleaned_texts_key_is_kept_from_its_paragraphs():
    # the key clean_text keeps is what paragraph_key gives the whole text: after a dateline
    # is cut, with a repeated paragraph dropped, and with marks that NFKC would join to a
    # letter before them were the paragraphs one
    prose = "The minister said the plan would be ready by the end of the year, officials say."
    for text in ("Monday March 20, 2023 – Ｆirst “news” here\n\nthen ﬁne",
                 f"{prose}\n\n{prose}\n\nSubscribe to our newsletter\n\nlast",
                 "e\n\n\u0301ok \u1100\n\n\u1161", "…\n\n!!"):
        cleaned = clean_text(text)
        assert text_key(cleaned) == paragraph_key(cleaned), text
    assert text_key("never cleaned “Text”") == "never cleaned 'text'"


def test_an_ascii_paragraphs_key_has_the_words_the_pattern_finds():
    # ASCII text takes a path of its own: the same words as r"[\w']+" finds
    ascii_chars = "".join(map(chr, range(128)))
    quoted = ascii_chars.replace('"', "'").replace("`", "'").lower()
    assert paragraph_key(ascii_chars) == " ".join(re.findall(r"[\w']+", quoted))
    assert paragraph_key("It's a 2-0 win_for \"Team\"\tB!\x00ok") == "it's a 2 0 win_for 'team' b ok"
    assert paragraph_key("It's a 2-0 win_for \"Team\"\tB!\x00ok é") == (
        "it's a 2 0 win_for 'team' b ok é")
