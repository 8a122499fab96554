"""Graded verification (issue #11): each check, the verdicts on everything a brief
shows, evidence a reader can see, and the optional model check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import respx
from typer.testing import CliRunner

from summarizer import (
    Article,
    Brief,
    BriefResult,
    FocusTopic,
    KeyFact,
    OpenQuestion,
    Settings,
    ground,
    render,
    summarize,
)
from summarizer.cache import Cache
from summarizer.cli import app
from summarizer.verify.article_index import ArticleIndex
from summarizer.verify.lexicon import root
from summarizer.verify.locate import locate
from summarizer.verify.statements import check_statement

from .conftest import EXAMPLE
from .factories import fixed_result
from .llm_fakes import BASE_URL, GOOD_BRIEF, KEY, body, brief_response, completion

STORY = [
    "Nico Varela has scored 17 goals for Vela Marina this season, the club said on Monday.",
    "Varela, 27, played for Kestrel on loan five years ago.",
    "He could soon move to Sandholm, according to reports in Norland.",
    "The striker may leave in the summer, his agent said.",
    "Manager Ruben Oster said the club would not sell him before June.",
    "Vela beat Calder 2-0 on Sunday, with Varela scoring both goals.",
]


def reasons(statement: str, quote: str, paragraphs: list[str] = STORY) -> list[str]:
    body = "\n\n".join(paragraphs)
    found = locate(quote, body)
    assert found.span is not None, quote
    index = ArticleIndex(tuple(paragraphs))
    return [f.reason for f in check_statement(statement, quote, index, found.span[0])]


# --- names -----------------------------------------------------------------------------------


def test_another_name_of_someone_the_quote_names_is_backed() -> None:
    assert reasons("Nico Varela played for Kestrel on loan five years ago.", STORY[1]) == []


def test_a_name_with_a_lowercase_particle_is_one_name() -> None:
    paragraphs = [
        "Coach Marta van Doren picked three debutants on Friday.",
        "Injuries hit the squad in April. Van Doren will be confident she can find the right mix.",
    ]
    statement = "Coach Marta Van Doren will be confident she can find the right mix."
    assert reasons(statement, "Van Doren will be confident she can find the right mix.", paragraphs) == []


def test_a_pronoun_in_the_names_place_is_backed() -> None:
    assert reasons("Varela could soon move to Sandholm, according to reports in Norland.", STORY[2]) == []


def test_a_detail_the_article_gives_that_person_is_backed() -> None:
    # the age is in another sentence, beside the same name
    assert reasons("Nico Varela, 27, has scored 17 goals for Vela Marina this season.", STORY[0]) == []


@pytest.mark.parametrize(
    ("statement", "paragraphs"),
    [
        (
            "Marlow paid tribute to the players.",
            [
                "Ines Marlow, 39, was named manager on Friday.",
                "On Thursday the 39-year-old paid tribute to the players.",
            ],
        ),
        (
            "Tomas Reyes posted a video of himself dancing in Lisbon.",
            [
                "Tomas Reyes has one year left on his contract.",
                "After the Valdora forward posted a video of himself dancing in Lisbon, fans laughed.",
            ],
        ),
        (
            "Ada Lund is auctioning more than 200 props she has kept.",
            [
                "Veteran actor Ada Lund turned 89 last week.",
                "The star, known for playing a lighthouse keeper in three films, is auctioning more than 200 props "
                "she has kept.",
            ],
        ),
        (
            "Okafor said they cannot keep pouring money into the pier.",
            [
                "Mayor Ines Okafor defended the vote on Tuesday.",
                '"We cannot keep pouring money into the pier," she said.',
            ],
        ),
        (
            "Dario Brandt, 58, hopes to ask the state to review the vote.",
            [
                "Councillor Dario Brandt voted against the plan, in the hope of saving the pier.",
                "The 58-year-old said he would ask the state to review the vote.",
            ],
        ),
    ],
    ids=["an age", "a club and a position", "past an aside", "said after the quote", "a word between"],
)
def test_a_description_in_the_names_place_is_backed(statement: str, paragraphs: list[str]) -> None:
    """The quote calls the person "the 39-year-old", "the Valdora forward" or "the star,
    known for …,"."""
    assert reasons(statement, paragraphs[1], paragraphs) == []


