"""Benchmark: main text of article pages, `digest` against each extractor alone.

    python bench/pages.py [--pages DIR] [--worst 5]

DIR (default $DIGEST_PAGES or /work/shared/data/pages) holds `html/<id>.html.gz` and
`ground-truth.json` ({id: {"articleBody", "url"}}), as in scrapinghub's
article-extraction-benchmark. Scored as that benchmark scores extractors: `\\w+` tokens,
4-word shingles with counts, per page tp/fp/fn normalised to sum 1, precision and recall
averaged over pages (a page with nothing extracted counts 0 for recall and is left out of
precision), F1 of the two averages. `digest` is the text that reaches the summaries (the
article's body after cleaning). Figures only, no pass/fail; the pages are read in place,
never copied.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(0, len(tokens) - n + 1)))


def page_score(truth: str, predicted: str) -> tuple[float, float] | None:
    """(precision, recall) of one page; None when nothing was extracted."""
    want, got = shingles(truth), shingles(predicted)
    if not got:
        return None
    tp = sum(min(count, got[key]) for key, count in want.items())
    fp = sum(got.values()) - tp
    fn = sum(want.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return 1.0, 1.0
    tp, fp, fn = tp / total, fp / total, fn / total
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def score(scores: list[tuple[float, float] | None]) -> tuple[float, float, float]:
    """(F1, precision, recall) over pages, as the benchmark averages them."""
    precisions = [s[0] for s in scores if s is not None]
    recalls = [s[1] if s is not None else 0.0 for s in scores]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def digest_text(html: bytes, url: str) -> str:
    from digest.gathering.files import make_article
    from digest.gathering.fetch import Response
    from digest.gathering.page import extract_page

    response = Response(url=url, final_url=url, body=html, content_type="text/html")
    return make_article(extract_page(response), "bench", origin=url).text


def trafilatura_text(html: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False,
                               include_tables=False) or ""


def trafilatura_precision_text(html: bytes, url: str) -> str:
    """trafilatura as `digest` calls it (precision mode, tables kept), without our cleaning."""
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, include_tables=True,
                               favor_precision=True) or ""


def readability_text(html: bytes, url: str) -> str:
    import lxml.html
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    return lxml.html.fromstring(summary).text_content() if summary.strip() else ""


def newspaper_text(html: bytes, url: str) -> str:
    import newspaper

    # fetch_images=False: newspaper would otherwise download the page's images to choose a
    # top image; nothing here may leave the machine
    article = newspaper.Article(url, fetch_images=False, memoize_articles=False)
    article.download(input_html=html.decode("utf-8", "replace"))
    article.parse()
    return article.text


def justext_text(html: bytes, url: str) -> str:
    import justext

    paragraphs = justext.justext(html, justext.get_stoplist("English"))
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


EXTRACTORS = {
    "digest": (digest_text, None),
    "trafilatura": (trafilatura_text, "trafilatura"),
    "trafilatura-precision": (trafilatura_precision_text, "trafilatura"),
    "readability-lxml": (readability_text, "readability"),
    "newspaper4k": (newspaper_text, "newspaper"),
    "justext": (justext_text, "justext"),
}


def load(folder: Path) -> list[tuple[str, str, bytes, str]]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, item in sorted(truth.items()):
        path = folder / "html" / f"{page_id}.html.gz"
        if path.exists():
            pages.append((page_id, item.get("url") or "", gzip.decompress(path.read_bytes()),
                          item.get("articleBody") or ""))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, default=Path(os.environ.get(
        "DIGEST_PAGES", "/work/shared/data/pages")))
    parser.add_argument("--worst", type=int, default=0, help="list digest's worst pages")
    parser.add_argument("--only", default="", help="comma-separated extractor names")
    args = parser.parse_args()
    if not (args.pages / "ground-truth.json").exists():
        sys.exit(f"bench/pages.py: no ground-truth.json in {args.pages}")
    pages = load(args.pages)
    print(f"{len(pages)} pages from {args.pages}")
    import importlib.util

    wanted = [n for n in args.only.split(",") if n] or list(EXTRACTORS)
    for name in wanted:
        function, module = EXTRACTORS[name]
        if module and importlib.util.find_spec(module) is None:
            print(f"{name:>21}: not installed")
            continue
        started = time.perf_counter()
        scores, failed = [], 0
        for page_id, url, html, truth in pages:
            try:
                text = function(html, url)
            except Exception:  # an extractor that gives up on a page extracted nothing
                text, failed = "", failed + 1
            scores.append(page_score(truth, text))
        elapsed = time.perf_counter() - started
        f1, precision, recall = score(scores)
        print(f"{name:>21}: F1 {f1:.3f}  precision {precision:.3f}  recall {recall:.3f}  "
              f"({sum(s is None for s in scores)} empty, {failed} errors, "
              f"{elapsed / len(pages) * 1e3:.0f} ms/page)")
        if name == "digest" and args.worst:
            ranked = sorted(zip(pages, scores), key=lambda x: min(x[1] or (0, 0)))
            for (page_id, url, _, _), s in ranked[:args.worst]:
                p, r = s or (0.0, 0.0)
                print(f"    {page_id[:12]} precision {p:.3f} recall {r:.3f} {url[:70]}")


if __name__ == "__main__":
    main()
