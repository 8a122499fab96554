"""The `summarizer` command.

Briefs and paths go to stdout, everything else (which engine ran, progress,
errors) to stderr, so `summarizer brief - > brief.md` and scripts that read the
printed paths both work. Every `SummarizerError` becomes one line and an exit
code; a traceback means a bug.
"""

from __future__ import annotations

import json
import re
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn
from urllib.parse import urlparse

import typer

from .clean import clean
from .errors import SummarizerError
from .fetch import is_url
from .models import BriefResult
from .output import write_atomic
from .pipeline import make_engine, summarize
from .render import DEFAULT_TEMPLATES, render
from .settings import Settings
from .sources import read_source

EXIT_OK, EXIT_PARTIAL = 0, 4

app = typer.Typer(
    help="Turn news articles into grounded briefs: summary, key facts with verbatim quotes, open questions by topic.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    md = "md"
    json = "json"
    html = "html"


class CleanFormat(str, Enum):
    text = "text"
    json = "json"


class Structured(str, Enum):
    json_schema = "json_schema"
    json_object = "json_object"
    tools = "tools"


class EngineChoice(str, Enum):
    auto = "auto"
    offline = "offline"
    openai = "openai"


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _fail(error: SummarizerError) -> NoReturn:
    _say(f"summarizer: {error.label}: {error}")
    raise typer.Exit(error.exit_code)


@app.command()
def brief(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Article files (text, HTML or Markdown), URLs, or '-' for standard input."),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Output file (with a suffix, e.g. brief.md) or directory (no suffix, or several "
            "inputs). Default: beside each input (article.txt -> article.md); stdout for '-'.",
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.md,
    template: Annotated[
        str | None,
        typer.Option(help="Template name, e.g. card.md.j2 (default: brief.md.j2 / brief.html.j2)."),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(help="Directory of your own templates; they override the shipped ones."),
    ] = None,
    engine: Annotated[
        EngineChoice | None,
        typer.Option(help="auto: openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else offline."),
    ] = None,
    model: Annotated[str | None, typer.Option(help="Model name for the openai engine.")] = None,
    strict_grounding: Annotated[
        bool, typer.Option("--strict-grounding", help="Drop facts whose quote is not in the article.")
    ] = False,
    fuzzy_threshold: Annotated[
        float | None,
        typer.Option(help="Lowest rapidfuzz score (50-100) at which an inexact quote counts as found (default 90)."),
    ] = None,
    structured: Annotated[
        Structured | None,
        typer.Option(
            help="How the openai engine asks for JSON: json_schema (strict, default), json_object "
            "(schema in the prompt) or tools. json_schema falls back to json_object by itself "
            "when a server refuses it."
        ),
    ] = None,
    language: Annotated[
        str | None, typer.Option(help="Language of the brief, e.g. en, de (default: the article's).")
    ] = None,
    max_retries: Annotated[
        int | None, typer.Option(help="Retries of one LLM request on 429/5xx/timeouts (default 4).")
    ] = None,
    context_tokens: Annotated[
        int | None,
        typer.Option(help="Article tokens per LLM request; longer articles are split and merged (default 12000)."),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Print the exact requests the openai engine would send, with a token estimate; call nothing.",
        ),
    ] = False,
) -> None:
    """Write a brief of each article."""
    try:
        settings = Settings.load(
            {
                "engine": "openai" if dry_run and engine is None else (engine.value if engine else None),
                "model": model,
                "templates_dir": templates,
                "strict_grounding": strict_grounding or None,
                "fuzzy_threshold": fuzzy_threshold,
                "structured": structured.value if structured else None,
                "language": language,
                "max_retries": max_retries,
                "context_tokens": context_tokens,
            }
        )
        runner = make_engine(settings)
    except SummarizerError as error:
        _fail(error)
    if dry_run:
        raise typer.Exit(_dry_run(inputs, runner))
    _say(_engine_line(settings))
    template_name = template or DEFAULT_TEMPLATES.get(fmt.value)
    to_dir = output is not None and (len(inputs) > 1 or output.is_dir() or not output.suffix)
    failures: list[SummarizerError] = []
    written: set[Path] = set()
    for spec in inputs:
        try:
            read = read_source(spec)
            article = clean(read.text, source=read.name)
            result = summarize(article, settings=settings, engine=runner)
            text = _format(result, fmt, template_name, settings)
            target = _target(spec, output, fmt, to_dir, written)
            if target is None:
                sys.stdout.write(text)
            else:
                write_atomic(target, text)
                written.add(target)
                print(target)
            _say(f"{read.name}: {_counts(result)}")
        except SummarizerError as error:
            _say(f"summarizer: {spec}: {error.label}: {error}")
            failures.append(error)
    if failures:
        if len(inputs) > 1 and len(failures) < len(inputs):
            _say(f"summarizer: {len(failures)} of {len(inputs)} articles failed")
            raise typer.Exit(EXIT_PARTIAL)
        codes = {e.exit_code for e in failures}
        raise typer.Exit(codes.pop() if len(codes) == 1 else EXIT_PARTIAL)


