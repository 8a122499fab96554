"""Throughput benchmark: many articles through the openai engine against a fake server.

    python benchmarks/throughput.py [--articles 200] [--latency 0.3] [--process-only]

A fake OpenAI-compatible server (plain asyncio HTTP/1.1 with keep-alive, in its own
process so it does not share the client's event loop) answers every chat completion
after a fixed latency with a valid structured brief whose quotes come from the article
it was sent, and can answer a given share of requests with 429 + retry-after-ms.
Generated fictional articles go through `asummarize_many` at several concurrencies.
The ratio is ideal time (articles x latency / concurrency) over wall time. Every run
checks that each result belongs to its own article and that all its facts verify.

Then the whole process: `summarizer brief` on 160 copies of the seed article at
--concurrency 16 against the server answering in 500 ms, beside a process of the
openai SDK alone sending the same recorded request bodies at the same concurrency.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from summarizer import Brief, BriefResult, Settings, asummarize_many, clean, ground, render
from summarizer.cache import Cache
from summarizer.engines.openai.engine import OpenAIEngine
from summarizer.models import EngineInfo

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_990f11d3b987e2d8.txt"
STORY = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "stories" / "border-talks.txt"
TOWNS = ["Ashford Vale", "Corrin Bay", "Eldmoor", "Fenwick", "Harlow Cross", "Kestrel Point", "Lindqvist"]
TOPICS = ["bus depot", "water plant", "library wing", "flood barrier", "school annex", "ferry pier"]
PEOPLE = ["Ada Merrow", "Tomas Reyne", "Priya Castell", "Jonah Whitcombe", "Ines Dahlberg", "Felix Orma"]


def article_text(index: int) -> str:
    """A fictional local-news page dumped to text: navigation, the story, a footer."""
    rng = random.Random(index)
    town, topic, person = rng.choice(TOWNS), rng.choice(TOPICS), rng.choice(PEOPLE)
    cost, votes, jobs = rng.randint(2, 90), rng.randint(5, 9), rng.randint(20, 400)
    title = f"{town} approves {cost} million plan for new {topic} (story {index})"
    story = [
        f"The {town} council voted {votes} to 2 on Tuesday to spend {cost} million on a new {topic}, "
        f"ending a dispute that had stalled the project since 2023.",
        f"Council leader {person} said the {topic} would create about {jobs} jobs during construction. "
        f'"This is the most important decision we have taken this year," {person} told reporters.',
        f"Opponents argued that the cost had risen by {rng.randint(10, 60)} percent since the first estimate "
        f"and that residents were not consulted on the site.",
        f"Work is expected to begin in {rng.choice(['March', 'June', 'September'])} and to take "
        f"{rng.randint(14, 40)} months, according to a council report published on Monday.",
        f"It is not clear whether the regional government will cover any of the {cost} million, "
        f"and the council has yet to say how it will pay for cost overruns.",
        "Local businesses near the site said they had received no indication of how long roads "
        "would be closed during the works.",
    ]
    return "\n".join(
        [
            "Home | News | Sport | Business | Opinion",
            title,
            f"By {rng.choice(PEOPLE)}, Staff Reporter",
            "November 24, 2026",
            "",
            *[line + "\n" for line in story],
            "Read more",
            "© 2026 The Valley Courier. All rights reserved.",
        ]
    )


# --- the fake server ---------------------------------------------------------------

_ARTICLE = re.compile(r"<<<ARTICLE (\w+)>>>\n.*?\n\n(.*?)\n<<<END \1>>>", re.S)
_TITLE = re.compile(r"^Title: (.*)$", re.M)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"])")


def fake_brief(prompt: str) -> dict:
    """A brief of the article in the prompt, quoting its sentences verbatim."""
    body = _ARTICLE.search(prompt)
    title = _TITLE.search(prompt)
    sentences = [s for p in (body.group(2) if body else "").split("\n\n") for s in _SENTENCE.split(p.strip()) if s]
    facts = [{"statement": s, "quote": s, "kind": "event", "attributed_to": None} for s in sentences[:3]]
    unresolved = [s for s in sentences if "not clear" in s or "no indication" in s]
    return {
        "headline": title.group(1) if title else "",
        "summary": [{"text": facts[0]["statement"], "facts": [1]}] if facts else [],
        "key_facts": facts,
        "open_questions": [{"topic": "funding", "question": q.rstrip(".") + "?", "quote": q} for q in unresolved],
    }


def completion(content: str) -> dict:
    return {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "bench-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": len(content) // 3 + 900, "completion_tokens": len(content) // 4, "total_tokens": 0},
    }


def serve(latency: float, share_429: float, ready: multiprocessing.Queue) -> None:
    """The server process: every `round(1 / share_429)`-th request gets a 429."""
    requests = {"chat": 0, "rate_limited": 0}
    every = round(1 / share_429) if share_429 else 0

    async def answer(method: str, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if method == "GET" and path == "/stats":
            return 200, {}, json.dumps(requests).encode()
        if not path.endswith("/chat/completions"):  # no model list, no /props: a plain server
            return 404, {}, b'{"error": {"message": "not found"}}'
        requests["chat"] += 1
        if every and requests["chat"] % every == 0:
            requests["rate_limited"] += 1
            error = {"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}
            return 429, {"retry-after-ms": "200"}, json.dumps(error).encode()
        await asyncio.sleep(latency)
        prompt = json.loads(body)["messages"][-1]["content"]
        return 200, {}, json.dumps(completion(json.dumps(fake_brief(prompt)))).encode()

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
                method, path, _ = head[0].split(" ", 2)
                headers = dict((k.strip().lower(), v.strip()) for k, v in (h.split(":", 1) for h in head[1:] if h))
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                status, extra, payload = await answer(method, path, body)
                reason = {200: "OK", 404: "Not Found"}.get(status, "Too Many Requests")
                lines = [f"HTTP/1.1 {status} {reason}"]
                lines += [f"{k}: {v}" for k, v in {**extra, "content-type": "application/json"}.items()]
                lines += [f"content-length: {len(payload)}", "", ""]
                writer.write("\r\n".join(lines).encode() + payload)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(connection, "127.0.0.1", 0, backlog=512)
        ready.put(server.sockets[0].getsockname()[1])
        await server.serve_forever()

    asyncio.run(main())


class FakeServer:
    def __init__(self, latency: float, share_429: float = 0.0) -> None:
        ready: multiprocessing.Queue = multiprocessing.Queue()
        self.process = multiprocessing.Process(target=serve, args=(latency, share_429, ready), daemon=True)
        self.process.start()
        self.url = f"http://127.0.0.1:{ready.get(timeout=30)}/v1"

    def stats(self) -> dict[str, int]:
        import httpx

        return httpx.get(self.url.removesuffix("/v1") + "/stats").json()

    def __enter__(self) -> FakeServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.join()


# --- the runs ----------------------------------------------------------------------

ENGINE = EngineInfo(name="openai", model="bench-model")


def settings_for(server: FakeServer) -> Settings:
    return Settings(engine="openai", base_url=server.url, api_key="sk-bench-not-a-real-key", model="bench-model")


def check(texts: list[str], results: list[BriefResult | None]) -> None:
    """Each result must be its own article's brief, with every fact verified."""
    for text, result in zip(texts, results, strict=True):
        assert result is not None, "an article failed"
        assert result.brief.headline == text.splitlines()[1], "a brief was matched to the wrong article"
        assert result.grounding.verified_facts == len(result.brief.key_facts) == 3