def test_two_names_the_quote_lacks_do_not_vouch_for_each_other() -> None:
    """The article writes the two names side by side, but not beside what the quote is about."""
    paragraphs = [
        "Marta Lindqvist and Otto Brenner are also in the running for the post.",
        "Council leader Hana Voss has held talks with the board over becoming the new harbour director.",
    ]
    statement = "Hana Voss has held talks with the board over the appointment of Marta Lindqvist and Otto Brenner."
    found = reasons(statement, paragraphs[1], paragraphs)
    assert "names Marta Lindqvist, which its quote does not" in found
    assert "names Otto Brenner, which its quote does not" in found


def test_a_name_from_elsewhere_in_the_article_is_not_backed() -> None:
    found = reasons("Nico Varela has scored 17 goals for Vela Marina, Ruben Oster said.", STORY[0])
    assert found == ["names Ruben Oster, which its quote does not"]
    # in the place of the quote's own name it is a contradiction
    found = reasons("Ruben Oster has scored 17 goals for Vela Marina this season.", STORY[0])
    assert found == ["names Ruben Oster where its quote names Nico Varela"]


def test_a_name_in_place_of_a_date_at_the_end_of_the_sentence() -> None:
    found = reasons("Manager Ruben Oster said the club would not sell him before Sandholm.", STORY[4])
    assert found == ["names Sandholm where its quote names June"]


def test_a_name_the_article_never_writes_in_place_of_the_quotes() -> None:
    found = reasons("Ruben Marina striker Nico Varela has scored 17 goals.", STORY[0])
    assert "names Ruben Marina where its quote names Vela Marina" in found


def test_a_first_name_for_a_title_is_not_another_person() -> None:
    paragraphs = ["On Tuesday Mr Halvorsen gave his final speech at the assembly."]
    found = reasons("On Tuesday Erik Halvorsen gave his final speech at the assembly.", paragraphs[0], paragraphs)
    assert found and not any("where its quote names" in reason for reason in found)


def test_a_name_in_another_names_place_is_a_contradiction() -> None:
    found = reasons("Vela beat Kestrel 2-0 on Sunday, with Varela scoring both goals.", STORY[5])
    assert found == ["names Kestrel where its quote names Calder"]


def test_a_sentence_opening_word_is_not_taken_for_a_name() -> None:
    paragraphs = ["Many scientists believe the comet will return in 2061, the observatory said."]
    assert reasons("Scientists believe the comet will return in 2061.", paragraphs[0], paragraphs) == []


def test_swapped_roles_contradict() -> None:
    found = reasons("Calder beat Vela 2-0 on Sunday, with Varela scoring both goals.", STORY[5])
    assert "swaps who did what: its quote says 'Vela beat Calder'" in found
    quote = "The council sued the company over unpaid fees."
    assert reasons("The company sued the council over unpaid fees.", quote, [quote]) == [
        "swaps who did what: its quote says 'council sued the company'"
    ]


@pytest.mark.parametrize(
    "statement",
    ["The company was sued by the council over unpaid fees.", "The company is being sued over unpaid fees."],
    ids=["a passive, turned round", "a passive with no doer"],
)
def test_a_passive_is_not_a_swap(statement: str) -> None:
    quote = "The council sued the company over unpaid fees."
    assert not any(reason.startswith("swaps") for reason in reasons(statement, quote, [quote]))


