"""`digest quotes`: the key quotes of one article with their speakers, or every quote of many."""

from __future__ import annotations

import json

import click

from digest.cli.group import config_option, debug_flag, json_option
from digest.cli.inputs import read_input, read_one_article
from digest.errors import UsageError


@click.command()
@click.argument("path", required=False, metavar="PATH|-")
@click.option("--jsonl", "jsonl_path", metavar="PATH",
              help='Many articles: input lines {"id", "text"}, output lines {"id", "quotes"} '
                   "with every quote.")
@click.option("--all", "show_all", is_flag=True, help="Every quote, not only the key ones.")
@click.option("--count", type=click.IntRange(min=1), default=None,
              help="How many key quotes (default: from config, 2).")
@json_option()
@config_option
@debug_flag
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
    from digest.text.language import detect_language

    if (path is None) == (jsonl_path is None):
        raise UsageError("give exactly one of PATH (or - for stdin) and --jsonl PATH")
    if jsonl_path is not None:
        from digest.jsonl import rows

        text, name = read_input(jsonl_path)
        for where, row in rows(text, name):
            if not isinstance(row.get("text"), str):
                raise UsageError(f"{where}: expected an object with a 'text' string")
            # the article's own language picks the rules (French, German, Spanish, English)
            language = detect_language(row["text"], row.get("language") or "en")
            found = [q.to_dict() for q in extract_quotes(row["text"], language)]
            click.echo(json.dumps({"id": row.get("id"), "quotes": found}, ensure_ascii=False))
        return
    article = read_one_article(path)
    if count is None:
        from digest.settings import load_settings

        count = load_settings(config_path).quotes if config_path else 2
    found = extract_quotes(article.text, detect_language(article.text, article.language))
    chosen = found if show_all else key_quotes(found, count)
    if as_json:
        click.echo(json.dumps({"title": article.title, "quotes": [q.to_dict() for q in chosen]},
                              ensure_ascii=False))
        return
    for q in chosen:
        who = q.speaker or "(speaker unknown)"
        click.echo(f"“{q.text}” — {who}{', ' + q.role if q.role else ''}")
