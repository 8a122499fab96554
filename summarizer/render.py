"""Rendering results through Jinja templates.

The package's own templates are the fallback of a `ChoiceLoader`, so a user's
`--templates DIR` can override one template and keep the others. Undefined names
are errors (a typo in a template must not silently print nothing). Article text is
untrusted, so every value a template prints is escaped for the format the template's
name says: `.html` templates are autoescaped, Markdown templates (`.md`, and any
name that says neither) escape for Markdown, `.txt` templates lose control characters.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from .errors import ConfigError
from .escape import MarkdownSafe, escape_markdown, markdown_blockquote
from .models import BriefResult, Earlier, FocusCheck, OpenQuestion, QuoteCheck, SummaryCheck
from .resources import TemplateKind, compiled_templates, resource_dir, template_kind
from .words import strip_controls

if TYPE_CHECKING:
    from .threads import Thread


@lru_cache(maxsize=8)
def environment(templates_dir: Path | None = None, kind: TemplateKind = "md") -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        if not templates_dir.is_dir():
            raise ConfigError(f"templates directory {templates_dir} does not exist")
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders.append(jinja2.FileSystemLoader(str(resource_dir("templates"))))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=compiled_templates(f"templates-{kind}"),  # escaping is compiled in
        undefined=jinja2.StrictUndefined,
        autoescape=kind == "html",
        finalize=_FINALIZE[kind],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    if kind == "md":
        env.filters["blockquote"] = markdown_blockquote
    env.filters["verdict"] = verdict_label
    return env


def verdict_label(verdict: str) -> str:
    """A verdict as a reader reads it: "partly supported", "quote not found"."""
    return verdict.replace("_", " ")


def _plain(value: object) -> object:
    return strip_controls(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _markdown(value: object) -> object:
    return value if isinstance(value, int | float) or value is None else escape_markdown(value)


_FINALIZE = {"html": _plain, "txt": _plain, "md": _markdown}


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
    kind = template_kind(template)
    card_template = card_template or f"card.{kind}.j2"
    if template_kind(card_template) != kind:
        raise ConfigError(f"card template {card_template} does not write the digest's format ({kind})")
    safe = {"html": Markup, "md": MarkdownSafe, "txt": str}[kind]
    items = []
    for number, result in enumerate(results, start=1):
        anchor = f"a{number}-" + re.sub(r"[^a-z0-9]+", "-", result.brief.headline.lower()).strip("-")[:40]
        # escaped once, by its own template
        card = safe(_render(card_template, templates_dir, **context(result), anchor=anchor))
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


def render_thread(timeline: Thread, template: str = "thread.md.j2", *, templates_dir: Path | None = None) -> str:
    """A story's timeline: its briefs, its questions from raised to answered, its figures as they moved."""
    first = timeline.briefs[0] if timeline.briefs else Earlier()
    text = _render(
        template,
        templates_dir,
        thread=timeline,
        title=first.title or "The story",
        when=_when,
        answered=[q for q in timeline.questions if q.answered is not None],
        still_open=[q for q in timeline.questions if q.answered is None],
    )
    return text.rstrip("\n") + "\n"


def context(result: BriefResult) -> dict[str, object]:
    """What every brief template can use, beyond the result itself."""
    return {
        "result": result,
        "article": result.article,
        "brief": result.brief,
        "engine": result.engine,
        "facts": list(zip(result.brief.key_facts, result.grounding.facts, strict=True)),
        "summary": list(zip(result.brief.summary, _summary_checks(result), strict=True)),
        "questions": list(zip(result.brief.open_questions, result.grounding.questions, strict=True)),
        "questions_by_topic": group_by_topic(zip(result.brief.open_questions, result.grounding.questions, strict=True)),
        "source_line": source_line(result),
        "headline_check": result.grounding.headline or SummaryCheck(),
        "focus": _focus(result),
        "verified": result.grounding.verified_facts,
        "evidence": evidence(result),
        "since": since_lines(result),
    }