def test_a_thing_given_to_another_of_the_quotes_names_contradicts() -> None:
    paragraphs = [
        "The bookmakers' favourite for the job is Ines Marlow, who is close to the Kestrel chairman.",
        "The striker's contract runs until June, Oster said.",
        "Varela has scored 17 goals this season.",
    ]
    found = reasons("Kestrel's favourite for the job is Ines Marlow.", paragraphs[0], paragraphs)
    assert found == ["says Kestrel's favourite where its quote says bookmakers' favourite"]
    # a name for the quote's description is a question for the name checks, not a swap
    found = reasons("Varela's contract runs until June.", paragraphs[1], paragraphs)
    assert not any("where its quote says" in reason for reason in found)


@pytest.mark.parametrize(
    ("statement", "stutter"),
    [
        ("Vela beat Calder 2-0 on Sunday, with Varela scoring scoring both goals.", "scoring"),
        ("Vela beat Calder 2-0 on Sunday, with Varela scoring with Varela scoring both goals.", "with varela scoring"),
    ],
)
def test_a_statement_that_stutters_is_flagged(statement: str, stutter: str) -> None:
    assert f"says {stutter!r} twice in a row" in reasons(statement, STORY[5])


def test_a_doubling_the_quote_has_too_or_grammar_allows_is_not_a_stutter() -> None:
    quote = "The ferry ferry service was cut, and she said the strike had no end in sight."
    assert reasons("The ferry ferry service was cut.", quote, [quote]) == []
    assert reasons("She said the strike had had no end in sight.", quote, [quote]) == []


def test_a_repeated_name_is_flagged() -> None:
    found = reasons("Vela beat Vela 2-0 on Sunday, with Varela scoring both goals.", STORY[5])
    assert "repeats Vela" in found
    paragraphs = ["The NFU said the NFU vote would come in May, the result in June."]
    assert reasons("The NFU said the NFU vote and the NFU result would come in May.", *paragraphs, paragraphs) == [
        "repeats NFU"
    ]


# --- figures, dates, negation, hedges ------------------------------------------------------------


def test_a_figure_moved_into_another_figures_place_contradicts() -> None:
    quote = "The agency offered a 4 percent raise and the union demanded 11 percent."
    found = reasons("The agency offered a 11 percent raise.", quote, [quote])
    assert found == ["says 11 percent where its quote says 4 percent"]


def test_an_age_the_quote_gives_otherwise_contradicts_even_if_the_article_has_it() -> None:
    """The article has a 41-year-old skipper, but the quote is about an eight-year-old."""
    paragraphs = [
        "The 41-year-old skipper steered the ferry into port on Monday.",
        "Eight-year-old Tomas climbed onto the pier to wave at the crew.",
    ]
    found = reasons("The 41-year-old skipper climbed onto the pier to wave at the crew.", paragraphs[1], paragraphs)
    assert "says 41 where its quote says Eight" in found


def test_an_age_is_not_a_duration() -> None:
    paragraphs = ["Marlow, 39, signed a three-year deal on Friday.", "The 39-year-old said he was delighted."]
    assert reasons("The 39-year-old signed a three-year deal on Friday.", paragraphs[0], paragraphs) == []


def test_a_date_changed_contradicts_and_a_date_added_is_partly_supported() -> None:
    assert reasons("Vela beat Calder 2-0 on Saturday.", STORY[5]) == ["says Saturday where its quote says Sunday"]
    assert reasons("Varela could move to Sandholm on Friday.", STORY[2]) == ["says Friday, which its quote does not"]


def test_a_negation_across_a_few_words_still_counts() -> None:
    assert reasons("Manager Ruben Oster said the club would not sell him before June.", STORY[4]) == []
    found = reasons("Manager Ruben Oster said the club would sell him before June.", STORY[4])
    assert found == ["drops its quote's negation of 'sell'"]


