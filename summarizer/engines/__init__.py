"""Engines turn an `Article` into a `Brief`. They share one interface so that the
rest of the pipeline never knows which one ran."""

from __future__ import annotations

from typing import Protocol

from ..models import Article, Brief, EngineInfo, Usage


class Engine(Protocol):
    @property
    def info(self) -> EngineInfo: ...

    def brief(self, article: Article, *, topics: list[str] | None = None) -> tuple[Brief, Usage]:
        """Write a brief of `article`; `topics` are focus topics the user asked for."""
        ...
