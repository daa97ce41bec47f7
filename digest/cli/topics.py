"""`digest topics`: the topic each of many articles (JSONL) would be put under."""

from __future__ import annotations

import json

import click

from digest.cli.group import config_option, debug_flag, json_option
from digest.cli.inputs import configured_topics, read_input


@click.command()
@click.option("--jsonl", "jsonl_path", required=True, metavar="PATH|-",
              help='Articles, one a line: {"id", "title", "text" or "article"}.')
@config_option
@json_option("Print one JSON object (topics with their ids) instead of lines.")
@debug_flag
def topics(jsonl_path, config_path, as_json) -> None:
    """Give each article a topic: the config's [[topics]] sections, else groups found.

    Prints one line {"id", "topic"} per article.

    \b
    Example:
      digest topics --jsonl articles.jsonl --config config/digest.toml
    """
    from digest.topics import assign
    from digest.topics.evaluate import parse_jsonl

    text, name = read_input(jsonl_path)
    rows = parse_jsonl(text, name)
    names = assign([(str(r["id"]), r["title"], r["text"]) for r in rows],
                   configured_topics(config_path))
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
