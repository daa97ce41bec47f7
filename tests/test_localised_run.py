"""The issue's acceptance test: a French audience over the French Wikinews samples gets
French parts, French quotation marks and key quotes with speakers."""

import datetime as dt
import re

from conftest import write_config
from test_i18n import _catalog, _english_fragments

from digest.pipeline import run
from digest.resources import default_dir
from digest.settings import load_settings

FRENCH = default_dir("samples") / "wikinews-fr"


def _french_config(tmp_path):
    return write_config(tmp_path, f"""
        outbox = "out"
        state = "state.sqlite3"

        [[sources]]
        name = "Wikinews"
        type = "folder"
        path = "{FRENCH.as_posix()}"

        [audiences.france]
        locale = "fr_FR"
        recipients = ["lecteur@example.org"]
        unsubscribe_url = "https://example.org/desabonnement?e={{email}}"
    """)


def test_french_audience_gets_a_french_issue(tmp_path):
    settings = load_settings(_french_config(tmp_path))
    (issue,) = run(settings, date=dt.date(2012, 12, 31), since=dt.date(2012, 6, 1))
    assert len(issue.articles) == 10
    translated = " ".join(" ".join(m.string) if isinstance(m.string, tuple) else m.string
                          for m in _catalog("fr") if m.id)
    for fragment in _english_fragments():
        if fragment in translated:
            continue
        assert fragment not in issue.text, fragment
        assert fragment not in issue.html, fragment
        assert fragment not in issue.subject, fragment
    assert "10 articles" in issue.text
    assert re.search(r"Lire l(?:'|&#39;|&#x27;)article complet", issue.html)
    assert issue.subject.startswith("Revue du jour du 2012-12-31")
    # French quotation marks around the key quotes, with narrow no-break spaces
    assert "«\u202f" in issue.text and "\u202f»" in issue.text
    assert "> “" not in issue.text and "class=\"q\">“" not in issue.html
    # every article that quotes someone by name has a key quote with its speaker
    speakers = {q.speaker for a in issue.articles for q in a.quotes}
    assert {"Guido Tonelli", "Philippe Varin", "Jérémie Zimmermann", "Serena Williams",
            "Robert Soulas"} <= speakers
    for article in issue.articles:
        for quote in article.quotes:
            assert quote.speaker, (article.title, quote.text)
            assert f"— {quote.speaker}" in issue.text