def test_a_negation_of_what_the_quote_never_mentions_is_partly_supported() -> None:
    """Saying something did not happen is a claim too: its quote has to speak of it."""
    paragraphs = [
        "Manager Ruben Oster said the club would keep Varela until June.",
        "The board will decide on his contract in May, and refused to sell him in January.",
    ]
    found = reasons("Ruben Oster has not decided whether the club would keep Varela.", paragraphs[0], paragraphs)
    assert found == ["says not 'decided', which its quote never mentions"]
    # the quote's own negation, in other words, still backs it
    assert reasons("The board did not sell him in January.", paragraphs[1], paragraphs) == []


@pytest.mark.parametrize(
    ("statement", "quote"),
    [
        ("Marlow worked as No 2 under Per Lund.", "Marlow worked as No 2 under Lund last season."),
        ("Only 44 percent of her followers are real.", "No more than 44 percent of her followers are real, tools say."),
        (
            "That number could rise to one in five by 2060, when the population reaches 78 million.",
            "Immigrants could reach a record high by 2023. "
            "That number could rise to one in five by 2060, when the population reaches 78 million.",
        ),
        ("The union will vote on the offer in May.", "The union meets in May to vote on the offer."),
    ],
    ids=["a rank", "a bound", "said both ways", "a month"],
)
def test_what_only_looks_like_a_negation_or_a_hedge(statement: str, quote: str) -> None:
    """ "No 2" is a rank and "no more than" a bound; a quote that hedges "reach" once
    and states "reaches" plainly backs the plain one; "in May" is a month."""
    paragraphs = [quote, "Per Lund left the club in February."]
    assert reasons(statement, quote, paragraphs) == []


@pytest.mark.parametrize(
    ("statement", "quote"),
    [
        ("The council has not set a date for the vote.", "No date for the council vote has been set."),
        ("No charges have been filed against the driver.", "Prosecutors have not filed charges against the driver."),
        ("No one was injured in the fire.", "There were no injuries in the fire, the brigade said."),
    ],
    ids=["no before the noun", "not before the verb", "a noun for the verb"],
)
def test_a_negation_said_another_way_is_backed(statement: str, quote: str) -> None:
    """ "No date … has been set" negates the setting as much as "has not set a date"."""
    assert reasons(statement, quote, [quote]) == []


@pytest.mark.parametrize(
    ("statement", "quote"),
    [
        ("Officials expect the pier to cost $4 million.", "The pier is expected to cost $4 million, officials said."),
        ("The strike ended after three days.", "The three-day strike ended on Friday."),
        ("Twelve patients are being treated at the clinic.", "The clinic is treating 12 patients."),
        ("Turnout was 61.5 percent.", "Turnout was 61.5%, officials said."),
    ],
    ids=["a hedge in another form", "part of a hyphenated word", "a number in words", "percent for %"],
)
def test_a_paraphrase_of_the_quote_is_backed(statement: str, quote: str) -> None:
    assert reasons(statement, quote, [quote]) == []


def test_two_negations_cancel() -> None:
    quote = "Officials said no serious side effects had been reported."
    found = reasons("Officials said no serious side effects had not been reported.", quote, [quote])
    assert found and all(reason.startswith("drops its quote's negation") for reason in found)


def test_a_hedge_dropped_is_partly_supported() -> None:
    found = reasons("The striker will leave in the summer, his agent said.", STORY[3])
    assert found == ["states as certain what its quote hedges ('may')"]


# --- words ---------------------------------------------------------------------------------------


def test_placeholders_and_words_the_article_never_uses() -> None:
    assert reasons("UNK has scored 17 goals for Vela Marina this season.", STORY[0]) == [
        "has a placeholder (UNK) for a word it could not write"
    ]
    assert reasons("Nico Varela has netted 17 goals for Vela Marina this season.", STORY[0]) == [
        "uses netted, which the article never does"
    ]


def test_a_statement_mostly_about_something_else() -> None:
    found = reasons("The club would not sell the striker before June.", STORY[0])
    assert any(reason.startswith("is mostly not in its quote") for reason in found)


