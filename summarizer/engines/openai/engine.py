"""The openai engine: any OpenAI-compatible chat-completions server writes the brief
through structured output, and everything a real API does wrong is handled here.

One request per article in the normal case. Output that does not validate gets one
re-ask with the validation error; a truncated answer gets one retry with a larger
token budget (larger still when reasoning ate it); a server that refuses a parameter
(`json_schema`, `max_tokens`, `reasoning_effort`) is asked again without it, and the
dialect that worked is remembered per server and model.
Articles over the context budget are split on paragraph boundaries (map), and one
more call merges the parts (reduce); the reduce and repair requests fit the same
budget. Each exchange is written once, as a generator of request bodies, and driven
by a sync or an async client.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, TypeVar

import openai
from pydantic import BaseModel, ValidationError

from ...clean.language import detect_language
from ...errors import LLMOutputError
from ...models import Article, Brief, EngineInfo, Judgements, Usage
from ...settings import Settings, StructuredMode
from ...words import content_words, stem
from .client import (
    acall_with_retries,
    asend,
    call_with_retries,
    display_url,
    make_async_client,
    make_client,
    redact,
    refused_parameter,
    send,
    server_name,
    transport_error,
)
from .dialect import Dialect, Memory, first_guess, without_all
from .pricing import cost
from .prompts import prompt_version, render_prompt
from .schema import ChunkNotes, response_format, strict_schema
from .throttle import Throttle
from .tokens import chunk_paragraphs, estimate_tokens
from .wire import Completion

_Model = TypeVar("_Model", bound=BaseModel)
_T = TypeVar("_T")
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
# What each server and model refused.
_DIALECTS = Memory()
# A brief as JSON, and the instructions around it, in a repair request.
_REPAIR_OVERHEAD = 2500
_MAX_FACTS = 15
_FENCED_JSON = re.compile(r"^\s*```(?:json)?\s*\n(?P<json>.*?)\n\s*```\s*$", re.S)
_REFUSAL = re.compile(
    r"^\W*(?:I['’]m sorry|I am sorry|sorry\b|I can(?:no|['’])t\b|I am unable|I['’]m unable|I won['’]t|I will not|"
    r"As an AI\b)",
    re.I,
)
Messages = list[dict[str, Any]]
# A conversation with the server: yields request bodies, is sent completions, returns T.
Steps = Generator[dict[str, Any], Completion, _T]


@dataclass
class _Meter:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0

    def add(self, completion: Completion) -> None:
        self.requests += 1
        self.prompt_tokens += completion.prompt_tokens
        self.completion_tokens += completion.completion_tokens
        self.cached_tokens += completion.cached_tokens
        self.reasoning_tokens += completion.reasoning_tokens

    def usage(self, settings: Settings) -> Usage:
        return Usage(
            requests=self.requests,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            cached_tokens=self.cached_tokens,
            reasoning_tokens=self.reasoning_tokens,
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
        async_client: openai.AsyncOpenAI | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        throttle: Throttle | None = None,
    ) -> None:
        self.settings = settings
        # A caller's own client keeps its auth, proxies and timeouts; its SDK retries go
        # off because tenacity retries here, and retrying twice multiplies the waits.
        self._client = client.with_options(max_retries=0) if client is not None else None
        self._async_client = async_client.with_options(max_retries=0) if async_client is not None else None
        self._owns_async_client = async_client is None
        given = client or async_client
        self._given_server = display_url(str(given.base_url)) if given is not None else None
        self._sleep, self._clock = sleep, clock
        self.throttle = throttle or Throttle()

    @property
    def info(self) -> EngineInfo:
        return EngineInfo(name="openai", model=self.settings.model, prompt_version=prompt_version())

    @property
    def server(self) -> str:
        """The server the requests go to: the caller's own client's, when one was given."""
        return self._given_server or server_name(self.settings)

    @property
    def client(self) -> openai.OpenAI:
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    @property
    def async_client(self) -> openai.AsyncOpenAI:
        if self._async_client is None:
            self._async_client = make_async_client(self.settings)
        return self._async_client

    async def aclose(self) -> None:
        """Close the async client this engine made (never one it was given): its
        connections belong to an event loop that is about to end."""
        if self._owns_async_client and self._async_client is not None:
            await self._async_client.close()
            self._async_client = None

    def brief(self, article: Article, *, topics: list[str] | None = None) -> tuple[Brief, Usage]:
        meter = _Meter()
        return self._run(self._brief_steps(article, topics, meter)), meter.usage(self.settings)

    async def abrief(self, article: Article, *, topics: list[str] | None = None) -> tuple[Brief, Usage]:
        meter = _Meter()
        return await self._arun(self._brief_steps(article, topics, meter)), meter.usage(self.settings)

    def repair(self, article: Article, brief: Brief, problems: list[str]) -> tuple[Brief, Usage]:
        """The one targeted re-ask after grounding: the model sees its own brief and
        what failed, and answers with the whole brief corrected."""
        meter = _Meter()
        return self._run(self._repair_steps(article, brief, problems, meter)), meter.usage(self.settings)

    async def arepair(self, article: Article, brief: Brief, problems: list[str]) -> tuple[Brief, Usage]:
        meter = _Meter()
        return await self._arun(self._repair_steps(article, brief, problems, meter)), meter.usage(self.settings)

    def judge(self, pairs: list[tuple[int, str, str]]) -> tuple[Judgements, Usage]:
        """The model check (`--verify model`): one request judges every numbered
        (statement, quote) pair."""
        meter = _Meter()
        return self._run(self._judge_steps(pairs, meter)), meter.usage(self.settings)

    async def ajudge(self, pairs: list[tuple[int, str, str]]) -> tuple[Judgements, Usage]:
        meter = _Meter()
        return await self._arun(self._judge_steps(pairs, meter)), meter.usage(self.settings)

    def _judge_steps(self, pairs: list[tuple[int, str, str]], meter: _Meter) -> Steps[Judgements]:
        code = fence(*(f"{statement}\n{quote}" for _, statement, quote in pairs))

        def build(mode: StructuredMode) -> Messages:
            schema = json.dumps(strict_schema(Judgements)) if mode == "json_object" else None
            return [
                {"role": "system", "content": render_prompt("judge.system.j2", schema=schema)},
                {"role": "user", "content": render_prompt("judge.user.j2", pairs=pairs, fence=code)},
            ]

        return self._conversation(build, Judgements, meter)

    def _brief_steps(self, article: Article, topics: list[str] | None, meter: _Meter) -> Steps[Brief]:
        chunks = chunk_paragraphs(article.paragraphs, self.settings.context_tokens)
        if len(chunks) <= 1:
            return (
                yield from self._conversation(
                    lambda mode: brief_messages(article, self.settings, topics, mode), Brief, meter
                )
            )
        notes = []
        for i, chunk in enumerate(chunks, start=1):
            notes.append(
                (
                    yield from self._conversation(
                        lambda mode, i=i, chunk=chunk: map_messages(
                            article, chunk, i, len(chunks), self.settings, topics, mode
                        ),
                        ChunkNotes,
                        meter,
                    )
                )
            )
        return (
            yield from self._conversation(
                lambda mode: reduce_messages(article, notes, self.settings, topics, mode), Brief, meter
            )
        )

    def _repair_steps(self, article: Article, brief: Brief, problems: list[str], meter: _Meter) -> Steps[Brief]:
        listed = "\n".join(f"- {p}" for p in problems)
        paragraphs = repair_paragraphs(article, problems, self.settings.context_tokens)

        def build(mode: StructuredMode) -> Messages:
            return [
                *brief_messages(article, self.settings, None, mode, paragraphs=paragraphs),
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

        return (yield from self._conversation(build, Brief, meter))

    def _run(self, steps: Steps[_Model]) -> _Model:
        """Drive a conversation synchronously: send each request it yields."""
        request = next(steps)
        while True:
            try:
                outcome: Any = call_with_retries(
                    lambda limit, request=request: send(self.client, request, limit, self.server),
                    self.settings,
                    sleep=self._sleep,
                    clock=self._clock,
                    where=self.server,
                )
            except openai.APIStatusError as exc:  # a refused response format: the steps decide
                outcome = exc
            try:
                request = steps.throw(outcome) if isinstance(outcome, Exception) else steps.send(outcome)
            except StopIteration as done:
                return done.value

    async def _arun(self, steps: Steps[_Model]) -> _Model:
        """Drive a conversation on the async client, under the pool's shared throttle."""
        request = next(steps)
        while True:
            try:
                outcome: Any = await acall_with_retries(
                    lambda limit, request=request: asend(self.async_client, request, limit, self.server),
                    self.settings,
                    throttle=self.throttle,
                    tokens=estimate_request_tokens(request) + _token_limit(request),
                    where=self.server,
                )
            except openai.APIStatusError as exc:
                outcome = exc
            try:
                request = steps.throw(outcome) if isinstance(outcome, Exception) else steps.send(outcome)
            except StopIteration as done:
                return done.value

    def requests(self, article: Article, *, topics: list[str] | None = None) -> list[dict[str, Any]]:
        """The request bodies a run would send first (for --dry-run and batch files);
        map-reduce articles list their map requests, the reduce request depends on
        their answers."""
        dialect = self.dialect()
        chunks = chunk_paragraphs(article.paragraphs, self.settings.context_tokens)
        if len(chunks) <= 1:
            return [self._request(brief_messages(article, self.settings, topics, dialect.mode), Brief, dialect)]
        return [
            self._request(
                map_messages(article, chunk, i, len(chunks), self.settings, topics, dialect.mode), ChunkNotes, dialect
            )
            for i, chunk in enumerate(chunks, start=1)
        ]

    def repair_tokens(self, article: Article) -> int:
        """Prompt tokens the repair request may cost, at most (for --dry-run)."""
        article_tokens = min(estimate_tokens(article.body), self.settings.context_tokens)
        system = _system(self.settings, article, None, self.dialect().mode, Brief)["content"]
        return estimate_tokens(system) + article_tokens + _REPAIR_OVERHEAD

    def dialect(self) -> Dialect:
        """What this server and model take: the first guess, less what they refused before."""
        refused = _DIALECTS.refused(self.server, self.settings.model)
        return without_all(first_guess(self.settings, self.server), refused)

    def _conversation(
        self, build: Callable[[StructuredMode], Messages], model: type[_Model], meter: _Meter
    ) -> Steps[_Model]:
        """One structured answer: yields request bodies, receives completions (or the
        server's refusal of a parameter), returns the validated model."""
        dialect = self.dialect()
        messages = build(dialect.mode)
        answer_tokens = self.settings.max_tokens
        budget = dialect.budget(answer_tokens)
        refused: set[str] = set()
        reasked = extended = False
        while True:
            request = self._request(messages, model, dialect, budget)
            try:
                completion = yield request
            except openai.APIStatusError as exc:  # not retried: a parameter the server will not take
                parameter = refused_parameter(exc)
                other = dialect.without(parameter) if parameter and parameter not in refused else None
                if other is None:
                    raise transport_error(exc, self.settings, where=self.server) from None
                refused.add(parameter)  # type: ignore[arg-type]
                _DIALECTS.learn(self.server, self.settings.model, parameter)  # type: ignore[arg-type]
                if other.mode != dialect.mode:
                    messages = build(other.mode)
                dialect, budget = other, other.budget(answer_tokens)
                continue
            meter.add(completion)
            if completion.refusal:
                raise LLMOutputError(redact(f"the model refused: {completion.refusal}", self.settings))
            if completion.finish_reason == "content_filter":
                raise LLMOutputError("the answer was withheld by the server's content filter")
            if dialect.mode == "tools" and completion.tool_arguments:
                content = completion.tool_arguments
            else:
                content = completion.content
            if completion.finish_reason == "length":
                reasoning = completion.reasoning_tokens
                spent = f"; {reasoning:,} of them reasoning" if reasoning else ""
                if extended:
                    advice = " (lower --reasoning-effort or raise --max-tokens)" if reasoning else ""
                    raise LLMOutputError(
                        f"the answer was truncated twice ({dialect.token_param} {budget:,}{spent}){advice}"
                    )
                extended = True
                # reasoning took its share before the answer began: give the answer its own room again
                budget = max(budget * 2, reasoning + 2 * answer_tokens)
                continue
            text = _json_text(content or "")
            if "{" not in text and _REFUSAL.match(text):
                raise LLMOutputError(redact(f"the model refused: {_short(text)}", self.settings))
            try:
                return model.model_validate_json(text)
            except ValidationError as exc:
                problem = _errors(exc, text)
                if reasked:
                    raise LLMOutputError(
                        f"the model's answer is not a valid {model.__name__} after one re-ask: {problem}"
                    ) from None
                reasked = True
                messages = [
                    *messages,
                    {"role": "assistant", "content": content or ""},
                    {
                        "role": "user",
                        "content": f"That answer is not valid: {problem}. "
                        "Answer again with only the corrected JSON object.",
                    },
                ]

    def _request(
        self, messages: Messages, model: type[BaseModel], dialect: Dialect, budget: int | None = None
    ) -> dict[str, Any]:
        """One request body. Only what this server and model take: never `temperature`
        (reasoning models refuse any but the default), `reasoning_effort` only where
        understood, and the token limit under the name the server knows."""
        request: dict[str, Any] = {
            "model": self.settings.model,
            "messages": messages,
            dialect.token_param: budget or dialect.budget(self.settings.max_tokens),
        }
        if dialect.reasoning_effort is not None:
            request["reasoning_effort"] = dialect.reasoning_effort
        if dialect.mode == "json_schema":
            request["response_format"] = response_format(model)
        elif dialect.mode == "json_object":
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


