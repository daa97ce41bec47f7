"""`digest send` and `digest status`: the outbox's issues to their recipients, and who got one.

`send_and_report` is shared with `digest run --send`.
"""

from __future__ import annotations

import sys
import time

import click

from digest.cli.group import audience_option, config_option, date_option, debug_flag


@click.command()
@config_option
@date_option
@audience_option
@click.option("--dry-run", is_flag=True,
              help="Build every message and say who would get one; send nothing.")
@click.option("--force", is_flag=True,
              help="Send to every recipient again, even those who already got this issue, "
                   "and even if `digest check` fails.")
@click.option("--no-check", "no_check", is_flag=True,
              help="Send even if the issue fails `digest check` (without resending).")
@debug_flag
def send(config_path, date, audiences, dry_run, force, no_check) -> None:
    """Send the issues that `digest run` made, each recipient once.

    Uses [smtp] in the config; the password comes from $DIGEST_SMTP_PASSWORD. Every
    recipient's delivery is recorded in the state database, so running it again sends only
    what was not sent. An issue that fails `digest check` (but for its spam score) is not
    sent. Exit code 0: everyone sent; 1: some not (see `digest status`).

    \b
    Example:
      digest send --date 2024-05-01 --dry-run
    """
    from digest.settings import load_settings

    settings = load_settings(config_path)
    send_and_report(settings, date, list(audiences) or None, dry_run, force, config_path,
                    check=not (force or no_check))


def send_and_report(settings, date, audiences, dry_run: bool, force: bool,
                    config_path=None, check: bool = True) -> None:
    """Send, print a line per audience, and fail (exit 1) if anyone was not sent.

    `check`: refuse an issue that fails `digest check` first."""
    from digest.check import refuse_failing
    from digest.delivery import send as send_issues
    from digest.errors import DigestError

    preflight = refuse_failing(settings) if check else None
    bars: list[_Bar] = []

    def progress(audience: str):
        bars.append(_Bar(audience))
        return bars[-1]

    tty = sys.stderr.isatty() and not dry_run
    try:
        reports = send_issues(settings, date=date, audiences=audiences, dry_run=dry_run,
                              force=force, progress=progress if tty else None,
                              preflight=preflight)
    finally:
        for bar in bars:
            bar.close()
    for report in reports:
        if report.dry_run:
            sent = report.counts.get("sent", 0)
            skipped = f", {report.suppressed} suppressed" if report.suppressed else ""
            click.echo(f"{report.audience}: would send {report.to_send} of {report.recipients} "
                       f"recipients ({sent} already sent{skipped}); nothing sent")
            continue
        parts = [f"{n} {status}" for status, n in report.counts.items() if n]
        if report.suppressed:
            parts.append(f"{report.suppressed} suppressed (not mailed)")
        click.echo(f"{report.audience}: sent {report.sent_now} now; "
                   f"{', '.join(parts) or 'no recipients'}")
    missing = sum(r.not_sent for r in reports if not r.dry_run)
    if missing:
        when = f" --config {config_path}" if config_path else ""
        when += f" --date {reports[0].date}" if reports[0].date else ""
        who = "1 recipient" if missing == 1 else f"{missing} recipients"
        raise DigestError(f"{who} not sent: see `digest status{when}`")


@click.command()
@config_option
@date_option
@audience_option
@debug_flag
def status(config_path, date, audiences) -> None:
    """Per audience: how many recipients are sent, pending and failed, and why."""
    from digest.delivery import rates as delivery_rates
    from digest.delivery import running_send
    from digest.delivery import status as delivery_status
    from digest.settings import load_settings

    settings = load_settings(config_path)
    busy = running_send(settings)
    speeds = {}
    if busy:
        click.echo(f"A digest send is running now (pid {busy}): these figures are moving.")
        speeds = delivery_rates(settings, date, list(audiences) or None)
    for audience, counts, unsent in delivery_status(settings, date, list(audiences) or None):
        total = sum(counts.values())
        parts = [f"{n} {name}" for name, n in counts.items() if n]
        click.echo(f"{audience}: {total} recipients: {', '.join(parts) or 'none sent yet'}")
        left = counts["pending"] + counts["sending"] + counts["failed-temporary"]
        if busy and left:
            click.echo(f"{audience}: sending: {total - left} of {total} done"
                       f"{_pace(speeds.get(audience, 0.0), left)}")
        for row in unsent:
            reply = f": {row.last_reply}" if row.last_reply else ""
            if row.status == "sending" and not busy:
                reply = ": interrupted during the transaction (it may have arrived)"
            tries = f", {row.attempts} attempt{'' if row.attempts == 1 else 's'}" \
                if row.attempts else ""
            click.echo(f"  {row.email} {row.status}{tries}{reply}")


def _pace(rate: float, left: int) -> str:
    if rate <= 0:
        return ""
    seconds = int(left / rate)
    return (f", {rate:.0f} messages/s over the last minute, about "
            f"{seconds // 60}:{seconds % 60:02d} left")


class _Bar:
    """A progress bar on stderr (a terminal only): done of total, rate and time left."""

    def __init__(self, audience: str):
        self.audience = audience
        self.start = time.monotonic()
        self.shown = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.shown < 0.2 and done < total:
            return  # five times a second is plenty
        self.shown = now
        elapsed = max(now - self.start, 1e-6)
        rate = done / elapsed
        filled = int(30 * done / total) if total else 30
        left = f"{_clock((total - done) / rate)} left" if rate > 0 else "..."
        click.echo(f"\r{self.audience}: [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} "
                   f"{rate:,.0f}/s {left}  ", nl=False, err=True)
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            click.echo("", err=True)


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
