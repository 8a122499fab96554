"""`summarizer digest`: many JSON results in, one newsletter out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import SummarizerError
from .app import _fail, _say, app, plural
from .formats import Format, UsageError, plan_output
from .output import write_out

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
    since: Annotated[
        list[Path] | None,
        typer.Option(
            "--since",
            help="The previous issue's briefs (files or a folder; repeat for more). Each story is matched to "
            "its earlier briefs by title words and names, and its card says what changed since.",
        ),
    ] = None,
) -> None:
    """Render many briefs into one newsletter-shaped digest: contents, cards, open questions by topic."""
    from ..pipeline import changes_since
    from ..render import render_digest
    from ..threads import Stories, load_results

    loaded: list[BriefResult] = []
    if output is not None and str(output) == "-":
        output = None
    try:
        plan = plan_output(fmt, output, None, allowed=(Format.md, Format.html, Format.txt), templates=DIGEST_TEMPLATES)
        if output is not None and any(_same_file(output, path) for path in results):
            raise UsageError(f"-o {output} is one of the digest's inputs; writing it would replace a brief")
        loaded = load_results(results)
        stories = Stories(load_results(since) if since else [])
        for index, result in enumerate(loaded):
            story = stories.of(result)
            if story and result.changes is None:
                loaded[index] = result.model_copy(update={"changes": changes_since(result, story)})
        assert plan.template is not None
        text = render_digest(loaded, plan.template, title=title, templates_dir=templates)
        write_out(output, text)
    except SummarizerError as error:
        _fail(error)
    _say(f"digest of {plural(len(loaded), 'brief')}")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False
