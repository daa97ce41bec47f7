"""`digest check`: the preflight of each audience's issue, one line per check."""

from __future__ import annotations

import json

import click

from digest.cli.group import audience_option, config_option, date_option, debug_flag, json_option

MARKS = {"pass": "ok  ", "warning": "warn", "fail": "FAIL"}


@click.command()
@config_option
@date_option
@audience_option
@click.option("--links", is_flag=True,
              help="Also ask every link of the HTML whether it answers (HEAD requests).")
@json_option("One JSON object: the audiences, each with its checks.")
@debug_flag
def check(config_path, date, audiences, links, as_json) -> None:
    """Check each issue before it is sent: size, parts, headers, DKIM, links, spam score.

    Builds the issue that `digest run` stored as its first recipient would get it (signed
    when [dkim] is set) and checks it: HTML under Gmail's 102 KB clip, a text part,
    List-Unsubscribe with one-click, DKIM aligned with From and verifying, Message-ID and
    Date, images with alt text and not image-only, http(s) links, the Gmail/Yahoo
    bulk-sender rules, and SpamAssassin's score when it is installed (local tests only).
    Exit code 0: nothing failed; 1: something did.

    \b
    Examples:
      digest check --date 2024-05-01
      digest check --audience general --json --links
    """
    from digest.check import check as run_checks
    from digest.errors import DigestError
    from digest.settings import load_settings

    settings = load_settings(config_path)
    reports = run_checks(settings, date=date, audiences=list(audiences) or None, links=links)
    if as_json:
        click.echo(json.dumps({"ok": all(r.ok for r in reports),
                               "audiences": [r.as_dict() for r in reports]}, indent=2))
    else:
        for report in reports:
            click.echo(f"{report.audience} ({report.date}, as sent to {report.recipient}):")
            for result in report.results:
                click.echo(f"  {MARKS[result.status]} {result.name}: {result.detail}")
    failing = [f"{r.audience}: {', '.join(x.name for x in r.failures)}"
               for r in reports if not r.ok]
    if failing:
        if as_json:
            raise click.exceptions.Exit(1)
        raise DigestError(f"checks failed: {'; '.join(failing)}")
