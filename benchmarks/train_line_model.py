"""Fit the line model that judges lines inside a text dump's story span.

    python benchmarks/train_line_model.py [--eval-dir DIR] [--write]

Each line inside the span (as `summarizer.clean.text.story_lines` finds it, with no
obvious reason to remove it) is labelled story text when most of its 4-word shingles
are in the page's marked article text. The four renderings of `benchmarks/cleaning.py`
are pooled, lines weighted by their words (the benchmark counts words), and an
L2-regularised logistic regression is fitted by Newton's method. The threshold is the
one that maximises page-averaged F1. Two-fold cross-validation by page (a page's four
renderings stay in one fold) shows what to expect on pages the model never saw;
`--write` then fits all pages and writes `summarizer/clean/line_weights.py`.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import _eval  # beside this script
import cleaning  # beside this script
import numpy as np

from summarizer.clean import detect_kind
from summarizer.clean.line_model import NAMES, features, judged_lines
from summarizer.clean.markdown import read_markdown
from summarizer.clean.sources import decode
from summarizer.clean.text import story_lines

WEIGHTS_FILE = Path(__file__).resolve().parents[1] / "summarizer" / "clean" / "line_weights.py"
THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


class Page:
    """One rendering of one page: its lines, their features and labels."""

    def __init__(self, page_id: str, text: str, truth: str) -> None:
        linked: frozenset[str] = frozenset()
        if detect_kind(text) == "markdown":
            markdown = read_markdown(text)
            text, linked = markdown.text, markdown.linked
        lines, start, end = story_lines(text, linked)
        self.id, self.truth = page_id, truth
        self.lines, self.start, self.end = lines, start, end
        self.judged = judged_lines(lines, start, end)
        self.kept = [i for i in range(start, end) if lines[i].reason is None and i not in self.judged]
        self.x = np.array(features(lines, start, end, self.judged)).reshape(-1, len(NAMES))
        truth_shingles = _eval.shingles(truth)
        self.y = np.array([_label(lines[i].text, truth_shingles) for i in self.judged])
        self.w = np.array([1.0 + lines[i].words for i in self.judged])

    def f1_parts(self, weights: np.ndarray, threshold: float) -> tuple[float, float]:
        keep = set(self.kept) | {self.judged[k] for k in np.flatnonzero(_logistic(self.x @ weights) >= threshold)}
        body = "\n".join(self.lines[i].text for i in sorted(keep))
        return _eval.precision_recall(body, self.truth)


def _label(text: str, truth: object) -> float:
    shingles = _eval.shingles(text)
    total = sum(shingles.values())
    if not total:
        return 0.0
    return 1.0 if sum(min(n, truth[s]) for s, n in shingles.items()) / total >= 0.5 else 0.0  # type: ignore[index]


def _logistic(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def fit(pages: list[Page], l2: float = 1.0) -> np.ndarray:
    x = np.vstack([p.x for p in pages])
    y = np.concatenate([p.y for p in pages])
    w = np.concatenate([p.w for p in pages])
    w = w / w.mean()
    beta = np.zeros(x.shape[1])
    penalty = l2 * np.eye(x.shape[1])
    penalty[0, 0] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = _logistic(x @ beta)
        gradient = x.T @ (w * (y - p)) - penalty @ beta
        hessian = (x * (w * p * (1 - p))[:, None]).T @ x + penalty
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.abs(step).max() < 1e-8:
            break
    return beta


def scores(pages: list[Page], weights: np.ndarray, threshold: float) -> tuple[float, float, float]:
    parts = [p.f1_parts(weights, threshold) for p in pages]
    precision = sum(a for a, _ in parts) / len(parts)
    recall = sum(b for _, b in parts) / len(parts)
    return precision, recall, _eval.f1(precision, recall)


def best_threshold(renderings: list[list[Page]], weights: np.ndarray) -> float:
    """The threshold with the best F1 averaged over renderings, as the benchmark reports them."""
    return max(THRESHOLDS, key=lambda t: sum(scores(pages, weights, t)[2] for pages in renderings))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=_eval.EVAL_DIR)
    parser.add_argument("--write", action="store_true", help=f"write {WEIGHTS_FILE.name}")
    args = parser.parse_args()
    originals = list(_eval.pages(args.eval_dir))
    html = {p.id: decode(p.html, p.id) for p in originals}
    inner = cleaning.saved("innertext")
    renderings = {
        "plain": lambda page: cleaning.text_dump(html[page.id]),
        "inscriptis": lambda page: cleaning.inscriptis_dump(html[page.id]),
        "html2text": lambda page: cleaning.html2text_dump(html[page.id]),
        "innerText": lambda page: inner.get(page.id, ""),
    }
    pages = {name: [Page(p.id, render(p), p.truth) for p in originals] for name, render in renderings.items()}
    ids = sorted(html)
    random.Random(1).shuffle(ids)
    folds = [set(ids[::2]), set(ids[1::2])]
    print(f"{len(ids)} pages, {sum(len(p.judged) for ps in pages.values() for p in ps)} judged lines")
    print(f"{'rendering':12} {'no model F1':>11} {'cross-validated F1':>18}")
    for name, rendered in pages.items():
        held = []
        for k in (0, 1):
            train = [[p for p in ps if p.id not in folds[k]] for ps in pages.values()]
            weights = fit([p for ps in train for p in ps])
            threshold = best_threshold(train, weights)
            held.extend((p, weights, threshold) for p in rendered if p.id in folds[k])
        parts = [p.f1_parts(w, t) for p, w, t in held]
        precision = sum(a for a, _ in parts) / len(parts)
        recall = sum(b for _, b in parts) / len(parts)
        base = scores(rendered, np.zeros(len(NAMES)), 0.0)[2]
        print(f"{name:12} {base:11.3f} {_eval.f1(precision, recall):18.3f}")
    weights = fit([p for ps in pages.values() for p in ps])
    threshold = best_threshold(list(pages.values()), weights)
    for name, weight in zip(NAMES, weights, strict=True):
        print(f"  {name:30} {weight:+.3f}")
    print(f"  threshold {threshold}")
    if args.write:
        body = "\n".join(f"    {w:.4f},  # {n}" for n, w in zip(NAMES, weights, strict=True))
        WEIGHTS_FILE.write_text(
            f'"""Written by benchmarks/train_line_model.py; do not edit."""\n\n'
            f"WEIGHTS = (\n{body}\n)\nTHRESHOLD = {threshold}\n"
        )
        print(f"wrote {WEIGHTS_FILE}")


if __name__ == "__main__":
    main()
