"""No fetch to a private address, whatever the name: the guard checks the address connected to.

A resolver of the test's own answers public-looking names with loopback addresses, and a
real server on 127.0.0.1 counts what reaches it.
"""

import ipaddress
import logging
import socket

import pytest
from localserver import static

import digest.gathering.fetch
from digest.errors import SourceError
from digest.gathering import guard
from digest.gathering.context import Context
from digest.gathering.feed import parse_feed
from digest.gathering.fetch import Fetcher
from digest.settings import Fetch, Source

FAST = Fetch(timeout=1, total_timeout=3, retries=0, host_interval=0)
PUBLIC_NAMES = {"news.example.com", "inner.example.com", "mixed.example.com",
                "mapped.example.com"}


@pytest.fixture
def resolver(monkeypatch):
    """Answers PUBLIC_NAMES with loopback addresses; records every lookup."""
    answers = {"news.example.com": ["127.0.0.1"], "inner.example.com": ["127.0.0.1"],
               "mixed.example.com": ["127.0.0.1"], "mapped.example.com": ["::ffff:127.0.0.1"]}
    lookups = []
    real = socket.getaddrinfo

    def resolve(host, port, family=0, kind=0, proto=0, flags=0):
        lookups.append(host)
        if host not in answers:
            return real(host, port, family, kind, proto, flags)
        out = []
        for address in answers[host]:
            if ":" in address:
                out.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0)))
            else:
                out.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)))
        return out

    monkeypatch.setattr(guard, "resolve", resolve)
    monkeypatch.setattr(digest.gathering.fetch, "ALLOWED_HOSTS",
                        frozenset({"127.0.0.1", "localhost", *PUBLIC_NAMES}))
    resolve.answers, resolve.lookups = answers, lookups
    return resolve


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.8.9.10", "10.0.0.5", "172.16.3.4", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::",
    "fe80::1", "fc00::5", "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
    "64:ff9b::a00:1", "2002:7f00:1::1", "2001:db8::1"])
def test_private_and_special_addresses_are_refused(address):
    assert guard.refused(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111",
                                     "::ffff:8.8.8.8"])
def test_public_addresses_pass(address):
    assert guard.refused(ipaddress.ip_address(address)) == ""


def test_a_public_name_resolving_to_loopback_is_not_fetched(server, resolver):
    server.routes["/story"] = static(b"secret", "text/plain")
    port = server.httpd.server_address[1]
    with Fetcher(FAST) as fetcher, pytest.raises(SourceError) as error:
        fetcher.get(f"http://news.example.com:{port}/story")
    assert "news.example.com resolves to 127.0.0.1 (loopback)" in str(error.value)
    assert server.hits["/story"] == 0 and fetcher.stats.blocked == 1
    # one lookup, made when connecting: there is no earlier answer that could differ
    assert resolver.lookups == ["news.example.com"]


def test_ipv4_mapped_ipv6_answers_are_refused(server, resolver):
    port = server.httpd.server_address[1]
    with Fetcher(FAST) as fetcher, pytest.raises(SourceError, match="IPv6 form"):
        fetcher.get(f"http://mapped.example.com:{port}/story")


def test_the_same_name_is_fetched_when_private_addresses_are_allowed(server, resolver):
    server.routes["/story"] = static(b"intranet", "text/plain")
    port = server.httpd.server_address[1]
    with Fetcher(FAST) as fetcher:
        assert fetcher.get(f"http://news.example.com:{port}/story",
                           private_ok=True).body == b"intranet"
    assert server.hits["/story"] == 1


def test_every_hop_of_a_redirect_is_checked(server, resolver, monkeypatch):
    from localserver import status

    # treat this test server's 127.0.0.1 as if it were a public address; the redirect then
    # leads to a name on 127.0.0.2, which must be refused when its connection is made
    real = guard.refused
    monkeypatch.setattr(guard, "refused",
                        lambda ip: "" if str(ip) == "127.0.0.1" else real(ip))
    resolver.answers["inner.example.com"] = ["127.0.0.2"]
    port = server.httpd.server_address[1]
    server.routes["/go"] = status(302, f"http://inner.example.com:{port}/story")
    server.routes["/story"] = static(b"secret", "text/plain")
    with Fetcher(FAST) as fetcher, pytest.raises(SourceError) as error:
        fetcher.get(f"http://news.example.com:{port}/go")
    assert server.hits["/go"] == 1 and server.hits["/story"] == 0
    assert "redirected to" in str(error.value) and "127.0.0.2" in str(error.value)


