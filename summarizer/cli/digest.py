"""`summarizer digest`: many JSON results in, one newsletter out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputError, SummarizerError
from ..models import BriefResult
from ..render import render_digest
from .app import DIGEST_SUFFIXES, DIGEST_TEMPLATES, DigestFormat, _fail, _say, app
from .output import write_atomic

if TYPE_CHECKING:
    pass


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