def test_inflections_and_irregular_forms_meet() -> None:
    paragraphs = ["Crews walked off the job on Tuesday after talks broke down over pay."]
    assert reasons("Talks had broken down over pay when crews walk off the job.", paragraphs[0], paragraphs) == []


@pytest.mark.parametrize(
    "family",
    [
        ("win", "wins", "winning"),
        ("name", "named", "names", "naming"),
        ("use", "used", "uses", "using"),
        ("tie", "tied", "ties", "tying"),
        ("make", "made", "making"),
        ("class", "classes"),
        ("need", "needs", "needed"),
        ("injury", "injuries", "injured"),
    ],
)
def test_short_words_meet_their_inflections(family: tuple[str, ...]) -> None:
    """ "Police did not name him" over "he was not named": a short word's forms must meet,
    or a faithful statement reads as one the article never makes."""
    assert len({root(word) for word in family}) == 1


def test_a_word_is_not_taken_for_an_inflection() -> None:
    """ "-ing" and "-ed" after no vowel, or after a short stem ending in e, are the word's own."""
    assert [root(word) for word in ("bring", "shed", "need", "string")] == ["bring", "shed", "need", "string"]


# --- verdicts on everything a brief shows ----------------------------------------------------


def grounded(brief: Brief, title: str | None = "Varela scores again") -> tuple[Brief, object]:
    return ground(Article(title=title, paragraphs=STORY), brief)


def test_graded_verdicts_with_reasons_on_facts_and_questions() -> None:
    brief = Brief(
        headline="Varela scores again",
        summary=[],
        key_facts=[
            KeyFact(statement="Varela scored both goals.", quote=STORY[5], kind="event", attributed_to=None),
            KeyFact(statement="Vela beat Calder 3-0.", quote=STORY[5], kind="event", attributed_to=None),
            KeyFact(
                statement="Varela wants to join Sandholm.",
                quote="Varela has asked to join Sandholm.",
                kind="claim",
                attributed_to=None,
            ),
        ],
        open_questions=[
            OpenQuestion(topic="transfer", question="Will Oster sell him to Sandholm?", quote=STORY[4]),
        ],
    )
    _, grounding = grounded(brief)
    assert [c.verdict for c in grounding.facts] == ["supported", "contradicted", "quote_not_found"]
    assert grounding.facts[1].reasons == ["says 3-0 where its quote says 2-0"]
    assert grounding.facts[2].reasons == ["its quote is not in the article"]
    assert grounding.questions[0].verdict == "partly_supported"  # Sandholm is not in the question's quote
    assert "names Sandholm, which its quote does not" in grounding.questions[0].reasons


def test_the_headline_is_checked() -> None:
    fact = KeyFact(statement="Varela scored both goals.", quote=STORY[5], kind="event", attributed_to=None)
    same_as_title = Brief(headline="Varela scores again", summary=[], key_facts=[fact], open_questions=[])
    assert grounded(same_as_title)[1].headline.verified
    invented = same_as_title.model_copy(update={"headline": "Varela scores a hat-trick in a 5-0 win"})
    headline = grounded(invented)[1].headline
    assert headline.verdict == "contradicted" and "says 5-0 where its quote says 2-0" in headline.reasons


def test_focus_not_addressed_is_checked_against_the_text_and_unasked_topics_are_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    focus = [FocusTopic(topic="loan", addressed=False, facts=[], questions=[])]
    brief = Brief(headline="Varela scores again", summary=[], key_facts=[], open_questions=[], focus=focus)
    (check,) = grounded(brief)[1].focus
    assert not check.verified and check.reason.startswith("the article does speak to it: “Varela, 27, played")

    from summarizer.pipeline import only_asked_focus

    invented = brief.model_copy(
        update={"focus": [*focus, FocusTopic(topic="weather", addressed=False, facts=[], questions=[])]}
    )
    assert [f.topic for f in only_asked_focus(invented, ["Loan"]).focus] == ["loan"]
    assert only_asked_focus(invented, None).focus == []


