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

A self-hosted server is asked once which models it serves and how much context it
holds (`prepare`); a request is sized to that context, and a refusal or an answer the
server cut short for want of room teaches it, so the brief is planned again in
smaller parts instead of failing.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, TypeVar

import openai
from pydantic import BaseModel, ValidationError

from ...clean.language import detect_language
from ...errors import ConfigError, LLMOutputError
from ...models import Article, Brief, EarlierClaim, EarlierQuestion, EngineInfo, Judgements, SinceDraft, Usage
from ...settings import Settings, StructuredMode
from ...words import content_words, stem
from .client import (
    Overflow,
    acall_with_retries,
    asend,
    call_with_retries,
    context_overflow,
    display_url,
    make_async_client,
    make_client,
    redact,
    refused_parameter,
    send,
    server_message,
    server_name,
    transport_error,
)
from .dialect import Dialect, Memory, Store, first_guess, openai_hosted, without_all
from .discovery import Server, choose_model
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
# The least room a brief's JSON needs to be complete; and the prompt around an article.
_MIN_ANSWER = 1024
_PROMPT_OVERHEAD = 1200
# The smallest part of an article worth a request, and the least room an answer can use.
_MIN_PART = 256
# Seconds a self-hosted server has to say what it serves; it is only being asked.
_DISCOVERY_LIMIT = 10.0
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

    def usage(self, settings: Settings, priced: bool = True) -> Usage:
        """`priced`: whether the list prices apply (OpenAI's own API and Azure); a
        self-hosted model's tokens cost what the user's own `prices` say, or nothing known."""
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
                listed=priced,
            ),
        )


