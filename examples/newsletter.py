"""A newsletter builder in twenty lines, on summarizer's public API only.

    python examples/newsletter.py [OUT_DIR]

Briefs the three example articles at once (offline unless OPENAI_API_KEY or
OPENAI_BASE_URL is set), then writes one digest as Markdown, as email HTML and as the
email's plain-text alternative.
"""

import sys
from pathlib import Path

from summarizer import render_digest, summarize_many

examples = Path(__file__).parent
out = Path(sys.argv[1]) if len(sys.argv) > 1 else examples / "newsletter"
out.mkdir(parents=True, exist_ok=True)

articles = [examples / name for name in ("harbor-ferry-strike.txt", "library-hours.html", "wind-farm-hearing.txt")]
outcomes = summarize_many(articles, concurrency=3, topics=["money"])
for outcome in outcomes:
    if not outcome.ok:
        print(f"skipped {outcome.source}: {outcome.error}", file=sys.stderr)
results = [outcome.result for outcome in outcomes if outcome.ok]

for suffix in ("md", "html", "txt"):
    digest = render_digest(results, f"digest.{suffix}.j2", title="Island and Coast, Thursday")
    (out / f"newsletter.{suffix}").write_text(digest, encoding="utf-8")
    print(out / f"newsletter.{suffix}")
