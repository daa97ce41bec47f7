"""`digest eval quotes|topics|summaries`: a stage's quality figures on a labelled dataset."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from digest.cli.group import config_option, debug_flag, json_option
from digest.cli.inputs import configured_topics


@click.group("eval")
def eval_group() -> None:
    """Quality figures of a stage on a labelled dataset (JSONL)."""


@eval_group.command("quotes")
@click.option("--dataset", required=True, metavar="PATH",
              help='JSONL lines {"id", "text", "attributions": [...]} (PolNeAR layout).')
@json_option()
@debug_flag
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
@json_option("Print the figures as JSON.")
@debug_flag
def eval_topics(dataset, sample, repeats, seed, history_path, config_path, as_json) -> None:
    """NMI and ARI of the topics against the `label` field (and accuracy with sections).

    For found groups, also label agreement: the share of articles whose section is the
    built-in section of their label (the BBC set's labels are mapped: docs/quality.md).

    Automatic grouping unless --config has [[topics]] sections.
    """
    from digest.topics.evaluate import evaluate, read_labelled

    history = read_labelled(history_path, labelled=False) if history_path else ()
    result = evaluate(read_labelled(dataset), configured_topics(config_path), sample=sample,
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
    if "agreement" in whole:
        line += f"  label agreement {whole['agreement']:.3f}"
    click.echo(line + f"  ({result['whole_seconds']:.1f} s)")
    if samples:
        line = (f"{result['repeats']} samples of {result['sample_size']}:  "
                f"NMI {samples['nmi']:.3f} (sd {samples['nmi_sd']:.3f})  "
                f"ARI {samples['ari']:.3f} (sd {samples['ari_sd']:.3f})  "
                f"topics {samples['topics']:.1f}")
        if "accuracy" in samples:
            line += f"  accuracy {samples['accuracy']:.3f} (sd {samples['accuracy_sd']:.3f})"
        if "agreement" in samples:
            line += (f"  label agreement {samples['agreement']:.3f} "
                     f"(sd {samples['agreement_sd']:.3f})")
        click.echo(line)


@eval_group.command("summaries")
@click.option("--dataset", "dataset", required=True, metavar="PATH",
              help='JSONL lines {"id", "article", "reference": [sentences]}.')
@click.option("--algorithm", "algorithms", multiple=True, metavar="NAME|all",
              help="An algorithm to score (repeatable), or all of them (default: news).")
@click.option("--sentences", type=click.IntRange(min=1), default=None,
              help="Summary length (default: each reference's sentence count).")
@json_option("Print JSON instead of a table.")
@debug_flag
def eval_summaries(dataset, algorithms, sentences, as_json) -> None:
    """ROUGE-1/2/Lsum F1 of summaries against references, with the Lead-k baseline.

    \b
    Example:
      digest eval summaries --dataset cnndm-dev.jsonl --sentences 3 --algorithm all
    """
    from digest.summaries import ALGORITHMS, DEFAULT_ALGORITHM
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
