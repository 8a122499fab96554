"""What one server and model take, since OpenAI-compatible servers differ.

OpenAI's and Azure's reasoning models (the o-series, GPT-5.x, GPT-6.x) refuse
`max_tokens` and want `max_completion_tokens`, which counts their reasoning too, and
take a `reasoning_effort`; the llama.cpp server knows only `max_tokens`; some servers
refuse a strict `json_schema`. The first guess comes from where the requests go and
the model's name; a 400 that names a parameter as unsupported corrects it, and the
refusal is remembered per server and model, with the server's context window and the
models it lists. Refusals, not whole dialects, are kept: what the user asks for next
time (another effort, another mode) still counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Literal, Protocol
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


# How long what a server said about itself is trusted: a server gets a new model or a
# bigger context now and then, and relearning costs one refused request.
FACTS_TTL = 7 * 24 * 3600


@dataclass(frozen=True)
class Facts:
    """What one server and model said about themselves."""

    refused: frozenset[str] = frozenset()
    context: int | None = None  # tokens it holds for a request's prompt and answer together
    models: tuple[str, ...] | None = None  # what the server lists (kept under the model "")

    def to_json(self) -> dict[str, Any]:
        return {"refused": sorted(self.refused), "context": self.context, "models": self.models}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Facts:
        models = data.get("models")
        return cls(frozenset(data.get("refused") or ()), data.get("context"), tuple(models) if models else None)


class Store(Protocol):
    """Where facts outlive the process: the cache database."""

    def load_facts(self, server: str, model: str, max_age: float) -> dict[str, Any] | None: ...

    def save_facts(self, server: str, model: str, facts: dict[str, Any]) -> None: ...


class Memory:
    """What each server and model refused, how much context it has and which models
    it serves: for this process, and across runs once given a store (`use`), so a
    llama.cpp server's refusal of `json_schema` costs one request a week, not one a run."""

    def __init__(self) -> None:
        self._facts: dict[tuple[str, str], Facts] = {}
        self._store: Store | None = None

    def use(self, store: Store) -> None:
        self._store = store

    def facts(self, server: str, model: str) -> Facts:
        key = (server, model)
        if key not in self._facts:
            stored = self._store.load_facts(server, model, FACTS_TTL) if self._store is not None else None
            self._facts[key] = Facts.from_json(stored) if stored else Facts()
        return self._facts[key]

    def refused(self, server: str, model: str) -> frozenset[str]:
        return self.facts(server, model).refused

    def context(self, server: str, model: str) -> int | None:
        return self.facts(server, model).context

    def models(self, server: str) -> tuple[str, ...] | None:
        return self.facts(server, "").models

    def learn(self, server: str, model: str, parameter: str) -> None:
        facts = self.facts(server, model)
        self._keep(server, model, replace(facts, refused=facts.refused | {parameter}))

    def learn_context(self, server: str, model: str, tokens: int) -> None:
        self._keep(server, model, replace(self.facts(server, model), context=tokens))

    def learn_models(self, server: str, models: tuple[str, ...]) -> None:
        self._keep(server, "", replace(self.facts(server, ""), models=models))

    def _keep(self, server: str, model: str, facts: Facts) -> None:
        self._facts[(server, model)] = facts
        if self._store is not None:
            self._store.save_facts(server, model, facts.to_json())

    def clear(self) -> None:
        """Forget everything, and the store: what one test's fake server taught is not another's."""
        self._facts.clear()
        self._store = None
