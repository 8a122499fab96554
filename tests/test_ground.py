from __future__ import annotations

import pytest

from summarizer import Article, Brief, KeyFact, SummarySentence, ground
from summarizer.verify.article_index import ArticleIndex
from summarizer.verify.locate import locate
from summarizer.verify.statements import check_statement, verdict_of


def unsupported_tokens(statement: str, quote: str, body: str) -> list[str]:
    """What the statement says that its quote does not back, token by token."""
    index = ArticleIndex(tuple(body.split("\n\n")))
    found = locate(quote, body)
    findings = check_statement(statement, quote, index, found.span[0] if found.span else None)
    return [t for f in findings for t in f.tokens] + [f.reason for f in findings if not f.tokens]


def reasons(statement: str, quote: str, body: str) -> list[str]:
    index = ArticleIndex(tuple(body.split("\n\n")))
    found = locate(quote, body)
    return [f.reason for f in check_statement(statement, quote, index, found.span[0] if found.span else None)]


BODY = (
    "Russia now controls about 20 percent of eastern and southern Ukraine.\n\n"
    "Mr. Witkoff said the meeting had been “productive and constructive.” "
    "About 190,000 people still live in the areas of Donetsk."
)


def test_exact_normalized_fuzzy_missing() -> None:
    exact = locate("about 20 percent of eastern", BODY)
    assert exact.status == "exact" and BODY[exact.span[0] : exact.span[1]] == "about 20 percent of eastern"
    curly = locate('the meeting had been "productive and  constructive."', BODY)
    assert curly.status == "normalized"
    assert BODY[curly.span[0] : curly.span[1]] == "the meeting had been “productive and constructive.”"
    dropped_word = locate("Russia controls about 20 percent of eastern and southern Ukraine", BODY)
    assert dropped_word.status == "fuzzy" and dropped_word.score >= 90
    assert BODY[dropped_word.span[0] : dropped_word.span[1]].startswith("Russia now controls")
    assert locate("Ukraine agreed to cede the Donetsk region to Russia", BODY).status == "missing"


def test_changed_number_is_unsupported() -> None:
    quote = "Russia now controls about 20 percent of eastern and southern Ukraine."
    assert unsupported_tokens("Russia controls 30 percent of Ukraine.", quote, BODY) == ["30 percent"]
    assert reasons("Russia controls 30 percent of Ukraine.", quote, BODY) == [
        "says 30 percent where its quote says 20 percent"
    ]
    assert unsupported_tokens("Russia controls about 20% of Ukraine.", quote, BODY) == []
    assert unsupported_tokens("About 190,000 people still live in Donetsk.", BODY, BODY) == []
    assert reasons("About 190,000 people remain in Donetsk.", BODY, BODY) == [
        "uses remain, which the article never does"
    ]
    assert "Dmitriev" in unsupported_tokens("Mr. Dmitriev praised the meeting.", BODY, BODY)


# --- quotes as models really return them ----------------------------------------------

ARTICLE = [
    "The Harbor Transit Authority said on Tuesday that it had offered a 4 percent raise.",
    "Union members voted 412 to 37 last week to authorize the walkout, according to the union.",
    "It is unclear who would pay for a mediator if both sides agreed to one.",
]


def article(paragraphs: list[str] = ARTICLE) -> Article:
    return Article(paragraphs=paragraphs)


@pytest.mark.parametrize(
    ("quote", "status"),
    [
        ("Union members voted 412 to 37 last week", "exact"),
        ("It is unclear who would pay for a mediator", "exact"),
        ("it had offered a “4 percent raise.”".replace("“", "").replace("”", ""), "exact"),
        ("union  members voted\n412 to 37 LAST WEEK", "normalized"),
        ("Union members voted 412 to 37 to authorize the walkout", "fuzzy"),  # dropped words
        ("Union members voted 412 to 73 last week to authorize the walkout", "fuzzy"),  # close text...
        ("The authority has agreed to pay for mediation in full", "missing"),
        ("[{", "missing"),
        ("", "missing"),
        # across a paragraph boundary, as a model joins two sentences
        ("offered a 4 percent raise. Union members voted 412 to 37", "normalized"),
    ],
)
def test_quote_statuses(quote: str, status: str) -> None:
    check = locate(quote, article().body)
    assert check.status == status
    if status != "missing":
        assert check.span is not None


