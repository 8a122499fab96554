"""The LLM prompts: Jinja files under `prompts/`, versioned as a whole.

The version goes into every result and (later) the cache key, so a prompt change is
visible in outputs and never served from a stale cache.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2

from ...resources import compiled_templates, resource_dir


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource_dir("prompts"))),
        bytecode_cache=compiled_templates("prompts"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


@lru_cache(maxsize=1)
def prompt_version() -> str:
    return (resource_dir("prompts") / "VERSION").read_text(encoding="utf-8").strip()


def render_prompt(name: str, **values: object) -> str:
    return _environment().get_template(name).render(**values).strip()
