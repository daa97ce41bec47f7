"""The `digest` group: shared options, logging, and errors turned into one `Error:` line.

Every command module registers on `cli` here (see `digest/cli/__init__.py`). A `DigestError`
becomes one `Error: ...` line with its exit code (2 for usage and configuration, 1 for a
failed job), here and nowhere else; `--debug` (or DIGEST_DEBUG=1) shows the traceback instead.
Nothing here imports the library beyond its errors, so that `digest --help` starts fast.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from contextlib import contextmanager

import click

from digest.errors import DigestError


class Fail(click.ClickException):
    """A one-line error with our exit code (click's UsageError would add the usage text)."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


class DigestGroup(click.Group):
    """A click group that reports the library's errors as one line."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except DigestError as exc:
            if _debug(ctx):
                raise
            raise Fail(str(exc), exc.exit_code) from None
        except (KeyboardInterrupt, BrokenPipeError):
            # a reader that went away (`digest topics ... | head`) is click's to handle quietly
            raise
        except Exception as exc:
            if _debug(ctx):
                raise
            raise Fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for the "
                       "traceback)", 1) from None


def _debug(ctx: click.Context) -> bool:
    return bool((ctx.obj or {}).get("debug")) or os.environ.get("DIGEST_DEBUG") == "1"


class _WarningHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        prefix = "Warning: " if record.levelno >= logging.WARNING else ""
        click.echo(f"{prefix}{record.getMessage()}", err=True)


def setup_logging(verbose: bool) -> None:
    """The library's log lines on stderr: warnings always, progress notes with --verbose."""
    log = logging.getLogger("digest")
    # CliRunner calls the group many times in one process: one handler, not one per call
    if not any(isinstance(h, _WarningHandler) for h in log.handlers):
        log.addHandler(_WarningHandler())
    log.setLevel(logging.INFO if verbose else logging.WARNING)
    log.propagate = False


def _parse_date(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Fail(f"--date must be YYYY-MM-DD, got '{value}'", 2) from None


config_option = click.option(
    "--config", "config_path", metavar="PATH",
    help="Config file (default: $DIGEST_CONFIG, then ./config/digest.toml, then built-in).",
)
date_option = click.option(
    "--date", "date", metavar="YYYY-MM-DD", callback=_parse_date,
    help="The issue's date (default: today).",
)
since_option = click.option(
    "--since", "since", metavar="YYYY-MM-DD", callback=_parse_date,
    help="Take articles from this day up to --date (default: that day only).",
)
audience_option = click.option(
    "--audience", "audiences", multiple=True, metavar="NAME",
    help="Only this audience (repeatable; default: all).",
)


def json_option(help: str = "Print JSON instead of lines."):
    """`--json` as `as_json`; each command says what its JSON is."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def debug_flag(f):
    """`--debug` after the command name too (`digest run --debug`), as before it."""

    def set_debug(ctx, param, value):
        if value:
            ctx.ensure_object(dict)["debug"] = True
        return value

    return click.option("--debug", is_flag=True, expose_value=False, is_eager=True,
                        callback=set_debug, help="Show tracebacks.")(f)


@click.group(cls=DigestGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="digest", prog_name="digest")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.option("-v", "--verbose", is_flag=True,
              help="Say more about what happens, with a line of seconds per stage.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, verbose: bool, quiet: bool) -> None:
    """A daily news digest: gather articles, summarise them, render newsletters.

    \b
    Start with:  digest run            (bundled samples -> ./outbox)
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = ctx.obj.get("debug") or debug
    ctx.obj["verbose"] = verbose
    ctx.obj["quiet"] = quiet
    setup_logging(verbose)


def progress_bars():
    """A progress-bar factory for the library: bars on stderr only for a person watching."""
    ctx = click.get_current_context()
    if (ctx.obj or {}).get("quiet") or not sys.stderr.isatty():
        return None

    @contextmanager
    def bar(label: str, total: int):
        with click.progressbar(length=total, label=label, file=sys.stderr) as progress:
            yield progress.update

    return bar