def test_curly_and_straight_quotes_match_and_article_text_replaces_the_quote() -> None:
    body = ["“We heard people tonight,” said Council President Aisha Raman — and voted."]
    brief = Brief(
        headline="h",
        summary=[],
        key_facts=[
            KeyFact(
                statement="Aisha Raman said the council heard people.",
                quote='"We heard people tonight," said Council President Aisha Raman - and voted.',
                kind="claim",
                attributed_to="Aisha Raman",
            )
        ],
        open_questions=[],
    )
    grounded, grounding = ground(article(body), brief)
    assert grounding.facts[0].status == "normalized"
    assert grounded.key_facts[0].quote == body[0]


def test_changed_number_in_quote_is_still_caught_by_the_statement_check() -> None:
    brief = Brief(
        headline="h",
        summary=[],
        key_facts=[
            KeyFact(
                statement="Members voted 412 to 73.",
                quote="Union members voted 412 to 73 last week to authorize the walkout",
                kind="figure",
                attributed_to=None,
            )
        ],
        open_questions=[],
    )
    grounded, grounding = ground(article(), brief)
    # the fuzzy match replaces the quote with what the article says, so "73" is gone from it
    assert "412 to 37" in grounded.key_facts[0].quote
    assert grounding.facts[0].status == "unsupported"
    assert grounding.facts[0].unsupported == ["73"]
    assert grounding.facts[0].verdict == "partly_supported" and not grounding.facts[0].verified


def test_thirty_percent_stated_twenty_percent_quoted_is_unsupported() -> None:
    body = ["Russia now controls about 20 percent of eastern and southern Ukraine."]
    fact = KeyFact(statement="Russia controls 30 percent of Ukraine.", quote=body[0], kind="figure", attributed_to=None)
    _, grounding = ground(article(body), Brief(headline="h", summary=[], key_facts=[fact], open_questions=[]))
    assert grounding.facts[0].status == "unsupported"
    assert grounding.facts[0].unsupported == ["30 percent"]
    assert grounding.facts[0].verdict == "contradicted" and not grounding.facts[0].verified
    assert grounding.facts[0].reasons == ["says 30 percent where its quote says 20 percent"]


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        ("The authority offered a 4 percent raise on Wednesday.", "says Wednesday where its quote says Tuesday"),
        ("The authority did not offer a 4 percent raise.", "negates 'offer', which its quote does not"),
        ("The Marlow authority offered a 4 percent raise.", "names Marlow, which its quote does not"),
    ],
)
def test_dates_negations_and_invented_names(statement: str, problem: str) -> None:
    assert problem in reasons(statement, ARTICLE[0], article().body)


def test_summary_sentence_that_contradicts_its_facts_is_flagged() -> None:
    body = [
        "As part of any peace deal, Moscow wants Kyiv to cede all of Donetsk — a proposition that "
        "Mr. Zelensky has so far refused.",
    ]
    fact = KeyFact(
        statement="Moscow wants Kyiv to cede all of Donetsk.", quote=body[0], kind="claim", attributed_to=None
    )
    brief = Brief(
        headline="h",
        summary=[
            SummarySentence(text="Ukraine announced that it would cede the Donetsk region.", facts=[1]),
            SummarySentence(text="Moscow wants Kyiv to cede all of Donetsk, which Mr. Zelensky refused.", facts=[1]),
        ],
        key_facts=[fact],
        open_questions=[],
    )
    _, grounding = ground(article(body), brief)
    assert not grounding.summary[0].verified
    assert "Ukraine" in grounding.summary[0].unsupported
    assert grounding.summary[1].verified
    assert "uses Ukraine, announced, region, which the article never does" in grounding.summary[0].reasons


def test_cyrillic_and_accented_text() -> None:
    body = [
        "Мэрия закрыла старый мост на ремонт, который продлится около 40 дней.",
        "Le maire a déclaré que la fermeture coûterait 1,2 million d’euros.",
    ]
    brief = Brief(
        headline="h",
        summary=[],
        key_facts=[
            KeyFact(
                statement="Ремонт продлится около 40 дней.",
                quote="мост на ремонт, который продлится около 40 дней",
                kind="figure",
                attributed_to=None,
            ),
            KeyFact(
                statement="La fermeture coûterait 1,2 million d'euros.",
                quote="la fermeture coûterait 1,2 million d'euros",
                kind="figure",
                attributed_to=None,
            ),
            KeyFact(
                statement="Ремонт продлится около 60 дней.",
                quote="ремонт, который продлится около 40 дней",
                kind="figure",
                attributed_to=None,
            ),
        ],
        open_questions=[],
    )
    grounded, grounding = ground(article(body), brief)
    assert [c.status for c in grounding.facts] == ["exact", "normalized", "unsupported"]
    assert grounded.key_facts[1].quote == "la fermeture coûterait 1,2 million d’euros"
    assert grounding.facts[2].unsupported == ["60"]
    assert verdict_of([]) == "supported"
