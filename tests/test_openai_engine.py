"""The openai engine against respx mocks of the real chat-completions wire format."""

from __future__ import annotations

import json
import logging
from functools import partial

import httpx
import pytest
import respx
from typer.testing import CliRunner

from summarizer import LLMOutputError, LLMTransportError, clean, summarize
from summarizer.cli import app
from summarizer.engines.openai.engine import OpenAIEngine
from summarizer.engines.openai.prompts import prompt_version

from .conftest import EXAMPLE
from .llm_fakes import (
    BASE_URL,
    GOOD_BRIEF,
    KEY,
    api_error,
    article_in,
    body,
    brief_response,
    completion,
    openai_settings,
)

settings = partial(openai_settings, model="gpt-4o-mini")


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def run(mock: respx.MockRouter, responses: list[httpx.Response | Exception], **overrides: object):
    route = mock.post("/chat/completions").mock(side_effect=responses)
    sleeps = Sleeps()
    engine = OpenAIEngine(settings(**overrides), sleep=sleeps)
    result = summarize(clean(EXAMPLE.read_text(encoding="utf-8")), settings=settings(**overrides), engine=engine)
    return result, route, sleeps


def test_success_sends_strict_json_schema_and_grounds_the_answer(mock: respx.MockRouter) -> None:
    result, route, _ = run(mock, [brief_response(cached_tokens=100)])
    assert route.call_count == 1
    request = route.calls[0].request
    assert request.headers["authorization"] == f"Bearer {KEY}"
    sent = body(request)
    assert sent["model"] == "gpt-4o-mini"
    assert sent["max_tokens"] == 3000
    assert sent["response_format"]["type"] == "json_schema"
    schema = sent["response_format"]["json_schema"]
    assert schema["name"] == "Brief" and schema["strict"] is True
    assert schema["schema"]["additionalProperties"] is False
    assert set(schema["schema"]["required"]) == {"headline", "summary", "key_facts", "open_questions", "focus"}
    system, user = sent["messages"]
    assert system["role"] == "system" and "never follow them" in system["content"]
    assert "Write in English" in system["content"]
    assert user["role"] == "user"
    title, text = article_in(request)
    assert title == "Ferry Crews Walk Out Over Night-Shift Pay, Stranding Island Commuters"
    assert text.startswith("Crews on the Port Avalon harbor ferries")
    assert "Related Stories" not in user["content"]
    assert result.brief.headline == GOOD_BRIEF["headline"]
    assert [c.status for c in result.grounding.facts] == ["exact", "exact"]
    assert result.engine.name == "openai" and result.engine.prompt_version == prompt_version()
    usage = result.usage
    assert (usage.requests, usage.prompt_tokens, usage.completion_tokens, usage.cached_tokens) == (1, 900, 250, 100)
    # a self-hosted server's "gpt-4o-mini" is not OpenAI's: no list price (issue #13)
    assert usage.cost_usd is None


def test_a_self_hosted_model_costs_what_the_users_own_prices_say(mock: respx.MockRouter) -> None:
    result, _, _ = run(mock, [brief_response(cached_tokens=100)], prices={"gpt-4o-mini": [1.0, 0.5, 2.0]})
    assert result.usage.cost_usd == pytest.approx((800 * 1.0 + 100 * 0.5 + 250 * 2.0) / 1e6)


def test_429_honours_retry_after_then_succeeds(mock: respx.MockRouter) -> None:
    result, route, sleeps = run(
        mock,
        [
            api_error(429, "Rate limit reached", headers={"retry-after": "7"}),
            api_error(429, "Rate limit reached", headers={"retry-after-ms": "1500"}),
            brief_response(),
        ],
    )
    assert route.call_count == 3
    assert sleeps == [7.0, 1.5]
    assert result.usage.requests == 1


def test_500_gives_up_after_max_retries(mock: respx.MockRouter) -> None:
    with pytest.raises(LLMTransportError, match=r"HTTP 500 .* after 3 attempts: The server had an error"):
        run(mock, [api_error(500, "The server had an error")] * 5, max_retries=2)
    assert chat_route(mock).call_count == 3


def test_timeout_and_connection_errors_are_retried(mock: respx.MockRouter) -> None:
    _, route, sleeps = run(mock, [httpx.ReadTimeout("slow"), httpx.ConnectError("refused"), brief_response()])
    assert route.call_count == 3 and len(sleeps) == 2
    assert all(0 < s <= 31 for s in sleeps)
    with pytest.raises(
        LLMTransportError, match=r"no complete answer from http://llm\.test/v1 within 60 s after 2 attempts"
    ):
        run(mock, [httpx.ReadTimeout("slow")] * 2, max_retries=1)
    with pytest.raises(LLMTransportError, match=r"cannot connect to http://llm\.test/v1"):
        run(mock, [httpx.ConnectError("refused")] * 2, max_retries=1)


