"""The pipeline in one direction: source -> clean -> engine -> ground -> result."""

from __future__ import annotations

from pathlib import Path

from .clean import clean
from .engines import Engine
from .errors import GroundingError
from .fetch import is_url
from .ground import ground
from .models import Article, Brief, BriefResult, Grounding
from .settings import Settings
from .sources import read_source


def summarize(
    source: str | Path | Article,
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
    topics: list[str] | None = None,
) -> BriefResult:
    """Brief one article.

    `source` is the page's text (plain text, HTML or Markdown), a URL to fetch,
    a `Path` to read, or an already cleaned `Article`.
    """
    settings = settings or Settings.load()
    article = _article(source)
    engine = engine or make_engine(settings)
    brief, usage = engine.brief(article, topics=topics)
    brief, grounding = ground(article, brief, threshold=settings.fuzzy_threshold)
    if settings.strict_grounding:
        brief, grounding = _drop_unverified(brief, grounding)
    return BriefResult(article=article, brief=brief, grounding=grounding, engine=engine.info, usage=usage)


def _article(source: str | Path | Article) -> Article:
    if isinstance(source, Article):
        return source
    if isinstance(source, Path) or is_url(source):
        read = read_source(source if isinstance(source, Path) else source.strip())
        return clean(read.text, source=read.name)
    return clean(source)


def make_engine(settings: Settings) -> Engine:
    if settings.resolved_engine == "openai":
        from .engines.openai_engine import OpenAIEngine

        return OpenAIEngine(settings)
    from .engines.offline import OfflineEngine

    return OfflineEngine()


def _drop_unverified(brief: Brief, grounding: Grounding) -> tuple[Brief, Grounding]:
    """Strict grounding: remove unverified facts, renumber what the summary cites,
    and record what went so the output can say so."""
    keep = [i for i, check in enumerate(grounding.facts) if check.verified]
    if brief.key_facts and not keep:
        raise GroundingError("strict grounding: no key fact could be verified against the article")
    renumber = {old + 1: new + 1 for new, old in enumerate(keep)}
    summary = [s.model_copy(update={"facts": [renumber[n] for n in s.facts if n in renumber]}) for s in brief.summary]
    dropped = [f.statement for i, f in enumerate(brief.key_facts) if i not in keep]
    brief = brief.model_copy(update={"key_facts": [brief.key_facts[i] for i in keep], "summary": summary})
    grounding = grounding.model_copy(update={"facts": [grounding.facts[i] for i in keep], "dropped": dropped})
    return brief, grounding
