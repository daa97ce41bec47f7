"""`digest summarize`: the summary of one article, or of many (JSONL in, JSONL out)."""

from __future__ import annotations

import json

import click

from digest.cli.group import config_option, debug_flag, json_option
from digest.cli.inputs import read_input, read_one_article
from digest.errors import UsageError


@click.command()
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
@json_option()
@config_option
@debug_flag
def summarize(path, jsonl_path, algorithm, sentences, max_words, as_json, config_path) -> None:
    """Summarise one article (a file, or - for stdin), or many with --jsonl.

    \b
    Examples:
      digest summarize samples/blog/xi-jinping-visits-moscow.txt --sentences 2
      digest summarize --jsonl articles.jsonl --algorithm text-rank > summaries.jsonl
    """
    from digest.settings import load_settings
    from digest.summaries import DEFAULT_ALGORITHM, check_algorithm
    from digest.summaries import summarize as summarize_text

    if (path is None) == (jsonl_path is None):
        raise UsageError("give exactly one of PATH (or - for stdin) and --jsonl PATH")
    settings = load_settings(config_path) if config_path else None
    algorithm = check_algorithm(algorithm or (settings.summary_algorithm if settings
                                              else DEFAULT_ALGORITHM))
    default_n = sentences or (settings.summary_sentences if settings else 3)
    if jsonl_path is not None:
        _summarize_jsonl(jsonl_path, algorithm, sentences, default_n, max_words)
        return

    article = read_one_article(path)
    from digest.text import detect_language

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
    """One output line per input line, as soon as it is done (a pipe reads as it goes)."""
    from digest.jsonl import rows
    from digest.summaries import summarize as summarize_text
    from digest.text import clean_text

    text, name = read_input(jsonl_path)
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
