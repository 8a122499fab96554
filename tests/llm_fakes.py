"""OpenAI chat-completions responses as the API sends them, for respx routes."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from summarizer import Settings

BASE_URL = "http://llm.test/v1"
KEY = "sk-test-0123456789abcdef"

# Quotes taken verbatim from examples/harbor-ferry-strike.txt
GOOD_BRIEF: dict[str, Any] = {
    "headline": "Port Avalon ferry crews strike over night-shift pay",
    "summary": [
        {"text": "About 6,400 daily commuters were left without their usual route to the mainland.", "facts": [1]},
        {"text": "The agency offered a 4 percent raise; the union demands 11 percent.", "facts": [2]},
    ],
    "key_facts": [
        {
            "statement": "About 6,400 daily commuters were left without their usual ferry route.",
            "quote": "leaving roughly 6,400 daily commuters without their usual route to the mainland",
            "kind": "figure",
            "attributed_to": None,
        },
        {
            "statement": "The authority offered a 4 percent raise; the union demands 11 percent.",
            "quote": "the agency had offered a 4 percent raise spread over two years and that the "
            "union’s demand of 11 percent",
            "kind": "claim",
            "attributed_to": "Martin Oyelaran",
        },
    ],
    "open_questions": [
        {
            "topic": "mediation",
            "question": "Who would pay for a mediator?",
            "quote": "It is unclear who would pay for a mediator if both sides agreed to one.",
        }
    ],
    "focus": [],
}


def completion_json(
    content: str | None,
    *,
    finish_reason: str = "stop",
    refusal: str | None = None,
    prompt_tokens: int = 900,
    completion_tokens: int = 250,
    cached_tokens: int = 0,
    reasoning_tokens: int = 0,
    tool_arguments: str | None = None,
    model: str = "gpt-4o-mini-2024-07-18",
) -> dict[str, Any]:
    """A chat completion body exactly as the API sends it."""
    message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": refusal}
    if tool_arguments is not None:
        message["content"] = None
        message["tool_calls"] = [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "submit_brief", "arguments": tool_arguments},
            }
        ]
    return {
        "id": "chatcmpl-abc123",
        "object": "chat.completion",
        "created": 1764000000,
        "model": model,
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": cached_tokens, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": reasoning_tokens},
        },
        "system_fingerprint": "fp_test",
    }


def completion(content: str | None, **options: Any) -> httpx.Response:
    return httpx.Response(200, json=completion_json(content, **options))


def brief_response(brief: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
    return completion(json.dumps(brief or GOOD_BRIEF), **kwargs)


def api_error(status: int, message: str, *, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        headers=headers,
        json={"error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}},
    )


def body(request: httpx.Request) -> dict[str, Any]:
    return json.loads(request.content)


_FENCED = re.compile(r"<<<ARTICLE (?P<code>\w+)>>>\n(?P<head>.*?)\n\n(?P<body>.*?)\n<<<END (?P=code)>>>", re.S)


def article_in(request: httpx.Request) -> tuple[str, str]:
    """The title and body of the article a request carries, between its fence lines."""
    user = body(request)["messages"][1]["content"]
    fenced = _FENCED.search(user)
    assert fenced is not None, user
    title = re.search(r"^Title: (.*)$", fenced.group("head"), re.M)
    return (title.group(1) if title else ""), fenced.group("body")


def models_list(*ids: str, **extra: Any) -> httpx.Response:
    """`GET /v1/models` as servers answer it; `extra` goes into each entry (vLLM's
    `max_model_len`, LM Studio's `max_context_length`)."""
    return httpx.Response(
        200,
        json={
            "object": "list",
            "data": [{"id": i, "object": "model", "created": 1764000000, "owned_by": "me", **extra} for i in ids],
        },
    )


def self_hosted(router: Any, *models: str, base_url: str = BASE_URL) -> None:
    """A self-hosted server as the engine first meets it: it lists `models` (none: no
    `/v1/models` at all) and says nothing about its context at `/props` or `/api/show`."""
    root = base_url.removesuffix("/v1")
    router.get(f"{base_url}/models").mock(return_value=models_list(*models) if models else httpx.Response(404))
    router.get(f"{root}/props").mock(return_value=httpx.Response(404))
    router.post(f"{root}/api/show").mock(return_value=httpx.Response(404))


def openai_settings(**overrides: Any) -> Settings:
    """The openai engine at the fake API's address, with `overrides`."""
    return Settings(**{"engine": "openai", "base_url": BASE_URL, "api_key": KEY, **overrides})


def in_flight(
    answer: Callable[[httpx.Request], httpx.Response], seconds: float = 0.05
) -> tuple[Callable[[httpx.Request], Awaitable[httpx.Response]], dict[str, int]]:
    """A slow server: `answer` after `seconds`, counting the requests it holds at once
    ("now") and the most it ever held ("most")."""
    counts = {"now": 0, "most": 0}

    async def slow(request: httpx.Request) -> httpx.Response:
        counts["now"] += 1
        counts["most"] = max(counts["most"], counts["now"])
        await asyncio.sleep(seconds)
        counts["now"] -= 1
        return answer(request)

    return slow, counts
