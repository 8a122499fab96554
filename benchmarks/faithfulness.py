"""Faithfulness benchmark: grounding against human judgements (FRANK, validation split).

    python benchmarks/faithfulness.py [--eval-dir DIR] [--judge] [--limit N]

Each summary sentence of ../shared/eval/faithfulness becomes a key fact (statement =
the sentence, quote = the nearest article sentence(s)) and a summary sentence citing
it; it is *flagged* when grounding does not call both verified. Over sentences whose
label is known, per dataset: recall (wrong sentences flagged), specificity (right ones
not flagged), balanced accuracy, precision, recall per error type, and time per
sentence. `--judge` also asks the configured model (see README, `--verify model`) and
scores its verdicts the same way.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from summarizer import Article, Brief, KeyFact, SummarySentence, ground

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "faithfulness" / "frank-valid.jsonl.gz"
PUBLISHED = "published, both datasets pooled (FRANK test split): SummaC-Conv 0.817, QuestEval 0.821, DAE 0.617"


def summaries(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def flagged_offline(article: Article, statement: str, quote: str) -> tuple[bool, float]:
    fact = KeyFact(statement=statement, quote=quote, kind="claim", attributed_to=None)
    brief = Brief(
        headline="", summary=[SummarySentence(text=statement, facts=[1])], key_facts=[fact], open_questions=[]
    )
    started = time.perf_counter()
    _, grounding = ground(article, brief)
    seconds = time.perf_counter() - started
    return not (grounding.facts[0].verified and grounding.summary[0].verified), seconds


def score(rows: list[tuple[str, bool, str, bool]]) -> dict[str, dict]:
    """rows: (dataset, wrong, error type, flagged) -> figures per dataset."""
    out: dict[str, dict] = {}
    for dataset in sorted({r[0] for r in rows}):
        mine = [r for r in rows if r[0] == dataset]
        wrong = [r for r in mine if r[1]]
        right = [r for r in mine if not r[1]]
        caught = sum(r[3] for r in wrong)
        false_alarms = sum(r[3] for r in right)
        recall = caught / len(wrong) if wrong else 0.0
        specificity = 1 - false_alarms / len(right) if right else 0.0
        types = Counter(r[2] for r in wrong)
        by_type = {t: sum(r[3] for r in wrong if r[2] == t) / n for t, n in types.items()}
        out[dataset] = {
            "sentences": len(mine),
            "wrong": len(wrong),
            "right": len(right),
            "recall": recall,
            "specificity": specificity,
            "balanced": (recall + specificity) / 2,
            "precision": caught / (caught + false_alarms) if caught + false_alarms else 0.0,
            "by_type": by_type,
            "types": types,
        }
    return out


def table(title: str, figures: dict[str, dict], per_sentence_ms: float | None = None) -> None:
    print(f"\n{title}")
    columns = ("sentences", "wrong", "right", "recall", "specif.", "bal.acc", "precis.")
    print(f"{'dataset':8} " + " ".join(f"{c:>9}" for c in columns))
    for dataset, f in figures.items():
        print(
            f"{dataset:8} {f['sentences']:9} {f['wrong']:9} {f['right']:9} {f['recall']:9.3f} "
            f"{f['specificity']:9.3f} {f['balanced']:9.3f} {f['precision']:9.3f}"
        )
    print("recall per error type (wrong sentences of that type flagged):")
    for dataset, f in figures.items():
        parts = ", ".join(f"{t} {f['by_type'][t]:.2f} ({n})" for t, n in f["types"].most_common())
        print(f"  {dataset}: {parts}")
    if per_sentence_ms is not None:
        print(f"time per sentence: {per_sentence_ms:.2f} ms (median), offline grounding")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=EVAL.parent)
    parser.add_argument("--limit", type=int, default=None, help="only the first N summaries")
    parser.add_argument("--judge", action="store_true", help="also score the model judge (needs a configured server)")
    args = parser.parse_args()
    path = args.eval_dir / EVAL.name
    if not path.exists():
        sys.exit(f"no evaluation set at {path}")
    data = summaries(path)[: args.limit]
    rows, times = [], []
    judged: list[tuple[Article, str, str, str, bool]] = []
    for summary in data:
        article = Article(paragraphs=summary["paragraphs"])
        for sentence in summary["sentences"]:
            if sentence["wrong"] is None:
                continue
            flag, seconds = flagged_offline(article, sentence["statement"], sentence["quote"])
            times.append(seconds)
            kind = sentence["error_type"] or "-"
            rows.append((summary["dataset"], sentence["wrong"], kind, flag))
            judged.append((article, sentence["statement"], sentence["quote"], summary["dataset"], sentence["wrong"]))
    table(
        f"offline grounding on {path.name}: {len(rows)} sentences with a known label",
        score(rows),
        statistics.median(times) * 1000,
    )
    print(PUBLISHED)
    if args.judge:
        table("model judge (--verify model)", score(judge_rows(judged)))


def judge_rows(judged: list[tuple[Article, str, str, str, bool]]) -> list[tuple[str, bool, str, bool]]:
    """The configured model's verdicts, one request per summary as `--verify model`
    sends them; anything but "supported" (or no answer) counts as flagged."""
    from summarizer.errors import SummarizerError
    from summarizer.pipeline import make_engine
    from summarizer.settings import Settings

    engine = make_engine(Settings.load())
    if not hasattr(engine, "judge"):
        sys.exit("--judge needs a model: set OPENAI_API_KEY or OPENAI_BASE_URL (see README)")
    rows = []
    by_article: dict[int, list[tuple[Article, str, str, str, bool]]] = {}
    for row in judged:
        by_article.setdefault(id(row[0]), []).append(row)
    for group in by_article.values():
        pairs = [(n, statement, quote) for n, (_, statement, quote, _, _) in enumerate(group, start=1)]
        try:
            answers = {j.n: j.verdict for j in engine.judge(pairs)[0].judgements}
        except SummarizerError as error:
            print(f"  judge failed on one summary: {error}", file=sys.stderr)
            answers = {}
        for n, (_, _, _, dataset, wrong) in enumerate(group, start=1):
            rows.append((dataset, wrong, "-", answers.get(n) != "supported"))
    return rows


if __name__ == "__main__":
    main()
