"""The library API newsletter builders rely on: its names and signatures, a caller's own
client, the result schema, focus topics, and email HTML."""

from __future__ import annotations

import asyncio
import inspect
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import openai
import pytest
import respx
from typer.testing import CliRunner

import summarizer
from summarizer import Settings, clean, render, render_digest, summarize
from summarizer.cli import app
from summarizer.engines.openai import engine as openai_engine

from .conftest import EXAMPLE, PAGES, ROOT, page
from .factories import fixed_result
from .llm_fakes import BASE_URL, GOOD_BRIEF, KEY, api_error, body, brief_response

GOLDEN = Path(__file__).parent / "golden"

PUBLIC = {
    "Article",
    "Brief",
    "BriefResult",
    "CleaningError",
    "CleaningReport",
    "ConfigError",
    "FocusTopic",
    "Grounding",
    "GroundingError",
    "InputError",
    "KeyFact",
    "LLMError",
    "LLMOutputError",
    "LLMTransportError",
    "OpenQuestion",
    "Outcome",
    "QuoteCheck",
    "Settings",
    "SummarizerError",
    "SummarySentence",
    "asummarize",
    "asummarize_many",
    "clean",
    "ground",
    "render",
    "render_digest",
    "summarize",
    "summarize_many",
}

# name -> parameters as (name, kind, default); a change here is a change to the API.
SIGNATURES = {
    "summarize": "(source, *, settings=None, engine=None, client=None, topics=None, cache=None, since=None)",
    "asummarize": "(source, *, settings=None, engine=None, client=None, topics=None, cache=None, since=None)",
    "asummarize_many": "(sources, *, settings=None, concurrency=4, rpm=None, tpm=None, topics=None, "
    "engine=None, client=None, cache=None, on_done=None, since=None)",
    "summarize_many": "(sources, **options)",
    "clean": "(text, *, source=None, kind=None)",
    "ground": "(article, brief, *, threshold=90.0)",
    "render": "(result, template='brief.md.j2', *, templates_dir=None)",
    "render_digest": "(results, template='digest.md.j2', *, card_template=None, title='News digest', "
    "templates_dir=None)",
}


def _shape(function: object) -> str:
    """A signature without annotations: names, kinds and defaults are the contract."""
    params = inspect.signature(function).parameters.values()  # type: ignore[arg-type]
    return str(inspect.Signature([p.replace(annotation=inspect.Parameter.empty) for p in params]))


def test_public_names_are_exactly_all() -> None:
    assert set(summarizer.__all__) == PUBLIC
    for name in PUBLIC:
        exported = getattr(summarizer, name)
        # the real thing, defined in the package: a class or a function, not a stand-in
        assert callable(exported) and exported.__module__.startswith("summarizer."), name
        assert exported.__name__ == name


_HEAVY = (
    "openai",
    "httpx",
    "asyncio",
    "trafilatura",
    "lxml",
    "jinja2",
    "rich",
    "summarizer.models",
    "summarizer.pipeline",
)


def _loaded_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    return set(proc.stdout.split())