def _token_limit(request: dict[str, Any]) -> int:
    return int(request.get("max_completion_tokens") or request.get("max_tokens") or 0)


def _json_text(content: str) -> str:
    """The JSON of an answer: local models often wrap it in a ``` fence."""
    fenced = _FENCED_JSON.match(content)
    return fenced.group("json") if fenced else content.strip()


def _errors(exc: ValidationError, text: str) -> str:
    if any(e["type"] == "json_invalid" for e in exc.errors()):
        if "{" not in text:
            return f"it is text, not JSON ({_short(text)!r})"
        return "it is not valid JSON"
    parts = [f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: {e['msg']}" for e in exc.errors()[:8]]
    return "; ".join(parts)


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def output_language(article: Article, settings: Settings) -> str:
    code = settings.language or article.language or detect_language(article.body) or "en"
    return _LANGUAGES.get(code, code)


def fence(*parts: str) -> str:
    """A marker for the lines around the article that the article cannot forge: it is
    derived from the text it encloses, so the text would have to contain its own hash."""
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:12]


def _system(
    settings: Settings,
    article: Article,
    topics: list[str] | None,
    mode: StructuredMode,
    model: type[BaseModel],
) -> dict[str, str]:
    schema = json.dumps(strict_schema(model)) if mode == "json_object" else None
    text = render_prompt(
        "brief.system.j2",
        language=output_language(article, settings),
        topics=topics or [],
        focus=model is Brief,
        schema=schema,
    )
    return {"role": "system", "content": text}