TEASER_FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Public news</title>
<item><title>Bridge</title><link>{link}</link><description>A short teaser.</description>
<pubDate>Wed, 01 May 2024 08:00:00 GMT</pubDate></item></channel></rss>"""

PAGE = ("<html><head><title>Bridge</title></head><body><article><h1>Bridge</h1>"
        + "<p>The council approved the bridge after a long debate in the town hall. </p>" * 20
        + "</article></body></html>").encode()


def test_a_public_feed_linking_to_a_name_on_loopback_fetches_nothing(server, resolver, caplog):
    server.routes["/story"] = static(PAGE, "text/html")
    link = f"http://inner.example.com:{server.httpd.server_address[1]}/story"
    source = Source(name="public", type="feed", url="https://news.example.org/rss.xml")
    ctx = Context(fetch=FAST)
    with caplog.at_level(logging.WARNING, logger="digest"):
        [article] = parse_feed(TEASER_FEED.format(link=link).encode(), source, ctx)
    ctx.close()
    assert article.text == "A short teaser."
    assert server.hits["/story"] == 0 and server.hits["/robots.txt"] == 0
    assert any(link in r.getMessage() and "resolves to 127.0.0.1" in r.getMessage()
               for r in caplog.records)


def test_allow_private_lets_an_intranet_feed_reach_its_pages(server, resolver):
    server.routes["/story"] = static(PAGE, "text/html")
    link = f"http://inner.example.com:{server.httpd.server_address[1]}/story"
    source = Source(name="intranet", type="feed", url="https://intranet.example.org/rss.xml",
                    allow_private=True)
    ctx = Context(fetch=FAST)
    [article] = parse_feed(TEASER_FEED.format(link=link).encode(), source, ctx)
    ctx.close()
    assert server.hits["/story"] == 1
    assert article.text.startswith("The council approved the bridge")


def test_allow_private_is_read_from_the_config(tmp_path):
    from conftest import write_config

    from digest.settings import load_settings

    config = write_config(tmp_path, """
        outbox = "out"
        [[sources]]
        name = "intranet"
        type = "feed"
        url = "http://news.corp/rss"
        allow_private = true
        [[sources]]
        name = "public"
        type = "page"
        urls = ["https://example.org/a"]
        [audiences.general]
        recipients = ["a@example.org"]
    """)
    settings = load_settings(config)
    assert [s.allow_private for s in settings.sources] == [True, False]


def test_tls_connections_go_through_the_guard_with_the_certificate_checked(tmp_path):
    """HTTPS uses the same connect step: the certificate is still verified for the name."""
    import ssl
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import trustme
    import urllib3

    ca = trustme.CA()
    cert = ca.issue_cert("localhost")
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    url = f"https://localhost:{httpd.server_address[1]}/"
    try:
        open_pool = urllib3.PoolManager(ca_certs=str(ca_file))
        open_pool.pool_classes_by_scheme = guard.pool_classes(check=False)
        response = open_pool.request("GET", url, retries=False, timeout=3)
        assert response.status == 200 and response.data == b"ok"
        guarded = urllib3.PoolManager(ca_certs=str(ca_file))
        guarded.pool_classes_by_scheme = guard.pool_classes(check=True)
        with pytest.raises(guard.BlockedAddress):
            guarded.request("GET", url, retries=False, timeout=3)
        wrong_name = urllib3.PoolManager(ca_certs=str(ca_file))
        wrong_name.pool_classes_by_scheme = guard.pool_classes(check=False)
        with pytest.raises(urllib3.exceptions.SSLError):
            wrong_name.request("GET", url.replace("localhost", "127.0.0.1"), retries=False,
                               timeout=3)
    finally:
        httpd.shutdown()
        httpd.server_close()
