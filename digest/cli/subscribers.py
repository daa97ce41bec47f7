"""`digest subscribers ...` (who is mailed, who is suppressed) and `digest bounces`."""

from __future__ import annotations

import json

import click

from digest.cli.group import config_option, debug_flag, json_option

audience_one = click.option("--audience", "audience", metavar="NAME",
                            help="The audience (needed when there are several).")


def _open(config_path):
    from digest.delivery.sending import state_path
    from digest.settings import load_settings
    from digest.state import State

    settings = load_settings(config_path)
    return settings, State(state_path(settings))


@click.group()
def subscribers() -> None:
    """Who gets each audience's issue: the lists, the sign-ups and the suppressions.

    An audience's recipients are its configured list or CSV plus its confirmed sign-ups,
    minus the suppressed (unsubscribed, complained, bounced, refused).
    """


@subscribers.command("list")
@config_option
@click.option("--audience", "audiences", multiple=True, metavar="NAME",
              help="Only this audience (repeatable; default: all).")
@json_option("One JSON object a line: email, name, audience, source.")
@debug_flag
def list_command(config_path, audiences, as_json) -> None:
    """The recipients the next `digest send` mails."""
    from digest.subscribers import manage

    settings, state = _open(config_path)
    with state:
        for m in manage.members(settings, state, list(audiences) or None):
            if as_json:
                click.echo(json.dumps({"email": m.email, "name": m.name,
                                       "audience": m.audience, "source": m.source}))
            else:
                click.echo(f"{m.audience}\t{m.email}\t{m.name}\t{m.source}")


@subscribers.command()
@config_option
@audience_one
@click.argument("email")
@click.option("--name", default="", help="The subscriber's name.")
@debug_flag
def add(config_path, audience, email, name) -> None:
    """Add a confirmed subscriber (never lifts a suppression)."""
    from digest.subscribers import manage

    settings, state = _open(config_path)
    with state:
        chosen = manage.one_audience(settings, audience)
        note = manage.add(state, chosen, email, name)
    click.echo(f"{email}: added to '{chosen.name}'")
    if note:
        click.echo(f"Warning: {note}", err=True)


@subscribers.command()
@config_option
@audience_one
@click.argument("email")
@debug_flag
def remove(config_path, audience, email) -> None:
    """Take an address out of an audience."""
    from digest.subscribers import manage

    settings, state = _open(config_path)
    with state:
        click.echo(manage.remove(state, manage.one_audience(settings, audience), email))


@subscribers.command("import")
@config_option
@audience_one
@click.argument("csv_path", metavar="CSV", type=click.Path(dir_okay=False))
@debug_flag
def import_command(config_path, audience, csv_path) -> None:
    """Add everyone in a CSV (an `email` column, optionally `name`) as confirmed."""
    from pathlib import Path

    from digest.subscribers import manage

    settings, state = _open(config_path)
    with state:
        chosen = manage.one_audience(settings, audience)
        added, blocked = manage.import_csv(state, chosen, Path(csv_path))
    click.echo(f"{chosen.name}: {added} imported"
               + (f"; {blocked} of them stay suppressed" if blocked else ""))


@subscribers.command()
@config_option
@audience_one
@debug_flag
def export(config_path, audience) -> None:
    """The audience's recipients as CSV (email,name) on stdout."""
    import csv
    import sys

    from digest.subscribers import manage

    settings, state = _open(config_path)
    with state:
        chosen = manage.one_audience(settings, audience)
        rows = manage.members(settings, state, [chosen.name])
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["email", "name"])
    for m in rows:
        writer.writerow([m.email, m.name])


@subscribers.command()
@config_option
@click.option("--audience", "audience", metavar="NAME",
              help="Only the suppressions that hold for this audience.")
@json_option("One JSON object a line: email, audience (null: all), reason, since, detail.")
@debug_flag
def suppressed(config_path, audience, as_json) -> None:
    """The suppression list: who is not mailed any more, where and why."""
    from digest.settings import select_audiences
    from digest.subscribers import suppression

    settings, state = _open(config_path)
    if audience:
        select_audiences(settings, [audience])  # an unknown name is a usage error
    with state:
        rows = suppression.listing(state, audience)
    for s in rows:
        if as_json:
            click.echo(json.dumps(s.as_json()))
        else:
            click.echo(f"{s.email}\t{s.audience or '*'}\t{s.reason}\t{s.since}\t{s.detail}")


@subscribers.command()
@config_option
@click.argument("email")
@click.option("--reason", required=True, help="Why the address may be mailed again (logged).")
@click.option("--audience", "audience", metavar="NAME",
              help="Only this audience's suppressions (and the global ones).")
@debug_flag
def unsuppress(config_path, email, reason, audience) -> None:
    """Lift an address's suppressions, with a reason kept in the log."""
    from digest.subscribers import manage

    settings, state = _open(config_path)
    with state:
        for s in manage.unsuppress(state, email, reason, audience):
            click.echo(f"{s.email}: {s.reason} ({s.audience or 'all audiences'}) lifted")


@click.command()
@config_option
@debug_flag
def bounces(config_path) -> None:
    """Read new bounces, complaints and mailed unsubscribes from [mailbox].

    `digest send` does this first on each run. A processed message is marked, never deleted.
    """
    from digest.errors import ConfigError
    from digest.subscribers.bounces import read_bounces

    settings, state = _open(config_path)
    if settings.mailbox is None:
        raise ConfigError(f"{settings.config_path}: no [mailbox] table: set maildir or host")
    with state:
        counts = read_bounces(settings, state)
    total = sum(counts.values())
    parts = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    click.echo(f"{total} new messages" + (f": {parts}" if parts else ""))
