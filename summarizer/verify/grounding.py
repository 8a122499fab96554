"""Grounding: everything a brief shows is checked against the article, and what is not
backed says why.

Quotes are located exactly, then after normalization (NFKC, quote marks, dashes,
whitespace, case), then fuzzily; a non-exact match is replaced by the article's own
words so a brief never shows a quote the article does not contain. Then each fact's
statement, each open question's wording, each summary sentence, the headline and the
focus entries are checked against what backs them, and get a graded verdict with
reasons: supported, partly supported, contradicted, or quote not found.
"""

from __future__ import annotations

from typing import TypeVar

from ..models import (
    Article,
    Brief,
    FocusCheck,
    FocusTopic,
    Grounding,
    KeyFact,
    OpenQuestion,
    QuoteCheck,
    SummaryCheck,
)
from ..settings import DEFAULT_FUZZY_THRESHOLD
from .article_index import ArticleIndex, article_index
from .lexicon import is_content, norm, root, tokens
from .locate import locate
from .statements import Finding, Mode, check_statement, verdict_of

_Quoted = TypeVar("_Quoted", KeyFact, OpenQuestion)
NOT_FOUND = "its quote is not in the article"


def ground(article: Article, brief: Brief, *, threshold: float = DEFAULT_FUZZY_THRESHOLD) -> tuple[Brief, Grounding]:
    """Check every quote of `brief` against `article`, and what each statement, question,
    summary sentence, the headline and the focus entries say against what backs them.
    Quotes found inexactly are replaced by the article's text at the matched span."""
    body = article.body
    index = article_index(tuple(article.paragraphs))
    facts: list[KeyFact] = []
    fact_checks: list[QuoteCheck] = []
    for fact in brief.key_facts:
        check = locate(fact.quote, body, threshold=threshold)
        fact = _with_article_text(fact, check, body)
        facts.append(fact)
        fact_checks.append(_graded(check, fact.statement, fact.quote, index, "fact"))
    questions: list[OpenQuestion] = []
    question_checks: list[QuoteCheck] = []
    for question in brief.open_questions:
        check = locate(question.quote, body, threshold=threshold)
        question = _with_article_text(question, check, body)
        questions.append(question)
        question_checks.append(_graded(check, question.question, question.quote, index, "question"))
    backed = [(f, c) for f, c in zip(facts, fact_checks, strict=True) if c.span is not None]
    summary_checks = []
    for sentence in brief.summary:
        cited = [pair for n, pair in enumerate(backed, start=1) if n in sentence.facts] or backed
        start = cited[0][1].span[0] if cited and cited[0][1].span else None
        summary_checks.append(_sentence_check(sentence.text, [f.quote for f, _ in cited], start, article, index))
    focus = [
        f.model_copy(
            update={
                # numbers a model gave that point at nothing are dropped rather than rendered
                "facts": [n for n in f.facts if 1 <= n <= len(facts)],
                "questions": [n for n in f.questions if 1 <= n <= len(questions)],
            }
        )
        for f in brief.focus
    ]
    grounded = brief.model_copy(update={"key_facts": facts, "open_questions": questions, "focus": focus})
    grounding = Grounding(
        facts=fact_checks,
        questions=question_checks,
        summary=summary_checks,
        headline=_headline_check(brief.headline, [f.quote for f, _ in backed], article, index),
        focus=[_focus_check(f, article) for f in focus],
    )
    return grounded, grounding


def _graded(check: QuoteCheck, said: str, quote: str, index: ArticleIndex, mode: Mode) -> QuoteCheck:
    if check.span is None:
        return check.model_copy(update={"verdict": "quote_not_found", "reasons": [NOT_FOUND]})
    findings = check_statement(said, quote, index, check.span[0], mode=mode)
    return _with_findings(check, findings)


def _with_findings(check: QuoteCheck, findings: list[Finding]) -> QuoteCheck:
    if not findings:
        return check.model_copy(update={"verdict": "supported"})
    return check.model_copy(
        update={
            "status": "unsupported",
            "verdict": verdict_of(findings),
            "reasons": [f.reason for f in findings],
            "unsupported": list(dict.fromkeys(t for f in findings for t in f.tokens)),
        }
    )


def _sentence_check(
    text: str, quotes: list[str], start: int | None, article: Article, index: ArticleIndex
) -> SummaryCheck:
    """A sentence the brief shows, against the quotes it rests on (`start`: where the
    first stands in the body); one the article itself contains is backed by definition."""
    if locate(text, article.body, threshold=101).span is not None:
        return SummaryCheck()
    if not quotes:
        return SummaryCheck(verdict="partly_supported", reasons=["rests on no fact found in the article"])
    findings = check_statement(text, " ".join(quotes), index, start, mode="summary")
    return SummaryCheck(
        verdict=verdict_of(findings),
        reasons=[f.reason for f in findings],
        unsupported=list(dict.fromkeys(t for f in findings for t in f.tokens)),
    )


def _headline_check(headline: str, quotes: list[str], article: Article, index: ArticleIndex) -> SummaryCheck:
    """The headline is shown largest of all: it must not say what the article does not."""
    if not headline.strip():
        return SummaryCheck()
    if article.title and norm(" ".join(headline.split())) == norm(" ".join(article.title.split())):
        return SummaryCheck()
    return _sentence_check(headline, [article.title, *quotes] if article.title else quotes, None, article, index)


def _focus_check(entry: FocusTopic, article: Article) -> FocusCheck:
    """A "not addressed" the article contradicts, or an "addressed" it does not bear out."""
    wanted = {root(t.text) for t in tokens(entry.topic) if is_content(t)} or {root(entry.topic)}
    for paragraph in article.paragraphs:
        if wanted <= {root(t.text) for t in tokens(paragraph) if is_content(t)}:
            if not entry.addressed:
                snippet = " ".join(paragraph.split()[:14])
                reason = f"the article does speak to it: “{snippet}…”"
                return FocusCheck(topic=entry.topic, verified=False, reason=reason)
            return FocusCheck(topic=entry.topic)
    if entry.addressed and not (entry.facts or entry.questions):
        return FocusCheck(topic=entry.topic, verified=False, reason="the article never mentions it")
    return FocusCheck(topic=entry.topic)


def _with_article_text(item: _Quoted, check: QuoteCheck, body: str) -> _Quoted:
    if check.status in ("normalized", "fuzzy") and check.span:
        return item.model_copy(update={"quote": body[check.span[0] : check.span[1]]})
    return item
