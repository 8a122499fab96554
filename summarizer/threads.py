"""Running stories: what today's article changes against earlier briefs of the story.

An engine reads today's article against the earlier briefs' open questions and facts,
numbered, and answers with a `SinceDraft` (the offline engine by word matching, the
openai engine in one structured request). Here that draft becomes `Changes`: every
quote it gives is located in today's article like a fact's quote, an answer whose quote
is not there is dropped rather than shown, and a changed figure must stand in its quote.
The same reading, brief after brief, is a story's thread.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InputError
from .models import (
    Answered,
    Article,
    BriefResult,
    ChangedFigure,
    Changes,
    Contradiction,
    Earlier,
    EarlierClaim,
    EarlierQuestion,
    QuoteCheck,
    SinceDraft,
    StillOpen,
)
from .verify.locate import DEFAULT_FUZZY_THRESHOLD, locate
from .words import STOPWORDS, WORD

_T = TypeVar("_T")
_NOT_A_BRIEF = "not a summarizer JSON result"
_WRITE_ONE = "write one with `summarizer brief ... -f json`"
_SAME_STORY = 0.25  # share of title and name words two briefs of one story have in common
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)
_INNER_NAME = re.compile(r"(?<=[\w,;]\s)[A-Z][\w’'-]+")  # a capital that does not open a sentence


def earlier_of(result: BriefResult) -> Earlier:
    article = result.article
    return Earlier(title=article.title, source=article.source, published=article.published)


def in_order(results: list[BriefResult]) -> list[BriefResult]:
    """Oldest first; a brief without a date keeps its place among the undated."""
    return sorted(results, key=lambda r: r.article.published or date.min)


def earlier_items(results: list[BriefResult]) -> tuple[list[EarlierQuestion], list[EarlierClaim]]:
    """The earlier briefs' open questions (each once, as first asked, none a later
    brief already answered) and their claims: key facts, and summary sentences that are
    the article's own words."""
    questions: dict[str, EarlierQuestion] = {}
    claims: list[EarlierClaim] = []
    for result in in_order(results):
        said = earlier_of(result)
        if result.changes is not None:
            for answered in result.changes.answered:
                questions.pop(_key(answered.question), None)
        for question in result.brief.open_questions:
            questions.setdefault(
                _key(question.question),
                EarlierQuestion(question=question.question, topic=question.topic, quote=question.quote, asked=said),
            )
        for fact in result.brief.key_facts:
            claims.append(EarlierClaim(statement=fact.statement, quote=fact.quote, said=said))
        body = result.article.body
        for sentence in result.brief.summary:
            if sentence.text in body:
                claims.append(EarlierClaim(statement=sentence.text, quote=sentence.text, said=said))
    return list(questions.values()), claims


def changes_from(
    draft: SinceDraft,
    article: Article,
    key_facts: int,
    questions: list[EarlierQuestion],
    claims: list[EarlierClaim],
    since: list[Earlier],
    *,
    threshold: float = DEFAULT_FUZZY_THRESHOLD,
) -> Changes:
    """The draft, grounded in today's article. Numbers out of range, answers whose
    quote is not in the article and figures their quote does not carry are dropped."""
    body = article.body

    def found(quote: str) -> QuoteCheck | None:
        check = locate(quote, body, threshold=threshold)
        return check if check.span is not None and check.status != "missing" else None

    def cited(number: int, quote: str) -> tuple[EarlierClaim, QuoteCheck] | None:
        """The earlier claim numbered `number`, and where today's quote stands."""
        claim = _nth(claims, number)
        check = found(quote) if claim is not None else None
        return None if claim is None or check is None else (claim, check)

    answered: list[Answered] = []
    done: set[int] = set()
    for answer in draft.answered:
        asked = _nth(questions, answer.question)
        check = found(answer.quote) if asked is not None and answer.question not in done else None
        if asked is not None and check is not None:
            done.add(answer.question)
            answered.append(
                Answered(question=asked.question, topic=asked.topic, asked=asked.asked, quote=answer.quote, check=check)
            )
    unresolved = {a.question: (a.quote, check) for a in draft.unresolved if (check := found(a.quote)) is not None}
    still_open = []
    for number, asked in enumerate(questions, 1):
        if number not in done:
            quote, check = unresolved.get(number, (None, None))
            still_open.append(
                StillOpen(question=asked.question, topic=asked.topic, asked=asked.asked, quote=quote, check=check)
            )
    figures = []
    for figure in draft.changed_figures:
        pair = cited(figure.fact, figure.quote) if _carries(figure.after, figure.quote) else None
        if pair is not None:
            claim, check = pair
            figures.append(
                ChangedFigure(
                    before=figure.before,
                    after=figure.after,
                    earlier_quote=claim.quote,
                    quote=figure.quote,
                    said=claim.said,
                    check=check,
                )
            )
    contradictions = []
    for said in draft.contradictions:
        pair = cited(said.fact, said.quote)
        if pair is not None:
            claim, check = pair
            contradictions.append(
                Contradiction(
                    earlier_statement=claim.statement,
                    earlier_quote=claim.quote,
                    said=claim.said,
                    quote=said.quote,
                    check=check,
                )
            )
    return Changes(
        since=since,
        answered=answered,
        still_open=still_open,
        new_facts=sorted({n for n in draft.new_facts if 1 <= n <= key_facts}),
        changed_figures=figures,
        contradictions=contradictions,
    )


