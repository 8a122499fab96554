"""Rendering results through Jinja templates.

The package's own templates are the fallback of a `ChoiceLoader`, so a user's
`--templates DIR` can override one template and keep the others. Undefined names
are errors (a typo in a template must not silently print nothing) and anything
whose name says HTML is autoescaped: article text is untrusted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from .errors import ConfigError
from .models import BriefResult, OpenQuestion, QuoteCheck, SummaryCheck
from .resources import resource_dir

DEFAULT_TEMPLATES = {"md": "brief.md.j2", "html": "brief.html.j2"}


def _autoescape(name: str | None) -> bool:
    return bool(name) and any(f".{ext}" in name for ext in ("html", "htm", "xml"))


@lru_cache(maxsize=8)
def environment(templates_dir: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        if not templates_dir.is_dir():
            raise ConfigError(f"templates directory {templates_dir} does not exist")
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders.append(jinja2.FileSystemLoader(str(resource_dir("templates"))))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["blockquote"] = _blockquote
    return env


def render(
    result: BriefResult,
    template: str = "brief.md.j2",
    *,
    templates_dir: Path | None = None,
) -> str:
    """Render one result; `template` is a file name in the templates directories."""
    return _render(template, templates_dir, **context(result))


def render_digest(
    results: Sequence[BriefResult],
    template: str = "digest.md.j2",
    *,
    card_template: str | None = None,
    title: str = "News digest",
    templates_dir: Path | None = None,
) -> str:
    """Many results in one newsletter-shaped document: contents, one card per article,
    and the open questions of all of them collected by topic."""
    if card_template is None:
        kind = "html" if ".html" in template else "txt" if ".txt" in template else "md"
        card_template = f"card.{kind}.j2"
    items = []
    for number, result in enumerate(results, start=1):
        anchor = f"a{number}-" + re.sub(r"[^a-z0-9]+", "-", result.brief.headline.lower()).strip("-")[:40]
        card = _render(card_template, templates_dir, **context(result), anchor=anchor)
        if _autoescape(card_template):
            card = Markup(card)  # escaped once, by its own template
        items.append({"result": result, "anchor": anchor, "card": card})
    by_topic: dict[str, list[tuple[OpenQuestion, dict[str, object]]]] = {}
    for item in items:
        result = item["result"]
        assert isinstance(result, BriefResult)
        for question in result.brief.open_questions:
            by_topic.setdefault(question.topic.strip().lower(), []).append((question, item))
    if "other" in by_topic:
        by_topic["other"] = by_topic.pop("other")
    facts_total = sum(len(r.grounding.facts) for r in results)
    return _render(
        template,
        templates_dir,
        title=title,
        results=list(results),
        items=items,
        questions_by_topic=by_topic,
        facts_total=facts_total,
        verified_total=sum(r.grounding.verified_facts for r in results) if facts_total else None,
    )


def context(result: BriefResult) -> dict[str, object]:
    """What every brief template can use, beyond the result itself."""
    return {
        "result": result,
        "article": result.article,
        "brief": result.brief,
        "engine": result.engine,
        "facts": list(zip(result.brief.key_facts, result.grounding.facts, strict=True)),
        "summary": list(zip(result.brief.summary, _summary_checks(result), strict=True)),
        "questions_by_topic": group_by_topic(zip(result.brief.open_questions, result.grounding.questions, strict=True)),
        "source_line": source_line(result),
        "focus": _focus(result),
        "verified": result.grounding.verified_facts,
    }


def _focus(result: BriefResult) -> list[dict[str, object]]:
    """Focus topics with the text of their questions and one line on how the brief
    covers each, worded once for every template."""
    questions = result.brief.open_questions
    items: list[dict[str, object]] = []
    for f in result.brief.focus:
        texts = [questions[n - 1].question for n in f.questions if 1 <= n <= len(questions)]
        parts = [f"key facts {', '.join(map(str, f.facts))}"] if f.facts else []
        parts += [f"open: {' / '.join(texts)}"] if texts else []
        coverage = ("; ".join(parts) or "mentioned") if f.addressed else "not addressed in the article"
        items.append(
            {"topic": f.topic, "addressed": f.addressed, "facts": f.facts, "questions": texts, "coverage": coverage}
        )
    return items


def _summary_checks(result: BriefResult) -> list[SummaryCheck]:
    """Results saved before summary checks existed have none: show them unmarked."""
    checks = result.grounding.summary
    return checks if len(checks) == len(result.brief.summary) else [SummaryCheck()] * len(result.brief.summary)


def _render(template: str, templates_dir: Path | None, **values: object) -> str:
    env = environment(templates_dir)
    try:
        return env.get_template(template).render(**values)
    except jinja2.TemplateNotFound as exc:
        raise ConfigError(f"template {exc.name!r} not found") from None
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"template {exc.name}: line {exc.lineno}: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise ConfigError(f"template {template}: {exc.message}") from None


def group_by_topic(
    pairs: Iterable[tuple[OpenQuestion, QuoteCheck]],
) -> dict[str, list[tuple[OpenQuestion, QuoteCheck]]]:
    """Questions under their topics in first-seen order, the catch-all "other" last."""
    grouped: dict[str, list[tuple[OpenQuestion, QuoteCheck]]] = {}
    for question, check in pairs:
        grouped.setdefault(question.topic, []).append((question, check))
    if "other" in grouped:
        grouped["other"] = grouped.pop("other")
    return grouped


def source_line(result: BriefResult) -> str:
    article = result.article
    parts = [article.publisher, article.byline and f"by {article.byline}"]
    if article.published:
        parts.append(article.published.strftime("%B %-d, %Y"))
    if article.site and article.site != article.publisher:
        parts.append(f"via {article.site}")
    return " · ".join(p for p in parts if p)


def _blockquote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines())
