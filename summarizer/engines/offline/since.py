"""Today's article read against earlier briefs of the same story, deterministically.

Every answer is a sentence of today's article, so grounding finds each quote exactly.
A question is answered by a sentence that carries most of its words and the kind of
thing it asks for (a name for "who", a date for "when", a figure for "how many"),
and is left open by one that carries its words and says it is still not known. A
figure has changed when a number of today's article stands among the same words as an
earlier one and is another amount ("20 percent" and "about a fifth" are one amount).
A contradiction is a sentence that says most of what an earlier fact said, with the
negation on the other side.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from ...models import (
    Article,
    Brief,
    EarlierClaim,
    EarlierQuestion,
    SinceAnswer,
    SinceContradiction,
    SinceDraft,
    SinceFigure,
)
from ...words import STOPWORDS, WORD
from .questions import says_open
from .sentences import sentences_of

_ASKS = {"who": "name", "whom": "name", "when": "time", "how many": "figure", "how much": "figure", "how long": "time"}
_ASK_WORDS = frozenset("who whom when why how what which whether will would can could should is are was were".split())
_TIME = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|tonight|next (?:week|month|year)|"
    r"within|by the end|january|february|march|april|may|june|july|august|september|october|november|december)\b"
    r"|\b\d+\s(?:days?|weeks?|months?|years?|hours?)\b",
    re.I,
)
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)+")
_NEGATION = re.compile(r"\b(?:not|no|never|none|nobody|nothing|neither|nor|denied|denies|deny)\b|n['’]t\b", re.I)
_NUMBER = re.compile(
    r"(?<![\w.])(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?(?P<pct>%|percent|per cent))?"
    r"|\b(?:a|one)\s(?P<frac>half|third|quarter|fifth|tenth)\b",
    re.I,
)
_NOT_COUNTED = frozenset("a an the of on in at to as and or by for from than with percent per cent".split())
_FRACTIONS = {"half": 50.0, "third": 100 / 3, "quarter": 25.0, "fifth": 20.0, "tenth": 10.0}
_YEARS = range(1900, 2101)
_ANSWERS = 0.6  # share of a question's words a sentence must carry
_SAME_FACT = 0.4  # share of a fact's word pairs said before that makes it the same fact
_NEGATES = 0.6  # share of an earlier fact's word pairs a sentence must repeat to contradict it
_WINDOW = 8  # words either side of a figure that say what it counts


@dataclass(frozen=True)
class _Amount:
    text: str
    value: float
    percent: bool
    around: frozenset[str]
    counts: str | None
    """The word right after the figure, when it names what is counted ("12,000 residents")."""


@dataclass(frozen=True)
class _Today:
    """One sentence of today's article, read once for every question and claim."""

    text: str
    roots: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    amounts: list[_Amount]
    negated: bool
    open: bool

    @classmethod
    def of(cls, text: str) -> _Today:
        words = _content(text)
        pairs = frozenset(itertools.pairwise(words))
        return cls(text, frozenset(words), pairs, _amounts(text), _negated(text), says_open(text))


def compare(article: Article, brief: Brief, questions: list[EarlierQuestion], claims: list[EarlierClaim]) -> SinceDraft:
    sentences = [_Today.of(s.text) for s in sentences_of(article) if not s.text.rstrip().endswith("?")]
    answered, unresolved = [], []
    for number, asked in enumerate(questions, 1):
        answer = _answer(asked.question, sentences)
        if answer is not None:
            answered.append(SinceAnswer(question=number, quote=answer))
            continue
        still = _still_open(asked.question, sentences)
        if still is not None:
            unresolved.append(SinceAnswer(question=number, quote=still))
    earlier = [(_pairs(claim.quote) | _pairs(claim.statement), _negated(claim.quote)) for claim in claims]
    new_facts = [
        number
        for number, fact in enumerate(brief.key_facts, 1)
        if not any(
            _share(_pairs(fact.quote), pairs) >= _SAME_FACT and negated == _negated(fact.quote)
            for pairs, negated in earlier
        )
    ]
    return SinceDraft(
        answered=answered,
        unresolved=unresolved,
        new_facts=new_facts,
        changed_figures=_changed_figures(claims, sentences),
        contradictions=_contradictions(claims, sentences),
    )


def _answer(question: str, sentences: list[_Today]) -> str | None:
    wanted = _roots(question) - _ASK_WORDS
    if len(wanted) < 2:
        return None
    kind = _ASKS.get(" ".join(question.lower().split()[:2])) or _ASKS.get(question.lower().split()[0])
    best, best_share = None, _ANSWERS
    for sentence in sentences:
        share = _share(wanted, sentence.roots)
        if share < best_share or sentence.open or not _gives(kind, sentence, question):
            continue
        best, best_share = sentence.text, share + 1e-9  # the first of equals
    return best


