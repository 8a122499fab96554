"""Many articles at once, for newsletter builders: a pool of concurrent briefs.

`concurrency` bounds the requests in flight (held by the engine's throttle, shared by
the pool: a 429 slows the whole pool down); twice as many articles may be in progress,
so one article's cleaning, grounding and writing never keeps a request from going out.
All of them share one engine and one async client. One failed
article is an `Outcome` with its error, never an exception that stops the others.
When the server itself is the problem (it cannot be reached, times out, answers with
a web page), every article would spend its whole deadline finding that out: once
several in a row fail the same server-wide way, the rest are not sent.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import Cache
from .clean.fetch import is_url
from .engines import Engine
from .engines.openai.throttle import Throttle
from .errors import LLMTransportError, SummarizerError
from .models import Article, BriefResult
from .pipeline import Since, aclose, asummarize, make_engine
from .settings import Settings

if TYPE_CHECKING:
    import openai

Source = str | Path | Article
# Failures that say nothing about the server: the request itself was refused.
_ARTICLE_STATUS = re.compile(r"^HTTP (?:400|413|422)$")


class UnexpectedError(SummarizerError):
    """A fault summarizer did not foresee (a bug): that article fails, the others go on."""

    label = "unexpected error"


@dataclass
class Outcome:
    """One article of a batch: its result, or the error that stopped it."""

    source: str
    index: int = 0
    """Position in the input: outcomes finish in any order."""
    result: BriefResult | None = None
    error: SummarizerError | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.result is not None


def source_name(source: Source, index: int) -> str:
    if isinstance(source, Article):
        return source.source or f"article {index + 1}"
    if isinstance(source, Path) or is_url(source):
        return str(source)
    return f"text {index + 1}"


async def asummarize_many(
    sources: Iterable[Source],
    *,
    settings: Settings | None = None,
    concurrency: int = 4,
    rpm: float | None = None,
    tpm: float | None = None,
    topics: list[str] | None = None,
    engine: Engine | None = None,
    client: openai.AsyncOpenAI | None = None,
    cache: Cache | None = None,
    on_done: Callable[[Outcome], None] | None = None,
    since: list[BriefResult] | None = None,
) -> list[Outcome]:
    """Brief every source, at most `concurrency` at a time; outcomes in input order.
    `on_done` is called as each one finishes (to write it at once, or show progress),
    one call at a time in a thread of its own, so its work never holds up a request.
    `client`: your own `openai.AsyncOpenAI` (auth, proxies, timeouts) for the openai engine.
    `since`: earlier briefs; with several sources (last issue's briefs of many stories)
    each article is read against those of its own story, matched by title words and names."""
    sources = list(sources)
    settings = settings or Settings.load()
    own_engine = engine is None
    engine = engine or make_engine(settings, async_client=client, throttle=Throttle(rpm=rpm, tpm=tpm))
    breaker = _Breaker(concurrency)
    earlier = Since.of(since, pick=len(sources) > 1)
    throttle = getattr(engine, "throttle", None)
    if isinstance(throttle, Throttle):
        throttle.limit_in_flight(concurrency, check=breaker.check)
        gate = asyncio.Semaphore(2 * max(concurrency, 1))
    else:  # an engine without requests to bound (the offline one): the articles themselves
        gate = asyncio.Semaphore(max(concurrency, 1))

    async def one(index: int, source: Source) -> Outcome:
        async with gate:
            started = time.perf_counter()
            outcome = Outcome(source_name(source, index), index)
            try:
                breaker.check()
                outcome.result = await asummarize(
                    source, settings=settings, engine=engine, topics=topics, cache=cache, since=earlier
                )
            except SummarizerError as error:
                outcome.error = error
            except Exception as error:  # a bug must not take the other articles down with it
                outcome.error = UnexpectedError(f"{type(error).__name__}: {error}")
            breaker.record(outcome.error)
            outcome.seconds = time.perf_counter() - started
        if on_done is not None:  # one at a time, in order, off the event loop: it renders and writes
            await asyncio.get_running_loop().run_in_executor(done_thread, on_done, outcome)
        return outcome

    done_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="summarizer-done")
    try:
        return list(await asyncio.gather(*(one(i, s) for i, s in enumerate(sources))))
    finally:
        done_thread.shutdown(wait=True)
        if own_engine:
            await aclose(engine)


class _Breaker:
    """Opens when the last few finished articles all failed the same server-wide way."""

    def __init__(self, concurrency: int) -> None:
        self.needed = max(2, min(concurrency, 4))
        self.streak: list[LLMTransportError] = []
        self.opened: LLMTransportError | None = None

    def check(self) -> None:
        if self.opened is not None:
            raise self.opened

    def record(self, error: SummarizerError | None) -> None:
        if self.opened is not None and error is self.opened:
            return
        wide = isinstance(error, LLMTransportError) and not _ARTICLE_STATUS.match(error.kind)
        if not wide or (self.streak and self.streak[-1].kind != error.kind):  # type: ignore[union-attr]
            self.streak = []
        if wide:
            self.streak.append(error)  # type: ignore[arg-type]
        if len(self.streak) >= self.needed:
            first = self.streak[0]
            self.opened = LLMTransportError(
                f"not sent: the last {len(self.streak)} articles failed the same way ({first})", kind=first.kind
            )


def summarize_many(sources: Iterable[Source], **options: object) -> list[Outcome]:
    """`asummarize_many` for code that is not async itself (same options)."""
    return asyncio.run(asummarize_many(sources, **options))  # type: ignore[arg-type]
