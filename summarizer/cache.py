"""The SQLite cache of engine outputs: a brief already paid for is never paid for again.

Keyed by everything that decides what the engine writes (the cleaned article and the
metadata the prompt shows, engine, model, server, prompt version, schema, language,
topics, context budget) and by this format's version; not by templates or grounding
options, because grounding and rendering run again on every hit. Safe with several
writers: WAL journal, a busy timeout, one short transaction per write.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from .engines.openai.schema import strict_schema
from .errors import ConfigError
from .models import Article, Brief, EngineInfo, Usage
from .settings import Settings

FORMAT_VERSION = "1"


@dataclass(frozen=True)
class EngineOutput:
    """What an engine run produced for one article, after its one repair request."""

    brief: Brief
    usage: Usage
    repaired: int = 0


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    base = Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "summarizer" / "cache.sqlite"


def cache_key(article: Article, engine: EngineInfo, settings: Settings, topics: list[str] | None) -> str:
    parts = {
        "format": FORMAT_VERSION,
        "engine": engine.name,
        "model": engine.model,
        "server": settings.azure_endpoint or settings.base_url,
        "prompt": engine.prompt_version,
        "schema": hashlib.sha256(json.dumps(strict_schema(Brief), sort_keys=True).encode()).hexdigest(),
        "language": settings.language,
        "topics": sorted(topics or []),
        "context_tokens": settings.context_tokens,
        "article": [article.title, article.byline, article.publisher, str(article.published), article.body],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class Cache:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as db, db:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute(
                    "CREATE TABLE IF NOT EXISTS briefs (key TEXT PRIMARY KEY, model TEXT, created REAL, "
                    "brief TEXT NOT NULL, usage TEXT NOT NULL, repaired INTEGER NOT NULL DEFAULT 0)"
                )
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"cache {path}: {exc}") from None

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get(self, key: str) -> EngineOutput | None:
        with closing(self._connect()) as db:
            row = db.execute("SELECT brief, usage, repaired FROM briefs WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return EngineOutput(Brief.model_validate_json(row[0]), Usage.model_validate_json(row[1]), row[2])
        except ValueError:
            return None  # written by an incompatible version: a miss, overwritten on put

    def put(self, key: str, output: EngineOutput, model: str | None) -> None:
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT OR REPLACE INTO briefs (key, model, created, brief, usage, repaired) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    key,
                    model,
                    time.time(),
                    output.brief.model_dump_json(),
                    output.usage.model_dump_json(),
                    output.repaired,
                ),
            )

    def stats(self) -> dict[str, object]:
        with closing(self._connect()) as db:
            count, tokens = db.execute(
                "SELECT COUNT(*), COALESCE(SUM(json_extract(usage, '$.prompt_tokens') "
                "+ json_extract(usage, '$.completion_tokens')), 0) FROM briefs"
            ).fetchone()
            models = dict(db.execute("SELECT COALESCE(model, '-'), COUNT(*) FROM briefs GROUP BY model").fetchall())
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        return {
            "path": str(self.path),
            "entries": count,
            "bytes": size,
            "tokens_saved_per_rerun": tokens,
            "models": models,
        }

    def clear(self) -> int:
        with closing(self._connect()) as db, db:
            return db.execute("DELETE FROM briefs").rowcount