def _gives(kind: str | None, sentence: _Today, question: str) -> bool:
    if kind == "name":
        return any(name not in question for name in _NAME.findall(sentence.text))
    if kind == "time":
        return bool(_TIME.search(sentence.text))
    if kind == "figure":
        return bool(sentence.amounts)
    return True


def _still_open(question: str, sentences: list[_Today]) -> str | None:
    wanted = _roots(question) - _ASK_WORDS
    if len(wanted) < 2:
        return None
    for sentence in sentences:
        if sentence.open and _share(wanted, sentence.roots) >= _ANSWERS:
            return sentence.text
    return None


def _changed_figures(claims: list[EarlierClaim], sentences: list[_Today]) -> list[SinceFigure]:
    out: list[SinceFigure] = []
    seen: set[str] = set()
    for number, claim in enumerate(claims, 1):
        for before in _amounts(claim.quote):
            match = _same_quantity(before, sentences)
            if match is None or before.text in seen:
                continue
            after, sentence = match
            if abs(after.value - before.value) <= max(abs(before.value) * 0.02, 0.5):
                continue  # the same amount, written another way
            seen.add(before.text)
            out.append(SinceFigure(fact=number, before=before.text, after=after.text, quote=sentence))
    return out


def _same_quantity(before: _Amount, sentences: list[_Today]) -> tuple[_Amount, str] | None:
    """Today's figure among the most of the same words (two at least), of the same kind."""
    best: tuple[int, _Amount, str] | None = None
    for sentence in sentences:
        for amount in sentence.amounts:
            if amount.percent != before.percent or (amount.counts and before.counts and amount.counts != before.counts):
                continue
            shared = len(amount.around & before.around)
            if shared >= 2 and (best is None or shared > best[0]):
                best = (shared, amount, sentence.text)
    return None if best is None else (best[1], best[2])


def _amounts(text: str) -> list[_Amount]:
    words = [(m.start(), _root(m.group())) for m in WORD.finditer(text)]
    out = []
    for m in _NUMBER.finditer(text):
        if m.group("frac"):
            value, percent = _FRACTIONS[m.group("frac").lower()], True
        else:
            value = float(m.group("n").replace(",", ""))
            percent = bool(m.group("pct"))
            if not percent and value in _YEARS and "," not in m.group("n"):
                continue  # a year says when, not how many
        before = [w for start, w in words if start < m.start()][-_WINDOW:]
        after = [w for start, w in words if start > m.end()][:_WINDOW]
        around = frozenset(w for w in before + after if w not in STOPWORDS and len(w) > 2)
        nxt = WORD.match(text, m.end() + 1) if text[m.end() : m.end() + 1] == " " else None
        counts = (
            _root(nxt.group())
            if nxt and nxt.group().lower() not in _NOT_COUNTED and not _TIME.fullmatch(nxt.group())
            else None
        )
        out.append(_Amount(m.group().strip(), value, percent, around, counts))
    return out


def _contradictions(claims: list[EarlierClaim], sentences: list[_Today]) -> list[SinceContradiction]:
    out = []
    for number, claim in enumerate(claims, 1):
        if says_open(claim.quote):  # "it is not clear who…" is a question, not a fact to negate
            continue
        said = _pairs(claim.quote)
        negated = _negated(claim.quote)
        for sentence in sentences:
            if sentence.text == claim.quote or sentence.negated == negated:
                continue
            if len(said) >= 3 and _share(said, sentence.pairs) >= _NEGATES:
                out.append(SinceContradiction(fact=number, quote=sentence.text))
                break
    return out


def _negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


def _content(text: str) -> list[str]:
    """The text's content words, as roots, in order."""
    return [r for w in WORD.findall(text) if (r := _root(w)) not in STOPWORDS and len(r) > 2]


def _roots(text: str) -> set[str]:
    return set(_content(text))


def _root(word: str) -> str:
    """Enough stemming for "repaired" and "repairs" to meet "repair", and "released"
    to meet "release"."""
    w = word.lower().replace("’", "'").removesuffix("'s")
    for suffix in ("ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            break
    return w[:-1] if len(w) > 4 and w.endswith("e") else w


def _pairs(text: str) -> set[tuple[str, str]]:
    """Adjacent content words: what two sentences share when they say the same thing."""
    return set(itertools.pairwise(_content(text)))


def _share(wanted: AbstractSet[object], have: AbstractSet[object]) -> float:
    return len(wanted & have) / len(wanted) if wanted else 0.0