def test_the_package_and_the_help_load_only_what_they_need() -> None:
    """Start-up (issue #13): `import summarizer` and `summarizer --help` import no SDK,
    no HTTP client, no extractor, no templates and no models; the public names load
    on first use and are the real thing."""
    assert not _loaded_after("import summarizer") & set(_HEAVY)
    shown = "from summarizer.cli import main\nsys.argv = ['summarizer', '--help']\n"
    shown += "try:\n    main()\nexcept SystemExit:\n    pass"
    assert not _loaded_after(shown) & set(_HEAVY)
    loaded = _loaded_after("from summarizer import Article, clean\nimport summarizer.clean\nassert callable(clean)")
    assert "summarizer.models" in loaded
    # importing the subpackage of the same name does not replace the public function
    proc = subprocess.run(
        [sys.executable, "-c", "import summarizer.clean, summarizer.render, summarizer\n"
         "print(callable(summarizer.clean), callable(summarizer.render))"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert proc.stdout.split() == ["True", "True"]


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_signatures_are_stable(name: str) -> None:
    assert _shape(getattr(summarizer, name)) == SIGNATURES[name]


def test_package_is_typed() -> None:
    assert (Path(summarizer.__file__).parent / "py.typed").is_file()


def test_a_callers_own_client_is_used_with_its_headers_and_no_double_retries(mock: respx.MockRouter) -> None:
    route = mock.post("/chat/completions").mock(
        side_effect=[api_error(429, "slow down", headers={"retry-after-ms": "1"}), brief_response()]
    )
    client = openai.OpenAI(api_key=KEY, base_url=BASE_URL, default_headers={"X-Newsroom": "metro"}, max_retries=5)
    # No key, no base URL in the settings: the client alone decides the openai engine.
    result = summarize(EXAMPLE.read_text(encoding="utf-8"), settings=Settings(max_retries=1), client=client)
    assert result.engine.name == "openai"
    assert route.call_count == 2  # one retry by summarizer, none by the SDK on top
    assert all(call.request.headers["X-Newsroom"] == "metro" for call in route.calls)
    assert result.grounding.verified_facts == 2


def test_a_callers_async_client_serves_the_pool_and_stays_open(mock: respx.MockRouter) -> None:
    route = mock.post("/chat/completions").mock(return_value=brief_response())

    async def main() -> tuple[list[summarizer.Outcome], bool]:
        client = openai.AsyncOpenAI(api_key=KEY, base_url=BASE_URL, default_headers={"X-Newsroom": "metro"})
        texts = [EXAMPLE.read_text(encoding="utf-8")] * 3
        outcomes = await summarizer.asummarize_many(texts, settings=Settings(), client=client, concurrency=2)
        closed = client.is_closed()
        await client.close()
        return outcomes, closed

    outcomes, closed = asyncio.run(main())
    assert [o.ok for o in outcomes] == [True, True, True]
    assert route.call_count == 3 and all(c.request.headers["X-Newsroom"] == "metro" for c in route.calls)
    assert closed is False  # the caller's client is the caller's to close


def test_schema_command_describes_the_json_results(tmp_path: Path) -> None:
    runner = CliRunner()
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    out = tmp_path / "brief.json"
    assert runner.invoke(app, ["brief", str(EXAMPLE), "-o", str(out), "-f", "json"]).exit_code == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(result)
    assert result["schema_version"] == "1"
    result["brief"]["key_facts"][0]["kind"] = "rumour"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(result)


def test_schema_brief_is_what_the_engine_sends(mock: respx.MockRouter) -> None:
    route = mock.post("/chat/completions").mock(return_value=brief_response())
    summarize(EXAMPLE.read_text(encoding="utf-8"), settings=Settings(base_url=BASE_URL, api_key=KEY))
    sent = body(route.calls[0].request)["response_format"]["json_schema"]["schema"]
    assert json.loads(CliRunner().invoke(app, ["schema", "brief"]).stdout) == sent


def test_focus_topics_reach_the_model_and_come_back(mock: respx.MockRouter) -> None:
    answer = {
        **GOOD_BRIEF,
        "focus": [
            {"topic": "pay", "addressed": True, "facts": [2, 7], "questions": []},
            {"topic": "safety", "addressed": False, "facts": [], "questions": []},
        ],
    }
    route = mock.post("/chat/completions").mock(return_value=brief_response(answer))
    result = summarize(
        EXAMPLE.read_text(encoding="utf-8"), settings=Settings(base_url=BASE_URL, api_key=KEY), topics=["pay", "safety"]
    )
    system = body(route.calls[0].request)["messages"][0]["content"]
    assert "focus topics: pay, safety" in system
    pay, safety = result.brief.focus
    assert (pay.topic, pay.addressed, pay.facts) == ("pay", True, [2])  # fact 7 does not exist: dropped
    assert (safety.addressed, safety.facts) == (False, [])
    markdown = render(result)
    assert "- **pay**: key facts 2\n" in markdown
    assert "- **safety**: not addressed in the article\n" in markdown


def test_focus_topics_offline() -> None:
    result = summarize(
        page("council-budget.txt"), settings=Settings(engine="offline"), topics=["library", "rail yard", "police"]
    )
    library, rail_yard, police = result.brief.focus
    assert library.addressed and library.facts
    assert all("library" in result.brief.key_facts[n - 1].quote.lower() for n in library.facts)
    assert rail_yard.addressed and not rail_yard.facts
    assert "rail yard" in result.brief.open_questions[rail_yard.questions[0] - 1].quote
    assert police.addressed is False and police.facts == police.questions == []


def test_offline_focus_adds_a_fact_when_the_article_speaks_to_the_topic() -> None:
    text = (
        "Harbour board approves new ferry timetable\n\n"
        "The harbour board approved a new ferry timetable on Monday that adds 14 sailings a day from March.\n\n"
        "Board chair Imelda Voss said the change would cost 2.3 million a year.\n\n"
        "The first new sailing will leave Port Selle at 5.40 a.m., 40 minutes earlier than today.\n\n"
        "Fares will rise by 30 cents on March 1 to pay for two more crews, the board said.\n\n"
        "Commuter groups had asked for 12 more sailings a day in a petition signed by 3,100 riders.\n\n"
        "Cyclists will be allowed on every sailing for the first time.\n"
    )
    plain = summarize(text, settings=Settings(engine="offline"))
    assert not any("Cyclists" in f.quote for f in plain.brief.key_facts)
    focused = summarize(text, settings=Settings(engine="offline"), topics=["cyclists"])
    (cyclists,) = focused.brief.focus
    assert cyclists.addressed and focused.brief.key_facts[cyclists.facts[0] - 1].quote.startswith("Cyclists")
    assert focused.grounding.facts[cyclists.facts[0] - 1].verified


def test_html_card_escapes_everything_and_loads_nothing() -> None:
    html = render(fixed_result(title="<img src=x onerror=alert(1)> Ferry"), template="card.html.j2")
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt; Ferry" in html
    assert "<script" not in html and "<style" not in html and "src=" not in html.replace("src=x", "")
    assert 'data-status="unsupported"' in html and "UNVERIFIED" in html


def test_html_digest_matches_golden_file_and_text_alternative_has_no_markup() -> None:
    results = [summarize(path, settings=Settings(engine="offline")) for path in sorted(PAGES.glob("*.txt"))]
    html = render_digest(results, "digest.html.j2", title="Tuesday digest")
    assert html == (GOLDEN / "digest.html").read_text(encoding="utf-8")
    assert html.count("data-card") == 3 and html.count("data-fact") == sum(len(r.brief.key_facts) for r in results)
    text = render_digest(results, "digest.txt.j2", title="Tuesday digest")
    assert "<" not in text and "](" not in text and "**" not in text
    assert all(r.brief.headline in text for r in results)
    assert all(f.statement.split()[0] in text for r in results for f in r.brief.key_facts)


def test_digest_command_picks_the_format_from_the_suffix(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    assert runner.invoke(app, ["brief", str(PAGES), "-o", str(out), "-f", "json"]).exit_code == 0
    results = sorted(str(p) for p in out.glob("*.json"))
    for name, marker in [("d.html", "<!DOCTYPE html>"), ("d.txt", "News digest\n==="), ("d.md", "# News digest")]:
        assert runner.invoke(app, ["digest", *results, "-o", str(tmp_path / name)]).exit_code == 0
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(marker)


def test_newsletter_example_runs_on_the_public_api(tmp_path: Path) -> None:
    script = ROOT / "examples" / "newsletter.py"
    source = script.read_text(encoding="utf-8")
    imports = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert all(line.startswith(("from summarizer import", "from pathlib", "import sys")) for line in imports)
    proc = subprocess.run(
        [sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    markdown = (tmp_path / "newsletter.md").read_text(encoding="utf-8")
    html = (tmp_path / "newsletter.html").read_text(encoding="utf-8")
    assert markdown.count("\n### ") >= 3 and html.count("data-card") == 3
    assert (tmp_path / "newsletter.txt").read_text(encoding="utf-8").count("-" * 70) >= 3
    assert "Port Avalon" in markdown


def test_clean_of_html_is_exported_and_typed() -> None:
    paragraph = "The council met on Monday and voted to extend library hours across the city. " * 4
    article = clean(f"<html><head><title>Hours</title></head><body><article><p>{paragraph}</p></article></body></html>")
    assert isinstance(article, summarizer.Article) and article.report.input_kind == "html"


def test_cli_topics_show_in_the_brief(tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    args = ["brief", str(EXAMPLE), "-o", str(out), "--topic", "mediator", "--topic", "snowfall"]
    assert CliRunner().invoke(app, args).exit_code == 0
    markdown = out.read_text(encoding="utf-8")
    assert "## Focus" in markdown and "- **snowfall**: not addressed in the article" in markdown
    assert "- **mediator**: " in markdown and "- **mediator**: not addressed" not in markdown


def test_engine_closes_only_the_async_client_it_made() -> None:
    async def main() -> tuple[bool, bool]:
        given = openai.AsyncOpenAI(api_key=KEY, base_url=BASE_URL)
        borrowed = openai_engine.OpenAIEngine(Settings(), async_client=given)
        owned = openai_engine.OpenAIEngine(Settings(base_url=BASE_URL))
        made = owned.async_client
        await borrowed.aclose()
        await owned.aclose()
        return given.is_closed(), made.is_closed()

    assert asyncio.run(main()) == (False, True)
