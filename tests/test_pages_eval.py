"""Main text of real article pages against what a person marked as the article body.

Reads the evaluation pages in place ($DIGEST_PAGES, default /work/shared/data/pages) and
skips when they are absent: they are never copied into the repository.
"""

import os
import sys
from pathlib import Path

import pytest

PAGES = Path(os.environ.get("DIGEST_PAGES", "/work/shared/data/pages"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))


@pytest.mark.skipif(not (PAGES / "ground-truth.json").exists(),
                    reason=f"no evaluation pages in {PAGES}")
def test_main_text_scores_at_least_the_target():
    from pages import digest_text, load, page_score, score

    pages = load(PAGES)
    assert len(pages) >= 50
    f1, precision, recall = score([page_score(truth, digest_text(html, url))
                                   for _, url, html, truth in pages])
    assert f1 >= 0.975 and precision >= 0.96 and recall >= 0.96, (f1, precision, recall)


def test_a_table_in_the_story_is_kept_and_the_page_chrome_is_not():
    from digest.gathering.files import parse_html

    story = " ".join(f"The council voted on item {i} of the budget after a long debate."
                     for i in range(12))
    html = (f"<html><head><title>Budget passes</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
            f"<article><h1>Budget passes</h1><p>{story}</p>"
            f"<table><tr><td>Schools</td><td>12.5 million</td></tr>"
            f"<tr><td>Roads</td><td>8.1 million</td></tr></table>"
            f"<p>{story.replace('council', 'board')}</p></article>"
            f"<footer>Copyright Example News. Contact us.</footer></body></html>")
    fields = parse_html(html, "https://news.example.org/budget")
    assert "Schools" in fields["text"] and "12.5 million" in fields["text"]
    assert "Home" not in fields["text"] and "Contact us" not in fields["text"]
