"""`digest archive`: the public archive (pages, indexes, feeds) built from the state."""

from __future__ import annotations

import click

from digest.cli.group import audience_option, config_option, debug_flag


@click.command()
@config_option
@audience_option
@click.option("--rebuild", is_flag=True,
              help="Make every page again (default: only the missing ones). Indexes and "
                   "feeds are made again either way, and pages of dates gone from the state "
                   "removed.")
@debug_flag
def archive(config_path, audiences, rebuild) -> None:
    """(Re)build the public archive of the issues stored in the state database.

    Writes [archive] path/<audience>/<YYYY-MM-DD>.html, index.html and feed.xml for each
    audience with `archive = true`, and index.html of the audiences. `digest run` keeps it
    up to date; this builds it from the state alone, after a change of [archive], of
    branding or of which audiences are archived, or to repair the folder.

    \b
    Example:
      digest archive --rebuild
    """
    from digest.archive import rebuild as rebuild_archive
    from digest.errors import UsageError
    from digest.settings import load_settings
    from digest.state import State

    settings = load_settings(config_path)
    chosen = list(audiences) or None
    for name in chosen or ():
        if name not in settings.audiences:
            raise UsageError(f"unknown audience '{name}' (configured: "
                             f"{', '.join(settings.audiences)})")
    archived = [a.name for a in settings.audiences.values()
                if a.archive and (chosen is None or a.name in chosen)]
    if not archived:
        click.echo("No audience is archived: set archive = true in [audiences.NAME].", err=True)
    with State(settings.state) as state:
        report = rebuild_archive(settings, state, chosen, everything=rebuild)
    for name in archived:
        click.echo(f"{name}: {report.issues.get(name, 0)} issues -> "
                   f"{report.path / name / 'index.html'}")
    click.echo(f"{report.written} file(s) written, {report.removed} removed", err=True)
