"""No connection to a private address unless the source allows it: checked when connecting.

A feed on a public address may link its entries to any name, and a name may resolve to
127.0.0.1, 10.0.0.5 or 169.254.169.254 (a cloud's metadata service): fetching it would let a
stranger's feed reach into our network (server-side request forgery). Checking the name
before the request is not enough, because a second DNS answer can differ from the first
(rebinding). So the check sits inside the connection: urllib3's connection classes are
given a `_new_conn` that resolves the name once, refuses if any address it got is not a
public one, and connects to exactly the addresses it checked. Every connection goes through
it, those of redirects included; a pooled connection was checked when it was opened.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import sys
from urllib.parse import urlsplit

# The resolver used for every connection: getaddrinfo's signature. Tests put one in its
# place that answers a public-looking name with 127.0.0.1.
resolve = socket.getaddrinfo


class BlockedAddress(Exception):
    """A connection refused because the name resolved to a private address.

    Not an OSError, so that urllib3 does not retry it: it propagates out of the request.
    """

    def __init__(self, host: str, address: str, reason: str):
        super().__init__(f"{host} resolves to {address} ({reason}), not fetched from a "
                         "source on a public address (allow_private = true allows it)")
        self.host, self.address, self.reason = host, address, reason


def refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """Why a connection to `ip` is refused, or "" when it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        # an IPv4 address written in IPv6 (::ffff:127.0.0.1, 6to4, Teredo, NAT64's
        # 64:ff9b::/96) reaches the IPv4 host: judge that one
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            reason = refused(embedded)
            return f"{reason}, in IPv6 form" if reason else ""
    for test, reason in (("is_loopback", "loopback"), ("is_link_local", "link-local"),
                         ("is_multicast", "multicast"), ("is_unspecified", "unspecified"),
                         ("is_private", "private network"), ("is_reserved", "reserved")):
        if getattr(ip, test):
            return reason
    if not ip.is_global:  # 100.64.0.0/10 (carrier-grade NAT) and the like
        return "not a public address"
    return ""


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def names_private(url: str) -> bool:
    """Whether the address names this machine or a private network outright (an IP that is
    not public, or localhost), without resolving anything."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return bool(refused(ip))


def connect(host: str, port: int, timeout, source_address=None, socket_options=None,
            check: bool = True) -> socket.socket:
    """A socket connected to `host`; with `check`, refused (BlockedAddress) if any address
    it resolves to is not public, and the addresses connected to are the ones checked."""
    from urllib3.util.timeout import _DEFAULT_TIMEOUT

    name = host.strip("[]")
    infos = resolve(name, port, 0, socket.SOCK_STREAM)
    for *_, sockaddr in infos if check else ():
        address = str(sockaddr[0]).split("%")[0]
        reason = refused(ipaddress.ip_address(address))
        if reason:
            # one private answer among public ones is refused too: the name is not to be
            # trusted, and which answer gets used is not ours to choose
            raise BlockedAddress(name, address, reason)
    error: OSError | None = None
    for family, kind, proto, _, sockaddr in infos:
        sock = None
        try:
            sock = socket.socket(family, kind, proto)
            for option in socket_options or ():
                sock.setsockopt(*option)
            if timeout is not _DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            error = exc
            if sock is not None:
                sock.close()
    raise error or OSError(f"{name}: no address to connect to")


@functools.cache
def pool_classes(check: bool = True) -> dict:
    """urllib3 pool classes (by scheme) whose connections go through `connect` (`check`:
    with the address check; without, for sources allowed private addresses)."""
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

    def _new_conn(self) -> socket.socket:
        # urllib3's own _new_conn, with the guarded connect in place of create_connection
        try:
            sock = connect(self._dns_host, self.port, self.timeout,
                           source_address=self.source_address,
                           socket_options=self.socket_options, check=check)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out") from exc
        except OSError as exc:
            raise NewConnectionError(self, f"Failed to establish a new connection: {exc}"
                                     ) from exc
        sys.audit("http.client.connect", self, self.host, self.port)
        return sock

    class GuardedHTTPConnection(HTTPConnection):
        pass

    class GuardedHTTPSConnection(HTTPSConnection):
        pass

    GuardedHTTPConnection._new_conn = _new_conn
    GuardedHTTPSConnection._new_conn = _new_conn

    class GuardedHTTPConnectionPool(HTTPConnectionPool):
        ConnectionCls = GuardedHTTPConnection

    class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
        ConnectionCls = GuardedHTTPSConnection

    return {"http": GuardedHTTPConnectionPool, "https": GuardedHTTPSConnectionPool}