def brief_messages(
    article: Article,
    settings: Settings,
    topics: list[str] | None,
    mode: StructuredMode,
    *,
    paragraphs: list[str] | None = None,
) -> Messages:
    """The brief request; `paragraphs`: only these of the article (a repair that
    cannot afford the whole article)."""
    body = article.body if paragraphs is None else "\n\n".join(paragraphs)
    user = render_prompt(
        "brief.user.j2",
        article=article,
        body=body,
        excerpt=paragraphs is not None,
        fence=fence(article.title or "", body),
    )
    return [_system(settings, article, topics, mode, Brief), {"role": "user", "content": user}]


def map_messages(
    article: Article,
    chunk: list[str],
    part: int,
    parts: int,
    settings: Settings,
    topics: list[str] | None,
    mode: StructuredMode,
) -> Messages:
    body = "\n\n".join(chunk)
    user = render_prompt(
        "map.user.j2", article=article, body=body, part=part, parts=parts, fence=fence(article.title or "", body)
    )
    return [_system(settings, article, topics, mode, ChunkNotes), {"role": "user", "content": user}]


def reduce_messages(
    article: Article,
    notes: list[ChunkNotes],
    settings: Settings,
    topics: list[str] | None,
    mode: StructuredMode,
) -> Messages:
    merged = json.dumps(reduce_notes(notes, settings.context_tokens), ensure_ascii=False, indent=1)
    user = render_prompt(
        "reduce.user.j2",
        article=article,
        parts=len(notes),
        max_facts=_MAX_FACTS,
        notes=merged,
        fence=fence(article.title or "", merged),
    )
    return [_system(settings, article, topics, mode, Brief), {"role": "user", "content": user}]


