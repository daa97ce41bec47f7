"""The command line: parses options, loads settings, calls the library, reports.

A thin layer over the library, one module per job: `group` holds the `digest` group, the
shared options and the one place where errors become an `Error: ...` line; the commands
below only parse, call and print. Each command imports the library inside its function, so
that `digest --help` starts fast. Only this package imports click.
"""

from __future__ import annotations

from digest.cli import (
    archive,
    check,
    delivery,
    dkim,
    evaluations,
    gather,
    preview,
    quotes,
    run,
    serve,
    starter,
    state,
    subscribers,
    summarize,
    topics,
)
from digest.cli.group import cli

__all__ = ["cli", "main"]

# `digest --help` lists them alphabetically, whatever the order here
for _command in (run.run, delivery.send, delivery.status, gather.gather, summarize.summarize,
                 quotes.quotes, topics.topics, evaluations.eval_group, preview.preview,
                 starter.init, archive.archive, state.state_group, serve.serve,
                 subscribers.subscribers, subscribers.bounces, check.check, dkim.dkim_key):
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="digest")
