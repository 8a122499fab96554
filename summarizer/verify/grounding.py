"""Grounding: every quote in a brief is found in the article, or the brief says so.

Quotes are located exactly, then after normalization (NFKC, quote marks, dashes,
whitespace, case), then fuzzily; a non-exact match is replaced by the article's
own words so a brief never shows a quote the article does not contain. A fact's
numbers and names must also appear in its quote (names: anywhere in the article),
which catches a model that quotes "20 percent" and states "30 percent".
"""

from __future__ import annotations

from typing import TypeVar

from ..models import Article, Brief, Grounding, KeyFact, OpenQuestion, QuoteCheck, SummaryCheck
from ..settings import DEFAULT_FUZZY_THRESHOLD
from .locate import locate
from .statements import summary_support, unsupported_tokens

_Quoted = TypeVar("_Quoted", KeyFact, OpenQuestion)


def ground(article: Article, brief: Brief, *, threshold: float = DEFAULT_FUZZY_THRESHOLD) -> tuple[Brief, Grounding]:
    """Check every quote of `brief` against `article`; quotes found inexactly are
    replaced by the article's text at the matched span."""
    body = article.body
    facts: list[KeyFact] = []
    fact_checks: list[QuoteCheck] = []
    for fact in brief.key_facts:
        check = locate(fact.quote, body, threshold=threshold)
        fact = _with_article_text(fact, check, body)
        if check.verified and check.span:
            context = " ".join([article.title or "", *_paragraphs_around(article, check.span)])
            missing = unsupported_tokens(fact.statement, fact.quote, context)
            if missing:
                check = check.model_copy(update={"status": "unsupported", "unsupported": missing})
        facts.append(fact)
        fact_checks.append(check)
    questions: list[OpenQuestion] = []
    question_checks: list[QuoteCheck] = []
    for question in brief.open_questions:
        check = locate(question.quote, body, threshold=threshold)
        questions.append(_with_article_text(question, check, body))
        question_checks.append(check)
    summary_checks = []
    for sentence in brief.summary:
        cited = [facts[n - 1].quote for n in sentence.facts if 1 <= n <= len(facts)]
        problems = summary_support(sentence.text, cited or [f.quote for f in facts], body)
        summary_checks.append(SummaryCheck(unsupported=problems))
    # Numbers a model gave that point at nothing are dropped rather than rendered.
    focus = [
        f.model_copy(
            update={
                "facts": [n for n in f.facts if 1 <= n <= len(facts)],
                "questions": [n for n in f.questions if 1 <= n <= len(questions)],
            }
        )
        for f in brief.focus
    ]
    grounded = brief.model_copy(update={"key_facts": facts, "open_questions": questions, "focus": focus})
    return grounded, Grounding(facts=fact_checks, questions=question_checks, summary=summary_checks)


def _paragraphs_around(article: Article, span: tuple[int, int]) -> list[str]:
    """The paragraphs a body span touches: where the quote's speaker is named."""
    found, offset = [], 0
    for paragraph in article.paragraphs:
        end = offset + len(paragraph)
        if offset < span[1] and span[0] < end:
            found.append(paragraph)
        offset = end + 2  # the blank line between paragraphs in Article.body
    return found


def _with_article_text(item: _Quoted, check: QuoteCheck, body: str) -> _Quoted:
    if check.status in ("normalized", "fuzzy") and check.span:
        return item.model_copy(update={"quote": body[check.span[0] : check.span[1]]})
    return item
