"""The `summarizer` command line: thin over the library. Each command lives in its own
module; importing them registers them on `app`."""

from __future__ import annotations

import sys

from . import batch, brief, cache, clean, digest  # noqa: F401  (registers the commands)
from .app import _say, app


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        _say("summarizer: interrupted")
        sys.exit(130)


__all__ = ["app", "main"]
