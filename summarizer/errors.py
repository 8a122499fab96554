"""One exception family, so callers catch `SummarizerError` and the CLI maps each
kind to one line on stderr and a distinct exit code."""

from __future__ import annotations


class SummarizerError(Exception):
    """Base of every error summarizer raises on purpose."""

    exit_code: int = 1
    label: str = "error"


class InputError(SummarizerError):
    """The source cannot be read as an article: missing, empty, binary, undecodable."""

    exit_code = 2
    label = "input error"


class CleaningError(SummarizerError):
    """The source was read but holds no article text worth briefing."""

    exit_code = 2
    label = "cleaning error"


class LLMError(SummarizerError):
    """Anything that went wrong talking to a language model."""

    exit_code = 3
    label = "LLM error"


class LLMTransportError(LLMError):
    """The server could not be reached or refused the request."""

    label = "LLM transport error"
    kind = "error"
    """What failed, so a pool can tell one server-wide fault repeating ("connect",
    "timeout", "HTTP 503") from articles failing each for its own reason."""

    def __init__(self, message: str = "", *, kind: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind or type(self).kind


class LLMOutputError(LLMError):
    """The server answered, but not with a usable brief."""

    label = "LLM output error"


class GroundingError(SummarizerError):
    """A brief could not be grounded in its article (strict grounding)."""

    exit_code = 5
    label = "grounding error"


class ConfigError(SummarizerError):
    """Settings that contradict each other or name something that does not exist."""

    exit_code = 2
    label = "configuration error"
