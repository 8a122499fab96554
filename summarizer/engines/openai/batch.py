"""Batch files: the same requests as live calls, written for the OpenAI Batch API (or
`vllm run-batch`), and their results read back through the same validation and
grounding as live answers.

`export` writes one JSONL line per article (`custom_id`, `method`, `url`, `body`) and
a sidecar with the cleaned articles, which `import` needs to ground the answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import InputError, LLMOutputError, SummarizerError
from ...models import Article, Brief, Usage
from .engine import OpenAIEngine, _Meter, brief_messages
from .wire import parse_completion

ENDPOINT = "/v1/chat/completions"


def articles_path(requests_path: Path) -> Path:
    return requests_path.with_name(requests_path.stem + ".articles.jsonl")


def custom_id(name: str, index: int, taken: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(name).stem if "://" not in name else name.rsplit("/", 1)[-1])
    cid = f"{index:05d}-{stem.strip('-')[:60] or 'article'}"
    taken.add(cid)
    return cid


def export_lines(
    articles: Iterable[tuple[str, Article]], engine: OpenAIEngine, topics: list[str] | None = None
) -> tuple[list[str], list[str], list[str]]:
    """(request lines, article lines, warnings). An article that needs map-reduce (over
    the context budget) cannot be one batch line: it is left out with a warning."""
    requests, sidecar, warnings = [], [], []
    for cid, article in articles:
        bodies = engine.requests(article, topics=topics)
        if len(bodies) != 1:
            warnings.append(f"{cid}: too long for one request ({len(bodies)} parts); brief it live instead")
            continue
        requests.append(
            json.dumps({"custom_id": cid, "method": "POST", "url": ENDPOINT, "body": bodies[0]}, ensure_ascii=False)
        )
        sidecar.append(json.dumps({"custom_id": cid, "article": article.model_dump(mode="json")}, ensure_ascii=False))
    return requests, sidecar, warnings


def read_articles(path: Path) -> dict[str, Article]:
    articles: dict[str, Article] = {}
    for number, line in enumerate(_lines(path), start=1):
        try:
            record = json.loads(line)
            articles[record["custom_id"]] = Article.model_validate(record["article"])
        except (ValueError, KeyError, TypeError):
            raise InputError(f"{path}:{number}: not an article line written by `summarizer batch export`") from None
    return articles


@dataclass
class Imported:
    """One result line: the article and the brief the model wrote for it (not yet
    grounded), or the error that stopped it."""

    custom_id: str
    article: Article | None = None
    brief: Brief | None = None
    usage: Usage | None = None
    error: SummarizerError | None = None


def import_results(path: Path, articles: dict[str, Article], engine: OpenAIEngine) -> list[Imported]:
    """Every result line, validated exactly like a live answer; a line that is not what
    the Batch API writes is an error for that line, never for the others."""
    out: list[Imported] = []
    for number, line in enumerate(_lines(path), start=1):
        try:
            record = json.loads(line)
            cid = str(record["custom_id"])
        except (ValueError, KeyError, TypeError):
            out.append(Imported(f"line {number}", error=InputError(f"{path}:{number}: not a batch result line")))
            continue
        try:
            article = articles.get(cid)
            if article is None:
                raise InputError(f"{cid}: not among the exported articles")
            brief, usage = _answer(record, article, engine)
            out.append(Imported(cid, article=article, brief=brief, usage=usage))
        except SummarizerError as error:
            out.append(Imported(cid, error=error))
    return out


def _answer(record: dict[str, Any], article: Article, engine: OpenAIEngine) -> tuple[Brief, Usage]:
    if record.get("error"):
        error = record["error"]
        message = error.get("message") if isinstance(error, dict) else str(error)
        raise LLMOutputError(f"the batch request failed: {message}")
    response = record.get("response")
    if not isinstance(response, dict):
        raise LLMOutputError("the result line holds no response object")
    body = response.get("body")
    if response.get("status_code") != 200:
        inner = body.get("error") if isinstance(body, dict) else None
        detail = inner.get("message") if isinstance(inner, dict) else body
        raise LLMOutputError(f"HTTP {response.get('status_code')}: {detail}")
    completion = parse_completion(body, "the batch result")
    meter = _Meter()
    steps = engine._conversation(lambda mode: brief_messages(article, engine.settings, None, mode), Brief, meter)
    next(steps)
    try:
        steps.send(completion)
    except StopIteration as done:
        return done.value, meter.usage(engine.settings)
    raise LLMOutputError("the answer needs a re-ask (invalid or truncated), which a batch cannot do; brief it live")


def _lines(path: Path) -> list[str]:
    try:
        return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from None
