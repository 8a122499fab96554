"""The pipeline in one direction: source -> clean -> engine -> ground -> result."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import Cache, EngineOutput, cache_key
from .clean import clean
from .clean.fetch import is_url
from .clean.sources import read_source
from .engines import Engine
from .errors import GroundingError
from .models import Article, Brief, BriefResult, Grounding, Usage
from .settings import Settings
from .verify import ground

if TYPE_CHECKING:
    import openai

    from .engines.openai.client import Throttle


def summarize(
    source: str | Path | Article,
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
    client: openai.OpenAI | None = None,
    topics: list[str] | None = None,
    cache: Cache | None = None,
) -> BriefResult:
    """Brief one article.

    `source` is the page's text (plain text, HTML or Markdown), a URL to fetch,
    a `Path` to read, or an already cleaned `Article`. `client`: your own
    `openai.OpenAI` (auth, proxies, timeouts) for the openai engine.
    """
    settings = settings or Settings.load()
    article = _article(source)
    engine = engine or make_engine(settings, client=client)
    key = cache_key(article, engine.info, settings, topics) if _caches(cache, engine) else None
    output = cache.get(key) if cache and key else None
    cached = output is not None
    checked = None
    if output is None:
        brief, usage = engine.brief(article, topics=topics)
        checked = _check(article, brief, settings)
        repaired = 0
        repair = getattr(engine, "repair", None)
        if checked.problems and repair is not None:
            brief, extra = repair(article, brief, checked.problems)
            before, checked = checked, _check(article, brief, settings)
            usage, repaired = _add(usage, extra), max(checked.verified - before.verified, 0)
        output = EngineOutput(brief, usage, repaired)
        if cache and key:
            cache.put(key, output, engine.info.model)
    return _finish(article, output, settings, engine, cached, checked)


async def asummarize(
    source: str | Path | Article,
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
    client: openai.AsyncOpenAI | None = None,
    topics: list[str] | None = None,
    cache: Cache | None = None,
) -> BriefResult:
    """`summarize` on the async client: many of these can run at once."""
    settings = settings or Settings.load()
    if engine is None:
        engine = make_engine(settings, async_client=client)
        try:
            return await asummarize(source, settings=settings, engine=engine, topics=topics, cache=cache)
        finally:
            await aclose(engine)
    article = source if isinstance(source, Article) else await asyncio.to_thread(_article, source)
    key = cache_key(article, engine.info, settings, topics) if _caches(cache, engine) else None
    output = cache.get(key) if cache and key else None
    cached = output is not None
    checked = None
    if output is None:
        abrief = getattr(engine, "abrief", None)
        if abrief is not None:
            brief, usage = await abrief(article, topics=topics)
        else:
            brief, usage = await asyncio.to_thread(engine.brief, article, topics=topics)
        checked = _check(article, brief, settings)
        repaired = 0
        arepair = getattr(engine, "arepair", None)
        if checked.problems and arepair is not None:
            brief, extra = await arepair(article, brief, checked.problems)
            before, checked = checked, _check(article, brief, settings)
            usage, repaired = _add(usage, extra), max(checked.verified - before.verified, 0)
        output = EngineOutput(brief, usage, repaired)
        if cache and key:
            cache.put(key, output, engine.info.model)
    return _finish(article, output, settings, engine, cached, checked)


async def aclose(engine: Engine) -> None:
    """Release what an engine holds on the running event loop (its async client)."""
    close = getattr(engine, "aclose", None)
    if close is not None:
        await close()


def _article(source: str | Path | Article) -> Article:
    if isinstance(source, Article):
        return source
    if isinstance(source, Path) or is_url(source):
        read = read_source(source if isinstance(source, Path) else source.strip())
        return clean(read.text, source=read.name)
    return clean(source)


def _caches(cache: Cache | None, engine: Engine) -> bool:
    """Only engines that cost something are cached; the offline one is instant."""
    return cache is not None and engine.info.name != "offline"


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
    repaired = output.repaired
    grounding = grounding.model_copy(update={"repaired": repaired})
    if settings.strict_grounding:
        brief, grounding = _drop_unverified(brief, grounding)
    usage = Usage(cost_usd=0.0 if output.usage.cost_usd is not None else None) if cached else output.usage
    return BriefResult(
        article=article, brief=brief, grounding=grounding, engine=engine.info, usage=usage, cached=cached
    )


def grounding_problems(brief: Brief, grounding: Grounding) -> list[str]:
    """What failed grounding, phrased for the model's repair request."""
    problems = []
    for fact, check in zip(brief.key_facts, grounding.facts, strict=True):
        if check.status == "missing":
            problems.append(f"this quote is not in the article: {fact.quote!r}")
        elif check.status == "unsupported":
            problems.append(
                f"the statement {fact.statement!r} is not backed by its quote {fact.quote!r}: "
                + ", ".join(check.unsupported)
            )
    for sentence, support in zip(brief.summary, grounding.summary, strict=True):
        if not support.verified:
            problems.append(
                f"the summary sentence {sentence.text!r} is not backed by its facts: " + ", ".join(support.unsupported)
            )
    return problems


def _add(a: Usage, b: Usage) -> Usage:
    cost = None if a.cost_usd is None and b.cost_usd is None else (a.cost_usd or 0.0) + (b.cost_usd or 0.0)
    return Usage(
        requests=a.requests + b.requests,
        prompt_tokens=a.prompt_tokens + b.prompt_tokens,
        completion_tokens=a.completion_tokens + b.completion_tokens,
        cached_tokens=a.cached_tokens + b.cached_tokens,
        cost_usd=cost,
    )


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