def test_results_written_before_verdicts_still_load() -> None:
    result = fixed_result()
    data = json.loads(result.model_dump_json())
    for check in data["grounding"]["facts"] + data["grounding"]["summary"]:
        for key in ("verdict", "reasons", "judge"):
            check.pop(key, None)
    data["grounding"]["facts"][0]["status"] = "missing"
    data["grounding"]["summary"][0]["unsupported"] = ["Wednesday"]
    for key in ("headline", "focus", "judge_error"):
        data["grounding"].pop(key, None)
    old = BriefResult.model_validate(data)
    assert old.grounding.facts[0].verdict == "quote_not_found" and not old.grounding.facts[0].verified
    assert old.grounding.facts[2].verdict == "partly_supported"  # status "unsupported"
    assert old.grounding.summary[0].verdict == "partly_supported"
    assert render(old)  # and renders


# --- showing it ----------------------------------------------------------------------------------


def test_weak_verdicts_are_visible_with_their_reasons_in_every_format() -> None:
    result = fixed_result()
    reason = "says 9,000 where its quote says 6,400"
    assert f"**UNVERIFIED — contradicted** ({reason})" in render(result)
    assert f'UNVERIFIED · contradicted</span> <span style="font-size:12px;opacity:0.8">({reason})' in render(
        result, "brief.html.j2"
    )
    assert f"[UNVERIFIED: contradicted — {reason}]" in render(result, "brief.txt.j2")
    # the card leaves out facts its summary already carries; without a summary it shows them all
    bare = result.model_copy(
        update={
            "brief": result.brief.model_copy(update={"summary": []}),
            "grounding": result.grounding.model_copy(update={"summary": []}),
        }
    )
    assert f"**UNVERIFIED — contradicted** ({reason})" in render(bare, "card.md.j2")


def test_the_evidence_view_links_each_fact_to_its_highlight() -> None:
    html = render(fixed_result(), "evidence.html.j2")
    assert html.count('<a href="#f') == 3 and '<a id="f1"></a>' in html and '<a id="f3"></a>' in html
    assert 'data-verdict="contradicted" style="background:#ffb0b0;color:#111111' in html
    assert "<script" not in html and "src=" not in html


def test_evidence_flag(tmp_path: Path) -> None:
    out = tmp_path / "evidence.html"
    run = CliRunner().invoke(app, ["brief", str(EXAMPLE), "--evidence", "-o", str(out)])
    assert run.exit_code == 0, run.stderr
    assert out.read_text(encoding="utf-8").count("<mark ") >= 5
    run = CliRunner().invoke(app, ["brief", str(EXAMPLE), "--evidence", "--template", "card.html.j2"])
    assert run.exit_code == 2 and "--evidence is a template of its own" in run.stderr
    run = CliRunner().invoke(app, ["brief", str(EXAMPLE), "--evidence", "-o", str(tmp_path / "e.md")])
    assert run.exit_code == 2 and "-o e.md asks for md but --evidence for html" in run.stderr


# --- the model check -------------------------------------------------------------------------------


def judgements(*verdicts: tuple[int, str, str]) -> str:
    return json.dumps({"judgements": [{"n": n, "verdict": v, "reason": r} for n, v, r in verdicts]})


