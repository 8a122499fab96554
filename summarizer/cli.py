"""The `summarizer` command.

Briefs and paths go to stdout, everything else (which engine ran, progress,
errors) to stderr, so `summarizer brief - > brief.md` and scripts that read the
printed paths both work. Every `SummarizerError` becomes one line and an exit
code; a traceback means a bug.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar
from urllib.parse import urlparse

import typer

from .cache import Cache
from .cache import default_path as default_cache_path
from .clean import clean
from .errors import ConfigError, InputError, SummarizerError
from .fetch import is_url
from .many import Outcome, asummarize_many
from .models import BriefResult
from .output import write_atomic
from .pipeline import aclose, make_engine
from .progress import Reporter, counts
from .render import DEFAULT_TEMPLATES, render, render_digest
from .settings import Settings
from .sources import read_source

if TYPE_CHECKING:
    from .engines.openai_engine import OpenAIEngine
    from .llm_client import Throttle

T = TypeVar("T")

EXIT_OK, EXIT_PARTIAL = 0, 4
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".md", ".markdown")

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


TopicOption = Annotated[
    list[str] | None,
    typer.Option(
        "--topic",
        help="A focus topic (repeatable): facts and open questions on it are covered when the article "
        "speaks to it, and the brief says 'not addressed' when it does not.",
    ),
]


class DigestFormat(str, Enum):
    md = "md"
    html = "html"
    text = "text"


DIGEST_SUFFIXES = {".html": DigestFormat.html, ".htm": DigestFormat.html, ".txt": DigestFormat.text}
DIGEST_TEMPLATES = {
    DigestFormat.md: "digest.md.j2",
    DigestFormat.html: "digest.html.j2",
    DigestFormat.text: "digest.txt.j2",
}


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
        runner = make_engine(settings, throttle=_throttle(rpm, tpm))
        cache = _open_cache(settings, no_cache, cache_path)
        specs = expand_inputs(inputs)
        if settings.templates_dir is not None and not settings.templates_dir.is_dir():
            raise ConfigError(f"templates directory {settings.templates_dir} does not exist")
    except SummarizerError as error:
        _fail(error)
    topics = topic or None
    if dry_run:
        raise typer.Exit(_dry_run(specs, runner, topics))
    _say(_engine_line(settings))
    template_name = template or DEFAULT_TEMPLATES.get(fmt.value)
    to_dir = output is not None and (len(specs) > 1 or output.is_dir() or not output.suffix)
    written: set[Path] = set()
    sources: list[str | Path] = []
    source_specs: list[str] = []
    failed: list[Outcome] = []
    for spec in specs:
        try:
            sources.append(read_source("-").text if spec == "-" else spec if is_url(spec) else Path(spec))
            source_specs.append(spec)
        except SummarizerError as error:
            failed.append(Outcome(spec, error=error))

    with Reporter(len(specs)) as reporter:
        for outcome in failed:
            reporter.report(outcome)

        def deliver(outcome: Outcome) -> None:
            """Write each brief the moment it is done: a crash later loses nothing."""
            if outcome.result is not None:
                try:
                    text = _format(outcome.result, fmt, template_name, settings)
                    target = _target(source_specs[outcome.index], output, fmt, to_dir, written)
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
                )
            finally:
                await aclose(runner)

        outcomes = asyncio.run(brief_all())
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


class SchemaOf(str, Enum):
    result = "result"
    brief = "brief"


@app.command()
def schema(
    of: Annotated[
        SchemaOf,
        typer.Argument(
            help="result: the JSON that `brief -f json` writes (stable, versioned by schema_version). "
            "brief: the strict schema the openai engine sends to the model."
        ),
    ] = SchemaOf.result,
) -> None:
    """Print a JSON Schema of summarizer's output."""
    from .llm_schema import strict_schema
    from .models import SCHEMA_VERSION, Brief

    if of is SchemaOf.brief:
        document = strict_schema(Brief)
    else:
        document = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$comment": f"summarizer result, schema_version {SCHEMA_VERSION}",
            **BriefResult.model_json_schema(mode="serialization"),
        }
    print(json.dumps(document, indent=2, ensure_ascii=False))


