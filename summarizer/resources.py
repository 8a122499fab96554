"""Where the shipped `templates/` and `prompts/` live, and what a template's name says
it writes (kept here, apart from rendering, so the command line can tell without
loading Jinja and the models).

In a wheel they are package data under `summarizer/`; in a source checkout they
stay at the repository root, where the layout keeps them.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import jinja2

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"summarizer is installed without its {name}/ directory")


TemplateKind = Literal["md", "html", "txt"]
DEFAULT_TEMPLATES: dict[str, str] = {"md": "brief.md.j2", "html": "brief.html.j2", "txt": "brief.txt.j2"}


def template_kind(name: str) -> TemplateKind:
    """What a template writes, from its name: `card.html.j2` is HTML, `card.txt.j2`
    plain text, anything else Markdown (so an unknown name is escaped, not trusted)."""
    suffixes = [s.lower() for s in PurePath(name).suffixes if s.lower() != ".j2"]
    if any(s in (".html", ".htm", ".xhtml") for s in suffixes):
        return "html"
    if ".txt" in suffixes or ".text" in suffixes:
        return "txt"
    return "md"


def compiled_templates(name: str) -> jinja2.BytecodeCache | None:
    """Jinja templates compiled once, not in every process (80 ms a run otherwise),
    under the user's cache directory (`name`: one directory per kind of environment).
    A cache that cannot be written is no cache, never an error."""
    import jinja2

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    directory = base / "summarizer" / name
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(directory))
