"""Talking to an OpenAI-compatible server: the clients, one request, its retries, and
errors a user can act on.

The SDK's own retries are off (`max_retries=0`) so that nothing retries twice.
tenacity retries 408/409/429/5xx, timeouts, connection errors and one answer that is
not a chat completion, honouring `Retry-After` and `retry-after-ms`. The budget of a
request is time: every attempt, and the body it reads, must finish within
`min(timeout, what is left of the deadline)`, so a server that trickles one byte at a
time is given up on. Attempts count only for failures of the request itself: a 429
says the account is busy, not that this request is wrong, so waiting it out costs
time, not tries. Every message that leaves this module is redacted: the API key and
any `user:password@` of a URL never appear in an error, a log line or an output.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import openai
from tenacity import AsyncRetrying, RetryCallState, Retrying, retry_if_exception, wait_exponential_jitter

from ...errors import LLMTransportError
from ...settings import Settings
from .throttle import Throttle
from .wire import Completion, NotACompletion, parse_body

RETRYABLE_STATUS = {408, 409, 429}
MAX_RETRY_AFTER = 60.0
_KEYLIKE = re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_\-*]{6,}")
_URL_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")
_FORMAT_REFUSAL = re.compile(r"response_format|json_schema|'text' or 'json_object'|structured output|grammar", re.I)
# "Unsupported parameter: 'max_tokens' ...", "Unrecognized request argument supplied: x",
# pydantic's "Extra inputs are not permitted" at ('body', 'x').
_REFUSED_PARAMETER = re.compile(
    r"(?:unsupported parameter|unrecognized request argument supplied|unknown (?:parameter|field|argument)"
    r"|not supported with this model|extra inputs are not permitted)",
    re.I,
)
_ADJUSTABLE = ("max_completion_tokens", "max_tokens", "reasoning_effort")
_backoff = wait_exponential_jitter(initial=1, max=30, jitter=1)


class AnswerTimeout(Exception):
    """No complete answer within the attempt's wall-clock limit."""


class AnswerCut(Exception):
    """The connection closed while the answer was being read."""


def make_client(settings: Settings) -> openai.OpenAI:
    key = settings.api_key.get_secret_value() if settings.api_key else None
    if settings.azure_endpoint:
        return openai.AzureOpenAI(
            api_key=key,
            azure_endpoint=settings.azure_endpoint,
            api_version=settings.api_version or "2024-10-21",
            max_retries=0,
            timeout=settings.timeout,
        )
    return openai.OpenAI(
        # Local servers need no key, but the SDK insists on one.
        api_key=key or "not-needed",
        base_url=settings.base_url,
        max_retries=0,
        timeout=settings.timeout,
    )


def make_async_client(settings: Settings) -> openai.AsyncOpenAI:
    key = settings.api_key.get_secret_value() if settings.api_key else None
    if settings.azure_endpoint:
        return openai.AsyncAzureOpenAI(
            api_key=key,
            azure_endpoint=settings.azure_endpoint,
            api_version=settings.api_version or "2024-10-21",
            max_retries=0,
            timeout=settings.timeout,
        )
    return openai.AsyncOpenAI(
        api_key=key or "not-needed", base_url=settings.base_url, max_retries=0, timeout=settings.timeout
    )


def display_url(url: str) -> str:
    """A server's URL as it may be shown: no `user:password@`, no query string."""
    parts = urlsplit(url)
    if not parts.netloc:
        return _URL_USERINFO.sub("", url)
    return urlunsplit((parts.scheme, parts.netloc.rsplit("@", 1)[-1], parts.path.rstrip("/"), "", ""))


def redact(text: str, settings: Settings | None = None) -> str:
    if settings is not None and settings.api_key:
        secret = settings.api_key.get_secret_value()
        if secret:
            text = text.replace(secret, "[redacted]")
    return _URL_USERINFO.sub("", _KEYLIKE.sub("[redacted]", text))


