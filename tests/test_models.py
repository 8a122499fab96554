"""Today's OpenAI models (issue #18): max_completion_tokens, reasoning budgets and
efforts, parameters never sent, current default and prices; servers that only know
the older parameters."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

from summarizer import LLMOutputError, Settings, summarize
from summarizer.cli import app
from summarizer.engines.openai.pricing import PRICES, cost, price_of
from summarizer.settings import DEFAULT_MODEL

from .conftest import EXAMPLE
from .llm_fakes import BASE_URL, GOOD_BRIEF, KEY, body, brief_response, completion, self_hosted

OPENAI = "https://api.openai.com/v1"

# The API's own answer to max_tokens on a GPT-5.x model (param and code as it sends them).
MAX_TOKENS_REFUSED = httpx.Response(
    400,
    json={
        "error": {
            "message": "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead.",
            "type": "invalid_request_error",
            "param": "max_tokens",
            "code": "unsupported_parameter",
        }
    },
)
# llama-cpp-python's server validates its request model: an unknown field is a 422.
MAX_COMPLETION_TOKENS_REFUSED = httpx.Response(
    422,
    json={
        "detail": [
            {
                "type": "extra_forbidden",
                "loc": ["body", "max_completion_tokens"],
                "msg": "Extra inputs are not permitted",
                "input": 4000,
            }
        ]
    },
)


@pytest.fixture
def openai_api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=OPENAI, assert_all_called=False) as router:
        yield router


@pytest.fixture
def gateway() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        self_hosted(router, DEFAULT_MODEL)
        yield router


def text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def test_openai_gets_max_completion_tokens_and_a_low_reasoning_effort(openai_api: respx.MockRouter) -> None:
    route = openai_api.post("/chat/completions").mock(return_value=brief_response())
    result = summarize(text(), settings=Settings(api_key=KEY))
    sent = body(route.calls[0].request)
    assert sent["model"] == DEFAULT_MODEL == "gpt-6-luna"
    assert "max_tokens" not in sent and sent["max_completion_tokens"] == 3000 + 3072
    assert sent["reasoning_effort"] == "low"
    assert "temperature" not in sent and "top_p" not in sent
    assert sent["response_format"]["json_schema"]["strict"] is True
    assert result.engine.model == "gpt-6-luna"


def test_reasoning_effort_from_the_command_line_and_the_config_file(
    openai_api: respx.MockRouter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    route = openai_api.post("/chat/completions").mock(return_value=brief_response())
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    config = tmp_path / "config.toml"
    config.write_text('reasoning_effort = "medium"\nmax_tokens = 2000\n')
    monkeypatch.setenv("SUMMARIZER_CONFIG", str(config))
    out = tmp_path / "x.md"
    assert CliRunner().invoke(app, ["brief", str(EXAMPLE), "-o", str(out), "--no-cache"]).exit_code == 0
    assert (
        body(route.calls[-1].request)["reasoning_effort"],
        body(route.calls[-1].request)["max_completion_tokens"],
    ) == (
        "medium",
        2000 + 8192,
    )
    args = ["brief", str(EXAMPLE), "-o", str(out), "--no-cache", "--reasoning-effort", "none"]
    assert CliRunner().invoke(app, args).exit_code == 0
    assert (
        body(route.calls[-1].request)["reasoning_effort"],
        body(route.calls[-1].request)["max_completion_tokens"],
    ) == (
        "none",
        2000,
    )


def test_a_refused_max_tokens_switches_once_and_is_remembered(gateway: respx.MockRouter) -> None:
    """A gateway in front of a GPT-5.x model: max_tokens first, as for any other server."""
    route = gateway.post("/chat/completions").mock(side_effect=[MAX_TOKENS_REFUSED, brief_response(), brief_response()])
    chosen = Settings(base_url=BASE_URL, api_key=KEY, model="gpt-5.4-mini")
    result = summarize(text(), settings=chosen)
    first, second = (body(c.request) for c in route.calls[:2])
    assert "max_tokens" in first and "max_completion_tokens" not in first
    assert second["max_completion_tokens"] == first["max_tokens"] and "max_tokens" not in second
    assert result.grounding.verified_facts == 2 and result.usage.requests == 1
    summarize(text().replace("Gull", "Gall"), settings=chosen)  # the next article goes straight to what worked
    assert route.call_count == 3 and "max_completion_tokens" in body(route.calls[2].request)


def test_a_server_that_only_knows_max_tokens(openai_api: respx.MockRouter) -> None:
    route = openai_api.post("/chat/completions").mock(side_effect=[MAX_COMPLETION_TOKENS_REFUSED, brief_response()])
    summarize(text(), settings=Settings(api_key=KEY))
    assert "max_completion_tokens" in body(route.calls[0].request)
    assert body(route.calls[1].request)["max_tokens"] == 3000 + 3072


def test_a_refused_reasoning_effort_is_dropped(openai_api: respx.MockRouter) -> None:
    refused = httpx.Response(
        400,
        json={
            "error": {
                "message": "Unsupported parameter: 'reasoning_effort' is not supported with this model.",
                "type": "invalid_request_error",
                "param": "reasoning_effort",
                "code": "unsupported_parameter",
            }
        },
    )
    route = openai_api.post("/chat/completions").mock(side_effect=[refused, brief_response()])
    summarize(text(), settings=Settings(api_key=KEY, model="gpt-5.4"))
    assert "reasoning_effort" in body(route.calls[0].request) and "reasoning_effort" not in body(route.calls[1].request)


def test_the_same_refusal_twice_is_an_error_not_a_loop(gateway: respx.MockRouter) -> None:
    route = gateway.post("/chat/completions").mock(return_value=MAX_TOKENS_REFUSED)
    from summarizer import LLMTransportError

    with pytest.raises(LLMTransportError, match="Unsupported parameter: 'max_tokens'"):
        summarize(text(), settings=Settings(base_url=BASE_URL, api_key=KEY, model="gpt-5.4-mini"))
    assert route.call_count == 2  # max_tokens refused, max_completion_tokens refused as well: stop


def test_reasoning_tokens_are_counted_and_priced_as_output(openai_api: respx.MockRouter) -> None:
    answer = completion(json.dumps(GOOD_BRIEF), prompt_tokens=1000, completion_tokens=1500, reasoning_tokens=1200)
    openai_api.post("/chat/completions").mock(return_value=answer)
    result = summarize(text(), settings=Settings(api_key=KEY))
    assert (result.usage.completion_tokens, result.usage.reasoning_tokens) == (1500, 1200)
    assert result.usage.cost_usd == pytest.approx((1000 * 0.10 + 1500 * 0.50) / 1e6)


def test_a_truncation_caused_by_reasoning_says_so_and_raises_the_budget(openai_api: respx.MockRouter) -> None:
    thought_only = completion(
        "", finish_reason="length", prompt_tokens=1000, completion_tokens=6072, reasoning_tokens=6072
    )
    route = openai_api.post("/chat/completions").mock(side_effect=[thought_only, brief_response()])
    summarize(text(), settings=Settings(api_key=KEY))
    budgets = [body(c.request)["max_completion_tokens"] for c in route.calls]
    assert budgets[0] == 6072 and budgets[1] >= 6072 + 2 * 3000
    route = openai_api.post("/chat/completions").mock(return_value=thought_only)
    with pytest.raises(
        LLMOutputError, match=r"truncated twice \(max_completion_tokens [\d,]+; 6,072 of them reasoning\)"
    ):
        summarize(text(), settings=Settings(api_key=KEY))


def test_tools_mode_on_a_reasoning_model_reasons_not_at_all(openai_api: respx.MockRouter) -> None:
    route = openai_api.post("/chat/completions").mock(
        return_value=completion(None, tool_arguments=json.dumps(GOOD_BRIEF))
    )
    summarize(text(), settings=Settings(api_key=KEY, structured="tools"))
    assert body(route.calls[0].request)["reasoning_effort"] == "none"


def test_self_hosted_servers_get_the_older_parameters_and_no_reasoning_effort(gateway: respx.MockRouter) -> None:
    route = gateway.post("/chat/completions").mock(return_value=brief_response())
    summarize(text(), settings=Settings(base_url=BASE_URL, model="gpt-6-luna"))
    sent = body(route.calls[0].request)
    assert sent["max_tokens"] == 3000 and "max_completion_tokens" not in sent and "reasoning_effort" not in sent


def test_batch_export_carries_the_same_parameters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    out = tmp_path / "requests.jsonl"
    assert CliRunner().invoke(app, ["batch", "export", str(EXAMPLE), "-o", str(out)]).exit_code == 0
    line = json.loads(out.read_text().splitlines()[0])
    assert line["body"]["max_completion_tokens"] == 3000 + 3072 and line["body"]["reasoning_effort"] == "low"
    assert "max_tokens" not in line["body"]


def test_prices_current_dated_and_retired() -> None:
    assert price_of("gpt-5.4-mini-2026-03-17") == PRICES["gpt-5.4-mini"]
    assert price_of("gpt-6-luna") is not None and price_of("gpt-6-luna").listed  # type: ignore[union-attr]
    assert price_of("gpt-4o-mini") is not None and not price_of("gpt-4o-mini").listed  # type: ignore[union-attr]
    assert price_of("smollm2") is None and cost("smollm2", 1000, 0, 100) is None
    assert price_of("gpt-5.4-mini-fast") is None  # not a snapshot of gpt-5.4-mini: no guessed price
    for name, price in PRICES.items():  # GPT-5.x and 6.x cache at a tenth of input, pro models not at all
        if name.startswith(("gpt-5.", "gpt-6")) and not name.endswith("-pro"):
            assert price.cached_input == pytest.approx(price.input / 10) or name in ("gpt-6.1-sol", "gpt-6.1-terra")
    assert cost("my-model", 2000, 0, 1000, {"my-model": [1.0, 0.5, 2.0]}) == pytest.approx(0.004)


def test_the_run_line_names_reasoning_and_a_last_known_price(
    openai_api: respx.MockRouter, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    openai_api.post("/chat/completions").mock(return_value=completion(json.dumps(GOOD_BRIEF), reasoning_tokens=80))
    run = CliRunner().invoke(app, ["brief", str(EXAMPLE), "-o", str(tmp_path / "x.md"), "--model", "gpt-4o-mini"])
    assert run.exit_code == 0, run.stderr
    assert "(80 reasoning)" in run.stderr
    assert "last known price of gpt-4o-mini, which OpenAI no longer lists" in run.stderr
