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

__version__ = "0.1.0"

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
