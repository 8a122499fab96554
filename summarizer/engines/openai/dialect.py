"""What one server and model take, since OpenAI-compatible servers differ.

OpenAI's and Azure's reasoning models (the o-series, GPT-5.x, GPT-6.x) refuse
`max_tokens` and want `max_completion_tokens`, which counts their reasoning too, and
take a `reasoning_effort`; the llama.cpp server knows only `max_tokens`; some servers
refuse a strict `json_schema`. The first guess comes from where the requests go and
the model's name; a 400 that names a parameter as unsupported corrects it, and the
refusal is remembered per server and model. Refusals, not whole dialects, are kept:
what the user asks for next time (another effort, another mode) still counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import urlsplit

from ...settings import ReasoningEffort, Settings, StructuredMode

TokenParam = Literal["max_tokens", "max_completion_tokens"]
# Briefs are extraction with verbatim quotes: a little reasoning helps, much costs.
DEFAULT_EFFORT: ReasoningEffort = "low"
_REASONING_MODEL = re.compile(r"^(?:o\d|gpt-5|gpt-6)", re.I)
# Completion tokens a reasoning effort may spend before the answer, on top of the answer's own.
_ALLOWANCE: dict[str, int] = {
    "none": 0,
    "minimal": 1024,
    "low": 3072,
    "medium": 8192,
    "high": 16384,
    "xhigh": 32768,
    "max": 65536,
}


@dataclass(frozen=True)
class Dialect:
    mode: StructuredMode
    token_param: TokenParam
    reasoning_effort: ReasoningEffort | None

    def budget(self, answer_tokens: int) -> int:
        """The token limit to send: the answer's, plus room to reason before it."""
        return answer_tokens + _ALLOWANCE.get(self.reasoning_effort or "none", 0)

    def without(self, parameter: str) -> Dialect | None:
        """The dialect for a server that refused `parameter`; None when there is no other."""
        if parameter == "response_format" and self.mode == "json_schema":
            return replace(self, mode="json_object")
        if parameter in ("max_tokens", "max_completion_tokens") and parameter == self.token_param:
            other: TokenParam = "max_completion_tokens" if parameter == "max_tokens" else "max_tokens"
            return replace(self, token_param=other)
        if parameter == "reasoning_effort" and self.reasoning_effort is not None:
            return replace(self, reasoning_effort=None)
        return None


def openai_hosted(server: str) -> bool:
    """OpenAI's own API or an Azure OpenAI resource, as opposed to a self-hosted server."""
    host = (urlsplit(server).hostname or "").lower()
    return host == "api.openai.com" or host.endswith((".openai.azure.com", ".cognitiveservices.azure.com"))


def reasoning_model(model: str) -> bool:
    return bool(_REASONING_MODEL.match(model.rsplit("/", 1)[-1]))


def first_guess(settings: Settings, server: str) -> Dialect:
    """Before the server has said anything: OpenAI's parameters for OpenAI and Azure,
    the older ones for everything else; a reasoning effort only where it is understood
    (or asked for)."""
    hosted = openai_hosted(server) or bool(settings.azure_endpoint)
    effort = settings.reasoning_effort
    if effort is None and hosted and reasoning_model(settings.model):
        effort = DEFAULT_EFFORT
    if settings.structured == "tools" and effort is not None:
        effort = "none"  # Chat Completions takes function calling from reasoning models only without reasoning
    return Dialect(
        mode=settings.structured,
        token_param="max_completion_tokens" if hosted else "max_tokens",
        reasoning_effort=effort,
    )


def without_all(dialect: Dialect, refused: frozenset[str]) -> Dialect:
    for parameter in sorted(refused):
        dialect = dialect.without(parameter) or dialect
    return dialect


class Memory:
    """Parameters each server and model refused, for as long as this process runs."""

    def __init__(self) -> None:
        self._refused: dict[tuple[str, str], frozenset[str]] = {}

    def refused(self, server: str, model: str) -> frozenset[str]:
        return self._refused.get((server, model), frozenset())

    def learn(self, server: str, model: str, parameter: str) -> None:
        self._refused[(server, model)] = self.refused(server, model) | {parameter}

    def clear(self) -> None:
        self._refused.clear()
