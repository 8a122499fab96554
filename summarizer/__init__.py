"""summarizer: news articles in, grounded briefs out.

The public names load on first use (PEP 562): `summarizer --help` and a brief need
only part of the package, and a command line should not wait for the rest.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_WHERE = {
    "clean": ".clean",
    "Outcome": ".many",
    "asummarize_many": ".many",
    "summarize_many": ".many",
    "asummarize": ".pipeline",
    "summarize": ".pipeline",
    "render": ".render",
    "render_digest": ".render",
    "Settings": ".settings",
    "ground": ".verify",
    **dict.fromkeys(
        (
            "CleaningError",
            "ConfigError",
            "GroundingError",
            "InputError",
            "LLMError",
            "LLMOutputError",
            "LLMTransportError",
            "SummarizerError",
        ),
        ".errors",
    ),
    **dict.fromkeys(
        (
            "Article",
            "Brief",
            "BriefResult",
            "CleaningReport",
            "FocusTopic",
            "Grounding",
            "KeyFact",
            "OpenQuestion",
            "QuoteCheck",
            "SummarySentence",
        ),
        ".models",
    ),
}

__all__ = [
    "Article",
    "Brief",
    "BriefResult",
    "CleaningError",
    "CleaningReport",
    "ConfigError",
    "FocusTopic",
    "Grounding",
    "GroundingError",
    "InputError",
    "KeyFact",
    "LLMError",
    "LLMOutputError",
    "LLMTransportError",
    "OpenQuestion",
    "Outcome",
    "QuoteCheck",
    "Settings",
    "SummarizerError",
    "SummarySentence",
    "asummarize",
    "asummarize_many",
    "clean",
    "ground",
    "render",
    "render_digest",
    "summarize",
    "summarize_many",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


class _Package(ModuleType):
    """Loading the subpackage `summarizer.clean` (or the module `summarizer.render`)
    sets the package's attribute of that name to the module; the public function of
    the same name must stay what `summarizer.clean` means."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("clean", "render") and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:
    from .clean import clean
    from .errors import (
        CleaningError,
        ConfigError,
        GroundingError,
        InputError,
        LLMError,
        LLMOutputError,
        LLMTransportError,
        SummarizerError,
    )
    from .many import Outcome, asummarize_many, summarize_many
    from .models import (
        Article,
        Brief,
        BriefResult,
        CleaningReport,
        FocusTopic,
        Grounding,
        KeyFact,
        OpenQuestion,
        QuoteCheck,
        SummarySentence,
    )
    from .pipeline import asummarize, summarize
    from .render import render, render_digest
    from .settings import Settings
    from .verify import ground
