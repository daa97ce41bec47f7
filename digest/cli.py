"""The command line: parses options, loads settings, calls the library, reports.

Errors become one `Error: ...` line (exit 2 for usage and configuration, 1 for a failed
job); `--debug` shows the traceback instead.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path

import click

from digest import __version__
from digest.errors import DigestError, UsageError


class _Fail(click.ClickException):
    """A one-line error with our exit code (click's UsageError would add the usage text)."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


class _DigestGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except DigestError as exc:
            if _debug(ctx):
                raise
            raise _Fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            if _debug(ctx):
                raise
            raise _Fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for the "
                        "traceback)", 1) from None


def _debug(ctx: click.Context) -> bool:
    return bool((ctx.obj or {}).get("debug")) or os.environ.get("DIGEST_DEBUG") == "1"


class _WarningHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        prefix = "Warning: " if record.levelno >= logging.WARNING else ""
        click.echo(f"{prefix}{record.getMessage()}", err=True)


def _setup_logging(verbose: bool) -> None:
    log = logging.getLogger("digest")
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
        raise _Fail(f"--date must be YYYY-MM-DD, got '{value}'", 2) from None


config_option = click.option(
    "--config", "config_path", metavar="PATH",
    help="Config file (default: $DIGEST_CONFIG, then ./config/digest.toml, then built-in).",
)
date_option = click.option(
    "--date", "date", metavar="YYYY-MM-DD", callback=_parse_date,
    help="The issue's date (default: today).",
)


def _debug_flag(f):
    def set_debug(ctx, param, value):
        if value:
            ctx.ensure_object(dict)["debug"] = True
        return value

    return click.option("--debug", is_flag=True, expose_value=False, is_eager=True,
                        callback=set_debug, help="Show tracebacks.")(f)