def since_lines(result: BriefResult) -> dict[str, object] | None:
    """What changed since the earlier briefs, as a reader reads it: each line with the
    day of the brief it refers to ("March 5", else that article's title)."""
    changes = result.changes
    if changes is None:
        return None
    return {
        "answered": [
            {"question": a.question, "when": _when(a.asked), "quote": a.quote, "check": a.check}
            for a in changes.answered
        ],
        "still_open": [{"question": s.question, "when": _when(s.asked), "quote": s.quote} for s in changes.still_open],
        "figures": [
            {"before": f.before, "after": f.after, "when": _when(f.said), "quote": f.quote, "earlier": f.earlier_quote}
            for f in changes.changed_figures
        ],
        "contradictions": [
            {"earlier": c.earlier_quote, "when": _when(c.said), "quote": c.quote} for c in changes.contradictions
        ],
        "new_facts": changes.new_facts,
        "first": _when(changes.since[-1]) if changes.since else "the last brief",
        "error": changes.error,
    }


def _when(earlier: Earlier) -> str:
    if earlier.published is not None:
        return earlier.published.strftime("%B %-d")
    return earlier.title or earlier.source or "an earlier brief"


# The weakest verdict wins where highlights overlap.
_WEAKNESS = {"supported": 0, "partly_supported": 1, "contradicted": 2, "quote_not_found": 3}


def evidence(result: BriefResult) -> list[list[dict[str, object]]]:
    """The cleaned article, paragraph by paragraph, cut where a quote's recorded span
    begins or ends: each segment says which facts (`f1`) and questions (`q1`) quote it,
    which of those start there, and the weakest of their verdicts."""
    marks = [
        (f"{prefix}{n}", check.span, check.verdict)
        for prefix, checks in (("f", result.grounding.facts), ("q", result.grounding.questions))
        for n, check in enumerate(checks, start=1)
        if check.span is not None
    ]
    paragraphs, offset = [], 0
    for paragraph in result.article.paragraphs:
        start, end = offset, offset + len(paragraph)
        cuts = {start, end} | {p for _, span, _ in marks for p in span if start < p < end}
        segments = []
        for a, b in itertools.pairwise(sorted(cuts)):
            covering = [(mark, verdict) for mark, span, verdict in marks if span[0] < b and a < span[1]]
            segments.append(
                {
                    "text": result.article.body[a:b],
                    "marks": [mark for mark, _ in covering],
                    "starts": [mark for mark, span, _ in marks if span[0] == a],
                    "verdict": max((v for _, v in covering), key=_WEAKNESS.__getitem__, default=None),
                }
            )
        paragraphs.append(segments)
        offset = end + 2  # the blank line between paragraphs in Article.body
    return paragraphs


def _focus(result: BriefResult) -> list[dict[str, object]]:
    """Focus topics with the text of their questions and one line on how the brief
    covers each, worded once for every template."""
    questions = result.brief.open_questions
    checks = {c.topic: c for c in result.grounding.focus}
    items: list[dict[str, object]] = []
    for f in result.brief.focus:
        texts = [questions[n - 1].question for n in f.questions if 1 <= n <= len(questions)]
        parts = [f"key facts {', '.join(map(str, f.facts))}"] if f.facts else []
        parts += [f"open: {' / '.join(texts)}"] if texts else []
        coverage = ("; ".join(parts) or "mentioned") if f.addressed else "not addressed in the article"
        check = checks.get(f.topic, FocusCheck(topic=f.topic))
        items.append(
            {
                "topic": f.topic,
                "addressed": f.addressed,
                "facts": f.facts,
                "questions": texts,
                "coverage": coverage,
                "verified": check.verified,
                "reason": check.reason,
            }
        )
    return items


def _summary_checks(result: BriefResult) -> list[SummaryCheck]:
    """Results saved before summary checks existed have none: show them unmarked."""
    checks = result.grounding.summary
    return checks if len(checks) == len(result.brief.summary) else [SummaryCheck()] * len(result.brief.summary)


def _render(template: str, templates_dir: Path | None, **values: object) -> str:
    env = environment(templates_dir, template_kind(template))
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