def run(texts: list[str], server: FakeServer, concurrency: int, cache: Cache | None = None) -> dict[str, float]:
    before = server.stats()
    started = time.perf_counter()
    outcomes = asyncio.run(asummarize_many(texts, settings=settings_for(server), concurrency=concurrency, cache=cache))
    wall = time.perf_counter() - started
    after = server.stats()
    check(texts, [o.result for o in outcomes])
    return {
        "wall": wall,
        "done": sum(o.ok for o in outcomes),
        "cached": sum(bool(o.result and o.result.cached) for o in outcomes),
        "requests": after["chat"] - before["chat"],
        "rate_limited": after["rate_limited"] - before["rate_limited"],
    }


def sdk_alone(texts: list[str], server: FakeServer, concurrency: int) -> dict[str, float]:
    """The same requests straight through the openai SDK: what the client library
    costs, so the pipeline's share of the gap to the ideal can be told apart."""
    import openai

    engine = OpenAIEngine(settings_for(server))
    requests = [engine.requests(clean(text))[0] for text in texts]

    async def send_all() -> None:
        client = openai.AsyncOpenAI(api_key="sk-bench-not-a-real-key", base_url=server.url, max_retries=0)
        gate = asyncio.Semaphore(concurrency)

        async def one(request: dict) -> None:
            async with gate:
                await client.chat.completions.create(**request)

        await asyncio.gather(*(one(r) for r in requests))
        await client.close()

    before = server.stats()
    started = time.perf_counter()
    asyncio.run(send_all())
    wall = time.perf_counter() - started
    return {
        "wall": wall,
        "done": len(texts),
        "cached": 0,
        "requests": server.stats()["chat"] - before["chat"],
        "rate_limited": 0,
    }


