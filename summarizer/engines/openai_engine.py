"""The openai engine: any OpenAI-compatible chat-completions server writes the brief
through structured output, and everything a real API does wrong is handled here.

One request per article in the normal case. Output that does not validate gets one
re-ask with the validation error; a truncated answer gets one retry with a larger
`max_tokens`; a server that refuses `json_schema` is asked again with `json_object`
and the schema in the prompt, and the mode that worked is remembered per server.
Articles over the context budget are split on paragraph boundaries (map), and one
more call merges the parts (reduce).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import openai
from pydantic import BaseModel, ValidationError

from ..errors import LLMOutputError
from ..language import detect_language
from ..llm_client import call_with_retries, is_format_refusal, make_client, redact, transport_error
from ..llm_schema import ChunkNotes, response_format, strict_schema
from ..models import Article, Brief, EngineInfo, Usage
from ..pricing import cost
from ..prompts import prompt_version, render_prompt
from ..settings import Settings, StructuredMode
from ..tokens import chunk_paragraphs, estimate_tokens

_Model = TypeVar("_Model", bound=BaseModel)
_LANGUAGES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "ru": "Russian",
    "uk": "Ukrainian",
    "pl": "Polish",
}
# The structured-output mode that worked, per server, for this process.
_WORKING_MODE: dict[str, StructuredMode] = {}
Messages = list[dict[str, Any]]


@dataclass
class _Meter:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0

    def add(self, completion: Any) -> None:
        self.requests += 1
        usage = getattr(completion, "usage", None)
        if usage is None:
            return
        self.prompt_tokens += usage.prompt_tokens or 0
        self.completion_tokens += usage.completion_tokens or 0
        details = getattr(usage, "prompt_tokens_details", None)
        self.cached_tokens += (getattr(details, "cached_tokens", None) or 0) if details else 0

    def usage(self, settings: Settings) -> Usage:
        return Usage(
            requests=self.requests,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            cached_tokens=self.cached_tokens,
            cost_usd=cost(
                settings.model,
                self.prompt_tokens,
                self.cached_tokens,
                self.completion_tokens,
                settings.prices,
            ),
        )


class OpenAIEngine:
    def __init__(
        self,
        settings: Settings,
        *,
        client: openai.OpenAI | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._client = client
        self._sleep = sleep

    @property
    def info(self) -> EngineInfo:
        return EngineInfo(name="openai", model=self.settings.model, prompt_version=prompt_version())

    @property
    def client(self) -> openai.OpenAI:
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    def brief(self, article: Article, *, topics: list[str] | None = None) -> tuple[Brief, Usage]:
        meter = _Meter()
        chunks = chunk_paragraphs(article.paragraphs, self.settings.context_tokens)
        if len(chunks) <= 1:
            brief = self._structured(lambda mode: brief_messages(article, self.settings, topics, mode), Brief, meter)
        else:
            notes = [
                self._structured(
                    lambda mode, i=i, chunk=chunk: map_messages(article, chunk, i, len(chunks), self.settings, mode),
                    ChunkNotes,
                    meter,
                )
                for i, chunk in enumerate(chunks, start=1)
            ]
            brief = self._structured(
                lambda mode: reduce_messages(article, notes, self.settings, topics, mode), Brief, meter
            )
        return brief, meter.usage(self.settings)

    def repair(self, article: Article, brief: Brief, problems: list[str]) -> tuple[Brief, Usage]:
        """The one targeted re-ask after grounding: the model sees its own brief and
        what failed, and answers with the whole brief corrected."""
        meter = _Meter()
        listed = "\n".join(f"- {p}" for p in problems)

        def build(mode: StructuredMode) -> Messages:
            return [
                *brief_messages(article, self.settings, None, mode),
                {"role": "assistant", "content": brief.model_dump_json()},
                {
                    "role": "user",
                    "content": "Checked against the article, these parts of your brief fail:\n"
                    f"{listed}\n"
                    "Correct them: copy each quote exactly from the article, keep every number, date "
                    "and name of a statement inside its quote, or remove the fact. Answer with the "
                    "whole corrected brief.",
                },
            ]

        return self._structured(build, Brief, meter), meter.usage(self.settings)

    def requests(self, article: Article, *, topics: list[str] | None = None) -> list[dict[str, Any]]:
        """The request bodies a run would send first (for --dry-run); map-reduce
        articles list their map requests, the reduce request depends on their answers."""
        mode = self._mode()
        chunks = chunk_paragraphs(article.paragraphs, self.settings.context_tokens)
        if len(chunks) <= 1:
            return [self._request(brief_messages(article, self.settings, topics, mode), Brief, mode)]
        return [
            self._request(map_messages(article, chunk, i, len(chunks), self.settings, mode), ChunkNotes, mode)
            for i, chunk in enumerate(chunks, start=1)
        ]

    def _mode(self) -> StructuredMode:
        return _WORKING_MODE.get(self._server(), self.settings.structured)

    def _server(self) -> str:
        return self.settings.azure_endpoint or self.settings.base_url or "https://api.openai.com/v1"

    def _structured(self, build: Callable[[StructuredMode], Messages], model: type[_Model], meter: _Meter) -> _Model:
        mode = self._mode()
        messages = build(mode)
        max_tokens = self.settings.max_tokens
        reasked = extended = False
        while True:
            request = self._request(messages, model, mode, max_tokens)
            try:
                completion = call_with_retries(
                    lambda request=request: self.client.chat.completions.create(**request),
                    self.settings,
                    sleep=self._sleep,
                )
            except openai.APIStatusError as exc:  # not retried: a refused response format
                if mode != "json_object" and is_format_refusal(exc):
                    mode = "json_object"
                    messages = build(mode)
                    continue
                raise transport_error(exc, self.settings) from None
            meter.add(completion)
            _WORKING_MODE[self._server()] = mode
            choice = completion.choices[0] if completion.choices else None
            if choice is None:
                raise LLMOutputError("the server returned no choices")
            message = choice.message
            if getattr(message, "refusal", None):
                raise LLMOutputError(redact(f"the model refused: {message.refusal}", self.settings))
            if choice.finish_reason == "content_filter":
                raise LLMOutputError("the answer was withheld by the server's content filter")
            content = _content(message, mode)
            if choice.finish_reason == "length":
                if extended:
                    raise LLMOutputError(f"the answer was truncated twice (max_tokens {max_tokens})")
                extended, max_tokens = True, max_tokens * 2
                continue
            try:
                return model.model_validate_json(content or "")
            except ValidationError as exc:
                if reasked:
                    raise LLMOutputError(
                        f"the model's answer is not a valid {model.__name__} after one re-ask: {_errors(exc)}"
                    ) from None
                reasked = True
                messages = [
                    *messages,
                    {"role": "assistant", "content": content or ""},
                    {
                        "role": "user",
                        "content": f"That answer is not valid: {_errors(exc)}. "
                        "Answer again with only the corrected JSON object.",
                    },
                ]

    def _request(
        self, messages: Messages, model: type[BaseModel], mode: StructuredMode, max_tokens: int | None = None
    ) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self.settings.model,
            "messages": messages,
            "max_tokens": max_tokens or self.settings.max_tokens,
        }
        if mode == "json_schema":
            request["response_format"] = response_format(model)
        elif mode == "json_object":
            request["response_format"] = {"type": "json_object"}
            if self.settings.base_url:  # llama.cpp and vLLM constrain output with it
                request["response_format"]["schema"] = strict_schema(model)
        else:
            name = f"submit_{model.__name__.lower()}"
            request["tools"] = [
                {
                    "type": "function",
                    "function": {"name": name, "parameters": strict_schema(model), "strict": True},
                }
            ]
            request["tool_choice"] = {"type": "function", "function": {"name": name}}
        return request


def _content(message: Any, mode: StructuredMode) -> str | None:
    if mode == "tools" and getattr(message, "tool_calls", None):
        return message.tool_calls[0].function.arguments
    return message.content


def _errors(exc: ValidationError) -> str:
    if any(e["type"] == "json_invalid" for e in exc.errors()):
        return "it is not valid JSON"
    parts = [f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: {e['msg']}" for e in exc.errors()[:8]]
    return "; ".join(parts)


def output_language(article: Article, settings: Settings) -> str:
    code = settings.language or article.language or detect_language(article.body) or "en"
    return _LANGUAGES.get(code, code)


def _system(
    settings: Settings,
    article: Article,
    topics: list[str] | None,
    mode: StructuredMode,
    model: type[BaseModel],
) -> dict[str, str]:
    schema = json.dumps(strict_schema(model)) if mode == "json_object" else None
    text = render_prompt(
        "brief.system.j2", language=output_language(article, settings), topics=topics or [], schema=schema
    )
    return {"role": "system", "content": text}


def brief_messages(article: Article, settings: Settings, topics: list[str] | None, mode: StructuredMode) -> Messages:
    return [
        _system(settings, article, topics, mode, Brief),
        {"role": "user", "content": render_prompt("brief.user.j2", article=article, body=article.body)},
    ]


def map_messages(
    article: Article, chunk: list[str], part: int, parts: int, settings: Settings, mode: StructuredMode
) -> Messages:
    body = "\n\n".join(chunk)
    user = render_prompt("map.user.j2", article=article, body=body, part=part, parts=parts)
    return [_system(settings, article, None, mode, ChunkNotes), {"role": "user", "content": user}]


def reduce_messages(
    article: Article,
    notes: list[ChunkNotes],
    settings: Settings,
    topics: list[str] | None,
    mode: StructuredMode,
) -> Messages:
    merged = {
        "key_facts": [f.model_dump() for n in notes for f in n.key_facts],
        "open_questions": [q.model_dump() for n in notes for q in n.open_questions],
    }
    user = render_prompt(
        "reduce.user.j2",
        article=article,
        parts=len(notes),
        max_facts=15,
        notes=json.dumps(merged, ensure_ascii=False, indent=1),
    )
    return [_system(settings, article, topics, mode, Brief), {"role": "user", "content": user}]


def estimate_request_tokens(request: dict[str, Any]) -> int:
    text = "".join(m["content"] for m in request["messages"])
    schema = json.dumps(request.get("response_format") or request.get("tools") or "")
    return estimate_tokens(text) + estimate_tokens(schema)
