"""Save Chromium's `document.body.innerText` of every evaluation page, once.

    python benchmarks/make_innertext.py [--eval-dir DIR]

What a Playwright scraper saves is the text the browser renders: `innerText` lays
text out as CSS does (blocks on their own lines, hidden elements left out). Made with
headless Chromium (Debian's, `make browser` installs Playwright) with scripts and the
network off, so the page renders as served; written to
`benchmarks/renderings/innertext.jsonl.gz` for `benchmarks/cleaning.py`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from pathlib import Path

import _eval  # beside this script

from summarizer.clean.sources import decode

OUT = Path(__file__).resolve().parent / "renderings" / "innertext.jsonl.gz"
CHROMIUM = os.environ.get("SUMMARIZER_CHROMIUM", "/usr/bin/chromium")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=_eval.EVAL_DIR)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    pages = list(_eval.pages(args.eval_dir))
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 2000})
        context.route("**/*", lambda route: route.abort())  # the page as served: nothing fetched
        page = context.new_page()
        for item in pages:
            page.set_content(decode(item.html, item.id), wait_until="domcontentloaded", timeout=30000)
            rows.append({"id": item.id, "text": page.evaluate("() => document.body ? document.body.innerText : ''")})
        browser.close()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(OUT, "wt", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} pages -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
