"""The pipeline in one direction: source -> clean -> engine -> ground -> result.

The flow is written once, as a generator of steps (read the source, have the engine
write, have it repair, wait for another process), and driven twice: by `summarize`
with plain calls and by `asummarize` on an event loop. Whatever the engine costs is
claimed in the cache before it is paid for, kept once paid for (a failed repair keeps
the brief it was to repair), and written to the cache.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Generator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from .cache import Cache, EngineOutput, answer_key, cache_key
from .clean import clean
from .clean.fetch import is_url
from .clean.sources import read_source
from .engines import Engine
from .errors import GroundingError, LLMError, SummarizerError
from .models import (
    Article,
    Brief,
    BriefResult,
    Changes,
    EarlierClaim,
    EarlierQuestion,
    Grounding,
    Judgements,
    SinceDraft,
    Usage,
)
from .settings import Settings
from .threads import Stories, changes_from, earlier_items, earlier_of, in_order
from .verify import ground
from .verify.judge import Pair, pairs_of, with_judgements

if TYPE_CHECKING:
    import openai

    from .engines.openai.throttle import Throttle

# How often a run waiting on another's claim looks for its result.
CLAIM_POLL = 0.5


def summarize(
    source: str | Path | Article,
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
    client: openai.OpenAI | None = None,
    topics: list[str] | None = None,
    cache: Cache | None = None,
    since: list[BriefResult] | None = None,
) -> BriefResult:
    """Brief one article.

    `source` is the page's text (plain text, HTML or Markdown), a URL to fetch,
    a `Path` to read, or an already cleaned `Article`. `client`: your own
    `openai.OpenAI` (auth, proxies, timeouts) for the openai engine. `since`: earlier
    briefs of the same story; the result's `changes` says what is new against them.
    """
    settings = settings or Settings.load()
    engine = engine or make_engine(settings, client=client)
    return _drive(_flow(source, settings, engine, topics, cache, Since.of(since)), engine)


async def asummarize(
    source: str | Path | Article,
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
    client: openai.AsyncOpenAI | None = None,
    topics: list[str] | None = None,
    cache: Cache | None = None,
    since: list[BriefResult] | Since | None = None,
) -> BriefResult:
    """`summarize` on the async client: many of these can run at once."""
    settings = settings or Settings.load()
    earlier = since if isinstance(since, Since) else Since.of(since)
    if engine is None:
        engine = make_engine(settings, async_client=client)
        try:
            return await _adrive(_flow(source, settings, engine, topics, cache, earlier), engine)
        finally:
            await aclose(engine)
    return await _adrive(_flow(source, settings, engine, topics, cache, earlier), engine)


async def aclose(engine: Engine) -> None:
    """Release what an engine holds on the running event loop (its async client)."""
    close = getattr(engine, "aclose", None)
    if close is not None:
        await close()


# --- the flow, and its two drivers ------------------------------------------------------


@dataclass(frozen=True)
class _Read:
    source: str | Path


@dataclass(frozen=True)
class _Write:
    article: Article
    topics: list[str] | None


@dataclass(frozen=True)
class _Repair:
    article: Article
    brief: Brief
    problems: list[str]


@dataclass(frozen=True)
class _Wait:
    seconds: float


@dataclass(frozen=True)
class _Judge:
    pairs: list[Pair]


@dataclass(frozen=True)
class _Compare:
    article: Article
    brief: Brief
    questions: list[EarlierQuestion]
    claims: list[EarlierClaim]


@dataclass(frozen=True)
class Since:
    """Earlier briefs to read today's article against. `stories`, when they are a mix
    of stories (last week's digest): each article takes only those of its own story."""

    results: tuple[BriefResult, ...]
    stories: Stories | None = None

    @classmethod
    def of(cls, results: list[BriefResult] | None, *, pick: bool = False) -> Since | None:
        if not results:
            return None
        return cls(tuple(results), Stories(results) if pick else None)


_Step = _Read | _Write | _Repair | _Wait | _Judge | _Compare
Flow = Generator[_Step, Any, BriefResult]
_Answer = TypeVar("_Answer", bound=BaseModel)


def _flow(
    source: str | Path | Article,
    settings: Settings,
    engine: Engine,
    topics: list[str] | None,
    cache: Cache | None,
    since: Since | None = None,
) -> Flow:
    article: Article = source if isinstance(source, Article) else (yield _Read(source))
    key = None
    if cache is not None and engine.info.name != "offline":  # the offline engine is instant: never cached
        key = cache_key(article, engine.info, settings, topics, server=getattr(engine, "server", None))
    output = (yield from _claim(cache, key, settings)) if cache is not None and key else None
    cached = output is not None
    checked = None
    if output is None:
        try:
            brief, usage = yield _Write(article, topics)
            brief = only_asked_focus(brief, topics)
            checked = _check(article, brief, settings)
            repaired, repair_error = 0, None
            if checked.problems and hasattr(engine, "repair"):
                try:
                    fixed, extra = yield _Repair(article, brief, checked.problems)
                except LLMError as error:  # the brief is paid for: keep it, marked
                    repair_error = str(error)
                else:
                    usage = usage + extra
                    fixed = only_asked_focus(fixed, topics)
                    after = _check(article, fixed, settings)
                    if after.verified >= checked.verified:
                        brief, repaired, checked = fixed, after.verified - checked.verified, after
            output = EngineOutput(brief, usage, repaired, repair_error)
            if cache is not None and key:
                cache.put(key, output, engine.info.model)
        finally:
            if cache is not None and key:
                cache.release(key)
    result = _finish(article, output, settings, engine, cached, checked)
    if settings.verify == "model" and hasattr(engine, "judge") and (pairs := pairs_of(result)):
        try:
            judgements, usage = yield from _asked(_Judge(pairs), Judgements, "judge", pairs, cache, key)
        except LLMError as error:  # the brief stands without the second opinion
            return result.model_copy(
                update={"grounding": result.grounding.model_copy(update={"judge_error": str(error)})}
            )
        result = with_judgements(result, pairs, judgements, usage)
    if since is not None:
        result = yield from _compared(result, since, settings, cache, key)
    return result


def _compared(
    result: BriefResult, since: Since, settings: Settings, cache: Cache | None = None, key: str | None = None
) -> Generator[_Step, Any, BriefResult]:
    """The result with what changed since the earlier briefs of its story; a comparison
    in the cache (`key`: its brief's) is not paid for again, and costs nothing."""
    mine = since.stories.of(result) if since.stories is not None else since.results
    earlier = [r for r in mine if r.article.body != result.article.body]  # never today's own brief
    if not earlier:
        return result
    questions, claims = earlier_items(earlier)
    error = None
    sent = {
        "brief": result.brief.model_dump(mode="json"),
        "questions": [q.model_dump(mode="json") for q in questions],
        "claims": [c.model_dump(mode="json") for c in claims],
    }
    try:
        draft, usage = yield from _asked(
            _Compare(result.article, result.brief, questions, claims), SinceDraft, "since", sent, cache, key
        )
    except LLMError as exc:  # the brief is paid for: it keeps changes read offline, and says so
        draft, usage = _comparer(None).since(result.article, result.brief, questions, claims)
        error = str(exc)
    changes = changes_from(
        draft,
        result.article,
        len(result.brief.key_facts),
        questions,
        claims,
        [earlier_of(r) for r in in_order(earlier)],
        threshold=settings.fuzzy_threshold,
    )
    changes.error = error
    return result.model_copy(update={"changes": changes, "usage": result.usage + usage})


def _asked(
    step: _Judge | _Compare, answer: type[_Answer], kind: str, sent: object, cache: Cache | None, key: str | None
) -> Generator[_Step, Any, tuple[_Answer, Usage]]:
    """The answer to a request made after a brief (`key`: its brief's): from the cache,
    at no cost, when the same brief sent the same thing before; else asked, and kept.
    A failed request's LLMError reaches the caller, which decides what stands."""
    kept = answer_key(kind, key, sent) if cache is not None and key else None
    if cache is not None and kept and (known := cache.get_answer(kept, answer)) is not None:
        return known, Usage()
    got, usage = yield step
    if cache is not None and kept:
        cache.put_answer(kept, got)
    return got, usage


def changes_since(today: BriefResult, earlier: list[BriefResult], *, engine: Engine | None = None) -> Changes:
    """What `today` changes against `earlier` briefs of its story, read by `engine`
    (offline when None or when it cannot compare)."""
    flow = _compared(today, Since(tuple(earlier)), Settings())
    return _drive(flow, engine or _comparer(None)).changes or Changes(since=[])


def _claim(cache: Cache, key: str, settings: Settings) -> Generator[_Wait, None, EngineOutput | None]:
    """The cached output; or None once this run holds the claim to pay for it. While
    another run holds it (another process, or the same article twice in a batch),
    wait for its result rather than pay twice."""
    while True:
        output = cache.get(key)
        if output is not None:
            return output
        if cache.claim(key, ttl=settings.deadline * 3 + 60):
            return None
        yield _Wait(CLAIM_POLL)


def _drive(flow: Flow, engine: Engine) -> BriefResult:
    """Run the flow's steps; anything else that escapes (Ctrl-C, cancellation) closes
    the flow first, so its cache claim is released."""
    try:
        prepare = getattr(engine, "prepare", None)
        if prepare is not None:  # the model and context a self-hosted server has, before the cache key
            prepare()
        value: Any = None
        error: SummarizerError | None = None
        while True:
            try:
                step = flow.throw(error) if error is not None else flow.send(value)
            except StopIteration as done:
                return done.value
            value, error = None, None
            try:
                if isinstance(step, _Read):
                    value = _article(step.source)
                elif isinstance(step, _Write):
                    value = engine.brief(step.article, topics=step.topics)
                elif isinstance(step, _Repair):
                    value = engine.repair(step.article, step.brief, step.problems)  # type: ignore[attr-defined]
                elif isinstance(step, _Judge):
                    value = engine.judge(step.pairs)  # type: ignore[attr-defined]
                elif isinstance(step, _Compare):
                    value = _comparer(engine).since(step.article, step.brief, step.questions, step.claims)
                else:
                    time.sleep(step.seconds)
            except SummarizerError as exc:
                error = exc
    finally:
        flow.close()


async def _adrive(flow: Flow, engine: Engine) -> BriefResult:
    try:
        prepare = getattr(engine, "prepare", None)
        if prepare is not None:
            await asyncio.to_thread(prepare)
        value: Any = None
        error: SummarizerError | None = None
        while True:
            await _let_requests_go()
            try:
                step = flow.throw(error) if error is not None else flow.send(value)
            except StopIteration as done:
                return done.value
            value, error = None, None
            try:
                if isinstance(step, _Read):
                    if isinstance(step.source, str) and is_url(step.source):  # a wait on the network
                        value = await asyncio.to_thread(_article, step.source)
                    else:  # work for this thread: in another it would only fight the event loop for the GIL
                        value = _article(step.source)
                elif isinstance(step, _Write):
                    abrief = getattr(engine, "abrief", None)
                    if abrief is not None:
                        value = await abrief(step.article, topics=step.topics)
                    else:
                        value = await asyncio.to_thread(engine.brief, step.article, topics=step.topics)
                elif isinstance(step, _Repair):
                    value = await engine.arepair(step.article, step.brief, step.problems)  # type: ignore[attr-defined]
                elif isinstance(step, _Judge):
                    value = await engine.ajudge(step.pairs)  # type: ignore[attr-defined]
                elif isinstance(step, _Compare):
                    comparer = _comparer(engine)
                    asince = getattr(comparer, "asince", None)
                    args = (step.article, step.brief, step.questions, step.claims)
                    value = await asince(*args) if asince is not None else comparer.since(*args)
                else:
                    await asyncio.sleep(step.seconds)
            except SummarizerError as exc:
                error = exc
    finally:
        flow.close()


async def _let_requests_go() -> None:
    """A few turns of the event loop before this article's own work (cleaning,
    grounding) holds it: the requests whose slots other articles' answers just freed
    go out first, and the pool keeps as many requests in flight as it may."""
    for _ in range(3):
        await asyncio.sleep(0)


def _comparer(engine: Engine | None) -> Any:
    """The engine, when it can read an article against earlier briefs; else the offline one."""
    if engine is not None and hasattr(engine, "since"):
        return engine
    from .engines.offline import OfflineEngine

    return OfflineEngine()


def _article(source: str | Path | Article) -> Article:
    if isinstance(source, Article):
        return source
    if isinstance(source, Path) or is_url(source):
        read = read_source(source if isinstance(source, Path) else source.strip())
        return clean(read.text, source=read.name)
    return clean(source)


@dataclass(frozen=True)
class _Checked:
    """A brief grounded once, kept so the result does not ground it twice."""

    brief: Brief
    grounding: Grounding

    @cached_property
    def problems(self) -> list[str]:
        """Only a fresh engine answer needs them (for its repair), never a cache hit."""
        return grounding_problems(self.brief, self.grounding)

    @property
    def verified(self) -> int:
        return self.grounding.verified_facts


def _check(article: Article, brief: Brief, settings: Settings) -> _Checked:
    return _Checked(*ground(article, brief, threshold=settings.fuzzy_threshold))


def finish(article: Article, brief: Brief, usage: Usage, settings: Settings, engine: Engine) -> BriefResult:
    """Ground a brief that was written elsewhere (a batch result) into a result."""
    return _finish(article, EngineOutput(brief, usage), settings, engine, cached=False)


def _finish(
    article: Article,
    output: EngineOutput,
    settings: Settings,
    engine: Engine,
    cached: bool,
    checked: _Checked | None = None,
) -> BriefResult:
    """Ground (on every run and every cache hit, unless `checked` already did for this
    output), then apply strict grounding."""
    if checked is None:
        checked = _check(article, output.brief, settings)
    brief, grounding = checked.brief, checked.grounding
    grounding = grounding.model_copy(update={"repaired": output.repaired, "repair_error": output.repair_error})
    if settings.strict_grounding:
        brief, grounding = _drop_unverified(brief, grounding)
    usage = Usage(cost_usd=0.0 if output.usage.cost_usd is not None else None) if cached else output.usage
    return BriefResult(
        article=article, brief=brief, grounding=grounding, engine=engine.info, usage=usage, cached=cached
    )


def only_asked_focus(brief: Brief, topics: list[str] | None) -> Brief:
    """Focus entries for topics the reader asked for, and no others: a model's own
    "focus topic" is not what the reader wanted to know."""
    asked = {" ".join(t.split()).casefold() for t in topics or []}
    kept = [f for f in brief.focus if " ".join(f.topic.split()).casefold() in asked]
    return brief if len(kept) == len(brief.focus) else brief.model_copy(update={"focus": kept})


def grounding_problems(brief: Brief, grounding: Grounding) -> list[str]:
    """What failed grounding, phrased for the model's repair request."""
    problems = []
    for fact, check in zip(brief.key_facts, grounding.facts, strict=True):
        if check.verdict == "quote_not_found":
            problems.append(f"this quote is not in the article: {fact.quote!r}")
        elif not check.verified:
            problems.append(
                f"the statement {fact.statement!r} is not backed by its quote {fact.quote!r}: it "
                + "; it ".join(check.reasons)
            )
    for question, check in zip(brief.open_questions, grounding.questions, strict=True):
        if not check.verified:
            problems.append(f"the open question {question.question!r}: it " + "; it ".join(check.reasons))
    for sentence, support in zip(brief.summary, grounding.summary, strict=True):
        if not support.verified:
            problems.append(f"the summary sentence {sentence.text!r} " + "; it ".join(support.reasons))
    if grounding.headline is not None and not grounding.headline.verified:
        problems.append(f"the headline {brief.headline!r} " + "; it ".join(grounding.headline.reasons))
    return problems


def make_engine(
    settings: Settings,
    *,
    client: openai.OpenAI | None = None,
    async_client: openai.AsyncOpenAI | None = None,
    throttle: Throttle | None = None,
) -> Engine:
    """The engine the settings ask for; a client of the caller's means the openai
    engine unless the settings say offline."""
    given = client is not None or async_client is not None
    if settings.resolved_engine == "openai" or (given and settings.engine != "offline"):
        from .engines.openai.engine import OpenAIEngine

        return OpenAIEngine(settings, client=client, async_client=async_client, throttle=throttle)
    from .engines.offline import OfflineEngine

    return OfflineEngine()


def _drop_unverified(brief: Brief, grounding: Grounding) -> tuple[Brief, Grounding]:
    """Strict grounding: remove unverified facts, renumber what the summary cites,
    and record what went so the output can say so."""
    keep = [i for i, check in enumerate(grounding.facts) if check.verified]
    if brief.key_facts and not keep:
        raise GroundingError("strict grounding: no key fact could be verified against the article")
    renumber = {old + 1: new + 1 for new, old in enumerate(keep)}

    def kept_numbers(numbers: list[int]) -> list[int]:
        return [renumber[n] for n in numbers if n in renumber]

    summary = [s.model_copy(update={"facts": kept_numbers(s.facts)}) for s in brief.summary]
    focus = [f.model_copy(update={"facts": kept_numbers(f.facts)}) for f in brief.focus]
    dropped = [f.statement for i, f in enumerate(brief.key_facts) if i not in keep]
    kept = [brief.key_facts[i] for i in keep]
    brief = brief.model_copy(update={"key_facts": kept, "summary": summary, "focus": focus})
    grounding = grounding.model_copy(update={"facts": [grounding.facts[i] for i in keep], "dropped": dropped})
    return brief, grounding
