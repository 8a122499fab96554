"""Many articles at once: the pool, the cache, resuming, the digest and batch files."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

from summarizer import Settings, clean, render_digest
from summarizer.cache import Cache, EngineOutput, cache_key
from summarizer.cli import app
from summarizer.engines.openai import engine as openai_engine
from summarizer.engines.openai.client import Throttle
from summarizer.engines.openai.engine import OpenAIEngine
from summarizer.many import summarize_many
from summarizer.models import Brief, BriefResult, Usage

from .conftest import EXAMPLE, PAGES
from .llm_fakes import BASE_URL, KEY, api_error, article_in, completion, in_flight, openai_settings

GOLDEN = Path(__file__).parent / "golden"


settings = openai_settings


def echo_brief(request: httpx.Request) -> httpx.Response:
    """A server that briefs whatever article it is sent: headline = its title, one fact
    quoting its first sentence. An answer for the wrong article would show at once."""
    title, text = article_in(request)
    first = text.split("\n", 1)[0]
    brief = {
        "headline": title,
        "summary": [{"text": first, "facts": [1]}],
        "key_facts": [{"statement": first, "quote": first, "kind": "event", "attributed_to": None}],
        "open_questions": [],
    }
    return completion(json.dumps(brief))


def sources() -> list[Path]:
    return [EXAMPLE, *sorted(PAGES.glob("*.txt"))]


def test_pool_matches_every_brief_to_its_article(mock: respx.MockRouter) -> None:
    route = mock.post("/chat/completions").mock(side_effect=echo_brief)
    outcomes = summarize_many(sources() * 2, settings=settings(), concurrency=3)
    assert route.call_count == 8
    assert [o.source for o in outcomes] == [str(p) for p in sources() * 2]
    for outcome in outcomes:
        assert outcome.ok, outcome.error
        result = outcome.result
        assert result.brief.headline == result.article.title
        assert result.brief.key_facts[0].quote in result.article.paragraphs[0]
        assert result.grounding.verified_facts == 1


def test_concurrency_bounds_the_requests_in_flight_not_the_writing(mock: respx.MockRouter) -> None:
    """--concurrency 2: never more than two requests at the server at once, while the
    articles whose answers are in are grounded and handed on meanwhile (issue #13)."""
    import asyncio

    from summarizer import asummarize_many

    slow, counts = in_flight(echo_brief)
    mock.post("/chat/completions").mock(side_effect=slow)
    handed_on: list[str] = []
    outcomes = asyncio.run(
        asummarize_many(sources() * 2, settings=settings(), concurrency=2, on_done=lambda o: handed_on.append(o.source))
    )
    assert all(o.ok for o in outcomes) and len(handed_on) == 8
    assert counts["most"] == 2


def test_one_permanent_failure_does_not_stop_the_others(mock: respx.MockRouter) -> None:
    def flaky(request: httpx.Request) -> httpx.Response:
        if "Millbrook" in request.content.decode():
            return api_error(400, "This model's maximum context length is 8192 tokens.")
        return echo_brief(request)

    mock.post("/chat/completions").mock(side_effect=flaky)
    outcomes = summarize_many(sources(), settings=settings(), concurrency=4)
    failed = [o for o in outcomes if not o.ok]
    assert [o.source for o in failed] == [str(PAGES / "council-budget.txt")]
    assert "maximum context length" in str(failed[0].error)
    assert sum(o.ok for o in outcomes) == 3


def test_cli_resume_redoes_only_what_failed(
    mock: respx.MockRouter, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", BASE_URL)
    broken = {"on": True}

    def server(request: httpx.Request) -> httpx.Response:
        if broken["on"] and "Brennan Hill" in request.content.decode():
            return api_error(500, "upstream overloaded")
        return echo_brief(request)

    route = mock.post("/chat/completions").mock(side_effect=server)
    out = tmp_path / "out"
    args = [
        "brief",
        *map(str, sources()),
        "-o",
        str(out),
        "-f",
        "json",
        "--max-retries",
        "0",
        "--cache",
        str(tmp_path / "cache.sqlite"),
    ]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 4
    assert sorted(p.name for p in out.iterdir()) == [
        "council-budget.json",
        "harbor-ferry-strike.json",
        "vaccine-trial.json",
    ]
    assert "1 of 4 articles failed" in first.stderr
    calls = route.call_count
    broken["on"] = False
    second = CliRunner().invoke(app, args)
    assert second.exit_code == 0, second.stderr
    assert route.call_count == calls + 1  # only the article that failed
    assert (out / "rail-tunnel.json").exists()
    assert second.stderr.count("cached, no request") == 3


def test_cache_hit_miss_and_what_misses(
    mock: respx.MockRouter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    route = mock.post("/chat/completions").mock(side_effect=echo_brief)
    cache = Cache(tmp_path / "c.sqlite")
    first = summarize_many([EXAMPLE], settings=settings(), cache=cache)[0].result
    again = summarize_many([EXAMPLE], settings=settings(), cache=cache)[0].result
    assert route.call_count == 1
    assert not first.cached and again.cached
    assert again.brief == first.brief and again.usage.requests == 0
    summarize_many([EXAMPLE], settings=settings(model="gpt-4.1-mini"), cache=cache)
    assert route.call_count == 2
    monkeypatch.setattr(openai_engine, "prompt_version", lambda: "next-version")
    summarize_many([EXAMPLE], settings=settings(), cache=cache)
    assert route.call_count == 3
    assert cache.stats()["entries"] == 3


def test_cache_is_safe_with_concurrent_writers(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    brief = Brief(headline="h", summary=[], key_facts=[], open_questions=[])
    errors: list[Exception] = []

    def writer(n: int) -> None:
        try:
            cache = Cache(path)
            for i in range(40):
                cache.put(f"{n}-{i}", EngineOutput(brief, Usage(requests=1)), "m")
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Cache(path).stats()["entries"] == 160


def test_cache_key_ignores_templates_but_not_the_article() -> None:
    article = clean(EXAMPLE.read_text(encoding="utf-8"))
    info = OpenAIEngine(settings()).info
    key = cache_key(article, info, settings(), None)
    assert key == cache_key(article, info, settings(templates_dir=Path("/x"), strict_grounding=True), None)
    changed = article.model_copy(update={"paragraphs": [*article.paragraphs[:-1], "A different ending."]})
    assert key != cache_key(changed, info, settings(), None)
    assert key != cache_key(article, info, settings(), ["territory"])


def test_throttle_pauses_the_whole_pool_and_spaces_requests() -> None:
    now = [100.0]
    throttle = Throttle(rpm=60, clock=lambda: now[0])
    assert throttle.delay() == 0.0
    assert throttle.delay() == pytest.approx(1.0)  # 60 per minute: one a second
    now[0] += 1.0
    assert throttle.delay() == 0.0
    throttle.pause(5.0)  # a 429 seen by one request ...
    now[0] += 1.0
    assert throttle.delay() == pytest.approx(4.0)  # ... holds every other request
    tokens = Throttle(tpm=6000, clock=lambda: now[0])
    assert tokens.delay(6000) == 0.0
    assert tokens.delay(100) == pytest.approx(1.0)


def test_429_slows_the_pool_and_every_article_still_finishes(mock: respx.MockRouter) -> None:
    seen = {"n": 0}

    def limited(request: httpx.Request) -> httpx.Response:
        seen["n"] += 1
        if seen["n"] in (2, 3):
            return api_error(429, "Rate limit reached", headers={"retry-after-ms": "50"})
        return echo_brief(request)

    mock.post("/chat/completions").mock(side_effect=limited)
    engine = OpenAIEngine(settings())
    outcomes = summarize_many(sources(), settings=settings(), engine=engine, concurrency=4)
    assert all(o.ok for o in outcomes)
    assert engine.throttle.pauses == 2


def test_digest_golden(tmp_path: Path) -> None:
    results = [r.result for r in summarize_many(sources(), settings=Settings(engine="offline"))]
    assert render_digest(results, title="Tuesday digest") == (GOLDEN / "digest.md").read_text(encoding="utf-8")


def test_digest_command_reads_json_results(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["brief", *map(str, sources()), "-o", str(out), "-f", "json"]).exit_code == 0
    result = CliRunner().invoke(app, ["digest", *map(str, sorted(out.glob("*.json"))), "-o", str(tmp_path / "d.md")])
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "d.md").read_text()
    assert text.count("\n### ") >= 4 + 3  # four cards, then topics
    assert "## Open questions across the articles" in text
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    result = CliRunner().invoke(app, ["digest", str(bad)])
    assert result.exit_code == 2 and "not a summarizer JSON result" in result.stderr


def test_batch_export_line_is_the_live_request_and_import_grounds_results(
    mock: respx.MockRouter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", BASE_URL)
    requests = tmp_path / "requests.jsonl"
    exported = CliRunner().invoke(
        app, ["batch", "export", str(EXAMPLE), *map(str, sorted(PAGES.glob("*.txt"))), "-o", str(requests)]
    )
    assert exported.exit_code == 0, exported.stderr
    lines = [json.loads(line) for line in requests.read_text().splitlines()]
    assert lines[0]["custom_id"] == "00000-harbor-ferry-strike"
    assert all(line["method"] == "POST" and line["url"] == "/v1/chat/completions" for line in lines)
    # the body is byte for byte what the live engine sends
    route = mock.post("/chat/completions").mock(side_effect=echo_brief)
    summarize_many([EXAMPLE], settings=settings())
    assert json.loads(route.calls[0].request.content) == lines[0]["body"]
    # a results file as the Batch API writes it, one line an error
    results = tmp_path / "results.jsonl"
    with results.open("w") as handle:
        for n, line in enumerate(lines):
            request = httpx.Request("POST", BASE_URL + "/chat/completions", json=line["body"])
            record = {
                "id": f"batch_req_{n}",
                "custom_id": line["custom_id"],
                "error": None,
                "response": {"status_code": 200, "request_id": f"r{n}", "body": echo_brief(request).json()},
            }
            if n == 2:
                record["response"] = {"status_code": 429, "body": {"error": {"message": "quota exceeded"}}}
            handle.write(json.dumps(record) + "\n")
    out = tmp_path / "briefs"
    imported = CliRunner().invoke(
        app, ["batch", "import", str(results), "-o", str(out), "--articles", str(tmp_path / "requests.articles.jsonl")]
    )
    assert imported.exit_code == 4
    assert "HTTP 429: quota exceeded" in imported.stderr
    written = sorted(out.glob("*.json"))
    assert len(written) == 3
    result = BriefResult.model_validate_json(written[0].read_text())
    assert result.grounding.facts[0].status == "exact" and result.article.publisher == "Bayside Tribune"


def test_batch_submit_status_collect_through_the_sdk(
    mock: respx.MockRouter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", BASE_URL)
    requests = tmp_path / "requests.jsonl"
    requests.write_text('{"custom_id": "a", "method": "POST", "url": "/v1/chat/completions", "body": {}}\n')
    batch = {
        "id": "batch_1",
        "object": "batch",
        "endpoint": "/v1/chat/completions",
        "input_file_id": "file-in",
        "completion_window": "24h",
        "status": "validating",
        "created_at": 1,
        "errors": None,
        "output_file_id": None,
        "error_file_id": None,
        "request_counts": {"total": 1, "completed": 0, "failed": 0},
    }
    upload = mock.post("/files").mock(
        return_value=httpx.Response(
            200,
            json={
                "id": "file-in",
                "object": "file",
                "bytes": 90,
                "created_at": 1,
                "filename": "requests.jsonl",
                "purpose": "batch",
                "status": "processed",
            },
        )
    )
    create = mock.post("/batches").mock(return_value=httpx.Response(200, json=batch))
    submitted = CliRunner().invoke(app, ["batch", "submit", str(requests)])
    assert submitted.exit_code == 0, submitted.stderr
    assert "summarizer batch status batch_1" in submitted.stderr  # tells the user what to run next
    sent = upload.calls[0].request.content
    assert b'name="purpose"' in sent and requests.read_bytes() in sent  # the whole file goes up
    assert json.loads(create.calls[0].request.content) == {
        "input_file_id": "file-in",
        "endpoint": "/v1/chat/completions",
        "completion_window": "24h",
    }
    done = dict(
        batch, status="completed", output_file_id="file-out", request_counts={"total": 1, "completed": 1, "failed": 0}
    )
    mock.get("/batches/batch_1").mock(
        side_effect=[httpx.Response(200, json=batch), httpx.Response(200, json=done), httpx.Response(200, json=done)]
    )
    assert "batch_1: validating, 0 of 1 done" in CliRunner().invoke(app, ["batch", "status", "batch_1"]).stdout
    assert "batch_1: completed, 1 of 1 done" in CliRunner().invoke(app, ["batch", "status", "batch_1"]).stdout
    mock.get("/files/file-out/content").mock(return_value=httpx.Response(200, text='{"custom_id": "a"}\n'))
    mock.get("/files/file-err/content").mock(return_value=httpx.Response(200, text='{"custom_id": "b"}\n'))
    collected = CliRunner().invoke(app, ["batch", "collect", "batch_1", "-o", str(tmp_path / "results.jsonl")])
    assert collected.exit_code == 0, collected.stderr
    # the error file lands beside the results, under a name of its own
    done_with_errors = dict(done, error_file_id="file-err")
    mock.get("/batches/batch_1").mock(return_value=httpx.Response(200, json=done_with_errors))
    collected = CliRunner().invoke(app, ["batch", "collect", "batch_1", "-o", str(tmp_path / "r2.jsonl")])
    assert collected.exit_code == 0, collected.stderr
    assert (tmp_path / "r2.errors.jsonl").read_text() == '{"custom_id": "b"}\n'
    assert (tmp_path / "r2.jsonl").read_text() != (tmp_path / "r2.errors.jsonl").read_text()
    # a batch still running is not collected
    mock.get("/batches/batch_1").mock(return_value=httpx.Response(200, json=batch))
    early = CliRunner().invoke(app, ["batch", "collect", "batch_1", "-o", str(tmp_path / "r3.jsonl")])
    assert early.exit_code == 2 and "is validating, not completed" in early.stderr
    assert not (tmp_path / "r3.jsonl").exists()
