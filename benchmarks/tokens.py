"""What cleaning saves: prompt tokens per article with the raw page versus the cleaned
article, and requests per article, for the openai engine (nothing is sent).

    python benchmarks/tokens.py [--context-tokens N]

Rows: the project's seed-shaped text pages (examples/ and tests/fixtures/pages/), the
real scraped seed in ../shared/seeds when present, and averages over the 120 pages of
../shared/eval (raw HTML, its text dump, and the cleaned article).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import _eval  # beside this script
from cleaning import text_dump

from summarizer import Article, CleaningError, Settings, clean
from summarizer.clean.sources import decode
from summarizer.engines.openai.engine import OpenAIEngine, estimate_request_tokens
from summarizer.engines.openai.tokens import estimate_tokens

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def cost(engine: OpenAIEngine, article: Article) -> tuple[int, int]:
    """(prompt tokens, requests) for one article; map-reduce adds one reduce request
    whose size depends on the answers, counted here as requests only."""
    requests = engine.requests(article)
    tokens = sum(estimate_request_tokens(r) for r in requests)
    return tokens, len(requests) + (1 if len(requests) > 1 else 0)


def raw_article(text: str) -> Article:
    """The page as it would go out with no cleaning: every line a paragraph."""
    return Article(paragraphs=[line for line in text.splitlines() if line.strip()] or [text])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--context-tokens", type=int, default=12000)
    args = parser.parse_args()
    engine = OpenAIEngine(Settings(engine="openai", api_key="unused", context_tokens=args.context_tokens))
    pages = sorted((ROOT / "examples").glob("*.txt")) + sorted((ROOT / "tests/fixtures/pages").glob("*.txt"))
    pages += sorted(SEEDS.glob("*.txt")) if SEEDS.exists() else []
    print("prompt tokens per request (system prompt and schema included) and article tokens alone")
    print(
        f"{'page':28} {'prompt raw':>10} {'prompt clean':>12} {'article raw':>11} {'article clean':>13}"
        f" {'saved':>6} {'requests':>8}"
    )
    for path in pages:
        text = path.read_text(encoding="utf-8")
        raw, cleaned = raw_article(text), clean(text)
        raw_tokens, _ = cost(engine, raw)
        clean_tokens, requests = cost(engine, cleaned)
        raw_body, clean_body = estimate_tokens(raw.body), estimate_tokens(cleaned.body)
        print(
            f"{path.name[:28]:28} {raw_tokens:10,} {clean_tokens:12,} {raw_body:11,} {clean_body:13,}"
            f" {1 - clean_body / raw_body:6.0%} {requests:8}"
        )
    if not (_eval.EVAL_DIR / "ground-truth.json").exists():
        return
    totals = {"html": [0, 0], "dump": [0, 0], "clean": [0, 0]}
    n = 0
    for page in _eval.pages():
        html = decode(page.html, page.id)
        try:
            cleaned = clean(html)
        except CleaningError:
            continue
        n += 1
        for key, article in (("html", raw_article(html)), ("dump", raw_article(text_dump(html))), ("clean", cleaned)):
            tokens, requests = cost(engine, article)
            totals[key][0] += tokens
            totals[key][1] += requests
    print(f"\n{n} evaluation pages, mean per article (context budget {args.context_tokens:,} tokens):")
    print(f"{'input':30} {'prompt tokens':>13} {'requests':>9}")
    for key, label in (("html", "raw HTML"), ("dump", "text dump (nav, footers kept)"), ("clean", "cleaned article")):
        print(f"{label:30} {totals[key][0] / n:13,.0f} {totals[key][1] / n:9.2f}")


if __name__ == "__main__":
    sys.exit(main())