@click.group(cls=_DigestGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="digest")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.option("-v", "--verbose", is_flag=True, help="Say more about what happens.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, verbose: bool) -> None:
    """A daily news digest: gather articles, summarise them, render newsletters.

    \b
    Start with:  digest run            (bundled samples -> ./outbox)
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = ctx.obj.get("debug") or debug
    _setup_logging(verbose)


@cli.command()
@config_option
@date_option
@click.option("--audience", "audiences", multiple=True, metavar="NAME",
              help="Only this audience (repeatable; default: all).")
@click.option("--algorithm", metavar="NAME", help="Summary algorithm for every audience.")
@_debug_flag
def run(config_path, date, audiences, algorithm) -> None:
    """Build today's issue for each audience and write it to the outbox.

    Writes outbox/<date>/<audience>.html, .txt and .eml.

    \b
    Example:
      digest run --date 2019-10-10 --audience general
    """
    from digest.pipeline import run as run_pipeline
    from digest.settings import load_settings

    settings = load_settings(config_path)
    issues = run_pipeline(settings, date=date, audiences=list(audiences) or None,
                          algorithm=algorithm)
    for issue in issues:
        where = Path(issue.files[".html"]).with_suffix("")
        click.echo(f"{issue.audience}: {len(issue.articles)} articles -> {where}.{{html,txt,eml}}")


def _read_input(path: str) -> tuple[str, str]:
    """(text, name) of a file or of stdin for '-'."""
    if path == "-":
        return sys.stdin.read(), "<stdin>"
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig"), path
    except UnicodeDecodeError:
        raise UsageError(f"cannot read {path}: not UTF-8 text") from None


@cli.command()
@click.argument("path", required=False, metavar="PATH|-")
@click.option("--jsonl", "jsonl_path", metavar="PATH",
              help='Summarise many: lines {"id", "text" or "article", "title"?, "sentences"?}.')
@click.option("--algorithm", default=None, metavar="NAME",
              help="news (default), lex-rank, text-rank, lsa, luhn, edmundson, kl, sum-basic, "
                   "reduction.")
@click.option("--sentences", type=click.IntRange(min=1), default=None,
              help="Summary length in sentences (default: from config, 3).")
@click.option("--max-words", type=click.IntRange(min=1), default=None,
              help="Word budget per summary (news algorithm); sentences are never cut.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
@config_option
@_debug_flag
def summarize(path, jsonl_path, algorithm, sentences, max_words, as_json, config_path) -> None:
    """Summarise one article (a file, or - for stdin), or many with --jsonl.

    \b
    Examples:
      digest summarize samples/blog/xi-jinping-visits-moscow.txt --sentences 2
      digest summarize --jsonl articles.jsonl --algorithm text-rank > summaries.jsonl
    """
    from digest.settings import load_settings
    from digest.summarize import DEFAULT_ALGORITHM, check_algorithm
    from digest.summarize import summarize as summarize_text

    if (path is None) == (jsonl_path is None):
        raise UsageError("give exactly one of PATH (or - for stdin) and --jsonl PATH")
    settings = load_settings(config_path) if config_path else None
    algorithm = check_algorithm(algorithm or (settings.summary_algorithm if settings
                                              else DEFAULT_ALGORITHM))
    default_n = sentences or (settings.summary_sentences if settings else 3)
    if jsonl_path is not None:
        _summarize_jsonl(jsonl_path, algorithm, sentences, default_n, max_words)
        return

    from digest.errors import SourceError
    from digest.sources.files import make_article, read_article

    if path == "-":
        text, name = _read_input(path)
        article = make_article({"text": text}, "stdin", origin=name)
    else:
        if not Path(path).is_file():
            raise UsageError(f"cannot read {path}: no such file")
        try:
            article = read_article(Path(path), "file", max_bytes=50_000_000)
        except SourceError as exc:
            raise UsageError(str(exc)) from None
    from digest.language import detect_language

    language = detect_language(article.text, fallback=article.language)
    summary = summarize_text(article.text, algorithm, default_n, language, article.title,
                             max_words)
    if as_json:
        click.echo(json.dumps({"title": article.title, "summary": summary}, ensure_ascii=False))
    else:
        for sentence in summary:
            click.echo(sentence)


def _summarize_jsonl(jsonl_path: str, algorithm: str, forced_n: int | None, default_n: int,
                     max_words: int | None = None):
    from digest.clean import clean_text
    from digest.summarize import summarize as summarize_text

    text, name = _read_input(jsonl_path)
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{name}, line {lineno}: invalid JSON: {exc.msg}") from None
        if not isinstance(row, dict):
            raise UsageError(f"{name}, line {lineno}: expected a JSON object")
        body = row.get("text", row.get("article"))
        if not isinstance(body, str):
            raise UsageError(f"{name}, line {lineno}: no 'text' or 'article' string")
        n = forced_n or row.get("sentences") or default_n
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise UsageError(f"{name}, line {lineno}: 'sentences' must be a positive integer")
        body = clean_text(body)
        language = row.get("language")
        summary = summarize_text(body, algorithm, n, str(language) if language else None,
                                 str(row.get("title") or ""), max_words)
        click.echo(json.dumps({"id": row.get("id"), "summary": summary}, ensure_ascii=False))


@cli.group("eval")
def eval_group() -> None:
    """Quality figures of a stage on a labelled dataset (JSONL)."""


@eval_group.command("summaries")
@click.option("--dataset", "dataset", required=True, metavar="PATH",
              help='JSONL lines {"id", "article", "reference": [sentences]}.')
@click.option("--algorithm", "algorithms", multiple=True, metavar="NAME|all",
              help="An algorithm to score (repeatable), or all of them (default: news).")
@click.option("--sentences", type=click.IntRange(min=1), default=None,
              help="Summary length (default: each reference's sentence count).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@_debug_flag
def eval_summaries(dataset, algorithms, sentences, as_json) -> None:
    """ROUGE-1/2/Lsum F1 of summaries against references, with the Lead-k baseline.

    \b
    Example:
      digest eval summaries --dataset cnndm-dev.jsonl --sentences 3 --algorithm all
    """
    from digest.summarize import ALGORITHMS, DEFAULT_ALGORITHM
    from digest.summary_eval import evaluate, format_table, read_dataset

    names = list(algorithms) or [DEFAULT_ALGORITHM]
    if "all" in names:
        names = list(ALGORITHMS)
    stories = read_dataset(dataset)
    # the bar is for people watching a long run; it goes to stderr so stdout stays data
    with click.progressbar(length=len(stories), label="Summarising", file=sys.stderr,
                           show_pos=True) as bar:
        report = evaluate(stories, dict.fromkeys(names), sentences, dataset=Path(dataset).name,
                          progress=bar.update)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        click.echo(format_table(report))


def main() -> None:
    cli(prog_name="digest")


if __name__ == "__main__":
    main()
