"""`digest serve`: the unsubscribe, undo and sign-up pages behind the signed links."""

from __future__ import annotations

import click

from digest.cli.group import config_option, debug_flag


@click.command()
@config_option
@click.option("--host", metavar="ADDRESS", help="Listen here (default: [service] host, "
                                                "127.0.0.1).")
@click.option("--port", type=click.IntRange(0, 65535),
              help="Listen on this port (default: [service] port, 8080; 0: any free one).")
@debug_flag
def serve(config_path, host, port) -> None:
    """Serve the one-click unsubscribe, its confirmation and undo pages, and sign-ups.

    Runs on waitress, a production WSGI server, meant to sit behind your reverse proxy
    (nginx, Caddy) at [service] base_url, the address the links in every message use.
    A GET never changes anything; tokens are signed; see docs/subscribers.md.

    \b
    Example:
      digest serve --config config/digest.toml --port 8080
    """
    from digest.errors import ConfigError
    from digest.service.server import serve as run_server
    from digest.settings import load_settings

    settings = load_settings(config_path)
    if not settings.service.base_url:
        raise ConfigError(f"{settings.config_path}: [service] base_url is not set: the links "
                          "in the messages need the public address of digest serve")
    run_server(settings, host, port)
