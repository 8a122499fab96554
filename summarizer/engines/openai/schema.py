"""JSON Schemas for OpenAI strict structured outputs, generated from the models.

Strict mode wants every property listed in `required` and `additionalProperties:
false` on every object; pydantic's schema is close, this makes it exact.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pydantic import BaseModel, Field

from ...models import Brief, KeyFact, OpenQuestion, _Strict


class ChunkNotes(_Strict):
    """What one part of a long article yields before the parts are merged."""

    key_facts: list[KeyFact] = Field(description="Key facts in this part, each with a verbatim quote.")
    open_questions: list[OpenQuestion]


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A fresh copy each time (callers may edit it); generating it costs milliseconds."""
    return json.loads(_strict_schema_json(model))


@cache
def _strict_schema_json(model: type[BaseModel]) -> str:
    schema = model.model_json_schema()
    _tighten(schema)
    return json.dumps(schema)


def response_format(model: type[BaseModel] = Brief) -> dict[str, Any]:
    return {
        "type": "json_schema",
        "json_schema": {"name": model.__name__, "strict": True, "schema": strict_schema(model)},
    }


def _tighten(node: Any) -> None:
    if isinstance(node, dict):
        node.pop("default", None)
        if isinstance(node.get("title"), str) and ({"type", "anyOf", "$ref", "enum"} & node.keys()):
            node.pop("title")  # titles cost prompt tokens and tell the model nothing
        if node.get("type") == "object" and "properties" in node:
            node["additionalProperties"] = False
            node["required"] = list(node["properties"])
        for value in node.values():
            _tighten(value)
    elif isinstance(node, list):
        for value in node:
            _tighten(value)
