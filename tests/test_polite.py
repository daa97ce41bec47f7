"""Polite fetching against a real server on 127.0.0.1: per-host limits, Retry-After, robots.txt."""

import datetime as dt
import logging
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from localserver import send, slow, static

from digest.errors import SourceError
from digest.gathering.context import Context
from digest.gathering.fetch import Fetcher
from digest.gathering.page import read_pages
from digest.gathering.polite import product_token, retry_after
from digest.settings import Fetch, Source

PAGE = ("<html><head><title>Bridge</title></head><body><article><h1>Bridge</h1>"
        + "<p>The council approved the bridge after a long debate in the town hall. </p>" * 20
        + "</article></body></html>").encode()


def test_requests_in_flight_per_host_are_bounded(server):
    for i in range(8):
        server.routes[f"/s{i}"] = slow(0.15, b"ok")
    options = Fetch(concurrency=8, per_host=1, host_interval=0)
    # 127.0.0.1 and localhost are two hosts for the limits (the same server here)
    urls = [server.url(f"/s{i}") if i % 2 else server.url(f"/s{i}").replace(
        "127.0.0.1", "localhost") for i in range(8)]
    with Fetcher(options) as fetcher, ThreadPoolExecutor(8) as pool:
        bodies = list(pool.map(lambda url: fetcher.get(url).body, urls))
    assert bodies == [b"ok"] * 8
    assert server.max_in_flight <= 2


def test_requests_to_one_host_start_an_interval_apart(server):
    server.routes["/a"] = static(b"ok", "text/plain")
    with Fetcher(Fetch(concurrency=4, per_host=4, host_interval=0.2)) as fetcher, \
            ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: fetcher.get(server.url("/a")), range(4)))
    starts = sorted(moment for _, moment in server.arrivals)
    assert len(starts) == 4
    # the client starts them 0.2 s apart; what the server sees can jitter a little either way,
    # the span of the four cannot be shorter than three intervals less that jitter
    assert starts[-1] - starts[0] >= 0.5


def busy_then(body: bytes, wait: str, code: int = 503):
    def route(handler, hit):
        if hit == 1:
            send(handler, code, b"busy", headers={"Retry-After": wait})
        else:
            send(handler, 200, body)

    return route


def test_retry_after_is_honoured(server):
    server.routes["/busy"] = busy_then(b"done", "1")
    started = time.monotonic()
    with Fetcher(Fetch(retries=2, retry_after_max=5, host_interval=0)) as fetcher:
        assert fetcher.get(server.url("/busy")).body == b"done"
        assert fetcher.stats.waited == 1
    assert server.hits["/busy"] == 2 and time.monotonic() - started >= 0.95


def test_a_retry_after_longer_than_the_cap_gives_up(server):
    server.routes["/later"] = busy_then(b"done", "3600", code=429)
    with Fetcher(Fetch(retries=2, retry_after_max=5, host_interval=0)) as fetcher:
        with pytest.raises(SourceError, match="retry after 3600 seconds .*retry_after_max"):
            fetcher.get(server.url("/later"))
        assert server.hits["/later"] == 1
        # the host is not asked again in this run, and no request waits an hour for it
        with pytest.raises(SourceError, match="not asked again"):
            fetcher.get(server.url("/other"))
    assert server.hits["/other"] == 0


def test_retry_after_as_seconds_or_a_date():
    now = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)
    assert retry_after("120") == 120
    assert retry_after("Wed, 01 May 2024 12:01:30 GMT", now) == 90
    assert retry_after("Wed, 01 May 2024 11:00:00 GMT", now) == 0
    assert retry_after("soon") is None and retry_after(None) is None


def test_robots_txt_is_honoured_for_pages_and_read_once(server, caplog):
    server.routes["/robots.txt"] = static(
        b"User-agent: otherbot\nDisallow: /\n\nUser-agent: digest\nDisallow: /private/\n",
        "text/plain")
    for path in ("/news/a", "/news/b", "/private/c"):
        server.routes[path] = static(PAGE, "text/html")
    source = Source(name="site", type="page",
                    urls=tuple(server.url(p) for p in ("/news/a", "/news/b", "/private/c")))
    ctx = Context(fetch=Fetch(host_interval=0))
    with caplog.at_level(logging.WARNING, logger="digest"):
        articles = read_pages(source, ctx)
    ctx.close()
    assert len(articles) == 2
    assert server.hits["/private/c"] == 0 and server.hits["/robots.txt"] == 1
    assert any("/private/c: robots.txt does not allow 'digest'" in r.getMessage()
               for r in caplog.records)


def test_a_missing_robots_txt_allows_everything_and_robots_can_be_turned_off(server):
    server.routes["/news/a"] = static(PAGE, "text/html")
    source = Source(name="site", type="page", urls=(server.url("/news/a"),))
    ctx = Context(fetch=Fetch(host_interval=0))
    assert len(read_pages(source, ctx)) == 1 and server.hits["/robots.txt"] == 1
    server.routes["/robots.txt"] = static(b"User-agent: *\nDisallow: /\n", "text/plain")
    ctx = Context(fetch=Fetch(host_interval=0, robots=False))
    assert len(read_pages(source, ctx)) == 1 and server.hits["/robots.txt"] == 1


def test_the_product_token_is_the_user_agents_first_word():
    assert product_token("digest/0.1.0 (daily news digest; +https://pypi.org)") == "digest"
    assert product_token("NewsBot/2 (+https://example.org)") == "NewsBot"


def test_fetch_politeness_keys_are_read_and_checked(tmp_path):
    from conftest import write_config

    from digest.errors import ConfigError
    from digest.settings import load_settings

    body = """
        outbox = "out"
        [fetch]
        per_host = 3
        host_interval = 0
        retry_after_max = 30
        robots = false
        [audiences.general]
        recipients = ["a@example.org"]
    """
    fetch = load_settings(write_config(tmp_path, body)).fetch
    assert (fetch.per_host, fetch.host_interval, fetch.retry_after_max, fetch.robots) == \
        (3, 0.0, 30.0, False)
    with pytest.raises(ConfigError, match="per_host"):
        load_settings(write_config(tmp_path, body.replace("per_host = 3", "per_host = 0")))
    with pytest.raises(ConfigError, match="host_interval"):
        load_settings(write_config(tmp_path, body.replace("host_interval = 0",
                                                          "host_interval = -1")))


def test_many_feeds_on_one_host_keep_to_its_limit(server):
    from digest.gathering.sources import collect

    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item>'
            b"<title>A</title><link>https://news.example.org/a</link><description>Some text."
            b"</description></item></channel></rss>")

    def slow_feed(handler, hit):
        time.sleep(0.05)
        send(handler, 200, feed, "application/rss+xml")

    sources = []
    for n in range(30):
        server.routes[f"/feed{n}.xml"] = slow_feed
        sources.append(Source(name=f"feed {n}", type="feed", url=server.url(f"/feed{n}.xml"),
                              full_text=False))
    ctx = Context(fetch=Fetch(concurrency=8, per_host=2, host_interval=0))
    result = collect(sources, ctx)
    ctx.close()
    assert len(result.ok) == 30 and sum(server.hits.values()) == 30
    assert server.max_in_flight <= 2
