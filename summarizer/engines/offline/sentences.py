"""The article as the offline engine reads it: sentences with their place, and the
word pairs that say how much each repeats what the rest of the article says."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from ...clean.sentences import split_sentences
from ...models import Article
from ...words import WORD, stem

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Sentence:
    text: str
    position: int
    paragraph: int
    words: int


def sentences_of(article: Article) -> list[Sentence]:
    out: list[Sentence] = []
    for paragraph_index, paragraph in enumerate(article.paragraphs):
        for span in split_sentences(paragraph):
            out.append(Sentence(span.text, len(out), paragraph_index, len(WORD.findall(span.text))))
    return out


def word_pairs(text: str) -> frozenset[tuple[str, str]]:
    """Adjacent (stemmed) word pairs: what two sentences share when they say the same thing."""
    tokens = [stem(t) for t in _TOKEN.findall(text.lower())]
    return frozenset(itertools.pairwise(tokens))


def echoes(pairs: list[frozenset[tuple[str, str]]]) -> list[float]:
    """For each sentence, the share of its word pairs the article says again elsewhere.
    News repeats what matters (the lead, the nut paragraph, captions, a closing line),
    so a sentence echoed elsewhere is more likely central."""
    counts = Counter(pair for sentence in pairs for pair in sentence)
    return [sum(counts[p] > 1 for p in sentence) / len(sentence) if sentence else 0.0 for sentence in pairs]
