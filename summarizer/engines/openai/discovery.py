"""Asking a self-hosted server what it serves and how much it holds.

A llama.cpp, vLLM, Ollama or LM Studio server serves its own models under its own
names, with a context window of its own. `GET /v1/models` names the models (vLLM adds
`max_model_len`, LM Studio `max_context_length`, llama.cpp's server `meta.n_ctx_train`);
llama.cpp's server says its context at `/props`, Ollama at `/api/show` and `/api/ps`. Each answer is
optional: a server that says nothing is asked nothing more, and its limits are
learned from its first refusal instead.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any

import httpx

from ...errors import ConfigError
from ...settings import Settings

_MAX_BYTES = 1024 * 1024
_CONTEXT_KEYS = ("max_model_len", "max_context_length", "context_length", "n_ctx")
_NUM_CTX = re.compile(r"^\s*num_ctx\s+(\d+)", re.M)
_OLLAMA_DEFAULT = 4096


@dataclass(frozen=True)
class Listed:
    models: tuple[str, ...]
    contexts: dict[str, int]  # for the models whose entry says their context window


class Server:
    """Asks one server about itself: GETs and POSTs with the client's address and
    headers, each answer read within `limit` seconds of wall clock (a server that
    trickles is given up on) and at most a megabyte; anything amiss is None, never an
    error, since the server is only being asked what it would like to say. One HTTP
    client for all of it, with no TLS set-up for a plain-HTTP local server."""

    def __init__(self, base_url: str, headers: dict[str, str], limit: float) -> None:
        self.base = base_url.rstrip("/")
        self.root = re.sub(r"/v1$", "", self.base)
        self.http = httpx.Client(headers=headers, timeout=limit, verify=self.base.startswith("https:"))
        self.limit = limit

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    def json(self, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
        started = time.monotonic()
        try:
            with self.http.stream(method, url, json=body) as response:
                if response.status_code != 200:
                    return None
                data = bytearray()
                for chunk in response.iter_bytes():
                    data.extend(chunk)
                    if len(data) > _MAX_BYTES or time.monotonic() - started > self.limit:
                        return None
            return json.loads(data)
        except (httpx.HTTPError, ValueError):
            return None

    def models(self) -> Listed | None:
        """The server's `/v1/models`; None when it has none or will not say."""
        page = self.json("GET", f"{self.base}/models")
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            return None
        models, contexts = [], {}
        for entry in page["data"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            models.append(entry["id"])
            context = _context_in(entry) or _context_in(entry.get("meta"))
            if context:
                contexts[entry["id"]] = context
        return Listed(tuple(models), contexts)

    def context(self, model: str) -> int | None:
        """The context window where a server says it outside `/v1/models`: llama.cpp's
        `/props`, Ollama's `/api/show` and `/api/ps`."""
        props = self.json("GET", f"{self.root}/props")
        if isinstance(props, dict):
            context = _context_in(props) or _context_in(props.get("default_generation_settings"))
            if context:
                return context
        shown = self.json("POST", f"{self.root}/api/show", {"model": model})
        return self._ollama_context(shown, model) if isinstance(shown, dict) else None

    def _ollama_context(self, shown: dict[str, Any], model: str) -> int:
        """What Ollama gives a request: the model's `num_ctx` if its Modelfile sets one,
        else what the loaded model runs with (`/api/ps`), else Ollama's own default,
        which is far below most models' trained length and silently cuts longer prompts."""
        set_here = _NUM_CTX.search(str(shown.get("parameters") or ""))
        if set_here:
            return int(set_here.group(1))
        running = self.json("GET", f"{self.root}/api/ps")
        entries = running.get("models") if isinstance(running, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and model in (entry.get("name"), entry.get("model")):
                context = _context_in(entry)
                if context:
                    return context
        return _OLLAMA_DEFAULT


def choose_model(settings: Settings, listed: tuple[str, ...], server: str) -> str:
    """The model to ask for when none was configured: the default if the server lists
    it, else the server's only model; several and no default is the user's choice."""
    if settings.model in listed or not listed:
        return settings.model
    if len(listed) == 1:
        return listed[0]
    names = ", ".join(listed[:12]) + (f" and {len(listed) - 12} more" if len(listed) > 12 else "")
    raise ConfigError(
        f"the server at {server} serves {len(listed)} models ({names}); choose one with --model or SUMMARIZER_MODEL"
    )


def _context_in(data: object) -> int | None:
    if not isinstance(data, dict):
        return None
    for key in _CONTEXT_KEYS:
        value = data.get(key)
        if isinstance(value, int) and value > 0:
            return value
    return None
