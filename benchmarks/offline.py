"""Offline-engine benchmark: are its briefs worth forwarding?

    python benchmarks/offline.py [--eval-dir DIR] [--limit N] [--seed FILE]

On ../shared/eval/summaries (75 CNN/DailyMail articles with the highlights their
newsrooms wrote), with ROUGE from the `rouge-score` package (stemmed; ROUGE-L is the
summary-level Lsum, sentence by sentence, as usually reported on this data):

- the summary against the highlights, beside Lead-3 (the first three sentences);
- coverage: ROUGE-2 recall of summary plus key facts against the highlights, over that
  of the article's lead cut to the same number of words (do the facts add more than
  reading on?);
- the brief's shape: words shown (summary, fact statements, questions) over the
  article's, key facts that repeat a summary sentence, questions that end in "?" and
  that stand alone (no pronoun or "that deal" left pointing outside the question).

With --seed, also prints the brief of that file with the focus topics the issue names.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

from rouge_score import rouge_scorer

from summarizer import Article, Brief, Settings, clean, render, summarize
from summarizer.words import content_words, stem

SHARED = Path(__file__).resolve().parents[2] / "shared"
EVAL = SHARED / "eval" / "summaries" / "cnndm-valid.jsonl.gz"
SEED = SHARED / "seeds" / "000_990f11d3b987e2d8.txt"
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")
# A question that leans on something outside it: a pronoun, or "that deal" / "the talks" back-references.
_DANGLING = re.compile(r"\b(?:he|she|they|him|her|them|his|their|it|its|this|these|those|that \w+)\b", re.I)
_SETTINGS = Settings(engine="offline")


def words(text: str) -> int:
    return len(_WORD.findall(text))


def shown(brief: Brief) -> list[str]:
    return [
        *(s.text for s in brief.summary),
        *(f.statement for f in brief.key_facts),
        *(q.question for q in brief.open_questions),
    ]


def repeats(brief: Brief) -> int:
    """Key facts most of whose words are one summary sentence's."""
    sentences = [{stem(w) for w in content_words(s.text)} for s in brief.summary]
    count = 0
    for fact in brief.key_facts:
        mine = {stem(w) for w in content_words(fact.statement)}
        if mine and any(len(mine & s) / len(mine) >= 0.8 for s in sentences):
            count += 1
    return count


def stands_alone(question: str) -> bool:
    return question.endswith("?") and not _DANGLING.search(question)


def lead_words(paragraphs: list[str], n: int) -> str:
    return " ".join(" ".join(paragraphs).split()[:n])


def bootstrap_ratio(ours: list[float], lead: list[float], rounds: int = 2000) -> tuple[float, float]:
    """How much the ratio moves with the sample of articles: another 75 would differ."""
    rng = random.Random(7)
    ratios = []
    for _ in range(rounds):
        picks = [rng.randrange(len(ours)) for _ in ours]
        ratios.append(sum(ours[i] for i in picks) / sum(lead[i] for i in picks))
    ratios.sort()
    return ratios[int(0.05 * rounds)], ratios[int(0.95 * rounds)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=EVAL.parent)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--seed", type=Path, default=SEED, help="an article to brief with the issue's focus topics")
    args = parser.parse_args()
    path = args.eval_dir / EVAL.name
    if not path.exists():
        sys.exit(f"no evaluation set at {path}")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle][: args.limit]
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)

    figures: dict[str, list[float]] = {k: [] for k in ("s1", "s2", "sL", "l1", "l2", "lL", "cover", "lead_cover")}
    long_ratio, short_ratio, times = [], [], []
    facts = repeated = questions = questions_q = questions_alone = 0
    for row in rows:
        article = Article(paragraphs=row["paragraphs"])
        started = time.perf_counter()
        brief = summarize(article, settings=_SETTINGS).brief
        times.append(time.perf_counter() - started)
        reference = "\n".join(row["highlights"])
        summary = "\n".join(s.text for s in brief.summary)
        lead3 = "\n".join(row["paragraphs"][:3])
        for prefix, text in (("s", summary), ("l", lead3)):
            scores = scorer.score(reference, text)
            figures[f"{prefix}1"].append(scores["rouge1"].fmeasure)
            figures[f"{prefix}2"].append(scores["rouge2"].fmeasure)
            figures[f"{prefix}L"].append(scores["rougeLsum"].fmeasure)
        covered = "\n".join([*(s.text for s in brief.summary), *(f.statement for f in brief.key_facts)])
        figures["cover"].append(scorer.score(reference, covered)["rouge2"].recall)
        figures["lead_cover"].append(
            scorer.score(reference, lead_words(row["paragraphs"], words(covered)))["rouge2"].recall
        )
        article_words = words(article.body)
        (long_ratio if article_words >= 400 else short_ratio).append(words(" ".join(shown(brief))) / article_words)
        facts += len(brief.key_facts)
        repeated += repeats(brief)
        questions += len(brief.open_questions)
        questions_q += sum(q.question.endswith("?") for q in brief.open_questions)
        questions_alone += sum(stands_alone(q.question) for q in brief.open_questions)

    mean = statistics.fmean
    print(f"offline engine on {path.name}: {len(rows)} articles")
    print(f"{'summary vs highlights':24} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8}")
    print(f"{'offline summary':24} {mean(figures['s1']):8.4f} {mean(figures['s2']):8.4f} {mean(figures['sL']):8.4f}")
    print(f"{'Lead-3':24} {mean(figures['l1']):8.4f} {mean(figures['l2']):8.4f} {mean(figures['lL']):8.4f}")
    cover, lead_cover = mean(figures["cover"]), mean(figures["lead_cover"])
    low, high = bootstrap_ratio(figures["cover"], figures["lead_cover"])
    print(
        f"coverage (ROUGE-2 recall): summary + key facts {cover:.4f}, lead of the same length {lead_cover:.4f}, "
        f"ratio {cover / lead_cover:.3f} (90% bootstrap interval {low:.2f}-{high:.2f})"
    )
    print(
        f"brief / article words: median {statistics.median(long_ratio):.2f} for {len(long_ratio)} articles of 400+ "
        f"words, {statistics.median(short_ratio) if short_ratio else float('nan'):.2f} for {len(short_ratio)} shorter"
    )
    print(f"key facts repeating a summary sentence: {repeated} of {facts} ({repeated / max(facts, 1):.0%})")
    print(
        f"open questions: {questions}, ending in '?' {questions_q / max(questions, 1):.0%}, "
        f"standing alone {questions_alone / max(questions, 1):.0%}"
    )
    print(f"time per article: {statistics.median(times) * 1000:.1f} ms (median)")
    if args.seed.exists():
        article = clean(args.seed.read_text(encoding="utf-8"))
        result = summarize(article, settings=_SETTINGS, topics=["territory", "security guarantees"])
        print(f"\n--- {args.seed.name}, --topic territory --topic 'security guarantees' ---\n")
        print(render(result))


if __name__ == "__main__":
    main()
