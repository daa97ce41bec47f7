"""`digest gather`: the day's articles as the issue would take them, to check the sources."""

from __future__ import annotations

import json

import click

from digest.cli.group import config_option, date_option, debug_flag, json_option, since_option


@click.command()
@config_option
@date_option
@since_option
@click.option("--all", "everything", is_flag=True, help="Every article, whatever its date.")
@click.option("--source", "extra", multiple=True, metavar="PATH_OR_URL",
              help="Also read this folder, file, feed file or feed/page address (repeatable); "
                   "without --config, only these are read.")
@json_option("One JSON object a line.")
@debug_flag
def gather(config_path, date, since, everything, extra, as_json) -> None:
    """List the day's articles after cleaning and merging duplicates.

    Ends with a line of sources read and failed (on stderr); exits 1 only when every
    source failed.

    \b
    Examples:
      digest gather --date 2024-05-01
      digest gather --all --json --source feed.xml --source https://example.org/feed
    """
    from digest.gathering import guess_source
    from digest.pipeline import gather_day
    from digest.settings import load_settings

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
