"""`digest init`: a starter project (config, templates, an article) to customise."""

from __future__ import annotations

import click

from digest.cli.group import debug_flag


@click.command()
@click.argument("folder", default=".", required=False, metavar="[DIR]")
@debug_flag
def init(folder) -> None:
    """Create a starter project in DIR (default: here) to customise.

    Writes config/digest.toml, copies of the default templates in templates/ and an example
    article in articles/; refuses to overwrite any existing file.

    \b
    Example:
      digest init my-digest && cd my-digest && digest run --date 2023-03-20
    """
    from digest.starter import init_project

    for path in init_project(folder):
        click.echo(f"created {path}")
