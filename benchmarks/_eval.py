"""Shared by the benchmarks: the article-extraction evaluation set in ../shared/eval,
and the body-text score the usual extraction benchmarks use."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "article-extraction"
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Page:
    id: str
    html: bytes
    truth: str


def pages(eval_dir: Path = EVAL_DIR) -> Iterator[Page]:
    truth = json.loads((eval_dir / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        path = eval_dir / "html" / f"{page_id}.html.gz"
        if path.exists():
            yield Page(page_id, gzip.decompress(path.read_bytes()), truth[page_id]["articleBody"])


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) < size:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def precision_recall(predicted: str, truth: str) -> tuple[float, float]:
    """Per page, with multiplicity; an empty prediction has precision 1 and recall 0."""
    pred, true = shingles(predicted), shingles(truth)
    tp = sum((pred & true).values())
    fp = sum(pred.values()) - tp
    fn = sum(true.values()) - tp
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
