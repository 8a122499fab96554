"""The `summarizer` command.

Briefs and paths go to stdout, everything else (which engine ran, progress,
errors) to stderr, so `summarizer brief - > brief.md` and scripts that read the
printed paths both work. Every `SummarizerError` becomes one line and an exit
code; a traceback means a bug.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar, get_args

import typer

from ..errors import InputError, SummarizerError
from ..settings import ReasoningEffort

if TYPE_CHECKING:
    from ..models import BriefResult
    from ..settings import Settings
    from .formats import OutputPlan


T = TypeVar("T")

EXIT_OK, EXIT_PARTIAL = 0, 4
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".md", ".markdown")

app = typer.Typer(
    help="Turn news articles into grounded briefs: summary, key facts with verbatim quotes, open questions by topic.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # Plain help: the rich layout shows "<bool>" beside every flag, as if it took a value.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


TopicOption = Annotated[
    list[str] | None,
    typer.Option(
        "--topic",
        help="A focus topic (repeatable): facts and open questions on it are covered when the article "
        "speaks to it, and the brief says 'not addressed' when it does not.",
    ),
]


class CleanFormat(str, Enum):
    text = "text"
    json = "json"


class Structured(str, Enum):
    json_schema = "json_schema"
    json_object = "json_object"
    tools = "tools"


ReasoningEffortChoice = Enum(  # type: ignore[misc]
    "ReasoningEffortChoice", {name: name for name in get_args(ReasoningEffort)}, type=str
)


class VerifyChoice(str, Enum):
    offline = "offline"
    model = "model"


class EngineChoice(str, Enum):
    auto = "auto"
    offline = "offline"
    openai = "openai"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _fail(error: SummarizerError) -> NoReturn:
    _say(error_line(error))
    raise typer.Exit(error.exit_code)


def error_line(error: SummarizerError, source: str | None = None) -> str:
    """One line for one error: `summarizer: SOURCE: LABEL: MESSAGE`, the source named
    once even when the message starts with it."""
    message = str(error)
    if source is None:
        return f"summarizer: {error.label}: {message}"
    if message.startswith(f"{source}: "):
        message = message[len(source) + 2 :]
    return f"summarizer: {source}: {error.label}: {message}"


def expand_inputs(inputs: list[str]) -> list[str]:
    """Directories become the article files under them. Briefs written beside their
    inputs (x.txt -> x.md) are not taken for articles on the next run."""
    from ..clean.fetch import is_url

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


def _format(result: BriefResult, plan: OutputPlan, settings: Settings) -> str:
    from ..render import render

    if plan.template is None:
        return result.model_dump_json(indent=2) + "\n"
    return render(result, plan.template, templates_dir=settings.templates_dir)
