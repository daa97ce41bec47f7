"""`digest run`: the daily job, every audience's issue into the outbox (and, with --send, out)."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from digest.cli.delivery import send_and_report
from digest.cli.group import (
    audience_option,
    config_option,
    date_option,
    debug_flag,
    progress_bars,
    since_option,
)

log = logging.getLogger("digest")


@click.command()
@config_option
@date_option
@audience_option
@click.option("--algorithm", metavar="NAME", help="Summary algorithm for every audience.")
@since_option
@click.option("--force", is_flag=True,
              help="Carry stories again that an earlier issue of the audience carried.")
@click.option("--send", "and_send", is_flag=True,
              help="Then send each issue to whoever has not got it (see `digest send`).")
@debug_flag
def run(config_path, date, audiences, algorithm, since, force, and_send) -> None:
    """Build today's issue for each audience and write it to the outbox.

    Writes outbox/<date>/<audience>.html, .txt and .eml.

    \b
    Example:
      digest run --date 2019-10-10 --audience general
      digest run --send          # the daily cron job
    """
    from digest import timing
    from digest.pipeline import run as run_pipeline
    from digest.settings import load_settings, today

    settings = load_settings(config_path)
    if and_send and settings.smtp is None:
        # say so before the work, not after it
        from digest.errors import ConfigError

        raise ConfigError(f"{settings.config_path}: no [smtp] table: set at least [smtp] host "
                          "to send")
    days = []
    with timing.measure() as timings:
        issues = run_pipeline(settings, date=date, audiences=list(audiences) or None,
                              algorithm=algorithm, since=since, force=force,
                              on_gathered=days.append, progress=progress_bars())
    log.info("%s", timings.report())
    for issue in issues:
        where = Path(issue.files[".html"]).with_suffix("")
        click.echo(f"{issue.audience}: {len(issue.articles)} articles -> {where}.{{html,txt,eml}}")
    if days:
        click.echo(days[0].summary(), err=True)
    if and_send:
        send_and_report(settings, issues[0].date if issues else date or today(settings),
                        [i.audience for i in issues], False, False, config_path)
