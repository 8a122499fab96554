"""Talking to an OpenAI-compatible server: the client, retries, and errors.

The SDK's own retries are off (`max_retries=0`) so that nothing retries twice;
tenacity retries 408/409/429/5xx, timeouts and connection errors with exponential
backoff and jitter, honouring `Retry-After` and `retry-after-ms`, within an attempt
count and a total deadline. Every message that leaves this module is redacted: the
API key never appears in an error, a log line or an output.
"""

from __future__ import annotations

import asyncio
import email.utils
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)

from ...errors import LLMTransportError
from ...settings import Settings

RETRYABLE_STATUS = {408, 409, 429}
MAX_RETRY_AFTER = 60.0
_KEYLIKE = re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_\-*]{6,}")
_FORMAT_REFUSAL = re.compile(r"response_format|json_schema|'text' or 'json_object'|structured output|grammar", re.I)


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


class Throttle:
    """Shared by every request of a pool of concurrent articles.

    A 429 pauses the whole pool, not just the request that got it (the server's limit
    is the account's, not the request's), and optional requests-per-minute and
    tokens-per-minute budgets space requests out before the server has to say no.
    Single event loop, no awaits between check and commit: no lock needed.
    """

    def __init__(
        self,
        rpm: float | None = None,
        tpm: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rpm, self.tpm, self._clock = rpm, tpm, clock
        self._resume_at = 0.0
        self._next_slot = 0.0
        self._bucket = float(tpm or 0)
        self._filled_at = clock()
        self.pauses = 0

    def pause(self, seconds: float) -> None:
        self.pauses += 1
        self._resume_at = max(self._resume_at, self._clock() + seconds)

    def delay(self, tokens: int = 0) -> float:
        """Seconds to wait before a request of `tokens` may go; 0 means go now (and
        the request's share of the budgets is taken)."""
        now = self._clock()
        wait = self._resume_at - now
        if self.rpm:
            wait = max(wait, self._next_slot - now)
        if self.tpm:
            self._bucket = min(self.tpm, self._bucket + (now - self._filled_at) * self.tpm / 60)
            self._filled_at = now
            need = min(tokens, self.tpm)
            if self._bucket < need:
                wait = max(wait, (need - self._bucket) * 60 / self.tpm)
        if wait > 0:
            return wait
        if self.rpm:
            self._next_slot = max(now, self._next_slot) + 60 / self.rpm
        if self.tpm:
            self._bucket -= min(tokens, self.tpm)
        return 0.0

    async def acquire(self, tokens: int = 0) -> None:
        while (wait := self.delay(tokens)) > 0:
            await asyncio.sleep(wait)


def redact(text: str, settings: Settings | None = None) -> str:
    if settings is not None and settings.api_key:
        secret = settings.api_key.get_secret_value()
        if secret:
            text = text.replace(secret, "[redacted]")
    return _KEYLIKE.sub("[redacted]", text)


def is_format_refusal(exc: BaseException) -> bool:
    """A server that does not support the requested `response_format` (some answer
    400, llama.cpp's server answers 500 with a validation message)."""
    return (
        isinstance(exc, openai.APIStatusError)
        and exc.status_code in (400, 422, 500)
        and bool(_FORMAT_REFUSAL.search(_message(exc)))
    )


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIStatusError):
        if is_format_refusal(exc):
            return False
        return exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500
    return isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError))


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait, from retry-after-ms or Retry-After."""
    response = getattr(exc, "response", None)
    if response is None:
        return None
    headers = response.headers
    if headers.get("retry-after-ms"):
        try:
            return float(headers["retry-after-ms"]) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(parsed.timestamp() - time.time(), 0.0) if parsed else None


_backoff = wait_exponential_jitter(initial=1, max=30, jitter=1)


def _wait(state: RetryCallState) -> float:
    asked = retry_after(state.outcome.exception() if state.outcome else None)
    if asked is not None:
        return min(asked, MAX_RETRY_AFTER)
    return _backoff(state)


def call_with_retries(
    call: Callable[[], Any],
    settings: Settings,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> Any:
    """Run `call` under the retry policy; failures become `LLMTransportError`."""
    retrying = Retrying(
        stop=stop_after_attempt(settings.max_retries + 1) | stop_after_delay(settings.deadline),
        wait=_wait,
        retry=retry_if_exception(_retryable),
        sleep=sleep,
        reraise=True,
    )
    try:
        return retrying(call)
    except openai.APIError as exc:
        if is_format_refusal(exc):
            raise  # the caller falls back to another response format
        attempts = retrying.statistics.get("attempt_number", 1)
        raise transport_error(exc, settings, attempts) from None


async def acall_with_retries(
    call: Callable[[], Awaitable[Any]],
    settings: Settings,
    *,
    throttle: Throttle,
    tokens: int = 0,
) -> Any:
    """The async twin of `call_with_retries`: every attempt waits for the pool's
    throttle, and a 429's wait is imposed on the whole pool."""

    async def attempt() -> Any:
        await throttle.acquire(tokens)
        return await call()

    def share_429(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, openai.RateLimitError) and state.next_action is not None:
            throttle.pause(state.next_action.sleep)

    retrying = AsyncRetrying(
        stop=stop_after_attempt(settings.max_retries + 1) | stop_after_delay(settings.deadline),
        wait=_wait,
        retry=retry_if_exception(_retryable),
        before_sleep=share_429,
        reraise=True,
    )
    try:
        return await retrying(attempt)
    except openai.APIError as exc:
        if is_format_refusal(exc):
            raise
        attempts = retrying.statistics.get("attempt_number", 1)
        raise transport_error(exc, settings, attempts) from None


def transport_error(exc: openai.APIError, settings: Settings, attempts: int = 1) -> LLMTransportError:
    where = settings.azure_endpoint or settings.base_url or "api.openai.com"
    tried = f" after {attempts} attempts" if attempts > 1 else ""
    if isinstance(exc, openai.APITimeoutError):
        text = f"request to {where} timed out{tried}"
    elif isinstance(exc, openai.APIConnectionError):
        text = f"cannot connect to {where}{tried}"
    elif isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        detail = _message(exc)
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
    return LLMTransportError(redact(" ".join(text.split()), settings))


def _message(exc: openai.APIStatusError) -> str:
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
