"""Promises a mutation run found no test for (issue #17): each test here fails when the
promise is dropped from the code."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

from summarizer import Article, Brief, KeyFact, Settings, SummarySentence, ground, summarize
from summarizer.cli import app
from summarizer.verify.article_index import ArticleIndex
from summarizer.verify.statements import check_statement

from .conftest import EXAMPLE
from .llm_fakes import BASE_URL, GOOD_BRIEF, KEY, article_in, body, brief_response, completion


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", BASE_URL)


def stamped(times: list[float]):  # type: ignore[no-untyped-def]
    def answer(request: httpx.Request) -> httpx.Response:
        times.append(time.monotonic())
        title, text = article_in(request)
        first = text.split("\n", 1)[0]
        fact = {"statement": first, "quote": first, "kind": "event", "attributed_to": None}
        brief = {"headline": title, "summary": [], "key_facts": [fact], "open_questions": [], "focus": []}
        return completion(json.dumps(brief))

    return answer


def articles(tmp_path: Path, n: int) -> list[str]:
    paths = []
    for i in range(n):
        path = tmp_path / f"a{i}.txt"
        path.write_text(
            EXAMPLE.read_text(encoding="utf-8").replace("Gull Island", f"Gull Island {i}"), encoding="utf-8"
        )
        paths.append(str(path))
    return paths


def test_rpm_spaces_requests_from_the_command_line(mock: respx.MockRouter, tmp_path: Path) -> None:
    times: list[float] = []
    mock.post("/chat/completions").mock(side_effect=stamped(times))
    args = ["brief", *articles(tmp_path, 4), "-o", str(tmp_path / "out"), "--rpm", "150", "--no-cache"]
    run = CliRunner().invoke(app, args)
    assert run.exit_code == 0, run.stderr
    # 150 a minute: 0.4 s apart (measured from the second: the first request also pays for setting up the client)
    assert len(times) == 4 and times[3] - times[1] >= 0.7, times


def test_tpm_reaches_the_pools_throttle(
    mock: respx.MockRouter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A token bucket holds a minute's worth, so spacing shows only after a minute's
    tokens: here the budget is checked where the pool spends it."""
    from summarizer.engines.openai.throttle import Throttle

    asked: list[tuple[float | None, int]] = []
    real = Throttle.delay

    def delay(self: Throttle, tokens: int = 0) -> float:
        asked.append((self.tpm, tokens))
        return real(self, tokens)

    monkeypatch.setattr(Throttle, "delay", delay)
    mock.post("/chat/completions").mock(side_effect=stamped([]))
    args = ["brief", *articles(tmp_path, 2), "-o", str(tmp_path / "out"), "--tpm", "450000", "--no-cache"]
    assert CliRunner().invoke(app, args).exit_code == 0
    assert len(asked) >= 2 and all(tpm == 450000 and tokens > 3000 for tpm, tokens in asked)


def test_timeout_and_deadline_flags_reach_the_requests(mock: respx.MockRouter, tmp_path: Path) -> None:
    mock.post("/chat/completions").mock(side_effect=httpx.ConnectError("refused"))
    started = time.monotonic()
    run = CliRunner().invoke(app, ["brief", str(EXAMPLE), "-o", str(tmp_path / "x.md"), "--deadline", "2"])
    assert run.exit_code == 3 and "at the 2 s deadline" in run.stderr
    assert time.monotonic() - started < 6


def test_tools_mode_is_strict(mock: respx.MockRouter) -> None:
    route = mock.post("/chat/completions").mock(return_value=completion(None, tool_arguments=json.dumps(GOOD_BRIEF)))
    summarize(
        EXAMPLE.read_text(encoding="utf-8"), settings=Settings(structured="tools", base_url=BASE_URL, api_key=KEY)
    )
    function = body(route.calls[0].request)["tools"][0]["function"]
    assert function["strict"] is True and function["parameters"]["additionalProperties"] is False