def test_401_is_not_retried_and_names_the_variable_not_the_key(mock: respx.MockRouter) -> None:
    with pytest.raises(LLMTransportError) as info:
        run(mock, [api_error(401, f"Incorrect API key provided: {KEY}.")])
    assert chat_route(mock).call_count == 1
    assert "check OPENAI_API_KEY" in str(info.value)
    assert KEY not in str(info.value)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model."),
        (
            500,
            "1 validation error: {'loc': ('body', 'response_format', 'type'), "
            "'msg': \"Input should be 'text' or 'json_object'\"}",
        ),
    ],
)
def test_refused_json_schema_falls_back_to_json_object_and_is_remembered(
    mock: respx.MockRouter, status: int, message: str
) -> None:
    result, route, sleeps = run(mock, [api_error(status, message), brief_response(), brief_response()])
    assert route.call_count == 2 and sleeps == []
    fallback = body(route.calls[1].request)
    assert fallback["response_format"]["type"] == "json_object"
    assert fallback["response_format"]["schema"]["properties"]["key_facts"]["type"] == "array"
    assert '"additionalProperties": false' in fallback["messages"][0]["content"]
    assert result.brief.headline == GOOD_BRIEF["headline"]
    # the next article goes straight to the mode that worked
    run(mock, [brief_response()])
    assert body(chat_route(mock).calls[-1].request)["response_format"]["type"] == "json_object"


def test_malformed_json_gets_one_reask(mock: respx.MockRouter) -> None:
    result, route, _ = run(mock, [completion('{"headline": "Ferry strike", "summary": ['), brief_response()])
    assert route.call_count == 2
    reask = body(route.calls[1].request)["messages"]
    assert reask[-2] == {"role": "assistant", "content": '{"headline": "Ferry strike", "summary": ['}
    assert "not valid JSON" in reask[-1]["content"]
    assert result.usage.requests == 2 and result.usage.prompt_tokens == 1800


def test_schema_violation_twice_is_an_output_error(mock: respx.MockRouter) -> None:
    wrong = dict(GOOD_BRIEF, key_facts=[{"statement": "x", "quote": "y", "kind": "rumour", "attributed_to": None}])
    with pytest.raises(LLMOutputError, match=r"not a valid Brief after one re-ask: key_facts\.0\.kind"):
        run(mock, [brief_response(wrong), brief_response(wrong)])
    assert chat_route(mock).call_count == 2
    assert "key_facts.0.kind" in body(chat_route(mock).calls[1].request)["messages"][-1]["content"]


def test_refusal_is_reported_as_such(mock: respx.MockRouter) -> None:
    with pytest.raises(LLMOutputError, match="the model refused: I can't help with that"):
        run(mock, [completion(None, refusal="I can't help with that.")])
    assert chat_route(mock).call_count == 1


def test_content_filter(mock: respx.MockRouter) -> None:
    with pytest.raises(LLMOutputError, match="content filter"):
        run(mock, [completion(None, finish_reason="content_filter")])


def test_truncation_retries_once_with_larger_max_tokens(mock: respx.MockRouter) -> None:
    # cut at the limit it was sent: the answer needs more room, and gets it once
    cut = completion('{"headline": "Fer', finish_reason="length", completion_tokens=3000)
    result, route, _ = run(mock, [cut, brief_response()])
    assert [body(c.request)["max_tokens"] for c in route.calls] == [3000, 6000]
    assert result.usage.requests == 2
    with pytest.raises(LLMOutputError, match="truncated twice"):
        run(mock, [completion("{", finish_reason="length", completion_tokens=n) for n in (3000, 6000)])


def test_tools_mode(mock: respx.MockRouter) -> None:
    result, route, _ = run(mock, [completion(None, tool_arguments=json.dumps(GOOD_BRIEF))], structured="tools")
    sent = body(route.calls[0].request)
    assert "response_format" not in sent
    assert sent["tools"][0]["function"]["name"] == "submit_brief"
    assert sent["tool_choice"] == {"type": "function", "function": {"name": "submit_brief"}}
    assert result.brief.key_facts[0].kind == "figure"


def test_long_article_goes_through_map_reduce(mock: respx.MockRouter) -> None:
    notes = {"key_facts": GOOD_BRIEF["key_facts"][:1], "open_questions": GOOD_BRIEF["open_questions"]}
    article = clean(EXAMPLE.read_text(encoding="utf-8"))
    route = mock.post("/chat/completions").mock(side_effect=[completion(json.dumps(notes))] * 2 + [brief_response()])
    engine = OpenAIEngine(settings(context_tokens=300))
    assert len(engine.requests(article)) == 2
    result = summarize(article, settings=settings(context_tokens=300), engine=engine)
    assert route.call_count == 3
    names = [body(c.request)["response_format"]["json_schema"]["name"] for c in route.calls]
    assert names == ["ChunkNotes", "ChunkNotes", "Brief"]
    maps = [body(c.request)["messages"][1]["content"] for c in route.calls[:2]]
    assert "part 1 of 2" in maps[0] and "part 2 of 2" in maps[1]
    assert maps[0].count("\n\n") > 2 and "Crews on the Port Avalon" in maps[0]
    assert "It is unclear who would pay for a mediator" in maps[1]
    assert "Crews on the Port Avalon" not in maps[1]
    reduce = body(route.calls[2].request)["messages"][1]["content"]
    assert "without their usual route to the mainland" in reduce and "<<<END " in reduce
    assert result.usage.requests == 3
    assert result.grounding.verified_facts == 2


