"""Local model servers out of the box (issue #13): the model a server serves, its
context window read or learned from its own refusals (in llama.cpp's, vLLM's and
OpenAI's wording), what it refused remembered across runs, and a clear error when
there is no server at all."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

from summarizer import ConfigError, LLMOutputError, Settings, summarize
from summarizer.cache import Cache
from summarizer.cli import app
from summarizer.engines.openai import engine as openai_engine
from summarizer.engines.openai.client import context_overflow
from summarizer.engines.openai.engine import OpenAIEngine, remember_in
from summarizer.settings import DEFAULT_MODEL

from .conftest import EXAMPLE, PAGES
from .llm_fakes import BASE_URL, GOOD_BRIEF, KEY, body, brief_response, completion, models_list

ROOT_URL = BASE_URL.removesuffix("/v1")
STORY = PAGES.parent / "stories" / "border-talks.txt"


@pytest.fixture
def server() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{ROOT_URL}/props").mock(return_value=httpx.Response(404))
        router.post(f"{ROOT_URL}/api/show").mock(return_value=httpx.Response(404))
        yield router


def chat(router: respx.MockRouter, *replies: httpx.Response) -> respx.Route:
    return router.post(f"{BASE_URL}/chat/completions").mock(side_effect=list(replies))


def lists(router: respx.MockRouter, *models: str, **extra: object) -> respx.Route:
    return router.get(f"{BASE_URL}/models").mock(return_value=models_list(*models, **extra))


def brief_with(settings: Settings, article: str | None = None):
    return summarize(article or EXAMPLE.read_text(encoding="utf-8"), settings=settings)


# --- which model ---------------------------------------------------------------------------------


def test_the_servers_only_model_is_used_and_never_priced(server: respx.MockRouter) -> None:
    lists(server, "SmolLM2-135M-Instruct.gguf")
    route = chat(server, brief_response())
    result = brief_with(Settings(base_url=BASE_URL))
    assert body(route.calls[0].request)["model"] == "SmolLM2-135M-Instruct.gguf"
    assert result.engine.model == "SmolLM2-135M-Instruct.gguf" and result.usage.cost_usd is None


def test_the_default_model_is_used_when_the_server_lists_it(server: respx.MockRouter) -> None:
    lists(server, "qwen3:8b", DEFAULT_MODEL, "llama3.2")
    route = chat(server, brief_response())
    brief_with(Settings(base_url=BASE_URL))
    assert body(route.calls[0].request)["model"] == DEFAULT_MODEL


def test_several_models_and_none_chosen_is_a_configuration_error(server: respx.MockRouter) -> None:
    lists(server, "qwen3:8b", "llama3.2", "mistral-small")
    route = chat(server, brief_response())
    with pytest.raises(ConfigError, match=r"serves 3 models \(qwen3:8b, llama3.2, mistral-small\); choose one"):
        brief_with(Settings(base_url=BASE_URL))
    assert route.call_count == 0
    # on the command line: exit 2, at once, with the same words
    run = CliRunner(env={"OPENAI_BASE_URL": BASE_URL}).invoke(app, ["brief", str(EXAMPLE), "-o", "-"])
    assert run.exit_code == 2 and "choose one with --model or SUMMARIZER_MODEL" in run.stderr


def test_a_configured_model_is_sent_as_configured(server: respx.MockRouter) -> None:
    lists(server, "qwen3:8b", "llama3.2")
    route = chat(server, brief_response())
    brief_with(Settings(base_url=BASE_URL, model="llama3.2:latest"))
    assert body(route.calls[0].request)["model"] == "llama3.2:latest"


def test_a_server_without_a_model_list_gets_the_default(server: respx.MockRouter) -> None:
    server.get(f"{BASE_URL}/models").mock(return_value=httpx.Response(404, json={"detail": "Not Found"}))
    route = chat(server, brief_response())
    brief_with(Settings(base_url=BASE_URL))
    assert body(route.calls[0].request)["model"] == DEFAULT_MODEL


def test_openais_own_api_is_not_asked_what_it_serves() -> None:
    with respx.mock(base_url="https://api.openai.com/v1", assert_all_called=False) as router:
        listing = router.get("/models").mock(return_value=models_list("gpt-4o"))
        route = router.post("/chat/completions").mock(return_value=brief_response())
        result = brief_with(Settings(api_key=KEY))
    assert listing.call_count == 0 and body(route.calls[0].request)["model"] == DEFAULT_MODEL
    assert result.usage.cost_usd is not None  # OpenAI's list price applies to OpenAI's own API


def test_no_key_and_no_server_is_a_configuration_error_at_once() -> None:
    with respx.mock(assert_all_called=False) as router:  # any request at all would fail the test
        started = time.monotonic()
        run = CliRunner().invoke(app, ["brief", str(EXAMPLE), "--engine", "openai", "-o", "-"])
        assert router.calls.call_count == 0
    assert run.exit_code == 2 and time.monotonic() - started < 5
    assert "OPENAI_API_KEY" in run.stderr and "OPENAI_BASE_URL" in run.stderr and "Traceback" not in run.stderr


# --- how much context ------------------------------------------------------------------------------


def test_a_context_window_in_the_model_list_sizes_the_answer(server: respx.MockRouter) -> None:
    lists(server, "Qwen/Qwen3-8B", max_model_len=4096)  # vLLM's listing
    route = chat(server, brief_response())
    brief_with(Settings(base_url=BASE_URL))
    sent = body(route.calls[0].request)
    prompt = sum(len(m["content"]) for m in sent["messages"]) // 4
    assert sent["max_tokens"] < 3000 and sent["max_tokens"] + prompt <= 4096


def test_llama_cpp_props_say_the_context(server: respx.MockRouter) -> None:
    lists(server, "model.gguf")
    server.get(f"{ROOT_URL}/props").mock(
        return_value=httpx.Response(200, json={"default_generation_settings": {"n_ctx": 2048}, "total_slots": 1})
    )
    notes = {"key_facts": GOOD_BRIEF["key_facts"][:1], "open_questions": []}
    route = server.post(f"{BASE_URL}/chat/completions").mock(
        side_effect=lambda request: (
            completion(json.dumps(notes))
            if body(request)["response_format"]["json_schema"]["name"] == "ChunkNotes"
            else brief_response()
        )
    )
    result = brief_with(Settings(base_url=BASE_URL), STORY.read_text(encoding="utf-8"))
    names = [body(c.request)["response_format"]["json_schema"]["name"] for c in route.calls]
    # a 2,048-token server gets the story in parts, each request fitted to it
    assert names[-1] == "Brief" and names.count("ChunkNotes") >= 2
    for call in route.calls:
        sent = body(call.request)
        assert sent["max_tokens"] + sum(len(m["content"]) for m in sent["messages"]) // 4 <= 2048
    assert result.usage.requests == len(names)


def test_ollama_num_ctx_is_the_context(server: respx.MockRouter) -> None:
    lists(server, "llama3.2:3b")
    server.post(f"{ROOT_URL}/api/show").mock(
        return_value=httpx.Response(200, json={"parameters": "num_ctx 3072\nstop <|eot_id|>", "model_info": {}})
    )
    engine = OpenAIEngine(Settings(base_url=BASE_URL))
    engine.prepare()
    assert openai_engine._DIALECTS.context(engine.server, "llama3.2:3b") == 3072
    assert engine.article_budget() < 3072 - 1024


@pytest.mark.parametrize(
    ("status", "error", "context", "prompt"),
    [
        # llama-cpp-python (and older vLLM)
        (
            400,
            {
                "message": "This model's maximum context length is 4096 tokens. However, you requested 5670 tokens "
                "(2670 in the messages, 3000 in the completion). Please reduce the length of the messages or "
                "completion.",
                "type": "invalid_request_error",
                "param": "messages",
                "code": "context_length_exceeded",
            },
            4096,
            2670,
        ),
        # vLLM
        (
            400,
            {
                "message": "'max_tokens' or 'max_completion_tokens' is too large: 3000. This model's maximum context "
                "length is 4096 tokens and your request has 2670 input tokens (3000 > 4096 - 2670).",
                "type": "BadRequestError",
                "param": None,
                "code": 400,
            },
            4096,
            2670,
        ),
        # llama.cpp's own server
        (
            400,
            {
                "code": 400,
                "message": "the request exceeds the available context size, try increasing it",
                "type": "exceed_context_size_error",
                "n_prompt_tokens": 2670,
                "n_ctx": 4096,
            },
            4096,
            2670,
        ),
    ],
    ids=["llama-cpp-python", "vllm", "llama.cpp"],
)
def test_a_refusal_for_size_teaches_the_context_and_the_request_is_fitted(
    server: respx.MockRouter, status: int, error: dict, context: int, prompt: int
) -> None:
    lists(server, "local")
    route = chat(server, httpx.Response(status, json={"error": error}), brief_response())
    result = brief_with(Settings(base_url=BASE_URL))
    assert route.call_count == 2 and result.grounding.verified_facts == 2
    retried = body(route.calls[1].request)
    assert retried["max_tokens"] <= context - prompt and retried["max_tokens"] >= 1024
    assert openai_engine._DIALECTS.context(f"{BASE_URL}", "local") == context
    parsed = context_overflow(_status_error(status, error))
    assert parsed is not None and (parsed.context, parsed.prompt) == (context, prompt)


def test_openais_prompt_too_long_is_briefed_in_parts() -> None:
    error = {
        "message": "This model's maximum context length is 2000 tokens. However, your messages resulted in 2600 "
        "tokens. Please reduce the length of the messages.",
        "type": "invalid_request_error",
        "param": "messages",
        "code": "context_length_exceeded",
    }
    notes = {"key_facts": GOOD_BRIEF["key_facts"][:1], "open_questions": []}
    replies = iter([httpx.Response(400, json={"error": error})])

    def answer(request: httpx.Request) -> httpx.Response:
        sent = body(request)
        if sent["response_format"]["json_schema"]["name"] == "ChunkNotes":
            return completion(json.dumps(notes))
        return next(replies, brief_response())

    with respx.mock(base_url="https://api.openai.com/v1", assert_all_called=False) as router:
        route = router.post("/chat/completions").mock(side_effect=answer)
        result = brief_with(Settings(api_key=KEY, model="gpt-4o-mini"), STORY.read_text(encoding="utf-8"))
    names = [body(c.request)["response_format"]["json_schema"]["name"] for c in route.calls]
    assert names[0] == "Brief" and names[1] == "ChunkNotes" and names[-1] == "Brief"
    assert result.usage.requests == len(names) - 1  # the refused one was answered with no tokens


def test_an_answer_the_server_cut_for_want_of_room_is_not_retried_bigger(server: respx.MockRouter) -> None:
    """llama-cpp-python cuts `max_tokens` to what its context leaves, silently: the
    answer stops at prompt + completion = n_ctx. Doubling max_tokens cannot help."""
    lists(server, "local")
    notes = {"key_facts": GOOD_BRIEF["key_facts"][:1], "open_questions": []}
    cut = completion('{"headline": "Ferry', finish_reason="length", prompt_tokens=2800, completion_tokens=1296)

    def answer(request: httpx.Request) -> httpx.Response:
        sent = body(request)
        if sent["response_format"]["json_schema"]["name"] == "ChunkNotes":
            return completion(json.dumps(notes))
        return cut if len(server.calls) <= 3 else brief_response()

    route = server.post(f"{BASE_URL}/chat/completions").mock(side_effect=answer)
    result = brief_with(Settings(base_url=BASE_URL), STORY.read_text(encoding="utf-8"))
    sent = [body(c.request) for c in route.calls]
    assert sent[0]["max_tokens"] == 3000 and all(s["max_tokens"] <= 4096 for s in sent[1:])
    assert [s["response_format"]["json_schema"]["name"] for s in sent][1] == "ChunkNotes"
    assert openai_engine._DIALECTS.context(BASE_URL, "local") == 4096
    assert result.usage.requests == len(sent)


def test_a_prompt_that_cannot_fit_even_in_parts_says_what_to_do(server: respx.MockRouter) -> None:
    lists(server, "local", max_model_len=300)
    route = chat(server, brief_response())
    with pytest.raises(LLMOutputError, match=r"does not fit the server's context of 300 tokens.*-c/--n_ctx"):
        brief_with(Settings(base_url=BASE_URL))
    assert route.call_count == 0  # nothing is sent that cannot fit


# --- remembered across runs ------------------------------------------------------------------------


def test_the_refused_json_schema_is_remembered_across_runs(server: respx.MockRouter, tmp_path: Path) -> None:
    refusal = httpx.Response(500, json={"error": {"message": "Unsupported response_format: json_schema"}})
    lists(server, "local")
    route = chat(server, refusal, brief_response(), brief_response())
    cache = Cache(tmp_path / "cache.sqlite")
    remember_in(cache)
    brief_with(Settings(base_url=BASE_URL))
    openai_engine._DIALECTS.clear()  # a new process: nothing in memory
    remember_in(cache)
    brief_with(Settings(base_url=BASE_URL))
    modes = [body(c.request)["response_format"]["type"] for c in route.calls]
    assert modes == ["json_schema", "json_object", "json_object"]  # the second run starts where the first ended
    # and what a server said expires: a week later it is asked again
    with sqlite3.connect(cache.path) as db:
        db.execute("UPDATE servers SET updated = updated - 8 * 86400")
    openai_engine._DIALECTS.clear()
    remember_in(cache)
    assert openai_engine._DIALECTS.refused(BASE_URL, "local") == frozenset()


def test_the_cli_remembers_in_its_cache(tmp_path: Path) -> None:
    refusal = httpx.Response(500, json={"error": {"message": "Unsupported response_format: json_schema"}})
    with respx.mock(assert_all_called=False) as router:
        lists(router, "local")
        router.get(f"{ROOT_URL}/props").mock(return_value=httpx.Response(404))
        router.post(f"{ROOT_URL}/api/show").mock(return_value=httpx.Response(404))
        route = chat(router, refusal, brief_response(), brief_response())
        cli = CliRunner(env={"OPENAI_BASE_URL": BASE_URL})
        cache = str(tmp_path / "c.sqlite")
        for n in range(2):
            openai_engine._DIALECTS.clear()
            run = cli.invoke(app, ["brief", str(EXAMPLE), "-o", str(tmp_path / f"{n}.md"), "--cache", cache])
            assert run.exit_code == 0, run.stderr
            assert "engine: openai, model local at http://llm.test/v1" in run.stderr
            with sqlite3.connect(cache) as db:
                db.execute("DELETE FROM briefs")  # brief again; keep what the server said
    modes = [body(c.request)["response_format"]["type"] for c in route.calls]
    assert modes == ["json_schema", "json_object", "json_object"]


def _status_error(status: int, error: dict) -> Exception:
    import openai

    response = httpx.Response(status, json={"error": error}, request=httpx.Request("POST", f"{BASE_URL}/x"))
    return openai.APIStatusError(error["message"], response=response, body=error)
