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
from contextlib import contextmanager
from pathlib import Path

import click

from digest import timing

from digest.errors import DigestError, UsageError


log = logging.getLogger("digest")

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
        except (KeyboardInterrupt, BrokenPipeError):
            # a reader that went away (`digest topics ... | head`) is click's to handle quietly
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
since_option = click.option(
    "--since", "since", metavar="YYYY-MM-DD", callback=_parse_date,
    help="Take articles from this day up to --date (default: that day only).",
)


def _debug_flag(f):
    def set_debug(ctx, param, value):
        if value:
            ctx.ensure_object(dict)["debug"] = True
        return value

    return click.option("--debug", is_flag=True, expose_value=False, is_eager=True,
                        callback=set_debug, help="Show tracebacks.")(f)


@click.group(cls=_DigestGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
    _setup_logging(verbose)


def _progress_bars():
    """A progress-bar factory for the library: bars on stderr only for a person watching."""
    ctx = click.get_current_context()
    if (ctx.obj or {}).get("quiet") or not sys.stderr.isatty():
        return None

    @contextmanager
    def bar(label: str, total: int):
        with click.progressbar(length=total, label=label, file=sys.stderr) as progress:
            yield progress.update

    return bar


@cli.command()
@config_option
@date_option
@click.option("--audience", "audiences", multiple=True, metavar="NAME",
              help="Only this audience (repeatable; default: all).")
@click.option("--algorithm", metavar="NAME", help="Summary algorithm for every audience.")
@since_option
@click.option("--force", is_flag=True,
              help="Carry stories again that an earlier issue of the audience carried.")
@click.option("--send", "and_send", is_flag=True,
              help="Then send each issue to whoever has not got it (see `digest send`).")
@_debug_flag
def run(config_path, date, audiences, algorithm, since, force, and_send) -> None:
    """Build today's issue for each audience and write it to the outbox.

    Writes outbox/<date>/<audience>.html, .txt and .eml.

    \b
    Example:
      digest run --date 2019-10-10 --audience general
      digest run --send          # the daily cron job
    """
    from digest.pipeline import run as run_pipeline
    from digest.pipeline import today
    from digest.settings import load_settings

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
                              on_gathered=days.append, progress=_progress_bars())
    log.info("%s", timings.report())
    for issue in issues:
        where = Path(issue.files[".html"]).with_suffix("")
        click.echo(f"{issue.audience}: {len(issue.articles)} articles -> {where}.{{html,txt,eml}}")
    if days:
        click.echo(days[0].summary(), err=True)
    if and_send:
        _send(settings, issues[0].date if issues else date or today(settings),
              [i.audience for i in issues], False, False,
              config_path)


