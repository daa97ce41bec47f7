"""one_line: an untrusted single-line field (a title, a name, a link)."""

from digest.gathering.files import one_line


def test_control_characters_and_line_breaks_become_single_spaces():
    assert one_line("  Breaking:\nnews\x00from\x1b[31m the\u2028wire\t ") == (
        "Breaking: news from [31m the wire")
    assert one_line("no\u00a0break") == "no break"  # not printable, so a space like the rest


def test_printable_text_only_has_its_spaces_collapsed():
    assert one_line("  Plain  «title» — ok ") == "Plain «title» — ok"
    assert one_line("") == ""
