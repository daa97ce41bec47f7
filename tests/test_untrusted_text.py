"""Control characters in an article never stop a run: they are not in the issue at all."""

import datetime as dt

from conftest import STORY, write_config, write_json_article

from digest.pipeline import run
from digest.settings import load_settings


def test_control_characters_in_title_and_text_are_dropped(tmp_path):
    articles = tmp_path / "articles"
    write_json_article(articles, "a.json", title="Bad\x01 title\x0b here",
                       text=STORY.replace("bridge", "bri\x01dge\x0c"), date="2024-05-01")
    config = write_config(tmp_path, """
        outbox = "out"
        [[sources]]
        name = "Local"
        type = "folder"
        path = "articles"
        [audiences.general]
        subject = "{{ top_headline }}"
        from = "Digest <digest@example.org>"
        recipients = ["reader@example.org"]
    """)
    issue = run(load_settings(config), date=dt.date(2024, 5, 1))[0]
    for part in (issue.html, issue.text, issue.subject):
        assert not any(c in part for c in "\x01\x0b\x0c")
    assert "Bad title here" in issue.text
    assert "bridge" in issue.text