@app.command()
def digest(
    results: Annotated[list[Path], typer.Argument(help="JSON results written by `summarizer brief -f json`.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output file (default: stdout).")] = None,
    fmt: Annotated[
        DigestFormat,
        typer.Option(
            "--format",
            "-f",
            help="md, html (inline styles, for email) or text (the plain-text alternative of an email). "
            "Default: from the output's suffix, else md.",
        ),
    ] = None,  # type: ignore[assignment]
    title: Annotated[str, typer.Option(help="The digest's title.")] = "News digest",
    templates: Annotated[Path | None, typer.Option(help="Directory of your own templates.")] = None,
) -> None:
    """Render many briefs into one newsletter-shaped digest: contents, cards, open questions by topic."""
    chosen = fmt or (DIGEST_SUFFIXES.get(output.suffix.lower()) if output is not None else None) or DigestFormat.md
    template = DIGEST_TEMPLATES[chosen]
    loaded: list[BriefResult] = []
    try:
        for path in results:
            loaded.append(_load_result(path))
        text = render_digest(loaded, template, title=title, templates_dir=templates)
        if output is None:
            sys.stdout.write(text)
        else:
            write_atomic(output, text)
            print(output)
    except SummarizerError as error:
        _fail(error)
    _say(f"digest of {len(loaded)} briefs")


