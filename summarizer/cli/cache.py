"""`summarizer cache`: look into and empty the cache of LLM briefs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import SummarizerError
from ..settings import Settings
from .app import _fail, app

if TYPE_CHECKING:
    from ..cache import Cache


cache_app = typer.Typer(help="The cache of LLM briefs.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("stats")
def cache_stats(
    cache_path: Annotated[Path | None, typer.Option("--cache", help="Cache file.")] = None,
) -> None:
    """Entries, size and models in the cache."""
    try:
        stats = _cache(cache_path).stats()
    except SummarizerError as error:
        _fail(error)
    for key, value in stats.items():
        print(f"{key}: {value}")


@cache_app.command("clear")
def cache_clear(
    cache_path: Annotated[Path | None, typer.Option("--cache", help="Cache file.")] = None,
) -> None:
    """Delete every cached brief."""
    try:
        removed = _cache(cache_path).clear()
    except SummarizerError as error:
        _fail(error)
    print(f"removed {removed} cached briefs")


def _cache(path: Path | None) -> Cache:
    from ..cache import Cache, default_path

    return Cache(path or Settings.load().cache_path or default_path())