class _Refit(LLMOutputError):
    """The request does not fit the server's context; the brief can be planned again
    in smaller parts (and says so, if it cannot)."""

    def __init__(self, context: int | None, said: str | None = None) -> None:
        self.context, self.said = context, said
        size = f" of {context:,} tokens" if context else ""
        words = f" (the server said: {said})" if said else ""
        super().__init__(
            f"the request does not fit the server's context{size}, even in parts; give the server more "
            "context (llama.cpp: -c/--n_ctx, Ollama: OLLAMA_CONTEXT_LENGTH, vLLM: --max-model-len) "
            f"or lower --max-tokens{words}"
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
        self._prepared = False
        self._preparing = threading.Lock()

    def prepare(self) -> None:
        """Once, before the first request: refuse at once when there is no server to
        talk to, and ask a self-hosted server which model it serves (when none was
        configured) and how much context it holds. Answers are remembered (`_DIALECTS`,
        and the cache database when the CLI gives it one)."""
        with self._preparing:
            if self._prepared:
                return
            settings = self.settings
            if self._given_server is None and not (settings.api_key or settings.base_url or settings.azure_endpoint):
                raise ConfigError(
                    "the openai engine needs a server: set OPENAI_API_KEY for OpenAI's API, or OPENAI_BASE_URL "
                    "for another server (Ollama, vLLM, llama.cpp, LM Studio)"
                )
            if not self._hosted:
                self._discover()
            self._prepared = True

    def _discover(self) -> None:
        if self._client is None and self._async_client is not None:
            return  # a caller's own async client: its caller chose the model; limits are learned on use
        limit = min(self.settings.timeout, self.settings.deadline, _DISCOVERY_LIMIT)
        with Server(*self._address(), limit) as server:
            models = _DIALECTS.models(self.server)
            if models is None:
                listed = server.models()
                if listed is not None:
                    models = listed.models
                    _DIALECTS.learn_models(self.server, models)
                    for name, tokens in listed.contexts.items():
                        _DIALECTS.learn_context(self.server, name, tokens)
            if models and "model" not in self.settings.model_fields_set:
                chosen = choose_model(self.settings, models, self.server)
                self.settings = self.settings.model_copy(update={"model": chosen})
            if _DIALECTS.context(self.server, self.settings.model) is None:
                tokens = server.context(self.settings.model)
                if tokens:
                    _DIALECTS.learn_context(self.server, self.settings.model, tokens)

    def _address(self) -> tuple[str, dict[str, str]]:
        """Where the requests go and the headers they carry: a caller's own client's,
        else the settings' (no SDK client is made just to ask)."""
        if self._client is not None:
            headers = {k: v for k, v in self._client.default_headers.items() if isinstance(v, str)}
            return str(self._client.base_url), {**headers, **self._client.auth_headers}
        key = self.settings.api_key.get_secret_value() if self.settings.api_key else None
        return str(self.settings.base_url), {"Authorization": f"Bearer {key}"} if key else {}

    @property
    def _hosted(self) -> bool:
        """OpenAI's own API or Azure: nothing to discover, list prices apply."""
        return bool(self.settings.azure_endpoint) or openai_hosted(self.server)

    def _usage(self, meter: _Meter) -> Usage:
        return meter.usage(self.settings, priced=self._hosted)

    def _context(self) -> int | None:
        return _DIALECTS.context(self.server, self.settings.model)

    def article_budget(self) -> int:
        """Article tokens per request: the configured budget, less when the server's
        context would leave the answer too little room."""
        context = self._context()
        if context is None:
            return self.settings.context_tokens
        answer = min(self.settings.max_tokens, max(_MIN_ANSWER, context // 3))
        return max(_MIN_PART, min(self.settings.context_tokens, context - answer - _PROMPT_OVERHEAD))

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
        return self._run(self._brief_steps(article, topics, meter)), self._usage(meter)

    async def abrief(self, article: Article, *, topics: list[str] | None = None) -> tuple[Brief, Usage]:
        meter = _Meter()
        return await self._arun(self._brief_steps(article, topics, meter)), self._usage(meter)

    def repair(self, article: Article, brief: Brief, problems: list[str]) -> tuple[Brief, Usage]:
        """The one targeted re-ask after grounding: the model sees its own brief and
        what failed, and answers with the whole brief corrected."""
        meter = _Meter()
        return self._run(self._repair_steps(article, brief, problems, meter)), self._usage(meter)

    async def arepair(self, article: Article, brief: Brief, problems: list[str]) -> tuple[Brief, Usage]:
        meter = _Meter()
        return await self._arun(self._repair_steps(article, brief, problems, meter)), self._usage(meter)

    def judge(self, pairs: list[tuple[int, str, str]]) -> tuple[Judgements, Usage]:
        """The model check (`--verify model`): one request judges every numbered
        (statement, quote) pair."""
        meter = _Meter()
        return self._run(self._judge_steps(pairs, meter)), self._usage(meter)

    async def ajudge(self, pairs: list[tuple[int, str, str]]) -> tuple[Judgements, Usage]:
        meter = _Meter()
        return await self._arun(self._judge_steps(pairs, meter)), self._usage(meter)

    def _judge_steps(self, pairs: list[tuple[int, str, str]], meter: _Meter) -> Steps[Judgements]:
        code = fence(*(f"{statement}\n{quote}" for _, statement, quote in pairs))

        def build(mode: StructuredMode) -> Messages:
            schema = json.dumps(strict_schema(Judgements)) if mode == "json_object" else None
            return [
                {"role": "system", "content": render_prompt("judge.system.j2", schema=schema)},
                {"role": "user", "content": render_prompt("judge.user.j2", pairs=pairs, fence=code)},
            ]

        return self._conversation(build, Judgements, meter)

    def since(
        self, article: Article, brief: Brief, questions: list[EarlierQuestion], claims: list[EarlierClaim]
    ) -> tuple[SinceDraft, Usage]:
        """Today's article read against earlier briefs' numbered questions and facts,
        in one request; `threads.changes_from` grounds what it answers."""
        meter = _Meter()
        return self._run(self._since_steps(article, brief, questions, claims, meter)), self._usage(meter)

    async def asince(
        self, article: Article, brief: Brief, questions: list[EarlierQuestion], claims: list[EarlierClaim]
    ) -> tuple[SinceDraft, Usage]:
        meter = _Meter()
        return await self._arun(self._since_steps(article, brief, questions, claims, meter)), self._usage(meter)

    def _since_steps(
        self,
        article: Article,
        brief: Brief,
        questions: list[EarlierQuestion],
        claims: list[EarlierClaim],
        meter: _Meter,
    ) -> Steps[SinceDraft]:
        body = article.body
        code = fence(body, *(q.question for q in questions), *(c.quote for c in claims))

        def build(mode: StructuredMode) -> Messages:
            schema = json.dumps(strict_schema(SinceDraft)) if mode == "json_object" else None
            user = render_prompt(
                "since.user.j2", body=body, questions=questions, claims=claims, facts=brief.key_facts, fence=code
            )
            return [
                {"role": "system", "content": render_prompt("since.system.j2", schema=schema)},
                {"role": "user", "content": user},
            ]

        return self._conversation(build, SinceDraft, meter)

    def _brief_steps(self, article: Article, topics: list[str] | None, meter: _Meter) -> Steps[Brief]:
        """The brief in as many parts as the server's context needs; planned once more,
        in smaller parts, when the server turns out to hold less than it was thought to."""
        budget = self.article_budget()
        told: _Refit | None = None
        while True:
            try:
                return (yield from self._planned_steps(article, topics, meter, budget))
            except _Refit as refit:
                told = refit if refit.said or told is None else told  # the server's own words, if it gave any
                # what the server has now said about its context, else half the parts it refused
                smaller = min(self.article_budget(), estimate_tokens(article.body) // 2, budget // 2)
                if smaller < _MIN_PART:
                    raise told from None
                budget = smaller

    def _planned_steps(self, article: Article, topics: list[str] | None, meter: _Meter, budget: int) -> Steps[Brief]:
        chunks = chunk_paragraphs(article.paragraphs, budget)
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
                lambda mode: reduce_messages(article, notes, self.settings, topics, mode, budget), Brief, meter
            )
        )

    def _repair_steps(self, article: Article, brief: Brief, problems: list[str], meter: _Meter) -> Steps[Brief]:
        listed = "\n".join(f"- {p}" for p in problems)
        paragraphs = repair_paragraphs(article, problems, self.article_budget())

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
        chunks = chunk_paragraphs(article.paragraphs, self.article_budget())
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
        article_tokens = min(estimate_tokens(article.body), self.article_budget())
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
        reasked = extended = fitted = False
        while True:
            request = self._request(messages, model, dialect, budget)
            if _token_limit(request) < _MIN_PART:  # the prompt leaves the answer no room at all
                raise _Refit(self._context())
            try:
                completion = yield request
            except openai.APIStatusError as exc:  # not retried: too big for the server, or a parameter it will not take
                overflow = context_overflow(exc)
                if overflow is not None:
                    said = redact(server_message(exc), self.settings)
                    answer_tokens, budget = self._after_overflow(overflow, answer_tokens, budget, fitted, said)
                    fitted = True
                    continue
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
                self._check_room(completion, _token_limit(request), budget)
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

    def _after_overflow(
        self, overflow: Overflow, answer_tokens: int, budget: int, fitted: bool, said: str
    ) -> tuple[int, int]:
        """The answer and budget to ask for after a refusal for size; `_Refit` when the
        prompt itself leaves no room for an answer (or the fitted request failed too)."""
        if overflow.answer_cap is not None and budget > overflow.answer_cap:  # the model's own most
            return min(answer_tokens, overflow.answer_cap), overflow.answer_cap
        if overflow.context is not None:
            _DIALECTS.learn_context(self.server, self.settings.model, overflow.context)
            room = overflow.context - (overflow.prompt or 0) - _margin(overflow.prompt or 0)
            if not fitted and overflow.prompt is not None and room >= _MIN_ANSWER:
                return answer_tokens, min(budget, room)  # the room the server's own count leaves
        raise _Refit(overflow.context, said)

    def _check_room(self, completion: Completion, limit: int, budget: int) -> None:
        """An answer cut short for want of room: a self-hosted server stopped below the
        limit it was sent (llama-cpp-python cuts the limit to its context without a
        word: learned), or the limit was already cut to fit the context. More tokens
        cannot help this prompt; smaller parts can."""
        server_cut = (
            not self._hosted and completion.prompt_tokens > 0 and 0 < completion.completion_tokens < 0.9 * limit
        )
        if server_cut:
            context = completion.prompt_tokens + completion.completion_tokens
            _DIALECTS.learn_context(self.server, self.settings.model, context)
            raise _Refit(context)
        if limit < budget:
            raise _Refit(self._context())

    def _request(
        self, messages: Messages, model: type[BaseModel], dialect: Dialect, budget: int | None = None
    ) -> dict[str, Any]:
        """One request body. Only what this server and model take: never `temperature`
        (reasoning models refuse any but the default), `reasoning_effort` only where
        understood, and the token limit under the name the server knows, cut to what
        the server's context leaves beside the prompt."""
        limit = budget or dialect.budget(self.settings.max_tokens)
        context = self._context()
        if context is not None:
            prompt = estimate_tokens("".join(str(m["content"]) for m in messages))
            limit = max(1, min(limit, context - prompt - _margin(prompt)))
        request: dict[str, Any] = {
            "model": self.settings.model,
            "messages": messages,
            dialect.token_param: limit,
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


def remember_in(store: Store) -> None:
    """Keep what servers say about themselves in `store` (the cache database) too, so
    the next run starts where this one left off."""
    _DIALECTS.use(store)


def _margin(prompt_tokens: int) -> int:
    """Room for how far a token estimate can be off the server's own count."""
    return 32 + prompt_tokens // 10


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
    budget: int | None = None,
) -> Messages:
    """`budget`: the notes' tokens at most (default: the configured article budget)."""
    merged = json.dumps(reduce_notes(notes, budget or settings.context_tokens), ensure_ascii=False, indent=1)
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
