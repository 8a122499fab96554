"""summarizer: news articles in, grounded briefs out."""

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
from .ground import ground
from .models import (
    Article,
    Brief,
    BriefResult,
    CleaningReport,
    Grounding,
    KeyFact,
    OpenQuestion,
    QuoteCheck,
    SummarySentence,
)
from .pipeline import summarize
from .render import render
from .settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Brief",
    "BriefResult",
    "CleaningError",
    "CleaningReport",
    "ConfigError",
    "Grounding",
    "GroundingError",
    "InputError",
    "KeyFact",
    "LLMError",
    "LLMOutputError",
    "LLMTransportError",
    "OpenQuestion",
    "QuoteCheck",
    "Settings",
    "SummarizerError",
    "SummarySentence",
    "clean",
    "ground",
    "render",
    "summarize",
]
