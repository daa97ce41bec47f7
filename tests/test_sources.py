import logging

import pytest
from conftest import STORY, write_json_article

from digest.gathering.files import read_article
from digest.gathering.folder import read_folder
from digest.settings import Source


def read(path):
    return read_article(path, "Local", max_bytes=1_000_000)


def test_text_with_header_lines(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title: Bridge approved\nDate: 2024-05-01\nAuthor: Ann Lee\n"
                    "URL: https://example.org/b\n\n" + STORY, encoding="utf-8")
    article = read(path)
    assert article.title == "Bridge approved"
    assert article.published.isoformat() == "2024-05-01"
    assert article.author == "Ann Lee"
    assert article.url == "https://example.org/b"
    assert article.text.startswith("The city council approved")


def test_text_with_front_matter(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: \"Front matter title\"\ndate: 2024-05-03\n---\n\n"
                    "Some **bold** text with a [link](https://x.org). More words here.",
                    encoding="utf-8")
    article = read(path)
    assert article.title == "Front matter title"
    assert article.published.isoformat() == "2024-05-03"
    assert article.text == "Some bold text with a link. More words here."


def test_markdown_heading_is_the_title(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("# Storm warning\n\nA storm is coming. Stay inside.", encoding="utf-8")
    article = read(path)
    assert article.title == "Storm warning"
    assert article.text == "A storm is coming. Stay inside."


def test_title_from_headline_like_first_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Storm hits coast\n\nA storm hit the coast. Power is out.", encoding="utf-8")
    article = read(path)
    assert article.title == "Storm hits coast"
    assert article.text == "A storm hit the coast. Power is out."


def test_html_main_text_without_navigation(tmp_path):
    path = tmp_path / "a.html"
    path.write_text(
        "<html><head><title>Bridge approved | Site</title>"
        '<meta name="author" content="Ann Lee"></head><body>'
        '<nav><a href="/">Home</a> <a href="/world">World news section</a></nav>'
        "<article><h1>Bridge approved</h1>"
        "<p>The city council approved a new bridge over the river on Monday, officials said.</p>"
        "<p>The bridge will cost twelve million dollars and open in 2027, the mayor added.</p>"
        "</article><footer>Copyright footer links</footer></body></html>",
        encoding="utf-8",
    )
    article = read(path)
    assert article.title == "Bridge approved"
    assert article.author == "Ann Lee"
    assert "World news section" not in article.text
    assert article.text.startswith("The city council approved")
    assert "open in 2027" in article.text


def test_json_article(tmp_path):
    path = write_json_article(tmp_path, "a.json", title="T", source="Wire",
                              url="javascript:alert(1)")
    article = read(path)
    assert article.title == "T"
    assert article.source == "Wire"
    assert article.url == ""  # only http(s) links reach the newsletter


def test_title_control_characters_are_removed(tmp_path):
    path = write_json_article(tmp_path, "a.json", title="Line one\r\nBcc: x@evil.org")
    assert read(path).title == "Line one Bcc: x@evil.org"


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("binary.txt", b"\x00\x01\x02PNG", "binary file"),
        ("latin1.txt", "Caf\xe9 news. More text.".encode("latin-1"), "not UTF-8 text"),
        ("big.txt", b"word " * 500, "larger than 1000 bytes"),
        ("bad.json", b"{not json", "invalid JSON"),
    ],
)
def test_bad_files_warn_and_the_rest_is_read(tmp_path, caplog, name, content, reason):
    folder = tmp_path / "in"
    write_json_article(folder, "good.json")
    (folder / name).write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="digest"):
        articles = read_folder(Source(name="s", type="folder", path=folder, max_file_bytes=1000))
    assert [a.title for a in articles] == ["A title"]
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1
    assert str(folder / name) in messages[0]
    assert reason in messages[0]


def test_other_suffixes_and_hidden_files_are_ignored(tmp_path, caplog):
    folder = tmp_path / "in"
    write_json_article(folder, "good.json")
    (folder / "NOTICE").write_text("licence", encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG\x00")
    (folder / ".hidden.txt").write_text("Secret\n\nHidden text.", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="digest"):
        articles = read_folder(Source(name="s", type="folder", path=folder))
    assert len(articles) == 1
    assert caplog.records == []
