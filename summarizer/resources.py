"""Where the shipped `templates/` and `prompts/` live.

In a wheel they are package data under `summarizer/`; in a source checkout they
stay at the repository root, where the layout keeps them.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"summarizer is installed without its {name}/ directory")
