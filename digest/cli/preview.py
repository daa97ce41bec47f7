"""`digest preview`: the outbox's issues in a browser, rebuilt as templates and config change."""

from __future__ import annotations

import click

from digest.cli.group import config_option, date_option, debug_flag
from digest.errors import UsageError


@click.command()
@config_option
@date_option
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a browser.")
@debug_flag
def preview(config_path, date, port, open_browser) -> None:
    """Serve the issues on http://127.0.0.1:PORT to look at before sending.

    Lists the issues by date and audience; each newsletter is shown at desktop and phone
    widths beside its text part, and rebuilt when a template or the config changes. The
    public archive, as the last run wrote it, is under /archive/.

    \b
    Example:
      digest preview --date 2019-10-10 --open
    """
    from digest.archive.serve import static_response
    from digest.pipeline import run
    from digest.rendering.preview import Preview, make_server

    live = Preview(config_path, date, build=run, archive=static_response)
    try:
        server = make_server(live, port)
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    click.echo(f"Previewing on {url} (Ctrl-C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