def reduce_notes(notes: list[ChunkNotes], budget: int) -> dict[str, list[dict[str, Any]]]:
    """The parts' facts and questions for the reduce request, within `budget` tokens:
    duplicates dropped, and the parts taken in turn so each keeps its first findings."""
    facts = _round_robin([n.key_facts for n in notes])
    questions = _round_robin([n.open_questions for n in notes])
    merged: dict[str, list[dict[str, Any]]] = {"key_facts": [], "open_questions": []}
    seen: set[str] = set()
    used = 0
    for name, items in (("key_facts", facts), ("open_questions", questions)):
        for item in items:
            if item.quote in seen:
                continue
            dumped = item.model_dump()
            cost_ = estimate_tokens(json.dumps(dumped, ensure_ascii=False))
            if used + cost_ > budget:
                break
            seen.add(item.quote)
            merged[name].append(dumped)
            used += cost_
    return merged


def _round_robin(lists: list[list[_T]]) -> list[_T]:
    out: list[_T] = []
    for i in range(max((len(items) for items in lists), default=0)):
        out.extend(items[i] for items in lists if i < len(items))
    return out


def repair_paragraphs(article: Article, problems: list[str], budget: int) -> list[str] | None:
    """The paragraphs a repair request sends: the whole article when it fits the budget
    (None), else those that share the most words with what failed, in article order."""
    if estimate_tokens(article.body) <= budget:
        return None
    wanted = {stem(w) for w in content_words(" ".join(problems))}

    def overlap(paragraph: str) -> int:
        return len(wanted & {stem(w) for w in content_words(paragraph)})

    ranked = sorted(range(len(article.paragraphs)), key=lambda i: (-overlap(article.paragraphs[i]), i))
    chosen, used = [], 0
    for index in ranked:
        tokens = estimate_tokens(article.paragraphs[index])
        if used + tokens > budget:
            continue
        chosen.append(index)
        used += tokens
    return [article.paragraphs[i] for i in sorted(chosen)]


def estimate_request_tokens(request: dict[str, Any]) -> int:
    text = "".join(m["content"] for m in request["messages"])
    schema = json.dumps(request.get("response_format") or request.get("tools") or "")
    return estimate_tokens(text) + estimate_tokens(schema)