def _nth(items: Sequence[_T], number: int) -> _T | None:
    """The item a 1-based number names, or None when there is no such item."""
    return items[number - 1] if 1 <= number <= len(items) else None


def _carries(figure: str, quote: str) -> bool:
    fold = " ".join(figure.lower().split())
    return bool(fold) and fold in " ".join(quote.lower().split())


def _key(question: str) -> str:
    return " ".join(question.casefold().split())


# --- brief files --------------------------------------------------------------------


def load_result(path: Path) -> BriefResult:
    """A brief written with `-f json`; anything else is one clear `InputError`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: {_NOT_A_BRIEF} ({type(exc).__name__}: {exc}); {_WRITE_ONE}") from None
    if not isinstance(data, dict) or "brief" not in data or "article" not in data:
        raise InputError(f"{path}: {_NOT_A_BRIEF}; {_WRITE_ONE}")
    try:
        return BriefResult.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(f"{path}: {_NOT_A_BRIEF} this version can read ({where}: {first['msg']})") from None


def load_results(paths: list[Path]) -> list[BriefResult]:
    """Each path a brief file, or a folder whose `*.json` briefs are all read."""
    results = []
    for path in paths:
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        if path.is_dir() and not files:
            raise InputError(f"{path}: no briefs (*.json) in this folder")
        results.extend(load_result(file) for file in files)
    return results


# --- stories across issues ------------------------------------------------------------


def story_words(result: BriefResult) -> frozenset[str]:
    """What names a story: its title's words and the names and places its article
    mentions (capitalised words that do not open a sentence, days and months aside)."""
    article = result.article
    words = {w.lower() for w in WORD.findall(article.title or "")}
    for text in article.paragraphs:
        words |= {m.group().lower() for m in _INNER_NAME.finditer(text)}
    return frozenset(w for w in words if w not in STOPWORDS and w not in _CALENDAR and len(w) > 2)


class Stories:
    """Earlier briefs of many stories (last issue's), each read once for the words that
    name its story, so that each of today's articles finds its own among them."""

    def __init__(self, results: Sequence[BriefResult]) -> None:
        self._named = [(result, story_words(result)) for result in results]

    def of(self, today: BriefResult) -> list[BriefResult]:
        """The earlier briefs that follow today's story: enough title words and names in common."""
        mine = story_words(today)
        return [
            result
            for result, theirs in self._named
            if mine and theirs and len(mine & theirs) / min(len(mine), len(theirs)) >= _SAME_STORY
        ]


# --- a story's thread -------------------------------------------------------------------


class Raised(BaseModel):
    question: str
    topic: str
    raised: Earlier
    answered: Earlier | None = None
    answer: str | None = None


class Move(BaseModel):
    before: str
    after: str
    earlier: Earlier
    later: Earlier
    quote: str


class Thread(BaseModel):
    """A story over its briefs: each question from when it was raised to when it was
    answered, each figure as it moved, and what later articles contradicted."""

    briefs: list[Earlier]
    questions: list[Raised]
    figures: list[Move]
    contradictions: list[Move]


def thread(results: list[BriefResult], read: Callable[[BriefResult, list[BriefResult]], Changes]) -> Thread:
    """`read(today, earlier)`: today's changes against the briefs before it (a brief
    written with `--since` already carries them, and they are used as they are)."""
    ordered = in_order(results)
    raised: dict[str, Raised] = {}
    figures: list[Move] = []
    contradictions: list[Move] = []
    for index, today in enumerate(ordered):
        now = earlier_of(today)
        if index:
            changes = today.changes or read(today, ordered[:index])
            for answered in changes.answered:
                entry = raised.get(_key(answered.question))
                if entry is not None and entry.answered is None:
                    entry.answered, entry.answer = now, answered.quote
            figures.extend(
                Move(before=f.before, after=f.after, earlier=f.said, later=now, quote=f.quote)
                for f in changes.changed_figures
            )
            contradictions.extend(
                Move(before=c.earlier_quote, after=c.quote, earlier=c.said, later=now, quote=c.quote)
                for c in changes.contradictions
            )
        for question in today.brief.open_questions:
            entry = Raised(question=question.question, topic=question.topic, raised=now)
            raised.setdefault(_key(question.question), entry)
    return Thread(
        briefs=[earlier_of(r) for r in ordered],
        questions=list(raised.values()),
        figures=figures,
        contradictions=contradictions,
    )
