"""`digest serve`: the application on waitress, a production WSGI server.

Meant to listen on 127.0.0.1 behind the user's reverse proxy (nginx, Caddy), which brings
TLS and the public address (`[service] base_url`). waitress caps the request line, headers
and body itself before the application sees them; the application caps the body again.
"""

from __future__ import annotations

import logging

import waitress
from waitress.server import BaseWSGIServer, MultiSocketServer

from digest.delivery.sending import state_path
from digest.service.app import App, WsgiApp
from digest.settings import Settings

log = logging.getLogger("digest")


def mounts_for(settings: Settings) -> dict[str, WsgiApp]:
    """Other applications served under a prefix of the same address.

    The static archive (digest/archive/) goes at `/archive/` when an audience is archived,
    which is where `[archive] base_url` points by default (`[service] base_url` + /archive).
    """
    if settings.archive is None or not any(a.archive for a in settings.audiences.values()):
        return {}
    from digest.archive.serve import make_app

    static = make_app(settings.archive.path)

    def archive(environ, start_response):
        if not environ.get("PATH_INFO"):
            # /archive without its slash: the pages' relative links need the folder's address
            start_response("301 Moved Permanently", [
                ("Location", environ.get("SCRIPT_NAME", "") + "/"), ("Content-Length", "0")])
            return [b""]
        return static(environ, start_response)

    return {"/archive/": archive}


def make_server(settings: Settings, host: str | None = None, port: int | None = None,
                mounts: dict[str, WsgiApp] | None = None, **app_options
                ) -> BaseWSGIServer | MultiSocketServer:
    """The server, bound but not yet running (`run()`); port 0 picks a free port."""
    service = settings.service
    app = App(settings, state_path(settings),
              mounts=mounts_for(settings) if mounts is None else mounts, **app_options)
    return waitress.create_server(
        app,
        host=host or service.host,
        port=service.port if port is None else port,
        threads=service.threads,
        ident="digest",
        max_request_header_size=16_384,
        max_request_body_size=service.max_body_bytes,
        channel_timeout=30,
        # the proxy's X-Forwarded-* headers are not needed: links come from base_url
        clear_untrusted_proxy_headers=True,
        expose_tracebacks=False,
    )


def address_of(server) -> tuple[str, int]:
    return server.effective_host, server.effective_port


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    server = make_server(settings, host, port)
    where_host, where_port = address_of(server)
    log.warning("digest serve: listening on http://%s:%s/ (public address: %s)", where_host,
                where_port, settings.service.base_url or "not set: [service] base_url")
    try:
        server.run()
    finally:
        server.close()
