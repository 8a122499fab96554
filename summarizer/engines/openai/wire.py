"""A chat completion as it comes over the wire, read without trusting the server.

The SDK returns a `str` when a proxy or a web UI answers with HTML, and raises a bare
`JSONDecodeError` on a broken body; either used to abort a whole batch. Here the body
is parsed by us, and anything that is not a chat completion is one clear
`NotACompletion` naming what came instead, which the retry policy retries once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ...errors import LLMTransportError


class NotACompletion(LLMTransportError):
    """The server answered 200 with something other than a chat completion."""

    kind = "not a completion"


@dataclass(frozen=True)
class Completion:
    content: str | None
    finish_reason: str | None
    refusal: str | None = None
    tool_arguments: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0


def parse_body(body: bytes, content_type: str | None, where: str) -> Completion:
    """Parse a 200 answer's body; `where` names the server in errors."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind == "text/event-stream" or body.lstrip().startswith((b"data:", b"event:")):
        raise NotACompletion(f"{where} answered with an event stream that was not asked for")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        start = body[:80].decode("utf-8", "replace")
        if kind in ("text/html", "application/xhtml+xml") or start.lstrip().startswith("<"):
            raise NotACompletion(
                f"{where} answered HTTP 200 with an HTML page, not a chat completion ({_short(start)!r}); "
                "is the base URL the API's (usually ending in /v1)?"
            ) from None
        raise NotACompletion(f"{where} answered with a body that is not valid JSON ({_short(start)!r})") from None
    return parse_completion(data, where)


def parse_completion(data: Any, where: str) -> Completion:
    """A completion from its JSON (a live answer's, or a Batch API result line's)."""
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list):
        raise NotACompletion(f"{where} answered with JSON that is not a chat completion (no choices)")
    if not choices:
        raise NotACompletion(f"{where} answered with a chat completion that has no choices")
    choice = choices[0] if isinstance(choices[0], dict) else {}
    message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
    calls = message.get("tool_calls")
    arguments = None
    if isinstance(calls, list) and calls and isinstance(calls[0], dict):
        function = calls[0].get("function")
        arguments = function.get("arguments") if isinstance(function, dict) else None
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    prompt_details = usage.get("prompt_tokens_details") if isinstance(usage.get("prompt_tokens_details"), dict) else {}
    completion_details = (
        usage.get("completion_tokens_details") if isinstance(usage.get("completion_tokens_details"), dict) else {}
    )
    return Completion(
        content=_text(message.get("content")),
        finish_reason=_text(choice.get("finish_reason")),
        refusal=_text(message.get("refusal")),
        tool_arguments=_text(arguments),
        prompt_tokens=_count(usage.get("prompt_tokens")),
        completion_tokens=_count(usage.get("completion_tokens")),
        cached_tokens=_count(prompt_details.get("cached_tokens")),
        reasoning_tokens=_count(completion_details.get("reasoning_tokens")),
    )


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # content parts: [{"type": "text", "text": "..."}]
        parts = [p.get("text") for p in value if isinstance(p, dict) and isinstance(p.get("text"), str)]
        return "".join(parts) if parts else None
    return None


def _count(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
