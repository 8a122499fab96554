"""Which format a command writes, decided once from everything the user named.

`-f`, the suffix of `-o` and the template's name each say something about the
format; they must agree, or the command refuses before any work is done. Writing
HTML needs an autoescaped template: a Markdown template's output in a `.html` file
would let a page's `<script>` run when the file is opened.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ..errors import SummarizerError
from ..resources import DEFAULT_TEMPLATES, template_kind


class UsageError(SummarizerError):
    """Options that contradict each other: refused before any work is done."""

    exit_code = 2
    label = "usage error"


class Format(str, Enum):
    md = "md"
    html = "html"
    json = "json"
    txt = "txt"


SUFFIXES = {
    ".md": Format.md,
    ".markdown": Format.md,
    ".html": Format.html,
    ".htm": Format.html,
    ".json": Format.json,
    ".txt": Format.txt,
}


@dataclass(frozen=True)
class OutputPlan:
    format: Format
    template: str | None
    """None for JSON, which is the result itself."""

    @property
    def suffix(self) -> str:
        return "." + self.format.value


def plan_output(
    fmt: Format | None,
    output: Path | None,
    template: str | None,
    *,
    to_dir: bool = False,
    allowed: tuple[Format, ...] = tuple(Format),
    templates: dict[str, str] | None = None,
    template_flag: str | None = None,
) -> OutputPlan:
    """The format and template for what the user named; a `UsageError` when the
    names disagree, or name a format this command cannot write. `template_flag`: how
    the user named the template, when not with --template (`--evidence`)."""
    named = template_flag or f"--template {template}"
    said: list[tuple[str, Format]] = []
    if fmt is not None:
        said.append((f"--format {fmt.value}", fmt))
    if output is not None and not to_dir and output.suffix:
        by_suffix = SUFFIXES.get(output.suffix.lower())
        if by_suffix is None and fmt is None:
            known = ", ".join(s for s, f in SUFFIXES.items() if f in allowed)
            raise UsageError(f"-o {output.name}: cannot tell the format from {output.suffix!r}; use {known}, or -f")
        if by_suffix is not None:
            said.append((f"-o {output.name}", by_suffix))
    if template is not None and _names_kind(template):
        said.append((named, Format(template_kind(template))))
    for (what, first), (other, second) in itertools.pairwise(said):
        if first is not second:
            raise UsageError(f"{what} asks for {first.value} but {other} for {second.value}")
    chosen = said[0][1] if said else Format.md
    if chosen not in allowed:
        raise UsageError(f"{said[0][0]}: this command writes {', '.join(f.value for f in allowed)}, not {chosen.value}")
    if chosen is Format.json:
        if template is not None:
            raise UsageError(f"{named}: JSON output is the result itself and uses no template")
        return OutputPlan(chosen, None)
    name = template or (templates or DEFAULT_TEMPLATES)[chosen.value]
    if chosen is Format.html and template_kind(name) != "html":
        raise UsageError(f"--template {name} is not autoescaped, so it cannot write HTML; name it *.html.j2")
    return OutputPlan(chosen, name)


def _names_kind(template: str) -> bool:
    """Whether a template's name says what it writes (`card.md.j2`, not `mine.j2`)."""
    return any(s.lower() in SUFFIXES for s in Path(template).suffixes)
