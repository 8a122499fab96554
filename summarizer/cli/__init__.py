"""The `summarizer` command line: thin over the library. Each command lives in its own
module; importing them registers them on `app`."""

from __future__ import annotations

import sys

import typer

from . import batch, brief, cache, clean, digest, thread  # noqa: F401  (registers the commands)
from .app import _say, app

EXIT_INTERRUPTED = 130


def main() -> None:
    """Run the app and own its exit: Typer turns Ctrl-C into a silent 130."""
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        code = EXIT_INTERRUPTED
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    except Exception as exc:  # Typer's usage errors (ClickException) know how to show themselves
        show = getattr(exc, "show", None)
        if show is None:
            raise
        show()
        code = getattr(exc, "exit_code", 2)
    if code == EXIT_INTERRUPTED:
        _say("summarizer: interrupted")
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["app", "main"]
