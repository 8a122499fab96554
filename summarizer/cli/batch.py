"""`summarizer batch`: files for the OpenAI Batch API and `vllm run-batch`, and their results."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputError, SummarizerError
from ..settings import Settings
from .app import EXIT_PARTIAL, T, TopicOption, _fail, _format, _say, app, error_line, expand_inputs
from .formats import Format, plan_output
from .output import write_atomic

if TYPE_CHECKING:
    from ..engines.openai.engine import OpenAIEngine


batch_app = typer.Typer(
    help="Batch files for the OpenAI Batch API (and `vllm run-batch`): export, submit, status, collect, import.",
    no_args_is_help=True,
)
app.add_typer(batch_app, name="batch")


def _batch_engine(model: str | None = None) -> OpenAIEngine:
    from ..engines.openai.engine import OpenAIEngine

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
    from ..clean import clean
    from ..clean.sources import read_source
    from ..engines.openai.batch import articles_path, custom_id, export_lines

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
    from ..engines.openai.batch import import_results, read_articles
    from ..pipeline import finish
    from .progress import counts

    engine = _batch_engine()
    try:
        plan = plan_output(fmt, None, None)
        imported = import_results(results, read_articles(articles), engine)
    except SummarizerError as error:
        _fail(error)
    failed = 0
    for item in imported:
        try:
            if item.error is not None:
                raise item.error
            assert item.article is not None and item.brief is not None and item.usage is not None
            result = finish(item.article, item.brief, item.usage, engine.settings, engine)
            target = output / f"{item.custom_id}{plan.suffix}"
            write_atomic(target, _format(result, plan, engine.settings))
        except SummarizerError as error:
            failed += 1
            _say(error_line(error, item.custom_id))
            continue
        print(target)
        _say(f"{item.custom_id}: {counts(result)}")
    if failed:
        _say(f"summarizer: {failed} of {len(imported)} results failed")
        raise typer.Exit(EXIT_PARTIAL if failed < len(imported) else 3)


def _api(call: Callable[[], T], engine: OpenAIEngine) -> T:
    """One Batch API call with the engine's retries and error messages."""
    from ..engines.openai.client import call_with_retries

    return call_with_retries(lambda limit: call(), engine.settings)
