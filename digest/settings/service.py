"""`digest serve` and the signed links: the `[service]` table."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from digest.settings.schema import Service
from digest.settings.values import Table

# no query, fragment, user info or spaces: the links are this plus a path
_BASE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?")


def parse_service(table: Table) -> Service:
    base_url = table.get("base_url", str)
    if base_url is not None:
        if not _BASE_URL.fullmatch(base_url):
            raise table.error(table.key("base_url"),
                              f"must be an http(s) address without query or fragment, "
                              f"like \"https://news.example.org/digest\", got '{base_url}'")
        base_url = base_url.rstrip("/")
    host = table.get("host", str, Service.host)
    if not host.strip() or any(c.isspace() for c in host):
        raise table.error(table.key("host"), f"must be a host name or address, got '{host}'")
    port = table.count("port", Service.port)
    if port > 65535:
        raise table.error(table.key("port"), f"must be at most 65535, got {port}")
    service = Service(
        base_url=base_url, host=host, port=port,
        max_body_bytes=table.positive("max_body_bytes", Service.max_body_bytes),
        threads=table.positive("threads", Service.threads),
        signup_days=table.positive("signup_days", Service.signup_days),
    )
    table.done()
    return service


def base_path(service: Service) -> str:
    """The path part of base_url ("" or "/digest"): where the routes sit behind the proxy."""
    return urlsplit(service.base_url or "").path.rstrip("/")