@cli.command()
@config_option
@date_option
@since_option
@click.option("--all", "everything", is_flag=True, help="Every article, whatever its date.")
@click.option("--source", "extra", multiple=True, metavar="PATH_OR_URL",
              help="Also read this folder, file, feed file or feed/page address (repeatable); "
                   "without --config, only these are read.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@_debug_flag
def gather(config_path, date, since, everything, extra, as_json) -> None:
    """List the day's articles after cleaning and merging duplicates.

    Ends with a line of sources read and failed (on stderr); exits 1 only when every
    source failed.

    \b
    Examples:
      digest gather --date 2024-05-01
      digest gather --all --json --source feed.xml --source https://example.org/feed
    """
    from digest.pipeline import gather_day
    from digest.settings import load_settings
    from digest.gathering.sources import guess_source

    settings = load_settings(config_path)
    sources = None
    if extra:
        added = [guess_source(value) for value in extra]
        sources = (list(settings.sources) if config_path else []) + added
    day = gather_day(settings, date=date, since=since, everything=everything, sources=sources)
    for article in day.articles:
        row = {
            "title": article.title,
            "source": article.source,
            "date": article.published.isoformat() if article.published else "",
            "url": article.url,
            "words": article.words,
            "language": article.language,
            "also_in": article.also_in,
        }
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            also = f" (also in: {', '.join(article.also_in)})" if article.also_in else ""
            click.echo(f"{row['date'] or '----------'}  {article.source}: {article.title} "
                       f"[{article.words} words]{also}")
    click.echo(day.summary(), err=True)


@cli.command()
@config_option
@date_option
@click.option("--audience", "audiences", multiple=True, metavar="NAME",
              help="Only this audience (repeatable; default: all).")
@click.option("--dry-run", is_flag=True,
              help="Build every message and say who would get one; send nothing.")
@click.option("--force", is_flag=True,
              help="Send to every recipient again, even those who already got this issue.")
@_debug_flag
def send(config_path, date, audiences, dry_run, force) -> None:
    """Send the issues that `digest run` made, each recipient once.

    Uses [smtp] in the config; the password comes from $DIGEST_SMTP_PASSWORD. Every
    recipient's delivery is recorded in the state database, so running it again sends only
    what was not sent. Exit code 0: everyone sent; 1: some not (see `digest status`).

    \b
    Example:
      digest send --date 2024-05-01 --dry-run
    """
    from digest.settings import load_settings

    settings = load_settings(config_path)
    _send(settings, date, list(audiences) or None, dry_run, force, config_path)


def _send(settings, date, audiences, dry_run: bool, force: bool, config_path=None) -> None:
    from digest.delivery.sending import send as send_issues
    from digest.errors import DigestError

    reports = send_issues(settings, date=date, audiences=audiences, dry_run=dry_run, force=force)
    for report in reports:
        if report.dry_run:
            sent = report.counts.get("sent", 0)
            click.echo(f"{report.audience}: would send {report.to_send} of {report.recipients} "
                       f"recipients ({sent} already sent); nothing sent")
            continue
        parts = [f"{n} {status}" for status, n in report.counts.items() if n]
        click.echo(f"{report.audience}: sent {report.sent_now} now; "
                   f"{', '.join(parts) or 'no recipients'}")
    missing = sum(r.not_sent for r in reports if not r.dry_run)
    if missing:
        when = f" --config {config_path}" if config_path else ""
        when += f" --date {reports[0].date}" if reports[0].date else ""
        who = "1 recipient" if missing == 1 else f"{missing} recipients"
        raise DigestError(f"{who} not sent: see `digest status{when}`")


@cli.command()
@config_option
@date_option
@click.option("--audience", "audiences", multiple=True, metavar="NAME",
              help="Only this audience (repeatable; default: all).")
@_debug_flag
def status(config_path, date, audiences) -> None:
    """Per audience: how many recipients are sent, pending and failed, and why."""
    from digest.delivery.sending import running_send
    from digest.delivery.status import status as delivery_status
    from digest.settings import load_settings

    settings = load_settings(config_path)
    busy = running_send(settings)
    if busy:
        click.echo(f"A digest send is running now (pid {busy}): these figures are moving.")
    for audience, counts, unsent in delivery_status(settings, date, list(audiences) or None):
        total = sum(counts.values())
        parts = [f"{n} {name}" for name, n in counts.items() if n]
        click.echo(f"{audience}: {total} recipients: {', '.join(parts) or 'none sent yet'}")
        for row in unsent:
            reply = f": {row.last_reply}" if row.last_reply else ""
            if row.status == "sending" and not busy:
                reply = ": interrupted during the transaction (it may have arrived)"
            tries = f", {row.attempts} attempt{'' if row.attempts == 1 else 's'}" \
                if row.attempts else ""
            click.echo(f"  {row.email} {row.status}{tries}{reply}")


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
    from digest.summaries.registry import DEFAULT_ALGORITHM, check_algorithm
    from digest.summaries.registry import summarize as summarize_text

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
    from digest.gathering.files import make_article, read_article

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
    from digest.text.language import detect_language

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
    from digest.text.clean import clean_text
    from digest.summaries.registry import summarize as summarize_text

    from digest.jsonl import rows

    text, name = _read_input(jsonl_path)
    for where, row in rows(text, name):
        body = row.get("text", row.get("article"))
        if not isinstance(body, str):
            raise UsageError(f"{where}: no 'text' or 'article' string")
        n = forced_n or row.get("sentences") or default_n
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise UsageError(f"{where}: 'sentences' must be a positive integer")
        body = clean_text(body)
        language = row.get("language")
        summary = summarize_text(body, algorithm, n, str(language) if language else None,
                                 str(row.get("title") or ""), max_words)
        click.echo(json.dumps({"id": row.get("id"), "summary": summary}, ensure_ascii=False))


@cli.command()
@click.argument("folder", default=".", required=False, metavar="[DIR]")
@_debug_flag
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


@cli.command()
@config_option
@date_option
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a browser.")
@_debug_flag
def preview(config_path, date, port, open_browser) -> None:
    """Serve the issues on http://127.0.0.1:PORT to look at before sending.

    Lists the issues by date and audience; each newsletter is shown at desktop and phone
    widths beside its text part, and rebuilt when a template or the config changes.

    \b
    Example:
      digest preview --date 2019-10-10 --open
    """
    from digest.rendering.preview import Preview, make_server

    from digest.pipeline import run

    live = Preview(config_path, date, build=run)
    try:
        server = make_server(live, port)
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    click.echo(f"Previewing on {url} (Ctrl-C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@cli.command()
@click.argument("path", required=False, metavar="PATH|-")
@click.option("--jsonl", "jsonl_path", metavar="PATH",
              help='Many articles: input lines {"id", "text"}, output lines {"id", "quotes"} '
                   "with every quote.")
@click.option("--all", "show_all", is_flag=True, help="Every quote, not only the key ones.")
@click.option("--count", type=click.IntRange(min=1), default=None,
              help="How many key quotes (default: from config, 2).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
@config_option
@_debug_flag
def quotes(path, jsonl_path, show_all, count, as_json, config_path) -> None:
    """Key quotes of one article with their speakers (a file, or - for stdin).

    Offsets (start, end) count characters of the article text as digest reads it (after
    cleaning); with --jsonl, of each line's "text".

    \b
    Examples:
      digest quotes samples/blog/xi-jinping-visits-moscow.txt
      digest quotes --jsonl articles.jsonl > quotes.jsonl
    """
    from digest.quotes import extract_quotes, key_quotes

    if (path is None) == (jsonl_path is None):
        raise UsageError("give exactly one of PATH (or - for stdin) and --jsonl PATH")
    if jsonl_path is not None:
        from digest.jsonl import rows

        text, name = _read_input(jsonl_path)
        for where, row in rows(text, name):
            if not isinstance(row.get("text"), str):
                raise UsageError(f"{where}: expected an object with a 'text' string")
            found = [q.to_dict() for q in extract_quotes(row["text"])]
            click.echo(json.dumps({"id": row.get("id"), "quotes": found}, ensure_ascii=False))
        return
    article = _read_one_article(path)
    if count is None:
        from digest.settings import load_settings

        count = load_settings(config_path).quotes if config_path else 2
    found = extract_quotes(article.text)
    chosen = found if show_all else key_quotes(found, count)
    if as_json:
        click.echo(json.dumps({"title": article.title, "quotes": [q.to_dict() for q in chosen]},
                              ensure_ascii=False))
        return
    for q in chosen:
        who = q.speaker or "(speaker unknown)"
        click.echo(f"“{q.text}” — {who}{', ' + q.role if q.role else ''}")


def _read_one_article(path: str):
    from digest.errors import SourceError
    from digest.gathering.files import make_article, read_article

    if path == "-":
        text, name = _read_input(path)
        return make_article({"text": text}, "stdin", origin=name)
    if not Path(path).is_file():
        raise UsageError(f"cannot read {path}: no such file")
    try:
        return read_article(Path(path), "file", max_bytes=50_000_000)
    except SourceError as exc:
        raise UsageError(str(exc)) from None


@cli.group("eval")
def eval_group() -> None:
    """Quality figures of a stage on a labelled dataset (JSONL)."""


@eval_group.command("quotes")
@click.option("--dataset", required=True, metavar="PATH",
              help='JSONL lines {"id", "text", "attributions": [...]} (PolNeAR layout).')
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
@_debug_flag
def eval_quotes(dataset, as_json) -> None:
    """Precision, recall, share found and speaker accuracy of quote extraction.

    \b
    Example:
      digest eval quotes --dataset ../shared/data/quotes/polnear-dev.jsonl
    """
    from digest.quotes.evaluate import evaluate, read_dataset

    figures = evaluate(read_dataset(dataset))
    if as_json:
        click.echo(json.dumps(figures))
        return
    click.echo(f"articles          {figures['articles']}")
    click.echo(f"direct quotes     {figures['direct_quotes']}")
    click.echo(f"precision         {figures['precision']:.4f}")
    click.echo(f"recall            {figures['recall']:.4f}")
    click.echo(f"found             {figures['found']:.4f}")
    click.echo(f"speaker accuracy  {figures['speaker_accuracy']:.4f}  "
               f"(on {figures['named_sources']} found quotes with a named source)")


def _configured_topics(config_path: str | None):
    if config_path is None:
        return ()
    from digest.settings import load_settings

    return load_settings(config_path).topics


@cli.command()
@click.option("--jsonl", "jsonl_path", required=True, metavar="PATH|-",
              help='Articles, one a line: {"id", "title", "text" or "article"}.')
@config_option
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object (topics with their ids) instead of lines.")
@_debug_flag
def topics(jsonl_path, config_path, as_json) -> None:
    """Give each article a topic: the config's [[topics]] sections, else groups found.

    Prints one line {"id", "topic"} per article.

    \b
    Example:
      digest topics --jsonl articles.jsonl --config config/digest.toml
    """
    from digest.topics import assign
    from digest.topics.evaluate import parse_jsonl

    text, name = _read_input(jsonl_path)
    rows = parse_jsonl(text, name)
    names = assign([(str(r["id"]), r["title"], r["text"]) for r in rows],
                   _configured_topics(config_path))
    if as_json:
        grouped: dict[str, list] = {}
        for row, topic in zip(rows, names):
            grouped.setdefault(topic, []).append(row["id"])
        click.echo(json.dumps({"topics": [{"topic": t, "ids": ids} for t, ids in grouped.items()],
                               "articles": [{"id": r["id"], "topic": t}
                                            for r, t in zip(rows, names)]},
                              ensure_ascii=False))
        return
    for row, topic in zip(rows, names):
        click.echo(json.dumps({"id": row["id"], "topic": topic}, ensure_ascii=False))


@eval_group.command("topics")
@click.option("--dataset", required=True, metavar="PATH",
              help='Labelled JSONL: {"id", "title", "text" or "article", "label"}.')
@click.option("--sample", type=click.IntRange(min=2), default=40, show_default=True,
              help="Articles per random sample (a day's worth).")
@click.option("--repeats", type=click.IntRange(min=0), default=20, show_default=True,
              help="How many random samples.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the sampling.")
@click.option("--history", "history_path", metavar="PATH",
              help="Earlier articles (JSONL) as background statistics, as the state "
                   "database would give; default: none (a first run).")
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_debug_flag
def eval_topics(dataset, sample, repeats, seed, history_path, config_path, as_json) -> None:
    """NMI and ARI of the topics against the `label` field (and accuracy with sections).

    Automatic grouping unless --config has [[topics]] sections.
    """
    from digest.topics.evaluate import evaluate, read_labelled

    history = read_labelled(history_path, labelled=False) if history_path else ()
    result = evaluate(read_labelled(dataset), _configured_topics(config_path), sample=sample,
                      repeats=repeats, seed=seed, history=history)
    if as_json:
        click.echo(json.dumps(result))
        return
    whole, samples = result["whole"], result["samples"]
    click.echo(f"{result['mode']} topics on {result['articles']} articles"
               + (f", {result['history']} earlier articles as history" if result["history"]
                  else ", no history"))
    line = f"whole set:  NMI {whole['nmi']:.3f}  ARI {whole['ari']:.3f}  topics {whole['topics']}"
    if "accuracy" in whole:
        line += f"  accuracy {whole['accuracy']:.3f}  other {whole['other']:.3f}"
    click.echo(line + f"  ({result['whole_seconds']:.1f} s)")
    if samples:
        line = (f"{result['repeats']} samples of {result['sample_size']}:  "
                f"NMI {samples['nmi']:.3f} (sd {samples['nmi_sd']:.3f})  "
                f"ARI {samples['ari']:.3f} (sd {samples['ari_sd']:.3f})  "
                f"topics {samples['topics']:.1f}")
        if "accuracy" in samples:
            line += f"  accuracy {samples['accuracy']:.3f} (sd {samples['accuracy_sd']:.3f})"
        click.echo(line)


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
    from digest.summaries.registry import ALGORITHMS, DEFAULT_ALGORITHM
    from digest.summaries.evaluate import evaluate, format_table, read_dataset

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
