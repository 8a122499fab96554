"""The offline engine on fictional pages: extractive, deterministic, grounded by construction."""

from __future__ import annotations

import pytest

from summarizer import Settings, clean, summarize
from summarizer.engines.offline import OfflineEngine

from .conftest import EXAMPLE, PAGES, page

OFFLINE = Settings(engine="offline")
ALL_PAGES = sorted(p.name for p in PAGES.glob("*.txt"))


@pytest.mark.parametrize("name", ALL_PAGES)
def test_every_quote_is_a_sentence_of_the_body(name: str) -> None:
    result = summarize(page(name), settings=OFFLINE)
    body = result.article.body
    assert result.brief.key_facts, "a news story has key facts"
    for fact in result.brief.key_facts:
        assert fact.quote in body
    for question in result.brief.open_questions:
        assert question.quote in body
        assert question.topic.strip() and len(question.topic.split()) <= 3
    assert all(check.status == "exact" for check in result.grounding.facts)
    assert result.engine.name == "offline"


@pytest.mark.parametrize("name", ALL_PAGES)
def test_open_questions_found_where_the_article_hedges(name: str) -> None:
    result = summarize(page(name), settings=OFFLINE)
    assert len(result.brief.open_questions) >= 2
    hedges = ("not clear", "unclear", "not said", "not known", "yet to", "whether", "declined", "did not")
    for question in result.brief.open_questions:
        assert any(h in question.quote for h in hedges) or "remain" in question.quote


def test_seed_shaped_example_brief() -> None:
    result = summarize(EXAMPLE.read_text(encoding="utf-8"), settings=OFFLINE)
    brief = result.brief
    assert brief.headline == "Ferry Crews Walk Out Over Night-Shift Pay, Stranding Island Commuters"
    assert brief.summary[0].text.startswith("Crews on the Port Avalon harbor ferries walked off the job")
    assert 2 <= len(brief.summary) <= 3
    quotes = " ".join(f.quote for f in brief.key_facts)
    for figure in ("6,400", "412 to 37", "4 percent", "15,000"):
        assert figure in quotes
    questions = {q.question for q in brief.open_questions}
    assert "Who would pay for a mediator if both sides agreed to one?" in questions
    assert "Would the authority return to the table before Thursday?" in questions
    topics = {q.topic for q in brief.open_questions}
    assert "money" in topics and "timing" in topics
    by_quote = {f.quote: f for f in brief.key_facts}
    finch = next(f for q, f in by_quote.items() if "Dolores Finch" in q)
    assert finch.attributed_to == "Dolores Finch"
    assert all(f.attributed_to != "Gull Island" for f in brief.key_facts)


def test_summary_cites_the_facts_it_rests_on() -> None:
    result = summarize(EXAMPLE.read_text(encoding="utf-8"), settings=OFFLINE)
    lead = result.brief.summary[0]
    assert lead.facts, "the lead sentence is also a key fact"
    assert result.brief.key_facts[lead.facts[0] - 1].quote == lead.text


def test_deterministic() -> None:
    article = clean(page("council-budget.txt"))
    first, _ = OfflineEngine().brief(article)
    second, _ = OfflineEngine().brief(article)
    assert first == second


def test_figures_are_classified_as_figures() -> None:
    result = summarize(page("rail-tunnel.txt"), settings=OFFLINE)
    kinds = {f.quote: f.kind for f in result.brief.key_facts}
    budget = next(q for q in kinds if "£19 million" in q)
    assert kinds[budget] == "figure"