def _load_result(path: Path) -> BriefResult:
    try:
        return BriefResult.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory; pass its .json files (e.g. {path}/*.json)") from None
    except ValueError as exc:
        first = str(exc).splitlines()[0]
        raise InputError(f"{path}: not a summarizer JSON result ({first})") from None


cache_app = typer.Typer(help="The cache of LLM briefs.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("stats")
def cache_stats(
    cache_path: Annotated[Path | None, typer.Option("--cache", help="Cache file.")] = None,
) -> None:
    """Entries, size and models in the cache."""
    try:
        stats = Cache(cache_path or Settings.load().cache_path or default_cache_path()).stats()
    except SummarizerError as error:
        _fail(error)
    for key, value in stats.items():
        print(f"{key}: {value}")


@cache_app.command("clear")
def cache_clear(
    cache_path: Annotated[Path | None, typer.Option("--cache", help="Cache file.")] = None,
) -> None:
    """Delete every cached brief."""
    try:
        removed = Cache(cache_path or Settings.load().cache_path or default_cache_path()).clear()
    except SummarizerError as error:
        _fail(error)
    print(f"removed {removed} cached briefs")


batch_app = typer.Typer(
    help="Batch files for the OpenAI Batch API (and `vllm run-batch`): export, submit, status, collect, import.",
    no_args_is_help=True,
)
app.add_typer(batch_app, name="batch")


def _batch_engine(model: str | None = None) -> OpenAIEngine:
    from .engines.openai_engine import OpenAIEngine

    try:
        return OpenAIEngine(Settings.load({"engine": "openai", "model": model}))
    except SummarizerError as error:
        _fail(error)


@batch_app.command("export")
def batch_export(
    inputs: Annotated[list[str], typer.Argument(help="Article files, directories or URLs.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The requests file.")] = Path("requests.jsonl"),
    model: Annotated[str | None, typer.Option(help="Model name in each request body.")] = None,
    topic: TopicOption = None,
) -> None:
    """Write one Batch API request line per article; the body is the live engine's request."""
    from .batch_files import articles_path, custom_id, export_lines

    try:
        engine = _batch_engine(model)
        specs = expand_inputs(inputs)
    except SummarizerError as error:
        _fail(error)
    taken: set[str] = set()
    articles, failures = [], 0
    for index, spec in enumerate(specs):
        try:
            read = read_source(spec)
            articles.append((custom_id(spec, index, taken), clean(read.text, source=read.name)))
        except SummarizerError as error:
            failures += 1
            _say(f"summarizer: {spec}: {error.label}: {error}")
    requests, sidecar, warnings = export_lines(articles, engine, topic or None)
    for warning in warnings:
        _say(f"summarizer: {warning}")
    write_atomic(output, "".join(line + "\n" for line in requests))
    write_atomic(articles_path(output), "".join(line + "\n" for line in sidecar))
    print(output)
    _say(f"{len(requests)} requests, articles kept in {articles_path(output)} for `summarizer batch import`")
    if failures or warnings:
        raise typer.Exit(EXIT_PARTIAL if requests else 2)


@batch_app.command("submit")
def batch_submit(requests: Annotated[Path, typer.Argument(help="The file `batch export` wrote.")]) -> None:
    """Upload the requests and start an OpenAI batch; prints its id."""
    engine = _batch_engine()
    try:
        with requests.open("rb") as handle:
            uploaded = _api(lambda: engine.client.files.create(file=handle, purpose="batch"), engine)
        batch = _api(
            lambda: engine.client.batches.create(
                input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h"
            ),
            engine,
        )
    except FileNotFoundError:
        _fail(InputError(f"{requests}: no such file"))
    except SummarizerError as error:
        _fail(error)
    print(batch.id)
    _say(f"batch {batch.id}: {batch.status}; check with `summarizer batch status {batch.id}`")


@batch_app.command("status")
def batch_status(batch_id: Annotated[str, typer.Argument(help="The id `batch submit` printed.")]) -> None:
    """Show a batch's status and request counts."""
    engine = _batch_engine()
    try:
        batch = _api(lambda: engine.client.batches.retrieve(batch_id), engine)
    except SummarizerError as error:
        _fail(error)
    counts = batch.request_counts
    done = f", {counts.completed} of {counts.total} done, {counts.failed} failed" if counts else ""
    print(f"{batch.id}: {batch.status}{done}")


@batch_app.command("collect")
def batch_collect(
    batch_id: Annotated[str, typer.Argument(help="The id `batch submit` printed.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The results file.")] = Path("results.jsonl"),
) -> None:
    """Download a finished batch's results (and its error file, if any)."""
    engine = _batch_engine()
    try:
        batch = _api(lambda: engine.client.batches.retrieve(batch_id), engine)
        if batch.status != "completed" or not batch.output_file_id:
            raise InputError(f"batch {batch_id} is {batch.status}, not completed; try again later")
        content = _api(lambda: engine.client.files.content(batch.output_file_id), engine)
        write_atomic(output, content.text)
        if batch.error_file_id:
            errors = _api(lambda: engine.client.files.content(batch.error_file_id), engine)
            write_atomic(output.with_name(output.stem + ".errors.jsonl"), errors.text)
    except SummarizerError as error:
        _fail(error)
    print(output)


@batch_app.command("import")
def batch_import(
    results: Annotated[Path, typer.Argument(help="Results file from the Batch API or `vllm run-batch`.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Directory for the briefs.")] = Path("briefs"),
    articles: Annotated[Path, typer.Option(help="The articles file `batch export` wrote.")] = Path(
        "requests.articles.jsonl"
    ),
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.json,
) -> None:
    """Turn a results file into briefs, validated and grounded like live answers."""
    from .batch_files import import_results, read_articles

    engine = _batch_engine()
    try:
        imported = import_results(results, read_articles(articles), engine)
    except SummarizerError as error:
        _fail(error)
    failed = 0
    for item in imported:
        if item.result is None:
            failed += 1
            assert item.error is not None
            _say(f"summarizer: {item.custom_id}: {item.error.label}: {item.error}")
            continue
        target = output / f"{item.custom_id}.{fmt.value}"
        write_atomic(target, _format(item.result, fmt, DEFAULT_TEMPLATES.get(fmt.value), engine.settings))
        print(target)
        _say(f"{item.custom_id}: {counts(item.result)}")
    if failed:
        _say(f"summarizer: {failed} of {len(imported)} results failed")
        raise typer.Exit(EXIT_PARTIAL if failed < len(imported) else 3)


def _api(call: Callable[[], T], engine: OpenAIEngine) -> T:
    """One Batch API call with the engine's retries and error messages."""
    from .llm_client import call_with_retries

    return call_with_retries(call, engine.settings)


def expand_inputs(inputs: list[str]) -> list[str]:
    """Directories become the article files under them. Briefs written beside their
    inputs (x.txt -> x.md) are not taken for articles on the next run."""
    specs: list[str] = []
    for spec in inputs:
        path = Path(spec)
        if spec == "-" or is_url(spec) or not path.is_dir():
            specs.append(spec)
            continue
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
        stems = {(p.parent, p.stem) for p in files if p.suffix.lower() in (".txt", ".htm")}
        found = [str(p) for p in files if not (p.suffix.lower() in (".md", ".html") and (p.parent, p.stem) in stems)]
        found = [f for f in found if not f.endswith((".brief.md", ".brief.html"))]
        if not found:
            raise InputError(f"{spec}: no article files (.txt, .html, .htm, .md) in this directory")
        specs.extend(found)
    return specs


def _throttle(rpm: float | None, tpm: float | None) -> Throttle | None:
    if rpm is None and tpm is None:
        return None
    from .llm_client import Throttle

    return Throttle(rpm=rpm, tpm=tpm)


def _open_cache(settings: Settings, no_cache: bool, path: Path | None) -> Cache | None:
    if no_cache or not settings.cache or settings.resolved_engine == "offline":
        return None
    return Cache(path or settings.cache_path or default_cache_path())


def _dry_run(inputs: list[str], runner: object, topics: list[str] | None) -> int:
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
        requests = runner.requests(article, topics=topics)
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


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        _say("summarizer: interrupted")
        sys.exit(130)
