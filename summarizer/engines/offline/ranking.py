"""Which sentences make the summary and which the key facts.

The summary is the lead as a reader needs it: early sentences, central to the
article, close to its title. The key facts then add what the summary leaves out:
each pick must bring word pairs the summary and earlier picks have not said, and
scores for coming early, for saying what the article says again elsewhere, and for
figures; quoted speech and very short sentences score less. Measured against
newsroom highlights by `benchmarks/offline.py`.
"""

from __future__ import annotations

import re
from collections import Counter

from ...words import NUMBER, content_words, stem
from .sentences import Sentence, echoes, word_pairs

_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")
_NEW_WEIGHT = 0.8  # how much of a pick's value is what it adds


def summary_sentences(sentences: list[Sentence], title: str) -> list[Sentence]:
    frequency = Counter(stem(w) for s in sentences for w in content_words(s.text))
    title_words = {stem(w) for w in content_words(title)}
    top = max(frequency.values(), default=1)

    def score(s: Sentence) -> float:
        words = [stem(w) for w in content_words(s.text)]
        if not words:
            return 0.0
        centrality = sum(frequency[w] for w in words) / (len(words) * top)
        overlap = len(title_words.intersection(words)) / max(len(title_words), 1)
        lead = 1.0 / (1.0 + 0.35 * s.position)
        return 2.0 * lead + centrality + overlap

    candidates = [
        s
        for s in sentences
        if 8 <= s.words <= 60 and not s.text.startswith(("“", '"', "‘")) and not s.text.endswith("?")
    ]
    length = sum(s.words for s in sentences)
    wanted = 3 if length > 400 else 2 if length > 200 else 1  # a short story gets a short brief
    chosen: list[Sentence] = []
    for sentence in sorted(candidates, key=score, reverse=True):
        if all(_similarity(sentence.text, c.text) < 0.5 for c in chosen):
            chosen.append(sentence)
        if len(chosen) == wanted:
            break
    return sorted(chosen, key=lambda s: s.position)


def fact_candidates(sentences: list[Sentence], summary: list[Sentence]) -> list[Sentence]:
    """Every sentence that could be a key fact, best first: the greedy picks that add
    most, then the rest by their own score."""
    pairs = [word_pairs(s.text) for s in sentences]
    echo = echoes(pairs)

    def own(s: Sentence) -> float:
        value = echo[s.position] + 1.0 / (1.0 + 0.1 * s.position)
        if NUMBER.search(s.text):
            value *= 1.3
        if _quoted_share(s.text) > 0.5:  # mostly someone's words: colour, rarely the news
            value *= 0.6
        if s.words < 10:
            value *= 0.7
        return value

    pool = [
        s
        for s in sentences
        if 6 <= s.words <= 70 and not s.text.endswith("?") and all(_contained(s.text, t.text) < 0.8 for t in summary)
    ]
    covered: set[tuple[str, str]] = set().union(*(pairs[s.position] for s in summary))
    ranked: list[Sentence] = []
    while pool:
        best = max(pool, key=lambda s: (own(s) * _adds(pairs[s.position], covered), -s.position))
        pool.remove(best)
        ranked.append(best)
        covered |= pairs[best.position]
    return ranked


def _adds(mine: frozenset[tuple[str, str]], covered: set[tuple[str, str]]) -> float:
    """The weight of a pick by what it adds: its word pairs not yet said."""
    new = len(mine - covered) / len(mine) if mine else 0.0
    return 1 - _NEW_WEIGHT + _NEW_WEIGHT * new


def fact_limit(sentences: list[Sentence]) -> int:
    """Short articles get short briefs: about one fact per four sentences, two to seven."""
    return max(2, min(7, len(sentences) // 4))


def _quoted_share(text: str) -> float:
    return sum(len(m.group()) for m in _QUOTED.finditer(text)) / max(len(text), 1)


def _similarity(a: str, b: str) -> float:
    wa, wb = set(content_words(a)), set(content_words(b))
    return len(wa & wb) / max(len(wa | wb), 1)


def _contained(a: str, b: str) -> float:
    """How much of `a`'s vocabulary `b` already has."""
    wa = {stem(w) for w in content_words(a)}
    return len(wa & {stem(w) for w in content_words(b)}) / max(len(wa), 1)
