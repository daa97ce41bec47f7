"""How an issue is divided: small days as a list, "More news", "In this issue", names."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil

import pytest

from digest.models import Article, Topic
from digest.rendering import make_environment, render
from digest.settings.schema import Audience
from digest.topics import MORE_NEWS, SECTION_NAMES, layout
from digest.topics.builtin import builtin_sections, iptc_codes
from digest.topics.phrases import heading
from digest.topics.vectors import _Doc


def story(i: int, title: str | None = None) -> Article:
    return Article(title=title or f"Story number {i}", text=f"Body of story {i}. It is short.",
                   source="Local", url=f"https://example.org/{i}", summary=[f"Summary {i}."])


def topics_of(*sizes: int, names=None) -> list[Topic]:
    out, n = [], 0
    for k, size in enumerate(sizes):
        arts = [story(n + j) for j in range(size)]
        n += size
        out.append(Topic(name=(names or SECTION_NAMES)[k], articles=arts, weight=size))
    return out


def test_a_small_day_is_one_list_without_headings():
    laid = layout(topics_of(2, 2, 1), list_under=6)
    assert [t.name for t in laid] == [""]
    assert len(laid[0].articles) == 5
    assert [t.name for t in layout(topics_of(1))] == [""]
    assert layout([]) == []


def test_one_story_sections_merge_into_a_final_more_news():
    laid = layout(topics_of(3, 1, 2, 1), list_under=6)
    assert [t.name for t in laid] == [SECTION_NAMES[0], SECTION_NAMES[2], MORE_NEWS]
    assert [a.title for a in laid[-1].articles] == ["Story number 3", "Story number 6"]
    # when only one section would be left, it loses its heading: "More news" alone says nothing
    assert [t.name for t in layout(topics_of(1, 1, 1, 1, 1, 1), list_under=6)] == [""]
    assert [t.name for t in layout(topics_of(6, 1), list_under=6)] == [SECTION_NAMES[0],
                                                                       MORE_NEWS]
    assert [t.name for t in layout(topics_of(7), list_under=6)] == [""]


def render_issue(topics, **audience):
    articles = [a for t in topics for a in t.articles]
    env = make_environment([])
    return render(env, dt.date(2024, 5, 1), Audience(name="general", **audience), articles,
                  topics)


def test_a_one_article_day_renders_with_no_section_heading():
    rendered = render_issue(layout(topics_of(1)))
    assert "Story number 0" in rendered.text
    assert 'class="t"' not in rendered.html  # no section heading element
    assert SECTION_NAMES[0].upper() not in rendered.text
    assert "In this issue" not in rendered.html and "IN THIS ISSUE" not in rendered.text


def test_a_big_issue_opens_with_in_this_issue_linking_to_each_story():
    topics = layout(topics_of(5, 4, 3), list_under=6)
    rendered = render_issue(topics, contents_over=10)
    html, text = rendered.html, rendered.text
    assert html.index("In this issue") < html.index(f'>{SECTION_NAMES[0]}</h3>')
    links = re.findall(r'href="#(n\d+)"', html)
    assert links == [f"n{i}" for i in range(1, 13)]
    for anchor in links:
        # the target has both id and name: what Gmail, Apple Mail and Outlook web follow
        assert re.search(rf'<a id="{anchor}" name="{anchor}"', html)
    contents = text[text.index("IN THIS ISSUE"):text.index(SECTION_NAMES[0].upper())]
    numbers = re.findall(r"^\s*(\d+)\. Story number (\d+)$", contents, re.MULTILINE)
    assert [int(n) for n, _ in numbers] == list(range(1, 13))
    assert [int(s) for _, s in numbers] == list(range(12))
    # at or under the threshold there is no contents list
    small = render_issue(topics, contents_over=12)
    assert "In this issue" not in small.html and "IN THIS ISSUE" not in small.text


def test_contents_escape_untrusted_headlines():
    topics = [Topic(name="Politics", articles=[story(i, "<b>bold</b> & co") for i in range(12)])]
    rendered = render_issue(topics, contents_over=10)
    assert "<b>bold</b>" not in rendered.html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in rendered.html


def test_built_in_sections_are_the_iptc_top_level_with_vocabularies():
    sections = builtin_sections()
    assert len(sections) == 17
    assert len(set(SECTION_NAMES)) == 17 and MORE_NEWS not in SECTION_NAMES
    codes = iptc_codes()
    assert all(re.fullmatch(r"medtop:\d{8}", codes[name]) for name in SECTION_NAMES)
    assert len(set(codes.values())) == 17
    assert all(len(s.keywords) >= 15 for s in sections)


def doc(i, title, text):
    return _Doc(str(i), title, text)


def test_headings_are_shared_names_never_a_lone_common_word():
    inside = [doc(1, "Talks on Brexit stall", "Boris Johnson said the Brexit talks would go on. "
                  "Like many, he waited."),
              doc(2, "Brexit vote delayed", "The vote was delayed, Boris Johnson said. Like "
                  "before, the issue is timing."),
              doc(3, "Brexit deal", "Years of talks. Boris Johnson wants a deal on Brexit.")]
    outside = [doc(4, "Cup final", "Like every year, the final was played. Years pass."),
               doc(5, "Rates", "The bank held rates. Like others, it waited.")]
    label = heading(inside, outside)
    assert label is not None
    parts = label.split(", ")
    assert set(parts) <= {"Brexit", "Boris Johnson"} and parts
    # words opening sentences ("Like", "Years") and common words are never a heading alone
    plain = [doc(6, "A day", "Like many days, it was long. Years went by."),
             doc(7, "Another day", "Like the others, it was long. Years later, the same.")]
    assert heading(plain, outside) is None


@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver"))
                    and not os.environ.get("CI"), reason="chromium/chromedriver not installed")
def test_in_this_issue_links_jump_to_the_stories_in_a_browser(tmp_path):
    from test_preview_browser import chromium

    topics = layout(topics_of(8, 8, 8), list_under=6)
    page = tmp_path / "issue.html"
    page.write_text(render_issue(topics, contents_over=10).html, encoding="utf-8")
    browser = chromium(tmp_path)
    try:
        browser.get(page.as_uri())
        assert browser.execute_script("return window.scrollY") == 0
        from selenium.webdriver.common.by import By

        browser.find_element(By.CSS_SELECTOR, 'a[href="#n10"]').click()
        top = browser.execute_script(
            "return document.getElementsByName('n10')[0].getBoundingClientRect().top")
        assert browser.execute_script("return window.scrollY") > 0
        assert abs(top) < 5  # the story's anchor is at the top of the window
    finally:
        browser.quit()