def refused_parameter(exc: BaseException) -> str | None:
    """The request parameter a server refused, when another request could do without
    it: `response_format` (some answer 400, llama.cpp's server 500 with a validation
    message), or `max_tokens`, `max_completion_tokens` or `reasoning_effort` named
    as unsupported."""
    if not isinstance(exc, openai.APIStatusError) or exc.status_code not in (400, 422, 500):
        return None
    message = server_message(exc)
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body["error"] if isinstance(body.get("error"), dict) else body  # the SDK unwraps {"error": ...}
    named = error.get("param")
    if isinstance(named, str) and named in _ADJUSTABLE:
        return named
    if _REFUSED_PARAMETER.search(message):
        for parameter in _ADJUSTABLE:
            if re.search(rf"\b{parameter}\b", message):
                return parameter
    if _FORMAT_REFUSAL.search(message):
        return "response_format"
    return None


@dataclass(frozen=True)
class Overflow:
    """A request a server refused as too big for it."""

    context: int | None  # tokens the server holds for prompt and answer together
    prompt: int | None  # the prompt's tokens, when the server counted them
    answer_cap: int | None = None  # the most answer tokens the model gives, when that was the limit


_EXCEEDED = re.compile(
    r"context (?:length|window|size)|exceed_context_size|context_length_exceeded|too many tokens", re.I
)
_CONTEXT_SAYS = re.compile(
    r"(?:maximum context length is|context window of|context length of|n_ctx[\"']?\s*[:=])\s*(\d+)", re.I
)
_PROMPT_SAYS = re.compile(
    r"(\d+) in the messages|resulted in (\d+) tokens|request has (\d+) input tokens|(\d+) in your prompt"
    r"|requested tokens \((\d+)\)|n_prompt_tokens[\"']?\s*[:=]\s*(\d+)",
    re.I,
)
_ANSWER_CAP = re.compile(r"supports at most (\d+) completion tokens", re.I)


def context_overflow(exc: BaseException) -> Overflow | None:
    """What a refusal says about the server's context, in the wordings of OpenAI
    ("maximum context length is 128000 tokens. However, your messages resulted in ..."),
    vLLM ("... and your request has 2670 input tokens"), llama-cpp-python ("... (2670 in
    the messages, 3000 in the completion)") and llama.cpp's server (`n_ctx`,
    `n_prompt_tokens`); None when it is about something else."""
    if not isinstance(exc, openai.APIStatusError) or exc.status_code not in (400, 413, 422, 500):
        return None
    text = f"{exc.message} {json.dumps(exc.body, default=str)}"
    cap = _ANSWER_CAP.search(text)
    if cap:
        return Overflow(None, None, int(cap.group(1)))
    if not _EXCEEDED.search(text):
        return None
    context = _CONTEXT_SAYS.search(text)
    prompt = _PROMPT_SAYS.search(text)
    return Overflow(
        int(context.group(1)) if context else None,
        int(next(g for g in prompt.groups() if g)) if prompt else None,
    )


# --- one attempt ----------------------------------------------------------------------


def send(client: openai.OpenAI, request: dict[str, Any], limit: float, where: str) -> Completion:
    """One chat completion, its body read within `limit` seconds of wall clock."""
    started = time.monotonic()
    try:
        with client.chat.completions.with_streaming_response.create(**_typed(request), timeout=limit) as response:
            chunks = []
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                if time.monotonic() - started > limit:
                    raise AnswerTimeout
            return parse_body(b"".join(chunks), response.headers.get("content-type"), where)
    except (openai.APIError, AnswerTimeout, NotACompletion):
        raise
    except Exception as exc:  # the HTTP library's own errors while the body streams in
        raise _body_error(exc) from exc


async def asend(client: openai.AsyncOpenAI, request: dict[str, Any], limit: float, where: str) -> Completion:
    """`send` on the async client; the limit covers everything, body included."""
    try:
        async with asyncio.timeout(limit):
            async with client.chat.completions.with_streaming_response.create(
                **_typed(request), timeout=limit
            ) as response:
                body = b"".join([chunk async for chunk in response.iter_bytes()])
                content_type = response.headers.get("content-type")
    except TimeoutError:
        raise AnswerTimeout from None
    except (openai.APIError, NotACompletion):
        raise
    except Exception as exc:
        raise _body_error(exc) from exc
    return parse_body(body, content_type, where)


