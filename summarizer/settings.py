"""All options in one object. Flags beat environment beats a config file beats
defaults, so `Settings.load(flags)` is the only place that precedence lives."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from .errors import ConfigError

EngineName = Literal["auto", "offline", "openai"]
StructuredMode = Literal["json_schema", "json_object", "tools"]
ReasoningEffort = Literal["none", "minimal", "low", "medium", "high", "xhigh", "max"]
# A current, inexpensive OpenAI model with strict structured outputs (OpenAI names it the
# replacement of gpt-4o-mini, which its API stops serving on 2027-01-14).
DEFAULT_MODEL = "gpt-6-luna"
# The lowest rapidfuzz score at which an inexact quote counts as found.
DEFAULT_FUZZY_THRESHOLD = 90.0

# Environment variable -> field. OpenAI's own names, so compatible servers work unchanged.
ENVIRONMENT = {
    "OPENAI_API_KEY": "api_key",
    "OPENAI_BASE_URL": "base_url",
    "SUMMARIZER_MODEL": "model",
    "SUMMARIZER_ENGINE": "engine",
    "AZURE_OPENAI_ENDPOINT": "azure_endpoint",
    "OPENAI_API_VERSION": "api_version",
}


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    engine: EngineName = "auto"
    model: str = DEFAULT_MODEL
    api_key: SecretStr | None = Field(default=None, repr=False)
    base_url: str | None = None
    templates_dir: Path | None = None
    fuzzy_threshold: float = Field(default=DEFAULT_FUZZY_THRESHOLD, ge=50, le=100)
    strict_grounding: bool = False
    verify: Literal["offline", "model"] = Field(
        default="offline", description="model: one more request has the model judge every fact against its quote."
    )
    # The openai engine
    azure_endpoint: str | None = None
    api_version: str | None = None
    structured: StructuredMode = "json_schema"
    language: str | None = Field(default=None, description="Output language; default: the article's.")
    max_tokens: int = Field(default=3000, ge=256, description="Tokens for the answer itself.")
    reasoning_effort: ReasoningEffort | None = Field(
        default=None, description="For reasoning models; default: low on OpenAI and Azure, not sent elsewhere."
    )
    context_tokens: int = Field(
        default=12000, ge=200, description="Article tokens per request; longer articles are split."
    )
    max_retries: int = Field(default=4, ge=0, le=20)
    deadline: float = Field(default=180.0, gt=0, description="Seconds for all retries of one request.")
    timeout: float = Field(default=60.0, gt=0, description="Seconds for one HTTP request.")
    cache: bool = Field(default=True, description="Reuse engine outputs (LLM engines only).")
    cache_path: Path | None = Field(default=None, description="Default: ~/.cache/summarizer/cache.sqlite.")
    prices: dict[str, list[float]] = Field(
        default={}, description="Model -> USD per million input, cached input, output tokens."
    )

    @classmethod
    def load(
        cls,
        flags: Mapping[str, Any] | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        config_file: Path | None = None,
    ) -> Settings:
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        explicit = config_file or (Path(environ["SUMMARIZER_CONFIG"]) if environ.get("SUMMARIZER_CONFIG") else None)
        path = explicit or _default_config_file(environ)
        if path is not None:
            values.update(_read_config(path, required=explicit is not None))
        values.update({field: environ[var] for var, field in ENVIRONMENT.items() if environ.get(var)})
        values.update({k: v for k, v in (flags or {}).items() if v is not None})
        try:
            return cls(**values)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in exc.errors()
            )
            raise ConfigError(f"invalid settings: {problems}") from None

    @property
    def resolved_engine(self) -> Literal["offline", "openai"]:
        """`auto` means openai when a key or a base URL is set, else offline."""
        if self.engine != "auto":
            return self.engine
        return "openai" if (self.api_key or self.base_url or self.azure_endpoint) else "offline"


def _default_config_file(environ: Mapping[str, str]) -> Path | None:
    base = Path(environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    path = base / "summarizer" / "config.toml"
    return path if path.is_file() else None


def _read_config(path: Path, *, required: bool) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        if required:
            raise ConfigError(f"config file {path} does not exist") from None
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {path}: {exc}") from None
    if "api_key" in data:
        raise ConfigError(f"config file {path}: keep api_key out of files; set OPENAI_API_KEY")
    return data
