"""`summarizer digest`: many JSON results in, one newsletter out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputError, SummarizerError
from .app import _fail, _say, app, plural
from .formats import Format, UsageError, plan_output
from .output import write_atomic

if TYPE_CHECKING:
    from ..models import BriefResult

DIGEST_TEMPLATES = {"md": "digest.md.j2", "html": "digest.html.j2", "txt": "digest.txt.j2"}


@app.command()
def digest(
    results: Annotated[list[Path], typer.Argument(help="JSON results written by `summarizer brief -f json`.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Output file: .md, .html or .txt (default, or '-': standard output)."),
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="md, html (inline styles, for email) or txt (the plain-text alternative of an email). "
            "Default: from the output's suffix, else md.",
        ),
    ] = None,
    title: Annotated[str, typer.Option(help="The digest's title.")] = "News digest",
    templates: Annotated[Path | None, typer.Option(help="Directory of your own templates.")] = None,
) -> None:
    """Render many briefs into one newsletter-shaped digest: contents, cards, open questions by topic."""
    from ..render import render_digest

    loaded: list[BriefResult] = []
    if output is not None and str(output) == "-":
        output = None
    try:
        plan = plan_output(fmt, output, None, allowed=(Format.md, Format.html, Format.txt), templates=DIGEST_TEMPLATES)
        if output is not None and any(_same_file(output, path) for path in results):
            raise UsageError(f"-o {output} is one of the digest's inputs; writing it would replace a brief")
        for path in results:
            loaded.append(_load_result(path))
        assert plan.template is not None
        text = render_digest(loaded, plan.template, title=title, templates_dir=templates)
        if output is None:
            sys.stdout.write(text)
        else:
            write_atomic(output, text)
            print(output)
    except SummarizerError as error:
        _fail(error)
    _say(f"digest of {plural(len(loaded), 'brief')}")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _load_result(path: Path) -> BriefResult:
    from ..models import BriefResult

    try:
        return BriefResult.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory; pass its .json files (e.g. {path}/*.json)") from None
    except ValueError as exc:
        first = str(exc).splitlines()[0]
        raise InputError(f"{path}: not a summarizer JSON result ({first})") from None
