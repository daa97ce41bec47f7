"""Follow-ups on real follow-up articles: detection, and repeats in their summaries.

    python bench/followups.py [--thresholds 0.15,0.2,...] [--bbc ../shared/data/bbc/bbc-dev.jsonl]

The pairs are the bundled Wikinews samples (samples/articles/) that continue an earlier one
(listed in PAIRS, chosen by reading them: Hurricane Dorian, the Hong Kong protests, the
prorogation of the UK parliament, the US withdrawal from Syria, COVID-19 in March 2020).

1. Detection: every later article against the articles of the LOOKBACK_DAYS before it, as
   `find_followups` does (its best match at or over the threshold); precision and recall
   of the pairs, for several thresholds.
2. Repeats: for each pair, the earlier issue's story (its 3-sentence `news` summary and 2 key
   quotes) and the later article's summary, before (the ordinary summary) and after
   (`novel_summary`). A summary sentence is "already said" when (a) half of its content
   words are in one sentence sent (the rule novel_summary applies), or (b) its ROUGE-2
   precision against everything sent is 0.3 or more (rouge-score, stemmed; a measure the
   selection does not use). Prints the share of such sentences before and after, and the
   mean share of a summary sentence's content words already in one sentence sent.
3. With --bbc: the repeats measure on BBC_PAIRS, pairs of BBC News articles (2004-05) of one
   continuing story (the LSE bids, Yukos, WorldCom, Man Utd and Glazer...), picked by reading
   the titles of candidate pairs; the BBC set has no dates, so which one is "earlier" is
   the order listed. A pair that one story once would merge (5-shingle Jaccard >= 0.6:
   "Shares rise on new Man Utd offer", a rewrite of "Mixed reaction...") is not a follow-up
   and is left out. Evaluation only: the BBC texts never enter the repository.
4. Time: the similarities of 60 articles against 1,800 stories sent (30 days of 60, the
   samples repeated), three runs.
Figures only, no pass/fail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

from rouge_score import rouge_scorer

from digest.gathering.files import make_article
from digest.quotes import extract_quotes, key_quotes
from digest.summaries.novelty import ALREADY_SAID, content_words, novel_summary, repeat_share
from digest.summaries.registry import summarize
from digest.topics.followups import LOOKBACK_DAYS, THRESHOLD, similarities

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "articles"
PAIRS = [
    ("2019-09-01_hurricane-dorian", "2019-09-05_hurricane-dorian"),
    ("2019-09-06_hong-kong-leader", "2019-10-02_police-shoot-teenage"),
    ("2019-10-02_police-shoot-teenage", "2019-10-16_hong-kongs-carrie-lam"),
    ("2019-09-11_uk-prime-minister-johnson", "2019-09-24_uk-supreme-court"),
    ("2019-10-08_us-president-trump-announces-troop", "2019-10-15_kurds-announce-deal"),
    ("2020-03-13_national-basketball", "2020-03-14_world-health-organization"),
    ("2020-03-14_world-health-organization", "2020-03-16_us-president-trump-declares"),
    ("2020-03-13_national-basketball", "2020-03-16_us-president-trump-declares"),
    ("2020-03-13_stores-in-australia", "2020-03-17_200-in-new-delhi"),
]

BBC_PAIRS = [
    ("German bidder in talks with LSE", "Deutsche Boerse set to 'woo' LSE"),
    ("Euronext joins bid battle for LSE", "French suitor holds LSE meeting"),
    ("Glazer makes new Man Utd approach", "Man Utd to open books to Glazer"),
    ("Qwest may spark MCI bidding war", "Verizon 'seals takeover of MCI'"),
    ("Verizon 'seals takeover of MCI'", "MCI shareholder sues to stop bid"),
    ("Court rejects $280bn tobacco case", "US seeks new $280bn smoker ruling"),
    ("Worldcom ex-boss launches defence", "Ebbers denies WorldCom fraud"),
    ("Ebbers denies WorldCom fraud", "WorldCom director admits lying"),
    ("S Korean lender faces liquidation", "S Korean credit card firm rescued"),
    ("Borussia Dortmund near bust", "Rescue hope for Borussia Dortmund"),
    ("Rover deal 'may cost 2,000 jobs'", "MG Rover China tie-up 'delayed'"),
    ("Yukos loses US bankruptcy battle", "Yukos bankruptcy 'not US matter'"),
    ("GM in crunch talks on Fiat future", "GM pays $2bn to evade Fiat buyout"),
    ("Guantanamo four questioned", "Guantanamo four free in weeks"),
    ("Parmalat sues 45 banks over crash", "Parmalat bank barred from suing"),
    ("Cairn shares up on new oil find", "Cairn shares slump on oil setback"),
]


def load_bbc(path: Path) -> dict[str, tuple[None, object]]:
    wanted = {t for pair in BBC_PAIRS for t in pair}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["title"] in wanted and row["title"] not in out:
            article = make_article({"title": row["title"], "text": row["article"]}, "BBC",
                                   row["id"])
            out[row["title"]] = (None, article)
    return out


def load() -> dict[str, tuple[dt.date, object]]:
    out = {}
    for path in sorted(SAMPLES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        article = make_article(data, "Wikinews", str(path))
        out[path.stem] = (article.published, article)
    return out


def find(articles, prefix: str) -> str:
    (name,) = [n for n in articles if n.startswith(prefix)] if prefix not in articles else [prefix]
    return name


def detection(articles, pairs, thresholds) -> None:
    names = sorted(articles)
    truth = {(find(articles, a), find(articles, b)) for a, b in pairs}
    best: dict[str, tuple[float, str]] = {}
    for later in names:
        day = articles[later][0]
        window = [n for n in names if 0 < (day - articles[n][0]).days <= LOOKBACK_DAYS]
        if not window:
            continue
        sims = similarities([(articles[n][1].title, articles[n][1].text) for n in window],
                            [(articles[later][1].title, articles[later][1].text)])[0]
        j = max(range(len(window)), key=lambda k: sims[k])
        best[later] = (sims[j], window[j])
    in_window = {(a, b) for a, b in truth
                 if 0 < (articles[b][0] - articles[a][0]).days <= LOOKBACK_DAYS}
    print(f"detection: {len(names)} articles, {len(in_window)} follow-up pairs within "
          f"{LOOKBACK_DAYS} days")
    print(f"{'threshold':>9} {'marked':>6} {'right':>5} {'precision':>9} {'recall':>6}")
    for t in thresholds:
        marked = {(e, later) for later, (s, e) in best.items() if s >= t}
        # a later article marked against another earlier story of the same chain is right
        right = {(e, l) for e, l in marked if any(l == b for _, b in in_window)}
        found = {l for _, l in right}
        recall = len({b for _, b in in_window} & found) / max(len({b for _, b in in_window}), 1)
        precision = len(right) / max(len(marked), 1)
        flag = " <- THRESHOLD" if abs(t - THRESHOLD) < 1e-9 else ""
        print(f"{t:9.2f} {len(marked):6} {len(right):5} {precision:9.2f} {recall:6.2f}{flag}")
    print("best match of each labelled later article:")
    for a, b in sorted(truth):
        s, e = best.get(b, (0.0, ""))
        print(f"  {b[:45]:45} {s:.2f} -> {e[:40]}")


def repeats(articles, pairs) -> None:
    scorer = rouge_scorer.RougeScorer(["rouge2"], use_stemmer=True)
    totals = {"before": [0, 0, 0, 0.0], "after": [0, 0, 0, 0.0]}  # sentences, (a), (b), mean
    print("\nrepeats of the earlier issue in the later summary (3 sentences):")
    print(f"{'later article':45} {'before a/b':>10} {'after a/b':>10}")
    for a, b in pairs:
        earlier = articles[find(articles, a)][1]
        later = articles[find(articles, b)][1]
        summary = summarize(earlier.text, "news", 3, "en", earlier.title)
        quotes = key_quotes(extract_quotes(earlier.text, "en"), 2, shown=" ".join(summary))
        said = summary + [q.text for q in quotes]
        said_words = [content_words(s) for s in said]
        said_text = " ".join(said)
        row = []
        for label, chosen in (
                ("before", summarize(later.text, "news", 3, "en", later.title)),
                ("after", novel_summary(later.text, said, 3, "news", "en", later.title))):
            a_count = sum(repeat_share(s, said_words) >= ALREADY_SAID for s in chosen)
            b_count = sum(scorer.score(said_text, s)["rouge2"].precision >= 0.3
                          for s in chosen)
            t = totals[label]
            t[3] += sum(repeat_share(s, said_words) for s in chosen)
            t[0] += len(chosen)
            t[1] += a_count
            t[2] += b_count
            row.append(f"{a_count}/{b_count} of {len(chosen)}")
        print(f"{later.title[:45]:45} {row[0]:>10} {row[1]:>10}")
    for label, (n, x, y, share) in totals.items():
        print(f"{label:6}: {n} sentences, already said (a) {x} = {x / n:.0%}, "
              f"(b) {y} = {y / n:.0%}; mean repeated share {share / n:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--thresholds", default="0.15,0.2,0.25,0.3,0.35,0.4,0.5")
    parser.add_argument("--bbc", type=Path, help="BBC News Summary JSONL (evaluation data)")
    args = parser.parse_args()
    articles = load()
    detection(articles, PAIRS, [float(t) for t in args.thresholds.split(",")])
    repeats(articles, PAIRS)
    items = [(a.title, a.text) for _, a in articles.values()]
    similarities(items[:2], items[2:4])  # imports and word caches warm
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        similarities((items * 30)[:1800], items)
        runs.append(time.perf_counter() - start)
    print(f"\ntime, 60 articles against 1,800 sent: {min(runs):.2f}-{max(runs):.2f} s")
    if args.bbc:
        if not args.bbc.is_file():
            raise SystemExit(f"no such file: {args.bbc}")
        repeats(load_bbc(args.bbc), BBC_PAIRS)


if __name__ == "__main__":
    main()