def _typed(request: dict[str, Any]) -> dict[str, Any]:
    """The request as `create` arguments, its JSON schemas passed as `extra_body`: the
    same bytes on the wire, without the SDK walking every schema node on every request
    (milliseconds each, on the event loop every request of a pool shares)."""
    schemas = {k: request[k] for k in ("response_format", "tools") if k in request}
    if not schemas:
        return request
    return {**{k: v for k, v in request.items() if k not in schemas}, "extra_body": schemas}


def _body_error(exc: Exception) -> Exception:
    name = type(exc).__name__
    return AnswerTimeout() if "Timeout" in name else AnswerCut(name)


# --- the retry policy, shared by the sync and the async caller ---------------------------


@dataclass
class _Budget:
    """What one request may still spend."""

    deadline_at: float
    counted: int = 0  # failures of the request itself
    odd_answers: int = 0  # 200 answers that were not a chat completion
    next_wait: float = 0.0
    stopped_by_deadline: bool = False


def _kind(exc: BaseException | None) -> str | None:
    """How a failed attempt is retried: None when it is not."""
    if isinstance(exc, openai.RateLimitError):
        return "rate"
    if isinstance(exc, NotACompletion):
        return "odd"
    if isinstance(exc, openai.APIStatusError):
        if refused_parameter(exc) or context_overflow(exc):
            return None
        return "server" if exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500 else None
    if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError, AnswerTimeout, AnswerCut)):
        return "network"
    return None