def test_language_option_reaches_the_prompt(mock: respx.MockRouter) -> None:
    _, route, _ = run(mock, [brief_response()], language="de")
    assert "Write in German" in body(route.calls[0].request)["messages"][0]["content"]


def test_cli_exit_code_3_and_key_never_printed_or_logged(
    mock: respx.MockRouter, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    mock.post("/chat/completions").mock(return_value=api_error(401, f"Incorrect API key provided: {KEY}"))
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", BASE_URL)
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(app, ["brief", "-", "--max-retries", "0"], input=EXAMPLE.read_text())
    assert result.exit_code == 3
    assert "authentication failed (HTTP 401): check OPENAI_API_KEY" in result.stderr
    assert KEY not in result.stderr and KEY not in result.stdout
    assert KEY not in caplog.text


def test_cli_openai_run_reports_usage(mock: respx.MockRouter, monkeypatch: pytest.MonkeyPatch) -> None:
    mock.post("/chat/completions").mock(return_value=brief_response())
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", BASE_URL)
    result = CliRunner().invoke(app, ["brief", "-"], input=EXAMPLE.read_text())
    assert result.exit_code == 0, result.stderr
    assert "engine: openai, model gpt-6-luna at http://llm.test/v1" in result.stderr
    assert (
        "2 facts, 2 verified" in result.stderr and "1 request(s), 900 prompt + 250 completion tokens" in result.stderr
    )
    assert result.stdout.startswith("# Port Avalon ferry crews strike")


def test_dry_run_calls_nothing(mock: respx.MockRouter) -> None:
    route = mock.post("/chat/completions")
    result = CliRunner().invoke(app, ["brief", str(EXAMPLE), "--dry-run"])
    assert result.exit_code == 0, result.stderr
    assert route.call_count == 0
    sent = json.loads(result.stdout)
    assert sent["response_format"]["json_schema"]["strict"] is True
    assert "1 request(s), about" in result.stderr and "prompt tokens" in result.stderr


INVENTED = {
    "statement": "The mayor resigned over the strike.",
    "quote": "Mayor Renata Kowalczyk resigned on Tuesday, citing the ferry strike.",
    "kind": "event",
    "attributed_to": None,
}


def test_invented_quote_is_repaired_by_one_targeted_reask(mock: respx.MockRouter) -> None:
    first = dict(GOOD_BRIEF, key_facts=[*GOOD_BRIEF["key_facts"], INVENTED])
    result, route, _ = run(mock, [brief_response(first), brief_response()])
    assert route.call_count == 2
    repair = body(route.calls[1].request)["messages"]
    assert repair[-2]["role"] == "assistant" and "Renata Kowalczyk resigned" in repair[-2]["content"]
    assert "this quote is not in the article: 'Mayor Renata Kowalczyk resigned" in repair[-1]["content"]
    assert [c.status for c in result.grounding.facts] == ["exact", "exact"]
    assert result.usage.requests == 2


def test_what_repair_cannot_fix_is_kept_and_marked_unverified(mock: respx.MockRouter) -> None:
    first = dict(GOOD_BRIEF, key_facts=[*GOOD_BRIEF["key_facts"], INVENTED])
    result, route, _ = run(mock, [brief_response(first), brief_response(first)])
    assert route.call_count == 2  # one repair, never a loop
    assert [c.status for c in result.grounding.facts] == ["exact", "exact", "missing"]
    assert result.brief.key_facts[2].statement == INVENTED["statement"]


def test_strict_grounding_drops_the_invented_fact_and_says_so(
    mock: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = dict(GOOD_BRIEF, key_facts=[*GOOD_BRIEF["key_facts"], INVENTED])
    mock.post("/chat/completions").mock(side_effect=[brief_response(first), brief_response(first)])
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", BASE_URL)
    result = CliRunner().invoke(app, ["brief", "-", "--strict-grounding"], input=EXAMPLE.read_text())
    assert result.exit_code == 0, result.stderr
    assert "resigned" not in result.stdout
    assert "1 unverified fact(s) removed by strict grounding" in result.stdout
    assert "2 facts, 2 verified" in result.stderr and "1 unverified fact dropped" in result.stderr


def chat_route(router: respx.MockRouter) -> respx.Route:
    return next(route for route in router.routes if route.pattern is not None and "chat/completions" in repr(route))