def test_verify_model_asks_once_and_shows_the_judgement_beside_the_verdict(mock: respx.MockRouter) -> None:
    route = mock.post("/chat/completions").mock(
        side_effect=[
            brief_response(),
            completion(
                judgements((1, "supported", "the quote says so"), (2, "contradicted", "the union asked 11, not 4")),
                prompt_tokens=400,
                completion_tokens=60,
            ),
        ]
    )
    chosen = Settings(base_url=BASE_URL, api_key=KEY, verify="model")
    result = summarize(EXAMPLE.read_text(encoding="utf-8"), settings=chosen)
    assert route.call_count == 2
    sent = body(route.calls[1].request)
    assert sent["response_format"]["json_schema"]["name"] == "Judgements"
    assert sent["response_format"]["json_schema"]["strict"] is True
    user = sent["messages"][1]["content"]
    assert "1. Statement: About 6,400 daily commuters" in user and "<<<PAIRS " in user
    assert GOOD_BRIEF["key_facts"][1]["quote"][:40] in user
    first, second = result.grounding.facts
    assert first.judge.verdict == "supported" and second.judge.verdict == "contradicted"
    assert (result.usage.requests, result.usage.prompt_tokens) == (2, 900 + 400)
    assert "*(model check: contradicted: the union asked 11, not 4)*" in render(result)
    assert "(model check: contradicted: the union asked 11, not 4)</span>" in render(result, "brief.html.j2")
    assert "(model check: contradicted: the union asked 11, not 4)" in render(result, "brief.txt.j2")


def test_a_model_check_in_the_cache_is_not_paid_for_again(mock: respx.MockRouter, tmp_path: Path) -> None:
    """The second run finds the brief and its judgement in the cache: no request at all,
    and the judgement is shown as before at no cost."""
    answer = judgements((1, "supported", "the quote says so"), (2, "contradicted", "the union asked 11, not 4"))
    route = mock.post("/chat/completions").mock(side_effect=[brief_response(), completion(answer)])
    chosen = Settings(base_url=BASE_URL, api_key=KEY, verify="model")
    cache = Cache(tmp_path / "cache.db")
    text = EXAMPLE.read_text(encoding="utf-8")
    first = summarize(text, settings=chosen, cache=cache)
    again = summarize(text, settings=chosen, cache=cache)
    assert route.call_count == 2
    assert [f.judge for f in again.grounding.facts] == [f.judge for f in first.grounding.facts]
    assert again.grounding.facts[1].judge.verdict == "contradicted" and again.usage.requests == 0


def test_answers_for_pairs_not_asked_are_dropped(mock: respx.MockRouter) -> None:
    """Fact 2's quote is not in the article, so only fact 1 is asked about; a model that
    answers for 2 and 3 as well does not get a judgement shown beside fact 2."""
    brief = json.loads(json.dumps(GOOD_BRIEF))
    brief["key_facts"][1]["quote"] = "A sentence the article does not have."
    answer = judgements((1, "supported", "yes"), (2, "supported", "made up"), (3, "contradicted", "made up"))
    replies = [brief_response(brief), brief_response(brief), completion(answer)]  # brief, repair, judge
    route = mock.post("/chat/completions").mock(side_effect=replies)
    chosen = Settings(base_url=BASE_URL, api_key=KEY, verify="model", max_retries=0)
    result = summarize(EXAMPLE.read_text(encoding="utf-8"), settings=chosen)
    user = body(route.calls[-1].request)["messages"][1]["content"]
    assert "1. Statement:" in user and "2. Statement:" not in user
    assert result.grounding.facts[0].judge.reason == "yes" and result.grounding.facts[1].judge is None


def test_a_failed_model_check_keeps_the_brief(mock: respx.MockRouter) -> None:
    mock.post("/chat/completions").mock(side_effect=[brief_response(), completion("I'm sorry, I can't do that.")])
    result = summarize(EXAMPLE.read_text(encoding="utf-8"), settings=Settings(base_url=BASE_URL, verify="model"))
    assert result.grounding.verified_facts == 2 and result.grounding.facts[0].judge is None
    assert "the model refused" in (result.grounding.judge_error or "")
    assert all("The model check failed" in render(result, name) for name in ("brief.md.j2", "brief.html.j2"))


def test_verify_model_without_a_model_is_a_configuration_error(tmp_path: Path) -> None:
    run = CliRunner().invoke(app, ["brief", str(EXAMPLE), "--verify", "model", "-o", str(tmp_path / "x.md")])
    assert run.exit_code == 2 and "--verify model needs a model" in run.stderr