def test_fuzzy_threshold_from_the_command_line(mock: respx.MockRouter, tmp_path: Path) -> None:
    # one word dropped from a long quote: found at 90, not at 99
    fuzzy = dict(GOOD_BRIEF)
    fuzzy["key_facts"] = [
        dict(
            GOOD_BRIEF["key_facts"][0],
            quote="leaving roughly 6,400 daily commuters without usual route to the mainland",
        ),
        GOOD_BRIEF["key_facts"][1],
    ]
    mock.post("/chat/completions").mock(return_value=brief_response(fuzzy))
    for threshold, verified in (("90", "2 verified"), ("99", "1 verified")):
        out = tmp_path / f"t{threshold}.json"
        args = ["brief", str(EXAMPLE), "-o", str(out), "--fuzzy-threshold", threshold, "--no-cache"]
        run = CliRunner().invoke(app, args)
        assert verified in run.stderr, run.stderr


def test_strict_grounding_renumbers_citations_and_exits_5(mock: respx.MockRouter, tmp_path: Path) -> None:
    invented = {
        "statement": "The mayor resigned.",
        "quote": "The mayor resigned on Friday.",
        "kind": "event",
        "attributed_to": None,
    }
    answer = dict(
        GOOD_BRIEF,
        key_facts=[invented, *GOOD_BRIEF["key_facts"]],
        summary=[
            {"text": "About 6,400 daily commuters were left without their usual route to the mainland.", "facts": [2]}
        ],
    )
    mock.post("/chat/completions").mock(return_value=brief_response(answer))
    out = tmp_path / "x.json"
    run = CliRunner().invoke(app, ["brief", str(EXAMPLE), "-o", str(out), "--strict-grounding", "--no-cache"])
    assert run.exit_code == 0, run.stderr
    result = json.loads(out.read_text())
    assert result["brief"]["summary"][0]["facts"] == [1]  # fact 2 became fact 1
    assert result["grounding"]["dropped"] == ["The mayor resigned."]
    nothing = dict(answer, key_facts=[invented], summary=[])
    mock.post("/chat/completions").mock(return_value=brief_response(nothing))
    run = CliRunner().invoke(app, ["brief", str(EXAMPLE), "-o", str(out), "--strict-grounding", "--no-cache"])
    assert run.exit_code == 5 and "grounding error: strict grounding" in run.stderr


def test_two_inputs_with_the_same_name_do_not_overwrite_each_other(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("OPENAI_API_KEY")
    monkeypatch.delenv("OPENAI_BASE_URL")
    for folder, town in (("a", "Gull Island"), ("b", "Heron Key")):
        (tmp_path / folder).mkdir()
        text = EXAMPLE.read_text(encoding="utf-8").replace("Gull Island", town)
        (tmp_path / folder / "story.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    run = CliRunner().invoke(
        app, ["brief", str(tmp_path / "a/story.txt"), str(tmp_path / "b/story.txt"), "-o", str(out)]
    )
    assert run.exit_code == 0, run.stderr
    written = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert sorted(written) == ["story-2.md", "story.md"]
    assert {"Gull Island" in text for text in written.values()} == {True, False}


def findings(statement: str, quote: str) -> list[str]:
    return [f.reason for f in check_statement(statement, quote, ArticleIndex((quote,)), 0)]


def test_a_dropped_negation_is_flagged() -> None:
    quote = "The authority did not offer a new contract to the crews."
    assert findings("The authority offered a new contract to the crews.", quote) == [
        "drops its quote's negation of 'offer'"
    ]
    # the case: a word between the negation and the rest does not break it
    quote = "Liverpool boss Brendan Rodgers hasn't disciplined Sterling (pictured) or Ibe for the incident"
    assert findings("Brendan Rodgers hasn't disciplined Sterling or Ibe for the incident.", quote) == []


def test_a_summary_that_flips_a_negation_is_flagged() -> None:
    quote = "Mr. Zelensky has so far refused to cede Donetsk."
    assert "drops its quote's negation of 'cede'" in findings("Mr. Zelensky agreed to cede Donetsk.", quote)
    assert findings("Mr. Zelensky has so far refused to cede Donetsk.", quote) == []


def test_ground_flags_a_statement_that_drops_its_quotes_negation() -> None:
    article = Article(paragraphs=["The council did not approve the budget on Tuesday."])
    fact = KeyFact(
        statement="The council approved the budget.", quote=article.paragraphs[0], kind="event", attributed_to=None
    )
    sentence = SummarySentence(text="The council approved the budget on Tuesday.", facts=[1])
    _, grounding = ground(article, Brief(headline="h", summary=[sentence], key_facts=[fact], open_questions=[]))
    assert not grounding.facts[0].verified and not grounding.summary[0].verified
