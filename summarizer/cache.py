"""The SQLite cache of engine outputs: a brief already paid for is never paid for again.

Keyed by everything that decides what the engine writes (the cleaned article and the
metadata the prompt shows, engine, model, server, prompt version, schema, language,
topics, context budget) and by this format's version; not by templates or grounding
options, because grounding and rendering run again on every hit. Safe with several
writers: WAL journal, a busy timeout, one short transaction per write. Before a run
pays for a brief it claims the key, so a second process (or the same article twice in
one batch) waits for that brief instead of paying for it again; a claim lapses after
its time to live, so a crashed run does not block the others for ever. The answers
to the requests made after a brief (a `--since` comparison, a `--verify model`
judgement) are kept too, keyed by the brief's key and what the request sends: the
same article against the same earlier briefs is compared once.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import time
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from .engines.openai.schema import strict_schema
from .errors import ConfigError
from .models import Article, Brief, EngineInfo, Usage
from .settings import Settings

FORMAT_VERSION = "1"
_Answer = TypeVar("_Answer", bound=BaseModel)


@dataclass(frozen=True)
class EngineOutput:
    """What an engine run produced for one article, after its one repair request."""

    brief: Brief
    usage: Usage
    repaired: int = 0
    repair_error: str | None = None


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    base = Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "summarizer" / "cache.sqlite"


def cache_key(
    article: Article,
    engine: EngineInfo,
    settings: Settings,
    topics: list[str] | None,
    *,
    server: str | None = None,
) -> str:
    """`server`: where the engine's requests really go (a caller's own client's URL
    beats the settings'), so one server's brief is never served for another's."""
    parts = {
        "format": FORMAT_VERSION,
        "engine": engine.name,
        "model": engine.model,
        "server": server or settings.azure_endpoint or settings.base_url,
        "prompt": engine.prompt_version,
        "schema": hashlib.sha256(json.dumps(strict_schema(Brief), sort_keys=True).encode()).hexdigest(),
        "language": settings.language,
        "topics": sorted(topics or []),
        "context_tokens": settings.context_tokens,
        "article": [article.title, article.byline, article.publisher, str(article.published), article.body],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def answer_key(kind: str, brief_key: str, sent: object) -> str:
    """A request made after a brief (`kind`: "since", "judge") depends on that brief's
    key and on what it sends (`sent`, JSON-able: the brief as it stands after repair,
    the earlier items, the pairs to judge)."""
    parts = {"kind": kind, "brief_key": brief_key, "sent": sent}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# Opening a new cache from several processes at once: switching to WAL needs a moment
# alone with the file, which sqlite's busy timeout does not wait for.
_OPEN_ATTEMPTS = 50


class Cache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._claims: dict[str, str] = {}
        for attempt in range(_OPEN_ATTEMPTS):
            try:
                self._create()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == _OPEN_ATTEMPTS - 1:
                    raise ConfigError(f"cache {path}: {exc}") from None
                time.sleep(0.02 * (attempt + 1))
            except (OSError, sqlite3.Error) as exc:
                raise ConfigError(f"cache {path}: {exc}") from None

    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            with db:
                db.execute(
                    "CREATE TABLE IF NOT EXISTS briefs (key TEXT PRIMARY KEY, model TEXT, created REAL, "
                    "brief TEXT NOT NULL, usage TEXT NOT NULL, repaired INTEGER NOT NULL DEFAULT 0)"
                )
                db.execute("CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, token TEXT, expires REAL)")
                db.execute(
                    "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, created REAL, answer TEXT NOT NULL)"
                )
                db.execute(
                    "CREATE TABLE IF NOT EXISTS servers (server TEXT, model TEXT, facts TEXT, updated REAL, "
                    "PRIMARY KEY (server, model))"
                )

    def claim(self, key: str, *, ttl: float) -> bool:
        """Take the right to pay for `key`; False while another run holds it."""
        token = secrets.token_hex(8)
        now = time.time()
        with closing(self._connect()) as db, db:
            db.execute("DELETE FROM claims WHERE key = ? AND expires < ?", (key, now))
            taken = db.execute(
                "INSERT OR IGNORE INTO claims (key, token, expires) VALUES (?, ?, ?)", (key, token, now + ttl)
            ).rowcount
        if taken:
            self._claims[key] = token
        return bool(taken)

    def release(self, key: str) -> None:
        token = self._claims.pop(key, None)
        if token is not None:
            with closing(self._connect()) as db, db:
                db.execute("DELETE FROM claims WHERE key = ? AND token = ?", (key, token))

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

    def get_answer(self, key: str, kind: type[_Answer]) -> _Answer | None:
        with closing(self._connect()) as db:
            row = db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return kind.model_validate_json(row[0])
        except ValueError:
            return None  # written by an incompatible version: a miss, overwritten on put

    def put_answer(self, key: str, answer: BaseModel) -> None:
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT OR REPLACE INTO answers (key, created, answer) VALUES (?, ?, ?)",
                (key, time.time(), answer.model_dump_json()),
            )

    def load_facts(self, server: str, model: str, max_age: float) -> dict[str, Any] | None:
        """What a server said about itself (refused parameters, context, models), if
        it said so within `max_age` seconds. Facts are an economy: a failure to read
        them means learning them again, never a failed run."""
        try:
            with closing(self._connect()) as db:
                row = db.execute(
                    "SELECT facts FROM servers WHERE server = ? AND model = ? AND updated > ?",
                    (server, model, time.time() - max_age),
                ).fetchone()
            return json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError):
            return None

    def save_facts(self, server: str, model: str, facts: dict[str, Any]) -> None:
        try:
            with closing(self._connect()) as db, db:
                db.execute(
                    "INSERT OR REPLACE INTO servers (server, model, facts, updated) VALUES (?, ?, ?, ?)",
                    (server, model, json.dumps(facts), time.time()),
                )
        except sqlite3.Error:
            pass

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
        """Remove every brief, the answers given after it, and what servers said about
        themselves; the count of briefs."""
        with closing(self._connect()) as db, db:
            db.execute("DELETE FROM servers")
            db.execute("DELETE FROM answers")
            return db.execute("DELETE FROM briefs").rowcount