SDK_SCRIPT = """
import asyncio, json, sys
import openai

async def main(path, url, concurrency):
    bodies = [json.loads(line) for line in open(path, encoding="utf-8")]
    client = openai.AsyncOpenAI(api_key="sk-bench-not-a-real-key", base_url=url, max_retries=0)
    gate = asyncio.Semaphore(concurrency)

    async def one(body):
        async with gate:
            await client.chat.completions.create(**body)

    await asyncio.gather(*(one(b) for b in bodies))
    await client.close()

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""


def whole_process(article: str, copies: int, concurrency: int, latency: float) -> tuple[float, float]:
    """Seconds for the whole `summarizer brief` process on `copies` files of `article`
    (start-up, reading, cleaning, requests, grounding, rendering and writing all count),
    and for a whole process of the openai SDK alone sending the same request bodies,
    recorded beforehand, at the same concurrency to the same server."""
    with FakeServer(latency) as server, tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "in", Path(tmp) / "out"
        folder.mkdir()
        for i in range(copies):
            (folder / f"story-{i:03d}.txt").write_text(article, encoding="utf-8")
        engine = OpenAIEngine(settings_for(server))
        bodies = Path(tmp) / "bodies.jsonl"
        body = json.dumps(engine.requests(clean(article))[0])
        bodies.write_text("\n".join([body] * copies) + "\n", encoding="utf-8")
        env = {
            **os.environ,
            "OPENAI_BASE_URL": server.url,
            "OPENAI_API_KEY": "sk-bench-not-a-real-key",
            "SUMMARIZER_MODEL": "bench-model",
        }
        command = [sys.executable, "-m", "summarizer", "brief", str(folder), "-o", str(out)]
        command += ["--concurrency", str(concurrency), "--no-cache"]
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ours = time.perf_counter() - started
        assert len(list(out.glob("*.md"))) == copies, "a brief is missing"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", SDK_SCRIPT, str(bodies), server.url, str(concurrency)], check=True)
        sdk = time.perf_counter() - started
    return ours, sdk


def overhead(texts: list[str]) -> dict[str, float]:
    """Milliseconds per article of the pipeline's own stages, no engine involved."""
    stages: dict[str, list[float]] = {"clean": [], "validate": [], "ground": [], "render": []}
    for text in texts:
        t0 = time.perf_counter()
        article = clean(text)
        t1 = time.perf_counter()
        prompt = f"Title: {article.title}\n<article>\n{article.body}\n</article>"
        brief = Brief.model_validate_json(json.dumps(fake_brief(prompt)))
        t2 = time.perf_counter()
        brief, grounding = ground(article, brief)
        t3 = time.perf_counter()
        render(BriefResult(article=article, brief=brief, grounding=grounding, engine=ENGINE))
        t4 = time.perf_counter()
        for stage, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            stages[stage].append(seconds * 1000)
    return {stage: statistics.mean(values) for stage, values in stages.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.3, help="Seconds the fake server takes per answer.")
    parser.add_argument("--seed", type=Path, default=SEED if SEED.exists() else STORY, help="the process run's article")
    parser.add_argument("--copies", type=int, default=160, help="copies of --seed in the whole-process run")
    parser.add_argument("--process-latency", type=float, default=0.5, help="server latency in the process run")
    parser.add_argument("--process-only", action="store_true", help="only the whole-process comparison")
    parser.add_argument("--rounds", type=int, default=5, help="whole-process pairs (the median ratio is reported)")
    args = parser.parse_args()
    if not args.process_only:
        in_process(args)
    print(
        f"\nwhole process, {args.copies} copies of {args.seed.name}, --concurrency 16, "
        f"server latency {args.process_latency * 1000:.0f} ms ({args.rounds} rounds, each pair back to back):"
    )
    print(f"{'round':>6} {'summarizer s':>13} {'SDK alone s':>12} {'ratio':>6}")
    ratios = []
    for n in range(1, args.rounds + 1):
        ours, sdk = whole_process(args.seed.read_text(encoding="utf-8"), args.copies, 16, args.process_latency)
        ratios.append(sdk / ours)
        print(f"{n:>6} {ours:>13.2f} {sdk:>12.2f} {sdk / ours:>6.2f}")
    print(
        f"median ratio {statistics.median(ratios):.2f} (1.0: as fast as the openai SDK alone sending the same bodies)"
    )
    return 0


