"""`digest state prune`: forget what the state file no longer needs, and shrink it."""

from __future__ import annotations

import json

import click

from digest.cli.group import Fail, config_option, debug_flag, json_option


@click.group(name="state")
def state_group() -> None:
    """Look after the state database (articles seen, issues carried, remembered pages)."""


@state_group.command(name="prune")
@config_option
@click.option("--keep-days", type=click.IntRange(min=1), default=None,
              help="Forget articles not seen for this many days (default: keep_days in the "
                   "config, 180).")
@click.option("--no-vacuum", is_flag=True, help="Do not rewrite the file even if much was freed.")
@json_option("One JSON object with the counts.")
@debug_flag
def prune(config_path, keep_days, no_vacuum, as_json) -> None:
    """Forget articles no source has shown for a while, and vacuum the file if that freed
    much of it. `digest run` does the same after each run.

    \b
    Example:
      digest state prune --keep-days 90
    """
    from digest.gathering.prune import prune as prune_state
    from digest.settings import load_settings
    from digest.state import State

    settings = load_settings(config_path)
    if settings.state is None:
        raise Fail("no state file is configured", 2)
    if not settings.state.exists():
        raise Fail(f"no state file at {settings.state}", 2)
    with State(settings.state) as state:
        result = prune_state(state, keep_days or settings.keep_days, vacuum=not no_vacuum)
    if as_json:
        click.echo(json.dumps({"seen": result.seen, "history": result.history,
                               "fetch_cache": result.fetch_cache, "vacuumed": result.vacuumed,
                               "bytes_before": result.size_before,
                               "bytes_after": result.size_after}))
    else:
        click.echo(f"{settings.state}: {result.summary()}")
