"""The HTTP client against a real server on 127.0.0.1: every answer a feed host can give."""

import time

import pytest
from localserver import big, endless, fail_then, gzip_bomb, slow, static, status

from digest.errors import SourceError
from digest.gathering.fetch import Fetcher
from digest.settings import Fetch
from digest.state import State

FAST = Fetch(timeout=0.5, total_timeout=2, max_bytes=100_000, retries=2, backoff=0.01,
             concurrency=2)


@pytest.fixture
def state(tmp_path):
    with State(tmp_path / "state.sqlite3") as db:
        yield db


def test_200_with_a_descriptive_user_agent(server):
    server.routes["/feed"] = static(b"<rss/>")
    with Fetcher(FAST) as fetcher:
        response = fetcher.get(server.url("/feed"))
    assert response.body == b"<rss/>" and not response.from_cache
    agent = server.requests[0][1]["User-Agent"]
    assert agent.startswith("digest/") and "digest" in agent.lower()


def test_304_with_etag_serves_the_remembered_body(server, state):
    server.routes["/feed"] = static(b"<rss>v1</rss>", etag='"abc"')
    with Fetcher(FAST, state) as fetcher:
        first = fetcher.get(server.url("/feed"))
    with Fetcher(FAST, state) as fetcher:  # a later run: validators come from the state file
        second = fetcher.get(server.url("/feed"))
        assert fetcher.stats.not_modified == 1
    assert server.requests[1][1].get("If-None-Match") == '"abc"'
    assert not first.from_cache and second.from_cache
    assert second.body == b"<rss>v1</rss>"


def test_last_modified_is_sent_back(server, state):
    stamp = "Wed, 01 May 2024 10:00:00 GMT"
    server.routes["/feed"] = static(b"<rss/>", last_modified=stamp)
    with Fetcher(FAST, state) as fetcher:
        fetcher.get(server.url("/feed"))
        assert fetcher.get(server.url("/feed")).from_cache
    assert server.requests[1][1].get("If-Modified-Since") == stamp


def test_without_conditional_get_every_fetch_is_a_200(server, state):
    server.routes["/feed"] = static(b"<rss/>", etag='"abc"')
    with Fetcher(FAST, state, conditional=False) as fetcher:
        fetcher.get(server.url("/feed"))
        assert not fetcher.get(server.url("/feed")).from_cache
    assert "If-None-Match" not in server.requests[1][1]


def test_301_is_followed(server):
    server.routes["/old"] = status(301, "/new")
    server.routes["/new"] = static(b"moved here")
    with Fetcher(FAST) as fetcher:
        response = fetcher.get(server.url("/old"))
    assert response.body == b"moved here"
    assert response.final_url == server.url("/new")


def test_redirect_loop_stops(server):
    server.routes["/a"] = status(302, "/b")
    server.routes["/b"] = status(302, "/a")
    with Fetcher(FAST) as fetcher, pytest.raises(SourceError, match="more than 5 redirects"):
        fetcher.get(server.url("/a"))


def test_redirect_to_another_scheme_is_refused(server):
    server.routes["/a"] = status(301, "file:///etc/passwd")
    with Fetcher(FAST) as fetcher, pytest.raises(SourceError, match="only http"):
        fetcher.get(server.url("/a"))


def test_404_names_the_address(server):
    with Fetcher(FAST) as fetcher, pytest.raises(SourceError) as error:
        fetcher.get(server.url("/missing"))
    assert "/missing" in str(error.value) and "404" in str(error.value)
    assert server.hits["/missing"] == 1  # a 404 is not retried


def test_500_then_success_is_retried(server):
    server.routes["/flaky"] = fail_then(1, b"fine now")
    with Fetcher(FAST) as fetcher:
        assert fetcher.get(server.url("/flaky")).body == b"fine now"
    assert server.hits["/flaky"] == 2


def test_500_for_ever_gives_up_after_the_retries(server):
    server.routes["/down"] = fail_then(100, b"", code=503)
    with Fetcher(FAST) as fetcher, pytest.raises(SourceError, match="503"):
        fetcher.get(server.url("/down"))
    assert server.hits["/down"] == FAST.retries + 1


def test_slower_than_the_timeout(server):
    server.routes["/slow"] = slow(10)
    options = Fetch(timeout=0.3, retries=1, backoff=0.01)
    started = time.monotonic()
    with Fetcher(options) as fetcher, pytest.raises(SourceError, match="timed out"):
        fetcher.get(server.url("/slow"))
    # not a speed check: the client gave up instead of waiting the server's 10 s
    assert time.monotonic() - started < 8
    assert server.hits["/slow"] == 2


def test_oversized_body_with_a_length_is_not_read(server):
    server.routes["/big"] = big(1_000_000)
    with Fetcher(FAST) as fetcher, pytest.raises(SourceError, match="larger than 100000"):
        fetcher.get(server.url("/big"))


def test_oversized_body_without_a_length_is_cut_off(server):
    server.routes["/big"] = big(1_000_000, declare_length=False)
    with Fetcher(FAST) as fetcher, pytest.raises(SourceError, match="cut off"):
        fetcher.get(server.url("/big"))


def test_gzip_bomb_stops_at_the_cap(server):
    server.routes["/bomb"] = gzip_bomb(50_000_000)  # 50 MB of zeros, about 50 kB on the wire
    with Fetcher(Fetch(max_bytes=1_000_000, retries=0)) as fetcher, \
            pytest.raises(SourceError, match="larger than 1000000 bytes, cut off"):
        fetcher.get(server.url("/bomb"))


def test_endless_response_is_cut_off_by_the_deadline(server):
    server.routes["/endless"] = endless()
    options = Fetch(timeout=1, total_timeout=0.5, max_bytes=10_000_000, retries=0)
    # the body never ends: without the deadline this test would not end either
    with Fetcher(options) as fetcher, pytest.raises(SourceError, match="took longer than 0.5"):
        fetcher.get(server.url("/endless"))


def test_only_loopback_hosts_in_tests():
    with Fetcher(FAST) as fetcher, pytest.raises(SourceError, match="not allowed"):
        fetcher.get("http://example.org/feed")


def test_requests_in_flight_are_bounded(server):
    from concurrent.futures import ThreadPoolExecutor

    for i in range(6):
        server.routes[f"/s{i}"] = slow(0.2, b"ok")
    with Fetcher(Fetch(concurrency=2)) as fetcher, ThreadPoolExecutor(6) as pool:
        bodies = list(pool.map(lambda i: fetcher.get(server.url(f"/s{i}")).body, range(6)))
    assert bodies == [b"ok"] * 6
    assert server.max_in_flight <= 2
