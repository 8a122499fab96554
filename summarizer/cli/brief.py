"""`summarizer brief`: articles in, briefs out, each written the moment it is done."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlparse

import typer

from ..errors import ConfigError, InputError, SummarizerError
from ..settings import Settings
from .app import (
    EXIT_PARTIAL,
    EngineChoice,
    ReasoningEffortChoice,
    Structured,
    TopicOption,
    VerifyChoice,
    _fail,
    _format,
    _say,
    app,
    expand_inputs,
)
from .formats import Format, UsageError, plan_output
from .output import write_atomic

if TYPE_CHECKING:
    from ..cache import Cache
    from ..engines.openai.client import Throttle
    from ..many import Outcome


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
            help="Output file (with a suffix, e.g. brief.md), directory (no suffix, or several "
            "inputs), or '-' for standard output. Default: beside each input (article.txt -> "
            "article.md); standard output for '-'.",
        ),
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="md, html, json or txt. Default: from -o's suffix, else from --template's name, else md; "
            "a contradiction is refused.",
        ),
    ] = None,
    template: Annotated[
        str | None,
        typer.Option(help="Template name, e.g. card.md.j2 or card.html.j2 (default: brief.<format>.j2)."),
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
        bool,
        typer.Option("--strict-grounding", help="Drop facts grounding does not verify, instead of marking them."),
    ] = False,
    verify: Annotated[
        VerifyChoice | None,
        typer.Option(
            help="offline (default): the checks summarizer runs itself. model: also one request in which the "
            "model judges every fact against its quote, shown beside the offline verdict."
        ),
    ] = None,
    evidence: Annotated[
        bool,
        typer.Option(
            "--evidence",
            help="Write the evidence view: the cleaned article with each quote highlighted where it was found "
            "(HTML; the same as --template evidence.html.j2).",
        ),
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
    reasoning_effort: Annotated[
        ReasoningEffortChoice | None,
        typer.Option(
            help="How much a reasoning model (o-series, GPT-5.x, GPT-6.x) thinks before it answers. "
            "Default: low on OpenAI and Azure; not sent to other servers unless given."
        ),
    ] = None,
    max_tokens: Annotated[
        int | None,
        typer.Option(min=256, help="Tokens for the answer (default 3000); reasoning models get room to think on top."),
    ] = None,
    max_retries: Annotated[
        int | None,
        typer.Option(
            help="Retries of one LLM request on 5xx, timeouts and lost connections (default 4); 429s "
            "are waited out within --deadline instead."
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(min=1, help="Seconds one LLM request may take, its whole answer included (default 60)."),
    ] = None,
    deadline: Annotated[
        float | None,
        typer.Option(
            min=1, help="Seconds for one LLM request with all its retries; waits for a busy server count (default 180)."
        ),
    ] = None,
    context_tokens: Annotated[
        int | None,
        typer.Option(help="Article tokens per LLM request; longer articles are split and merged (default 12000)."),
    ] = None,
    concurrency: Annotated[
        int, typer.Option(min=1, help="Articles briefed at the same time (LLM requests in flight).")
    ] = 4,
    rpm: Annotated[float | None, typer.Option(help="At most this many LLM requests per minute.")] = None,
    tpm: Annotated[float | None, typer.Option(help="At most this many LLM tokens per minute (estimated).")] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the cache of LLM briefs.")
    ] = False,
    cache_path: Annotated[
        Path | None, typer.Option("--cache", help="Cache file (default ~/.cache/summarizer/cache.sqlite).")
    ] = None,
    topic: TopicOption = None,
    since: Annotated[
        list[Path] | None,
        typer.Option(
            "--since",
            help="An earlier brief of the story (written with -f json), or a folder of them; repeat for more. "
            "The brief gains a Since section: questions answered, figures moved, facts new or contradicted. "
            "With several inputs, each article takes the earlier briefs of its own story.",
        ),
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
    import asyncio  # what briefing needs is loaded here, not for --help

    from ..many import Outcome, asummarize_many
    from ..pipeline import aclose, make_engine
    from ..threads import load_results
    from .progress import Reporter

    try:
        settings = Settings.load(
            {
                "engine": "openai" if dry_run and engine is None else (engine.value if engine else None),
                "model": model,
                "templates_dir": templates,
                "strict_grounding": strict_grounding or None,
                "verify": verify.value if verify else None,
                "fuzzy_threshold": fuzzy_threshold,
                "structured": structured.value if structured else None,
                "language": language,
                "reasoning_effort": reasoning_effort.value if reasoning_effort else None,
                "max_tokens": max_tokens,
                "max_retries": max_retries,
                "timeout": timeout,
                "deadline": deadline,
                "context_tokens": context_tokens,
            }
        )
        specs = expand_inputs(inputs)
        if output is not None and str(output) == "-":  # -o -: standard output, as for '-' input
            if len(specs) > 1:
                raise UsageError("-o - writes one brief to standard output; give one input, or -o DIR")
            output = None
            to_stdout = True
        else:
            to_stdout = False
        to_dir = output is not None and (len(specs) > 1 or output.is_dir() or not output.suffix)
        if evidence and template is not None:
            raise UsageError(f"--evidence is a template of its own; leave out --template {template}")
        if evidence:
            plan = plan_output(fmt, output, "evidence.html.j2", to_dir=to_dir, template_flag="--evidence")
        else:
            plan = plan_output(fmt, output, template, to_dir=to_dir)
        if "-" in specs and len(specs) > 1 and output is None:
            raise UsageError("'-' with other inputs would mix a brief and paths on standard output; add -o DIR")
        if settings.templates_dir is not None and not settings.templates_dir.is_dir():
            raise ConfigError(f"templates directory {settings.templates_dir} does not exist")
        earlier = load_results(since) if since else None
        runner = make_engine(settings, throttle=_throttle(rpm, tpm))
        cache = _open_cache(settings, no_cache, cache_path)
        if hasattr(runner, "prepare") and not dry_run:
            if cache is not None:  # what servers said about themselves outlives the run
                from ..engines.openai.engine import remember_in

                remember_in(cache)
            runner.prepare()  # no server, or several models and none chosen: say so now
        if settings.verify == "model" and runner.info.name == "offline":
            raise ConfigError(
                "--verify model needs a model: set OPENAI_API_KEY or OPENAI_BASE_URL (or --engine openai)"
            )
    except SummarizerError as error:
        _fail(error)
    topics = topic or None
    if dry_run:
        raise typer.Exit(_dry_run(specs, runner, topics))
    written: set[Path] = set()
    sources: list[str | Path] = []
    source_specs: list[str] = []
    failed: list[Outcome] = []
    for spec in specs:
        try:
            sources.append(_source(spec))
            source_specs.append(spec)
        except SummarizerError as error:
            failed.append(Outcome("<stdin>" if spec == "-" else spec, error=error))
    if sources:
        _say(_engine_line(settings, getattr(runner, "settings", settings)))

    with Reporter(len(specs)) as reporter:
        for outcome in failed:
            reporter.report(outcome)

        def deliver(outcome: Outcome) -> None:
            """Write each brief the moment it is done: a crash later loses nothing."""
            if outcome.result is not None:
                try:
                    text = _format(outcome.result, plan, settings)
                    spec = source_specs[outcome.index]
                    target = None if to_stdout else _target(spec, output, plan.suffix, to_dir, written)
                    if target is None:
                        sys.stdout.write(text)
                    else:
                        write_atomic(target, text)
                        written.add(target)
                        print(target, flush=True)
                except SummarizerError as error:
                    outcome.result, outcome.error = None, error
            spec = source_specs[outcome.index]
            outcome.source = "<stdin>" if spec == "-" else spec
            reporter.report(outcome)

        async def brief_all() -> list[Outcome]:
            try:
                return await asummarize_many(
                    sources,
                    settings=settings,
                    concurrency=concurrency,
                    topics=topics,
                    engine=runner,
                    cache=cache,
                    on_done=deliver,
                    since=earlier,
                )
            finally:
                await aclose(runner)

        try:
            outcomes = asyncio.run(brief_all()) if sources else []
        except KeyboardInterrupt:
            _say(f"summarizer: {len(written)} of {len(specs)} briefs were written before the interrupt")
            raise
    outcomes = failed + outcomes
    reporter.table(outcomes)
    errors = [o.error for o in outcomes if o.error is not None]
    if errors:
        if len(outcomes) > 1:
            _say(f"summarizer: {len(errors)} of {len(outcomes)} articles failed")
        if len(outcomes) > 1 and len(errors) < len(outcomes):
            raise typer.Exit(EXIT_PARTIAL)
        codes = {e.exit_code for e in errors}
        raise typer.Exit(codes.pop() if len(codes) == 1 else EXIT_PARTIAL)


def _throttle(rpm: float | None, tpm: float | None) -> Throttle | None:
    if rpm is None and tpm is None:
        return None
    from ..engines.openai.client import Throttle

    return Throttle(rpm=rpm, tpm=tpm)


def _open_cache(settings: Settings, no_cache: bool, path: Path | None) -> Cache | None:
    if no_cache or not settings.cache or settings.resolved_engine == "offline":
        return None
    from ..cache import Cache, default_path

    return Cache(path or settings.cache_path or default_path())


def _dry_run(inputs: list[str], runner: object, topics: list[str] | None) -> int:
    """Print what would be sent, as JSON lines a user can read or replay; no network."""
    from ..clean import clean
    from ..clean.sources import read_source
    from ..engines.openai.engine import OpenAIEngine, estimate_request_tokens

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
        requests = runner.requests(article, topics=topics)
        tokens = sum(estimate_request_tokens(r) for r in requests)
        extra = " + 1 reduce request" if len(requests) > 1 else ""
        _say(
            f"{read.name}: {len(requests)} request(s){extra}, about {tokens:,} prompt tokens; "
            f"+ up to 1 repair request (about {runner.repair_tokens(article):,} prompt tokens) "
            "if grounding finds faults"
        )
        for request in requests:
            print(json.dumps(request, ensure_ascii=False, indent=2))
    return code


def _engine_line(settings: Settings, used: Settings) -> str:
    """`used`: the engine's own settings, with the model a server was found to serve."""
    name = settings.resolved_engine
    if name == "offline":
        why = "" if settings.engine == "offline" else " (no OPENAI_API_KEY or OPENAI_BASE_URL set)"
        return f"engine: offline, extractive{why}"
    from ..engines.openai.client import server_name

    return f"engine: openai, model {used.model} at {server_name(settings)}"


def _source(spec: str) -> str | Path:
    """What the pool briefs for one input: stdin is read now, files are checked now
    (so a missing file fails before any work), and both are read later."""
    from ..clean.fetch import is_url
    from ..clean.sources import read_source

    if spec == "-":
        return read_source("-").text
    if is_url(spec):
        return spec
    path = Path(spec)
    if not path.exists():
        raise InputError(f"{spec}: no such file")
    return path


def _target(spec: str, output: Path | None, suffix: str, to_dir: bool, taken: set[Path]) -> Path | None:
    """Where one input's brief goes; never onto its own input, never onto a sibling's."""
    from ..clean.fetch import is_url

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