def _policy(settings: Settings, clock: Callable[[], float]) -> tuple[_Budget, dict[str, Any]]:
    budget = _Budget(deadline_at=clock() + settings.deadline)

    def stop(state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        kind = _kind(exc)
        if kind == "odd":
            budget.odd_answers += 1
            if budget.odd_answers > 1:
                return True
        elif kind != "rate":
            budget.counted += 1
            if budget.counted > settings.max_retries:
                return True
        if clock() + (state.upcoming_sleep or 0.0) >= budget.deadline_at:
            budget.stopped_by_deadline = True
            return True
        return False

    def wait(state: RetryCallState) -> float:
        """Asked before `stop` is: the server's Retry-After (capped), else backoff."""
        asked = retry_after(state.outcome.exception() if state.outcome else None)
        budget.next_wait = min(asked, MAX_RETRY_AFTER) if asked is not None else _backoff(state)
        return budget.next_wait

    return budget, {
        "stop": stop,
        "wait": wait,
        "retry": retry_if_exception(lambda exc: _kind(exc) is not None),
        "reraise": True,
    }


def call_with_retries(
    call: Callable[[float], Any],
    settings: Settings,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    where: str | None = None,
) -> Any:
    """Run `call(limit)` under the retry policy; failures become `LLMTransportError`.
    `limit` is the seconds the attempt may take."""
    budget, policy = _policy(settings, clock)
    retrying = Retrying(sleep=sleep, **policy)

    def attempt() -> Any:
        return call(_limit(settings, budget, clock))

    try:
        return retrying(attempt)
    except (openai.APIError, AnswerTimeout, AnswerCut, NotACompletion) as exc:
        if refused_parameter(exc) or context_overflow(exc):
            raise  # the caller asks again without it
        raise transport_error(exc, settings, retrying.statistics.get("attempt_number", 1), budget, where) from None


async def acall_with_retries(
    call: Callable[[float], Awaitable[Any]],
    settings: Settings,
    *,
    throttle: Throttle,
    tokens: int = 0,
    clock: Callable[[], float] = time.monotonic,
    where: str | None = None,
) -> Any:
    """The async twin of `call_with_retries`: every attempt waits for the pool's
    throttle, and a 429's wait is imposed on the whole pool."""
    budget, policy = _policy(settings, clock)

    async def attempt() -> Any:
        async with throttle.slot():
            probe = await throttle.acquire(tokens)
            try:
                result = await call(_limit(settings, budget, clock))
            except BaseException as exc:
                throttle.settle(probe, rate_limited=isinstance(exc, openai.RateLimitError))
                raise
            throttle.settle(probe, rate_limited=False)
            return result

    def share_429(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, openai.RateLimitError):
            throttle.pause(budget.next_wait)

    retrying = AsyncRetrying(before_sleep=share_429, **policy)
    try:
        return await retrying(attempt)
    except (openai.APIError, AnswerTimeout, AnswerCut, NotACompletion) as exc:
        if refused_parameter(exc) or context_overflow(exc):
            raise
        raise transport_error(exc, settings, retrying.statistics.get("attempt_number", 1), budget, where) from None


def _limit(settings: Settings, budget: _Budget, clock: Callable[[], float]) -> float:
    left = budget.deadline_at - clock()
    if left <= 0:
        budget.stopped_by_deadline = True
        raise AnswerTimeout
    return min(settings.timeout, left)


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait, from retry-after-ms or Retry-After (a
    number of seconds or an HTTP date); None when absent or unreadable."""
    response = getattr(exc, "response", None)
    if response is None:
        return None
    headers = response.headers
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = (headers.get(name) or "").strip()
        if not value:
            continue
        try:
            seconds = float(value) / scale
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                continue
            seconds = when.timestamp() - time.time()
        if seconds == seconds and seconds != float("inf"):  # not NaN, not infinite
            return max(seconds, 0.0)
    return None


def server_name(settings: Settings) -> str:
    return display_url(settings.azure_endpoint or settings.base_url or "https://api.openai.com/v1")


def transport_error(
    exc: BaseException,
    settings: Settings,
    attempts: int = 1,
    budget: _Budget | None = None,
    where: str | None = None,
) -> LLMTransportError:
    where = where or server_name(settings)
    tried = f" after {attempts} attempts" if attempts > 1 else ""
    if budget is not None and budget.stopped_by_deadline:
        tried += f", at the {settings.deadline:g} s deadline"
    kind = "error"
    if isinstance(exc, LLMTransportError):
        return LLMTransportError(redact(f"{exc}{tried}", settings), kind=getattr(exc, "kind", kind))
    if isinstance(exc, (openai.APITimeoutError, AnswerTimeout)):
        text, kind = f"no complete answer from {where} within {settings.timeout:g} s{tried}", "timeout"
    elif isinstance(exc, AnswerCut) or (isinstance(exc, openai.APIConnectionError) and _cut_mid_answer(exc)):
        text, kind = f"the connection to {where} was closed before the answer was complete{tried}", "cut"
    elif isinstance(exc, openai.APIConnectionError):
        text, kind = f"cannot connect to {where}{tried}", "connect"
    elif isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        detail = server_message(exc)
        kind = f"HTTP {status}"
        if status == 401:
            text = "authentication failed (HTTP 401): check OPENAI_API_KEY"
        elif status == 403:
            text = f"permission denied (HTTP 403) for model {settings.model}: {detail}"
        elif status == 404:
            text = f"not found (HTTP 404): is model {settings.model!r} served at {where}? {detail}"
        elif status == 429:
            text = f"rate limited (HTTP 429){tried}: {detail}"
        else:
            text = f"HTTP {status} from {where}{tried}: {detail}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return LLMTransportError(redact(" ".join(text.split()), settings), kind=kind)


def _cut_mid_answer(exc: BaseException) -> bool:
    """A connection that opened and then closed, as opposed to one that never opened."""
    cause = exc.__cause__ or exc.__context__
    return cause is not None and type(cause).__name__ in ("RemoteProtocolError", "ReadError", "WriteError")


def server_message(exc: openai.APIStatusError) -> str:
    """What the server said, from its error body (short), not the SDK's whole repr."""
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return _short(str(inner["message"]))
        if isinstance(body.get("detail"), (str, list)):
            return _short(str(body["detail"]))
    return _short(str(exc.message))


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
