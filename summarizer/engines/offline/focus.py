"""Where a brief covers a topic the reader asked about (`--topic`).

Matched against what the reader sees (fact statements, question wording, and the
clause a question was made from), never the rest of a hidden quote: a question about
territory whose quote also mentions security guarantees is not about security
guarantees. The article itself widens a topic, in
two small ways: a fact that shares a word of the topic in a paragraph that speaks to
the whole topic ("security agreement" beside "security guarantees"), and the names the
article writes right beside the topic ("territory in the northern Ostrava valley" makes
Ostrava part of "territory").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...models import KeyFact, OpenQuestion
from ...words import content_words, names, stem
from .sentences import Sentence

_TOKEN = re.compile(r"[\w’'-]+")
_WINDOW = 4  # words either side of the topic in which a name belongs to it


@dataclass(frozen=True)
class Topic:
    words: frozenset[str]
    paragraphs: frozenset[int]  # where the article speaks to the whole topic
    names: frozenset[str]  # names the article writes beside it

    def covers(self, text: str, paragraph: int | None = None) -> bool:
        stems = _stems(text)
        if self.words <= stems:
            return True
        if paragraph in self.paragraphs and self.words & stems:
            return True
        return bool(self.names & set(names(text)))


def read_topic(topic: str, sentences: list[Sentence]) -> Topic | None:
    """The topic as this article speaks to it; None if it does not."""
    wanted = _stems(topic) or frozenset({topic.casefold()})
    anchors = [s for s in sentences if wanted <= _stems(s.text)]
    if not anchors:
        return None
    common = {n for n in _names(sentences) if sum(n in s.text for s in sentences) * 3 > len(sentences)}
    beside: set[str] = set()
    for sentence in anchors:
        tokens = _TOKEN.findall(sentence.text)
        at = [i for i, t in enumerate(tokens) if stem(t) in wanted]
        window = " ".join(tokens[max(0, min(at) - _WINDOW) : max(at) + _WINDOW + 1])
        beside.update(n for n in names(window) if n not in common and stem(n) not in wanted)
    return Topic(wanted, frozenset(s.paragraph for s in anchors), frozenset(beside))


def linked(
    topic: Topic,
    sentences: list[Sentence],
    facts: list[KeyFact],
    questions: list[OpenQuestion],
    asked_about: list[str],
) -> tuple[list[int], list[int]]:
    """The 1-based numbers of the facts and questions that speak to `topic`: a fact by
    its statement, a question by its wording and the clause of its quote it asks about
    (not the rest of the quote)."""
    paragraph_of = {s.text: s.paragraph for s in sentences}
    on_facts = [n for n, f in enumerate(facts, start=1) if topic.covers(f.statement, paragraph_of.get(f.quote))]
    on_questions = [
        n
        for n, (q, clause) in enumerate(zip(questions, asked_about, strict=True), start=1)
        if topic.covers(f"{q.topic} {q.question} {clause}")
    ]
    return on_facts, on_questions


def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in content_words(text))


def _names(sentences: list[Sentence]) -> set[str]:
    return {n for s in sentences for n in names(s.text)}
