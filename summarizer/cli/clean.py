"""`summarizer clean` and `summarizer schema`: what the engine will see, and the shape of what it writes."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from ..errors import SummarizerError
from .app import CleanFormat, _fail, _say, app


@app.command("clean")
def clean_command(
    source: Annotated[str, typer.Argument(help="Article file (text, HTML or Markdown), URL, or '-'.")],
    fmt: Annotated[CleanFormat, typer.Option("--format", "-f", help="text or json.")] = CleanFormat.text,
) -> None:
    """Show the cleaned article and what cleaning removed, without briefing it."""
    from ..clean import clean
    from ..clean.sources import read_source

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
    from ..engines.openai.schema import strict_schema
    from ..models import SCHEMA_VERSION, Brief, BriefResult

    if of is SchemaOf.brief:
        document = strict_schema(Brief)
    else:
        document = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$comment": f"summarizer result, schema_version {SCHEMA_VERSION}",
            **BriefResult.model_json_schema(mode="serialization"),
        }
    print(json.dumps(document, indent=2, ensure_ascii=False))
