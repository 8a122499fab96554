"""How much a line inside the story's span reads like the story around it.

The span finder sees scores one line at a time; what it keeps besides the story is
captions, teaser lists, credits and widget runs between paragraphs. Those differ from
story text in shape, not in vocabulary: short, title-cased, unpunctuated lines among
other short lines, far from the long prose. A logistic regression over such shape
features (no words, so it holds across languages and sites) was fitted on the
article-extraction dev pages in four text renderings by
`benchmarks/train_line_model.py`, which writes `line_weights.py`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Protocol

from .line_weights import WEIGHTS

_TERMINAL = re.compile(r"[.!?…:;。！？][\"'”’)\]」』]*$")
_TEASER_END = re.compile(r"(?:\.\.\.|…)\s*$")
_QUOTES = re.compile('["“”«»„]')
_DIGIT = re.compile(r"\d")
_LIST_HEADINGS = {"related heading", "widget"}
NAMES = (
    "bias",
    "log words",
    "prose",
    "teaser ending",
    "position in span",
    "capitalised words",
    "digits",
    "terminal punctuation",
    "neighbours' log words",
    "neighbours' prose",
    "log run of non-prose lines",
    "starts lower-case",
    "quotation marks",
    "log lines to span end",
    "all capitals",
    "log distance to long prose",
    "under a list heading",
)


class Line(Protocol):
    text: str
    words: int
    prose: bool
    reason: str | None
    item: bool


def judged_lines(lines: Sequence[Line], start: int, end: int) -> list[int]:
    """The lines the model may remove: inside the span and not yet explained, except
    the span's longest line, so that a story of one paragraph (a teaser) stays, and a
    items of a table or of a list the story introduces, unlike prose by their nature."""
    open_lines = [i for i in range(start, end) if lines[i].reason is None and not lines[i].item]
    longest = max(open_lines, key=lambda i: lines[i].words, default=None)
    return [i for i in open_lines if i != longest]


def features(lines: Sequence[Line], start: int, end: int, judged: Sequence[int]) -> list[list[float]]:
    """One vector in `NAMES` order for each of the `judged` lines of the story's span
    [start, end)."""
    count = len(lines)
    log_words = [math.log1p(line.words) for line in lines]
    prose = [1.0 if _story_like(line) else 0.0 for line in lines]
    runs = _non_prose_runs(lines)
    distance = _distance_to_long_prose(lines)
    listed = _under_list_heading(lines)
    rows = []
    for index in judged:
        line = lines[index]
        text = line.text
        words = text.split() or [""]
        around = [k for k in range(max(0, index - 3), min(count, index + 4)) if k != index]
        rows.append(
            [
                1.0,
                log_words[index],
                prose[index],
                1.0 if _TEASER_END.search(text) else 0.0,
                (index - start) / max(end - start, 1),
                sum(word[:1].isupper() for word in words) / len(words),
                len(_DIGIT.findall(text)) / max(len(text), 1),
                1.0 if _TERMINAL.search(text) else 0.0,
                sum(log_words[k] for k in around) / max(len(around), 1),
                sum(prose[k] for k in around) / max(len(around), 1),
                math.log1p(runs[index]),
                1.0 if text[:1].islower() else 0.0,
                1.0 if _QUOTES.search(text) else 0.0,
                math.log1p(max(end - index, 0)),
                1.0 if text.isupper() else 0.0,
                math.log1p(distance[index]),
                listed[index],
            ]
        )
    return rows


def story_likeness(lines: Sequence[Line], start: int, end: int, judged: Sequence[int]) -> dict[int, float]:
    """The fitted probability that each of the `judged` lines is story text."""
    rows = features(lines, start, end, judged)
    return {
        index: _logistic(sum(w * x for w, x in zip(WEIGHTS, row, strict=True)))
        for index, row in zip(judged, rows, strict=True)
    }


def _story_like(line: Line) -> bool:
    """Prose, or an item of the story's table or list: a paragraph beside them is beside the story."""
    return line.prose or line.item


def _logistic(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(value, 30.0), -30.0)))


def _non_prose_runs(lines: Sequence[Line]) -> list[int]:
    """For each non-prose line, the length of the run of non-prose lines it is in."""
    runs = [0] * len(lines)
    index = 0
    while index < len(lines):
        if _story_like(lines[index]):
            index += 1
            continue
        stop = index
        while stop < len(lines) and not _story_like(lines[stop]):
            stop += 1
        runs[index:stop] = [stop - index] * (stop - index)
        index = stop
    return runs


def _under_list_heading(lines: Sequence[Line]) -> list[float]:
    """1 for the lines after a "Most read" or "Related" heading, up to the next prose."""
    under, inside = [], False
    for line in lines:
        if line.reason in _LIST_HEADINGS:
            inside = True
        elif line.prose:
            inside = False
        under.append(1.0 if inside else 0.0)
    return under


def _distance_to_long_prose(lines: Sequence[Line], words: int = 25) -> list[int]:
    """Lines to the nearest prose line of at least `words` words (0 for such a line)."""
    far = len(lines) + 1
    distance = [far] * len(lines)
    last = -far
    for index, line in enumerate(lines):
        if line.prose and line.words >= words:
            last = index
        distance[index] = index - last
    last = 2 * far
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if line.prose and line.words >= words:
            last = index
        distance[index] = min(distance[index], last - index)
    return distance
