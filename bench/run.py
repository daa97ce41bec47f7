"""The whole day's work, measured: `digest run` over N BBC articles with two audiences.

For each N it prints wall time, seconds per stage (from `digest -v`), articles per second and
the peak memory of the run's process tree; then the time sumy's LexRank alone takes to
summarise the same articles, in the same run, and the ratio; then `digest --help` start-up
against `python -c pass`. Figures only, no pass/fail.

    python bench/run.py                      # N = 100, 500 and every article (1,780)
    python bench/run.py --sizes 100,1000 --data ../shared/data/bbc/bbc-dev.jsonl
    python bench/run.py --sizes all,10000    # past the set's size, made-up articles whose
                                             # paragraphs come from three real ones

Needs ../shared/data/bbc/bbc-dev.jsonl (skips when it is absent).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "bbc" / "bbc-dev.jsonl"
DATE = "2024-05-01"

CONFIG = """
window = "day"
outbox = "outbox"
state = "state.sqlite3"

[[sources]]
name = "BBC"
type = "folder"
path = "articles"
max_file_bytes = 5000000

[audiences.general]
subject = "General {{ date }}"
summary_sentences = 3
quotes = 1

[audiences.experts]
subject = "Experts {{ date }}"
summary_sentences = 5
quotes = 2
"""


def extend(rows: list[dict], n: int) -> list[dict]:
    """n articles: the real ones, then (past the set's size) made-up ones whose paragraphs come
    from three real articles each, so that they are new stories to the duplicate check."""
    import random

    out = list(rows[:n])
    rng = random.Random(0)
    while len(out) < n:
        parts = []
        for row in rng.sample(rows, 3):
            paras = [p for p in row["article"].split("\n\n") if p.strip()]
            parts += rng.sample(paras, min(2, len(paras)))
        first = rng.choice(rows)
        out.append({"id": f"mix{len(out)}", "title": f"{first.get('title') or 'Story'} "
                    f"({len(out)})", "article": "\n\n".join(parts)})
    return out


def write_articles(rows: list[dict], folder: Path) -> None:
    folder.mkdir(parents=True)
    for i, row in enumerate(rows):
        data = {"title": row.get("title") or f"Article {i}", "text": row["article"],
                "date": DATE, "url": f"https://example.org/bbc/{row['id']}"}
        (folder / f"{i:05d}.json").write_text(json.dumps(data), encoding="utf-8")


def tree_rss(pid: int, cpu: dict[int, float] | None = None) -> int:
    """Memory of a process and its descendants, in bytes: the sum of their proportional set
    sizes (PSS), so that pages a forked worker shares with its parent count once. `cpu`,
    when given, gets each descendant's CPU seconds so far (its own, not its children's)."""
    total, todo = 0, [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
            if cpu is not None and p != pid:
                fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
                cpu[p] = max(cpu.get(p, 0.0), (int(fields[11]) + int(fields[12])) / tick)
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run_digest(project: Path) -> dict:
    """`digest -v -q run` in a subprocess: wall time, CPU seconds, stage seconds, peak tree
    memory."""
    import resource

    cmd = [sys.executable, "-m", "digest", "-v", "-q", "run", "--config",
           str(project / "digest.toml"), "--date", DATE]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    workers: dict[int, float] = {}
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss(proc.pid, workers))
            time.sleep(0.25)  # reading smaps costs CPU: sample a few times a second

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    # CPU seconds of the run (exact, from its exit) and of the processes under it (the fork
    # server's workers, which it does not wait for: sampled with the memory, so the last
    # quarter second of each may be missed): a figure a busy machine changes less than time
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    cpu += sum(workers.values())
    if proc.returncode != 0:
        raise SystemExit(f"digest run failed ({proc.returncode}):\n{err}")
    stages = {}
    for line in err.splitlines():
        if line.startswith("timings: "):
            for part in line[len("timings: "):].split(", "):
                name, seconds = part.split(" ")[:2]
                stages[name] = float(seconds)
    return {"wall": wall, "cpu": cpu, "stages": stages, "peak_mb": peak / 2**20,
            "stdout": out}


def lexrank_alone(rows: list[dict], sentences: int = 3) -> float:
    """Seconds sumy's LexRank takes to summarise the articles, with sumy's own parser.

    sumy's default tokenizer needs NLTK's punkt data, which this machine has not: the
    sentences come from NLTK's Punkt algorithm with no trained data (pure code) instead.
    """
    import re

    from nltk.tokenize.punkt import PunktSentenceTokenizer
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    class Tokenizer:
        language = "english"
        _sentences = PunktSentenceTokenizer()
        _word = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

        def to_sentences(self, paragraph):
            return self._sentences.tokenize(paragraph)

        def to_words(self, sentence):
            return self._word.findall(sentence)

    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = Tokenizer()
    start, cpu = time.perf_counter(), time.process_time()
    for row in rows:
        document = PlaintextParser.from_string(row["article"], tokenizer).document
        summarizer(document, sentences)
    return time.perf_counter() - start, time.process_time() - cpu


def startup(repeats: int = 10) -> tuple[float, float]:
    def median(cmd):
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    return (median([sys.executable, "-m", "digest", "--help"]),
            median([sys.executable, "-c", "pass"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--sizes", default="100,500,all")
    args = parser.parse_args()
    if not args.data.is_file():
        print(f"skipped: {args.data} not found")
        return
    rows = [json.loads(line) for line in args.data.open(encoding="utf-8")]
    sizes = [len(rows) if s == "all" else int(s) for s in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} cores; data: {args.data.name} ({len(rows)} articles)")
    header = f"{'N':>6} {'run s':>7} {'CPU s':>7} {'art/s':>7} {'peak MB':>8}  stages (s)"
    print(header)
    results = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp)
            write_articles(extend(rows, n), project / "articles")
            (project / "digest.toml").write_text(CONFIG, encoding="utf-8")
            result = run_digest(project)
        stages = ", ".join(f"{k} {v:.2f}" for k, v in result["stages"].items())
        print(f"{n:>6} {result['wall']:>7.2f} {result['cpu']:>7.2f} {n / result['wall']:>7.1f} "
              f"{result['peak_mb']:>8.0f}  {stages}", flush=True)
        results.append((n, result))
    # the baseline on the largest size made of real articles only
    n, result = max((r for r in results if r[0] <= len(rows)), key=lambda r: r[0],
                    default=results[-1])
    baseline, baseline_cpu = lexrank_alone(extend(rows, n))
    print(f"\nsumy LexRank alone on the same {n} articles (3 sentences each): {baseline:.2f} s "
          f"({baseline / n * 1000:.1f} ms/article)")
    print(f"digest run / LexRank alone: {result['wall'] / baseline:.2f} "
          f"(CPU seconds: {result['cpu']:.2f} / {baseline_cpu:.2f} = "
          f"{result['cpu'] / baseline_cpu:.2f}; the run has {os.cpu_count()} cores, LexRank one)")
    digest_help, python_pass = startup()
    print(f"\n`digest --help` {digest_help:.3f} s; `python -c pass` {python_pass:.3f} s; "
          f"difference {digest_help - python_pass:.3f} s")


if __name__ == "__main__":
    main()
