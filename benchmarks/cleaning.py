"""Cleaning benchmark: body-text precision, recall and F1 against human-marked ground truth.

    python benchmarks/cleaning.py [--eval-dir DIR] [--limit N] [--repeat N]

Rows: trafilatura with its default settings (the baseline), summarizer's cleaning of the
same HTML, and summarizer's cleaning of *text dumps* of the same pages, navigation,
menus and footers kept, as scrapers save them, in four renderings: a plain one (every
text node, blocks on their own lines), inscriptis (layout-aware text), html2text
(Markdown-ish: links, emphasis, list marks) and Chromium's `document.body.innerText`
(what a Playwright scraper saves; made once by `benchmarks/make_innertext.py` and kept
in `benchmarks/renderings/`). Scored per page by 4-word shingles with multiplicity,
averaged over pages, F1 of the averages (the scrapinghub article-extraction-benchmark
method). Time per page is each page's fastest of `--repeat` runs (default 5), with the
slowest page's.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import _eval  # beside this script
import lxml.html
import trafilatura

from summarizer import CleaningError, clean
from summarizer.clean.sources import decode

_BLOCKS = (
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "blockquote",
    "figure",
    "figcaption",
    "main",
    "table",
    "form",
    "dd",
    "dt",
    "pre",
    "hr",
)


def text_dump(html: str) -> str:
    """The page as a scraper saves it: every visible text node, block elements on
    their own lines, navigation and footers included."""
    tree = lxml.html.document_fromstring(html)
    for bad in tree.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    for block in tree.iter(*_BLOCKS):
        block.tail = "\n" + (block.tail or "")
        block.text = "\n" + (block.text or "")
    lines = (" ".join(line.split()) for line in tree.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def inscriptis_dump(html: str) -> str:
    from inscriptis import get_text

    return get_text(html)


def html2text_dump(html: str) -> str:
    import html2text

    converter = html2text.HTML2Text()
    converter.body_width = 0  # lines as the page has them, not wrapped at 78 columns
    return converter.handle(html)


RENDERINGS = Path(__file__).resolve().parent / "renderings"


def saved(name: str) -> dict[str, str]:
    path = RENDERINGS / f"{name}.jsonl.gz"
    if not path.exists():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return {row["id"]: row["text"] for row in map(json.loads, handle)}


def trafilatura_default(html: str) -> str:
    return trafilatura.extract(html) or ""


def summarizer_clean(text: str) -> str:
    try:
        return clean(text).body
    except CleaningError:
        return ""


def score(
    name: str, inputs: list[tuple[str, str]], extract: Callable[[str], str], repeat: int = 1
) -> dict[str, float | str]:
    """Each page's time is its fastest of `repeat` runs: the machines are shared, and
    the fastest run is the one least disturbed by others."""
    precisions, recalls, times = [], [], []
    for text, truth in inputs:
        fastest = float("inf")
        for _ in range(repeat):
            began = time.perf_counter()
            got = extract(text)
            fastest = min(fastest, time.perf_counter() - began)
        times.append(fastest)
        p, r = _eval.precision_recall(got, truth)
        precisions.append(p)
        recalls.append(r)
    precision = sum(precisions) / len(precisions)
    recall = sum(recalls) / len(recalls)
    return {
        "name": name,
        "precision": precision,
        "recall": recall,
        "f1": _eval.f1(precision, recall),
        "ms_per_page": sum(times) / len(inputs) * 1000,
        "slowest_ms": max(times) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=_eval.EVAL_DIR)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=5, help="time each page this many times, keep the fastest")
    args = parser.parse_args()
    if not (args.eval_dir / "ground-truth.json").exists():
        sys.exit(f"no evaluation set at {args.eval_dir}")
    pages = list(_eval.pages(args.eval_dir))[: args.limit]
    html = [(decode(p.html, p.id), p.truth) for p in pages]
    renderings: dict[str, list[tuple[str, str]]] = {
        "plain": [(text_dump(h), truth) for h, truth in html],
        "inscriptis": [(inscriptis_dump(h), truth) for h, truth in html],
        "html2text": [(html2text_dump(h), truth) for h, truth in html],
    }
    inner = saved("innertext")
    if inner:
        renderings["Chromium innerText"] = [(inner.get(p.id, ""), p.truth) for p in pages]
    rows = [
        score("trafilatura default, HTML", html, trafilatura_default, args.repeat),
        score("summarizer clean, HTML", html, summarizer_clean, args.repeat),
        *(
            score(f"summarizer clean, {name} dump", dumps, summarizer_clean, args.repeat)
            for name, dumps in renderings.items()
        ),
    ]
    print(f"{len(pages)} pages from {args.eval_dir}")
    print(f"{'extractor':42} {'precision':>9} {'recall':>7} {'F1':>7} {'ms/page':>8} {'slowest':>8}")
    for row in rows:
        print(
            f"{row['name']:42} {row['precision']:9.3f} {row['recall']:7.3f} {row['f1']:7.3f}"
            f" {row['ms_per_page']:8.1f} {row['slowest_ms']:8.1f}"
        )


if __name__ == "__main__":
    main()