def in_process(args: argparse.Namespace) -> None:
    texts = [article_text(i) for i in range(args.articles)]
    n, latency = args.articles, args.latency

    print(f"{n} articles, fake server latency {latency * 1000:.0f} ms")
    print("ideal = articles x latency / concurrency; waves = ceil(articles / concurrency) x latency,")
    print("the least any client can take when every answer takes the same time\n")
    header = f"{'run':<30}{'wall s':>8}{'art/s':>8}{'ideal s':>9}{'ratio':>7}{'waves s':>9}{'ratio':>7}"
    print(header + f"{'done':>6}{'requests':>10}{'429s':>6}")
    rows = []
    with FakeServer(latency) as server:
        for concurrency in (1, 8, 32):
            rows.append((f"concurrency {concurrency}", concurrency, run(texts, server, concurrency)))
        rows.append(("openai SDK alone, conc. 32", 32, sdk_alone(texts, server, 32)))
    with FakeServer(latency, share_429=0.10) as server:
        rows.append(("concurrency 32, 10% 429s", 32, run(texts, server, 32)))
    with FakeServer(latency) as server, tempfile.TemporaryDirectory() as tmp:
        cache = Cache(Path(tmp) / "cache.sqlite")
        run(texts, server, 32, cache)  # fills the cache
        rows.append(("cached re-run, conc. 32", 32, run(texts, server, 32, cache)))
    for name, concurrency, r in rows:
        ideal = n * latency / concurrency if not r["cached"] else 0.0
        waves = math.ceil(n / concurrency) * latency if not r["cached"] else 0.0
        ratio = f"{ideal / r['wall']:.2f}" if ideal else "-"
        wave_ratio = f"{waves / r['wall']:.2f}" if waves else "-"
        print(
            f"{name:<30}{r['wall']:>8.2f}{n / r['wall']:>8.1f}{ideal:>9.2f}{ratio:>7}{waves:>9.2f}{wave_ratio:>7}"
            f"{r['done']:>6.0f}{r['requests']:>10.0f}{r['rate_limited']:>6.0f}"
        )

    serial = rows[0][2]["wall"]
    print(f"\nper-article time beyond the server's latency at concurrency 1: {(serial / n - latency) * 1000:.1f} ms")
    stages = overhead(texts)
    print("pipeline overhead per article, engine excluded (ms):")
    print("  " + "  ".join(f"{k} {v:.2f}" for k, v in stages.items()) + f"  total {sum(stages.values()):.2f}")


if __name__ == "__main__":
    sys.exit(main())