@app.command("clean")
def clean_command(
    source: Annotated[str, typer.Argument(help="Article file (text, HTML or Markdown), URL, or '-'.")],
    fmt: Annotated[CleanFormat, typer.Option("--format", "-f", help="text or json.")] = CleanFormat.text,
) -> None:
    """Show the cleaned article and what cleaning removed, without briefing it."""
    try:
        read = read_source(source)
        article = clean(read.text, source=read.name)
    except SummarizerError as error:
        _fail(error)
    if fmt is CleanFormat.json:
        print(article.model_dump_json(indent=2))
        return
    meta = {
        "title": article.title,
        "authors": article.byline,
        "publisher": article.publisher,
        "site": article.site,
        "published": article.published,
        "language": article.language,
        "words": article.word_count,
        "confidence": article.report.extraction_confidence,
    }
    for key, value in meta.items():
        if value is not None:
            _say(f"{key}: {value}")
    removed = ", ".join(f"{n} {reason}" for reason, n in article.report.removed_by_reason.items())
    _say(f"removed: {removed or 'nothing'}")
    for warning in article.report.warnings:
        _say(f"warning: {warning}")
    print(article.body)


def _dry_run(inputs: list[str], runner: object) -> int:
    """Print what would be sent, as JSON lines a user can read or replay; no network."""
    from .engines.openai_engine import OpenAIEngine, estimate_request_tokens

    if not isinstance(runner, OpenAIEngine):
        _say("summarizer: --dry-run shows LLM requests; the offline engine sends none")
        return 2
    code = 0
    for spec in inputs:
        try:
            read = read_source(spec)
            article = clean(read.text, source=read.name)
        except SummarizerError as error:
            _say(f"summarizer: {spec}: {error.label}: {error}")
            code = error.exit_code
            continue
        requests = runner.requests(article)
        tokens = sum(estimate_request_tokens(r) for r in requests)
        extra = " + 1 reduce request" if len(requests) > 1 else ""
        _say(f"{read.name}: {len(requests)} request(s){extra}, about {tokens:,} prompt tokens")
        for request in requests:
            print(json.dumps(request, ensure_ascii=False, indent=2))
    return code


def _engine_line(settings: Settings) -> str:
    name = settings.resolved_engine
    if name == "offline":
        why = "" if settings.engine == "offline" else " (no OPENAI_API_KEY or OPENAI_BASE_URL set)"
        return f"engine: offline, extractive{why}"
    where = settings.base_url or "api.openai.com"
    return f"engine: openai, model {settings.model} at {where}"


def _format(result: BriefResult, fmt: Format, template: str | None, settings: Settings) -> str:
    if fmt is Format.json:
        return result.model_dump_json(indent=2) + "\n"
    assert template is not None
    return render(result, template, templates_dir=settings.templates_dir)


def _target(spec: str, output: Path | None, fmt: Format, to_dir: bool, taken: set[Path]) -> Path | None:
    """Where one input's brief goes; never onto its own input, never onto a sibling's."""
    suffix = "." + fmt.value
    url = is_url(spec)
    stem = "stdin" if spec == "-" else _url_stem(spec) if url else Path(spec).stem
    if output is None:
        if spec == "-":
            return None
        target = Path(stem + suffix) if url else Path(spec).with_suffix(suffix)
    elif to_dir:
        target = output / (stem + suffix)
    else:
        target = output
    if spec != "-" and not url and target.resolve() == Path(spec).resolve():
        target = target.with_name(f"{stem}.brief{suffix}")
    n = 2
    base = target
    while target in taken:
        target = base.with_name(f"{base.stem}-{n}{suffix}")
        n += 1
    return target


def _url_stem(url: str) -> str:
    """A file name for a URL's brief: its last path segment, else its host."""
    parsed = urlparse(url)
    segment = parsed.path.rstrip("/").rsplit("/", 1)[-1]
    segment = re.sub(r"\.(?:html?|php|aspx?)$", "", segment)
    return re.sub(r"[^\w.-]+", "-", segment or parsed.netloc).strip("-.")[:80] or "article"


def _counts(result: BriefResult) -> str:
    usage = result.usage
    spent = ""
    if usage.requests:
        spent = (
            f"; {usage.requests} request(s), {usage.prompt_tokens:,} prompt"
            f" + {usage.completion_tokens:,} completion tokens"
        )
        if usage.cost_usd is not None:
            spent += f", ${usage.cost_usd:.4f}"
    return _fact_counts(result) + spent


def _fact_counts(result: BriefResult) -> str:
    facts = len(result.grounding.facts)
    verified = result.grounding.verified_facts
    dropped = len(result.grounding.dropped)
    text = f"{facts} facts, {verified} verified, {len(result.brief.open_questions)} open questions"
    if dropped:
        text += f", {dropped} unverified facts dropped (--strict-grounding)"
    return text


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        _say("summarizer: interrupted")
        sys.exit(130)
