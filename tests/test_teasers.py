"""A teaser and its full story: no page fetched when another source already has the story."""

import datetime as dt

from localserver import static

from digest.gathering.sources import Context, collect
from digest.settings import Fetch, Source

FULL = " ".join(f"The council met on day {i} and voted on the bridge budget again."
                for i in range(40))
PAGE = ("<html><head><title>Storm</title></head><body><article><h1>Storm</h1>"
        + "<p>The storm hit the coast on Tuesday and crews worked through the night.</p>" * 20
        + "</article></body></html>").encode()


def rss(items: str) -> bytes:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}'
            "</channel></rss>").encode()


def item(title: str, link: str, text: str) -> str:
    return (f"<item><title>{title}</title><link>{link}</link><description>{text}</description>"
            "<pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate></item>")


def test_a_teaser_of_a_story_another_source_has_in_full_fetches_no_page(server):
    teaser = " ".join(FULL.split()[:40]) + " …"
    server.routes["/paper.xml"] = static(rss(item("Bridge", "https://paper.example/b", FULL)))
    server.routes["/teasers.xml"] = static(rss(
        item("Bridge", server.url("/bridge"), teaser)
        + item("Storm", server.url("/storm"), "A storm hit the coast.")))
    server.routes["/bridge"] = static(PAGE, "text/html")
    server.routes["/storm"] = static(PAGE, "text/html")
    sources = [Source(name="paper", type="feed", url=server.url("/paper.xml"), full_text=False),
               Source(name="teasers", type="feed", url=server.url("/teasers.xml"))]
    ctx = Context(fetch=Fetch(timeout=1, retries=0, host_interval=0), tz=dt.timezone.utc)
    result = collect(sources, ctx)
    ctx.close()
    assert server.hits["/bridge"] == 0  # the paper has the story: its teaser's page is spared
    assert server.hits["/storm"] == 1  # no source has this one: its page gives the full text
    texts = {a.title: a.text for a in result.articles if a.source == "teasers"}
    assert texts["Bridge"] == teaser
    assert texts["Storm"].startswith("The storm hit the coast on Tuesday")
