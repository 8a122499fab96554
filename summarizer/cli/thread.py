"""`summarizer thread`: the dated briefs of one story in, its timeline out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import SummarizerError
from .app import _fail, _say, app, plural
from .formats import Format, UsageError, plan_output
from .output import write_out

THREAD_TEMPLATES = {"md": "thread.md.j2", "html": "thread.html.j2", "txt": "thread.txt.j2"}


@app.command()
def thread(
    briefs: Annotated[
        list[Path],
        typer.Argument(help="Briefs of one story written with `summarizer brief -f json`: files, or a folder of them."),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Output file: .md, .html, .txt or .json (default, or '-': standard output)."
        ),
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="md, html, txt or json. Default: from the output's suffix, else md."),
    ] = None,
    templates: Annotated[Path | None, typer.Option(help="Directory of your own templates.")] = None,
) -> None:
    """The story over its briefs, oldest first: when each question was raised and answered,
    how each figure moved, what a later article contradicted. Briefs written with --since
    keep the changes they carry; the others are compared offline."""
    from ..pipeline import changes_since
    from ..render import render_thread
    from ..threads import load_results
    from ..threads import thread as story_thread

    if output is not None and str(output) == "-":
        output = None
    try:
        plan = plan_output(fmt, output, None, templates=THREAD_TEMPLATES)
        results = load_results(briefs)
        if len(results) < 2:
            raise UsageError(f"a thread needs two briefs or more of the story; got {len(results)}")
        timeline = story_thread(results, changes_since)
        if plan.format is Format.json:
            text = timeline.model_dump_json(indent=2) + "\n"
        else:
            assert plan.template is not None
            text = render_thread(timeline, plan.template, templates_dir=templates)
        write_out(output, text)
    except SummarizerError as error:
        _fail(error)
    _say(f"thread of {plural(len(results), 'brief')}")
