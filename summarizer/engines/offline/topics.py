"""Topic labels for open questions: the thing a question asks about, named the way
the article names it ("security guarantees", "neutral zone", "territory").

The label is the noun phrase a question is about (the first one after "the", "a",
"what", "will"...), with the modifier the question or else the article puts before
that noun, so a reader sees "peace plan" rather than "plan", and never "three" or an
envoy's name.
"""

from __future__ import annotations

import re
from collections import Counter

from ...models import OpenQuestion
from ...words import STOPWORDS

_TOKEN = re.compile(r"[\w’'.-]+")
_WORDS = re.compile(r"[\w’'-]+")
_PUNCTUATION = re.compile(r"[,.;:!?()“”\"—–]")
_STARTS = {
    "the", "a", "an", "any", "its", "their", "his", "her", "this", "that", "these", "those", "what", "which",
    "will", "would", "can", "could", "should", "is", "are", "was", "were", "has", "have", "had",
}  # fmt: skip
_VERB_BEFORE = {"will", "would", "can", "could", "should", "may", "might", "must", "to", "not", "did", "does"}
# Plural people nouns: "organizers", "officials", "residents", "negotiators".
_PEOPLE = re.compile(r"(?:ers|ors|ists|ians|ials)$")
_VERBISH = re.compile(r"(?:ed|ly)$")  # "delayed": a participle; "-ing" words are often nouns ("funding")
_NOT_TOPIC = STOPWORDS | {
    "will", "would", "can", "could", "should", "shall", "may", "might", "must", "is", "are", "was", "were",
    "has", "have", "had", "do", "does", "did", "what", "which", "who", "whom", "why", "how", "when", "where",
    "happen", "get", "take", "make", "once", "both", "either", "other", "same", "such", "be", "been",
}  # fmt: skip
_GENERIC = (
    ("timing", r"\b(?:when|delay\w*|postpon\w*|schedul\w*|deadline|date)\b"),
    ("money", r"\b(?:cost\w*|fund\w*|budget\w*|pay\w*|price\w*|money)\b|[$€£]"),
    ("responsibility", r"\b(?:who|blame\w*|responsib\w*|caus\w*)\b"),
)


class Vocabulary:
    """What the article's own text says about its words: the lowercase word it puts
    before each noun, most often first, and which words it uses as verbs (after
    "will", "to", "not"...), which end a noun phrase."""

    def __init__(self, text: str) -> None:
        self._before: dict[str, Counter[str]] = {}
        self.verbs: set[str] = set()
        for chunk in _PUNCTUATION.split(text):
            tokens = _WORDS.findall(chunk)
            for before, first, second in zip(["", *tokens], tokens, tokens[1:], strict=False):
                # an "-ed" word modifies a noun only after an article: "a demilitarized zone"
                adjective = not _VERBISH.search(first) or before.lower() in {"a", "an", "the"}
                if _plain(first) and _plain(second) and adjective:
                    self._before.setdefault(second.lower(), Counter())[first.lower()] += 1
                if first.lower() in _VERB_BEFORE:
                    self.verbs.add(second.lower())

    def label(self, run: list[str]) -> str:
        """The run's head noun, with the run's own modifier when the article writes
        the pair, else the modifier the article puts before that noun most often."""
        head = run[-1]
        found = self._before.get(head)
        if not found:
            return head
        if len(run) > 1 and found[run[-2]]:
            return f"{run[-2]} {head}"
        modifier, _ = min(found.items(), key=lambda item: (-item[1], item[0]))
        return f"{modifier} {head}"


def topic_of(question: str, quote: str, vocabulary: Vocabulary) -> str:
    for text in (question, quote):
        run = _noun_phrase(text, vocabulary)
        if run:
            return vocabulary.label(run)
    for topic, pattern in _GENERIC:
        if re.search(pattern, question, re.I):
            return topic
    return "other"


def _noun_phrase(text: str, vocabulary: Vocabulary) -> list[str] | None:
    """The first phrase opened by a determiner, "what" or an auxiliary: its lowercase
    words, capitalised and numbered modifiers ("Valmoran-held", "12-point") and small
    words ("second") skipped, ended by a verb of the article's; not a people noun
    ("organizers"): topics are things, not actors."""
    tokens = [t.strip(".,;:?!") for t in _TOKEN.findall(text)]
    for i, token in enumerate(tokens):
        if token.lower() not in _STARTS and not token.endswith(("’s", "'s")):
            continue
        run: list[str] = []
        for word in tokens[i + 1 :]:
            lower = word.lower()
            if not run and (word[:1].isupper() or any(c.isdigit() for c in word) or lower in STOPWORDS):
                continue
            if not _plain(lower) or lower in vocabulary.verbs or (run and word[:1].isupper()):
                break
            run.append(lower)
        while run and _VERBISH.search(run[-1]):
            run.pop()
        if run and not _PEOPLE.search(run[-1]):
            return run
    return None


def _plain(word: str) -> bool:
    """A lowercase word that can name or modify a thing."""
    return (
        bool(re.fullmatch(r"[a-z][a-z-]*[a-z]", word))
        and word not in _NOT_TOPIC
        and len(word) > 2
        and not word.endswith("ly")
    )


def merge_topics(questions: list[OpenQuestion]) -> list[OpenQuestion]:
    """Fold a one-word topic into a longer one that contains it ("deal" into "peace deal")."""
    topics = list(dict.fromkeys(q.topic for q in questions))  # first-seen order: the same in every process
    merged = []
    for q in questions:
        longer = [t for t in topics if t != q.topic and q.topic in t.split()]
        merged.append(q.model_copy(update={"topic": longer[0]}) if longer else q)
    return merged
